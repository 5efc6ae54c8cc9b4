"""The learned check's gates, chosen on dev pairs with the shipped (numpy) model.

    python -m fidelity.qe.training.gates --data data/qe --weights src/fidelity/qe/weights/qe.npz

The token thresholds the training chooses maximise error-span F1 on MQM, which rewards
marking many words; an editor needs the opposite: a finding on a faithful translation is a
false alarm on a story. So the check reports a pair's words only when the pair's P(major
error) reaches `pair_flag`, set so that at most `--false-flags` of the faithful dev pairs
(post-edits, DEMETR's good translations, benign rewordings) would be flagged, and calls them
major only above `pair_major` (`--major-false-flags`). The recall of the made-up critical
errors at those gates is written to the card. numpy only: no torch.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from fidelity.qe.model import QEModel
from fidelity.qe.training.examples import read_jsonl
from fidelity.qe.weights_io import rewrite_meta

FAITHFUL = ("mlqe-pe", "demetr-good", "synth-benign")
CRITICAL = ("synth-", "demetr-pert")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--per-origin", type=int, default=100)
    parser.add_argument("--false-flags", type=float, default=0.01)
    parser.add_argument("--major-false-flags", type=float, default=0.005)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    by_origin: dict[str, list] = {}
    for example in read_jsonl(args.data / "dev.jsonl"):
        if "dev_2022" in example.id:
            continue
        faithful = example.origin in FAITHFUL and not example.has_major
        critical = example.origin.startswith(CRITICAL) and example.has_major
        if faithful or critical:
            by_origin.setdefault(example.origin, []).append(example)
    chosen = {
        origin: rng.sample(rows, min(len(rows), args.per_origin))
        for origin, rows in sorted(by_origin.items())
    }
    model = QEModel(args.weights)
    scores = {
        origin: np.array([o.score for o in model.outputs([(e.src, e.tgt) for e in rows])])
        for origin, rows in chosen.items()
    }
    faithful = np.concatenate([s for o, s in scores.items() if o in FAITHFUL])
    critical = {o: s for o, s in scores.items() if o not in FAITHFUL}
    pair_flag = float(np.quantile(faithful, 1 - args.false_flags))
    pair_major = float(np.quantile(faithful, 1 - args.major_false_flags))
    figures = {
        "faithful pairs": len(faithful),
        "faithful flagged": round(float((faithful >= pair_flag).mean()), 4),
        "critical pairs": int(sum(len(s) for s in critical.values())),
        "critical flagged (mean over kinds)": round(
            float(np.mean([(s >= pair_flag).mean() for s in critical.values()])), 4
        ),
        "critical major (mean over kinds)": round(
            float(np.mean([(s >= pair_major).mean() for s in critical.values()])), 4
        ),
        **{f"flagged {o}": round(float((s >= pair_flag).mean()), 3) for o, s in critical.items()},
    }
    meta = dict(model.meta)
    meta["thresholds"] = {
        **meta.get("thresholds", {}),
        "pair_flag": round(pair_flag, 4),
        "pair_major": round(pair_major, 4),
    }
    meta["gates"] = {"false_flags": args.false_flags, "major_false_flags": args.major_false_flags}
    digest = rewrite_meta(args.weights, meta)
    card = args.weights.with_name("MODEL_CARD.md")
    if card.is_file():
        text = card.read_text(encoding="utf-8")
        text = text.split("\n## The check's gates")[0].rstrip("\n")
        text = _replace_hash(text, digest)
        text += (
            "\n\n## The check's gates (dev pairs, `python -m fidelity.qe.training.gates`)\n\n"
            f"pair_flag {pair_flag:.4f} (at most {args.false_flags * 100:g}% of faithful dev pairs "
            f"flagged), pair_major {pair_major:.4f} ({args.major_false_flags * 100:g}%); sha256 of "
            f"the weights after writing them: `{digest}`\n\n"
            "| figure | value |\n| --- | ---: |\n"
            + "".join(f"| {k} | {v} |\n" for k, v in figures.items())
        )
        card.write_text(text, encoding="utf-8")
    record = args.weights.with_name("training.json")
    if record.is_file():  # its sha256 is the file as training wrote it, before these gates
        report = json.loads(record.read_text(encoding="utf-8"))
        report["gates"] = {"sha256": digest, "pair_flag": round(pair_flag, 4),
                           "pair_major": round(pair_major, 4), **figures}
        record.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"sha256": digest, "pair_flag": pair_flag, "pair_major": pair_major,
                      **figures}, indent=1))


def _replace_hash(text: str, digest: str) -> str:
    """The card's first lines name the weights' hash, which the new settings change."""
    import re

    return re.sub(r"sha256 `[0-9a-f]{64}`", f"sha256 `{digest}`", text, count=1)


if __name__ == "__main__":
    main()
