"""Shared pieces of the benchmark scripts: data paths, the DEMETR split and the way each item
is checked, BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shlex
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from fidelity.api import check
from fidelity.embed.registry import choose_model, get_encoder
from fidelity.errors import FidelityInputError
from fidelity.model import Report, VersionReport
from fidelity.qe.training.data import DEMETR_LANGS

ROOT = Path(__file__).resolve().parent.parent
# The shared data sits beside the project (`../shared`); from a git worktree nested one level
# deeper, beside its parent folder.
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "benchmarks").is_dir()),
    ROOT.parent / "shared",
)
DEFAULT_DATA = SHARED / "benchmarks"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"



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


def prewarm_demetr(rows: list[dict]) -> dict[str, str]:
    """Encode every sentence once per encoder in large batches (the cache then answers the
    pipeline's own encodes) and return the encoder each source language uses."""
    langs = sorted({r["src_lang"] for r in rows})
    models = {lang: choose_model({"src": lang, "mt": "en"}, None) for lang in langs}
    texts: dict[str, dict[str, None]] = defaultdict(dict)
    for row in rows:
        bucket = texts[models[row["src_lang"]]]
        bucket.update(dict.fromkeys((row["src_sent"], row["mt_sent"], row["pert_sent"])))
    for name, bucket in texts.items():
        get_encoder(name).encode(list(bucket))
    return models


def check_demetr_item(
    row: dict, checks: Sequence[str] | None = None
) -> tuple[dict[str, tuple[Report, VersionReport]], list[str]]:
    """The reports of `mt_sent` and `pert_sent` against `src_sent`, and the refusals.

    Both versions go through one `check(src, [mt, pert], split="lines", mode="translation",
    fail_on="major", checks=checks)` call (the same pipeline as two calls; `checks` None runs
    fidelity's default checks); when a version repeats the source or the other version the
    API refuses the pair, and each is then checked alone. Keys are
    "mt" and "pert"; a refused version is missing and its error is listed."""
    kwargs = {
        "split": "lines",
        "mode": "translation",
        "lang_original": row["src_lang"],
        "lang_version": "en",
        "fail_on": "major",
        "checks": checks,
    }
    errors: list[str] = []
    try:
        report = check(row["src_sent"], [row["mt_sent"], row["pert_sent"]], **kwargs)
        return {"mt": (report, report.versions[0]), "pert": (report, report.versions[1])}, errors
    except FidelityInputError:
        pass
    versions: dict[str, tuple[Report, VersionReport]] = {}
    for name in ("mt", "pert"):
        try:
            report = check(row["src_sent"], row[f"{name}_sent"], **kwargs)
            versions[name] = (report, report.versions[0])
        except FidelityInputError as error:
            errors.append(f"{name}: {error}")
    return versions, errors


def auc(scores: list[float], gold: list[bool]) -> float:
    """Probability that a positive (gold True) row scores above a negative one (ties count
    half): the ROC area, which needs no threshold."""
    ranked = sorted(zip(scores, gold, strict=True))
    positives = sum(gold)
    negatives = len(gold) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = 0.0
    k = 0
    while k < len(ranked):
        end = k
        while end < len(ranked) and ranked[end][0] == ranked[k][0]:
            end += 1
        mean_rank = (k + 1 + end) / 2
        rank_sum += mean_rank * sum(1 for _, g in ranked[k:end] if g)
        k = end
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def append_result(title: str, body: str) -> None:
    """Append a dated section to BENCHMARKS.md with the command that produced it."""
    command = "python " + " ".join(
        shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]
    )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    section = f"\n## {title}\n\n{stamp} · {machine()}\n\n```\n{command}\n```\n\n{body.strip()}\n"
    if not BENCHMARKS_MD.exists():
        BENCHMARKS_MD.write_text(
            "# Benchmarks\n\nEach section is appended by a script in `bench/`; the command above "
            "each table reproduces it.\n",
            encoding="utf-8",
        )
    # One appending write, so that scripts running side by side never lose each other's section.
    with BENCHMARKS_MD.open("a", encoding="utf-8") as handle:
        handle.write(section)
