"""Bounded work: how long and how much memory each pathological input of issue 11 costs.

1. The date, number and name readers on every segment of a 1 MB and a 5 MB line without a
   sentence end (segmented as fidelity does: cut at clause or word boundaries every
   FIDELITY_MAX_SEGMENT_CHARS characters; words in a seeded random order so that no two
   segments are alike), in a fresh process each: CPU time per reader and
   the process's peak resident memory (ru_maxrss, which includes Python and the readers'
   word lists). FIDELITY_MAX_CHARS is raised for this part only, since the command refuses
   such a document before any reader runs.
2. `fidelity check` on each input of the probe, in a fresh process: exit status, wall and CPU
   time and the child's own peak memory (os.wait4), with the default limits.

    python bench/limits.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import ROOT, append_result

READERS = r"""
import json, resource, sys, time
from fidelity.segment import segment_sentences
from fidelity.readers.dates import find_dates
from fidelity.readers.figures import find_figures, find_times
from fidelity.readers.names import find_names, initial_names
from fidelity.readers.gazetteer import find_gazetteer
text = open(sys.argv[1], encoding="utf-8").read()
started = time.process_time()
segments = segment_sentences(text, "en")
times = {"segment": time.process_time() - started}
for name, read in [
    ("dates", lambda s: find_dates(s, "en")),
    ("figures", lambda s: find_figures(s, "en")),
    ("times", find_times),
    ("names", lambda s: find_names(s, "en")),
    ("initial names", lambda s: initial_names(s, "en")),
    ("gazetteer", lambda s: find_gazetteer(s, "en")),
]:
    started = time.process_time()
    for segment in segments:
        read(segment.text)
    times[name] = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"segments": len(segments), "times": times, "peak_mb": peak}))
"""
LINE_WORDS = "the ministry said on 12 March 2024 that 3.5 million tonnes of grain from Odesa"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def no_break_line(path: Path, size: int) -> Path:
    """Words of wire copy in a seeded random order: every segment differs, so no reader's
    cache of an already-read sentence hides its cost."""
    rng = random.Random(11)
    words = [*LINE_WORDS.split(), "Moscow", "Paris", "Kyiv", "Monday", "May", "1,200", "%"]
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    path.write_text(" ".join(out)[:size] + "\n", encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), **extra}


def readers(folder: Path) -> str:
    rows = [
        "| line | segments | segment | dates | figures | times | names | initial names "
        "| gazetteer | all readers | peak MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for megabytes in (1, 5):
        line = no_break_line(folder / f"line{megabytes}.txt", megabytes * 1_000_000)
        out = subprocess.run(
            [sys.executable, "-c", READERS, str(line)],
            capture_output=True,
            text=True,
            check=True,
            env=environment(FIDELITY_MAX_CHARS="100000000"),
        )
        result = json.loads(out.stdout)
        times = result["times"]
        total = sum(v for k, v in times.items() if k != "segment")
        cells = " | ".join(f"{times[k]:.2f}" for k in list(times))
        rows.append(
            f"| {megabytes} MB | {result['segments']:,} | {cells} | {total:.2f} "
            f"| {result['peak_mb']:.0f} |"
        )
    return "\n".join(rows)


def run_cli(
    *args: str, stdin: str | None = None, **extra: str
) -> tuple[int, float, float, float, str]:
    with tempfile.TemporaryFile() as err, open(stdin or os.devnull, "rb") as given:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "fidelity.cli", *args],
            stdin=given,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=environment(**extra),
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    reason = lines[-1].split(": ", 3)[-1] if lines else ""
    cpu = usage.ru_utime + usage.ru_stime
    return child.returncode, seconds, cpu, usage.ru_maxrss / 1024, reason


def probe(folder: Path) -> str:
    original = folder / "original.en.txt"
    original.write_text(
        "The ministry said exports may fall by a third next year. Talks will resume in May.\n",
        encoding="utf-8",
    )
    version = folder / "version.fr.txt"
    version.write_text(
        "Le ministère a déclaré que les exportations pourraient baisser d'un tiers l'an "
        "prochain. Les négociations reprendront en mai.\n",
        encoding="utf-8",
    )
    many = folder / "many.txt"
    many.write_text("It rained. " * 200_000, encoding="utf-8")
    bomb = folder / "bomb.docx"
    paragraph = b"<w:p><w:r><w:t>Exports may fall by a third.</w:t></w:r></w:p>" * 20000
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package,
        package.open("word/document.xml", "w") as stream,
    ):
        stream.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
        for _ in range(50 * 1024 * 1024 // len(paragraph)):
            stream.write(paragraph)
        stream.write(b"</w:body></w:document>")
    glossary = folder / "terms.csv"
    with glossary.open("w", encoding="utf-8") as out:
        out.write("en,fr\n")
        for k in range(100_000):
            out.write(f"term{k} word{k % 97},terme{k} mot{k % 89}\n")
    cases = [
        ("1 MB line without a sentence end", [str(original), str(no_break_line(
            folder / "l1.txt", 1_000_000))], {}),
        ("5 MB line without a sentence end", [str(original), str(no_break_line(
            folder / "l5.txt", 5_000_000))], {}),
        ("200,000 tiny sentences, -f json", [str(original), str(many), "-f", "json"], {}),
        (f"docx of {bomb.stat().st_size // 1024} KB inflating to 50 MB", [
            str(original), str(bomb)], {}),
        ("/dev/zero as a version", [str(original), "/dev/zero"], {}),
        ("/dev/urandom as a glossary", [str(original), str(version), "--glossary",
                                        "/dev/urandom"], {}),
        ("glossary of 100,000 entries (3.6 MB)", [str(original), str(version), "--glossary",
                                                  str(glossary)], {}),
    ]
    rows = [
        "| input | exit | wall s | CPU s | peak MiB | message |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    cases.append(("/dev/zero as standard input", ["-", str(version)], {}))
    for label, args, extra in cases:
        stdin = "/dev/zero" if args[0] == "-" else None
        code, seconds, cpu, peak, reason = run_cli("check", *args, stdin=stdin, **extra)
        rows.append(
            f"| {label} | {code} | {seconds:.1f} | {cpu:.1f} | {peak:.0f} | {reason[:90]} |"
        )
    return "\n".join(rows)


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reader_table = readers(folder)
        probe_table = probe(folder)
    body = (
        f"Load average at the start: {load:.1f} on {os.cpu_count()} cores (the machine is "
        "shared: wall times scale with it, CPU times much less).\n\nReaders on every segment "
        "of a line without a sentence end (CPU seconds; cut every 2,000 characters):\n\n"
        f"{reader_table}\n\n`fidelity check` on the probe's inputs, default limits:\n\n"
        f"{probe_table}\n"
    )
    print(body)
    append_result("Bounded work on pathological inputs (issue 11)", body)


if __name__ == "__main__":
    main()
