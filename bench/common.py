"""Shared pieces of the benchmark scripts: data paths, the DEMETR split, BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"

DEMETR_LANGS = {
    "chinese_simple": "zh",
    "german": "de",
    "hindi": "hi",
    "japanese": "ja",
    "polish": "pl",
    "russian": "ru",
    "czech": "cs",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
}


def demetr_half(source: str) -> str:
    """'calibration' or 'evaluation': decided by the source sentence, so one source and all its
    perturbations fall on the same side and nothing tuned is also reported."""
    digest = hashlib.blake2b(source.encode("utf-8"), digest_size=2).digest()
    return "calibration" if digest[0] % 2 == 0 else "evaluation"


def load_demetr(path: Path, half: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        row["src_lang"] = DEMETR_LANGS[row["lang_tag"]]
    if half is not None:
        rows = [r for r in rows if demetr_half(r["src_sent"]) == half]
    return rows


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def append_result(title: str, body: str) -> None:
    """Append a dated section to BENCHMARKS.md with the command that produced it."""
    command = "python " + " ".join(
        shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]
    )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    section = f"\n## {title}\n\n{stamp} · {machine()}\n\n```\n{command}\n```\n\n{body.strip()}\n"
    existing = (
        BENCHMARKS_MD.read_text(encoding="utf-8")
        if BENCHMARKS_MD.exists()
        else (
            "# Benchmarks\n\nEach section is appended by a script in `bench/`; the command above "
            "each table reproduces it.\n"
        )
    )
    BENCHMARKS_MD.write_text(existing + section, encoding="utf-8")
