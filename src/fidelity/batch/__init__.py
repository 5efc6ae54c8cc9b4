"""Score a table of (source, version) pairs: `fidelity batch INPUT -o OUTPUT`.

INPUT is JSONL, CSV or Parquet (chosen by extension), one pair a row, with columns `source`
and `version` (inline text) or `source_path` and `version_path` (files, read only from
inside a base folder: the folder of INPUT unless `paths_from` names another), and optionally
`id`, `source_lang` and `version_lang`. A UTF-8 byte-order mark is accepted; a JSONL line
that is not a JSON object becomes an error row naming its line number (a file with no JSON
object on any line is refused, with the first line that failed).

OUTPUT (JSONL, CSV or Parquet, by extension) has one row per pair: `id` (the row number,
from 1, when INPUT has none), `score`, `flagged`, `severity`, `findings` (a JSON list),
`error`, `signature` (what the row was scored under) and `input_hash` (of the row's cells).
Beside it, `<stem>.findings.<ext>` has one row per finding, `<output>.meta.json` records the
input and the signature, and `<output>.lock` keeps a second run off the same OUTPUT.

Nothing is lost: a bad row gets its message in `error` and never stops the run; OUTPUT is
rewritten atomically every few hundred rows and on Ctrl-C; a later run on the same OUTPUT
resumes (rows done with the same cells under the same signature are kept, errors retried),
but an OUTPUT written from another input, under another signature, or holding rows the
input no longer has is refused unless `merge` (keep them, add this run's) or `overwrite`
(start afresh) is given. CSV cells that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from fidelity.batch.resume import (
    lock_path,
    meta_path,
    output_lock,
    previous_rows,
    reaches,
    refuse_to_resume,
    reusable,
    write_meta,
)
from fidelity.batch.rows import (
    check_row,
    parse_threshold,
    prepare,
    prewarm,
    run_signature,
    settings_for_run,
)
from fidelity.batch.tables import (
    FORMATS,
    RESULT_SCHEMA,
    PairsTable,
    findings_path,
    findings_table,
    read_output,
    read_pairs,
    result_of,
    row_input_hash,
    table_format,
    write_outputs,
)
from fidelity.errors import FidelityInputError
from fidelity.model import Severity, Signature

__all__ = [
    "FORMATS",
    "RESULT_SCHEMA",
    "BatchSummary",
    "findings_path",
    "findings_table",
    "lock_path",
    "meta_path",
    "score_pairs",
]

SEVERITIES = tuple(s.label for s in sorted(Severity, reverse=True))


# Rows between checkpoints; a checkpoint rewrites OUTPUT whole, so it is also spaced out in
# time to keep writing under about a tenth of the run (see `_Checkpointer`).
CHECKPOINT_EVERY = 200


@dataclass
class BatchSummary:
    """What a batch run produced, counted over every row of OUTPUT (old rows included)."""

    output: Path
    rows: int
    checked: int
    skipped: int
    errors: int
    flagged: int
    by_severity: dict[str, int] = field(default_factory=dict)
    by_check: dict[str, int] = field(default_factory=dict)
    findings: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    seconds: float = 0.0
    findings_output: Path | None = None
    kept_from_before: int = 0  # rows of OUTPUT not in this input, kept by a merge
    signature: str = ""

    def table(self) -> pl.DataFrame:
        """One row per (severity, check): how many findings, in how many pairs."""
        rank = {label: k for k, label in enumerate(SEVERITIES)}
        keys = sorted(self.findings, key=lambda k: (rank.get(k[0], 99), k[1]))
        return pl.DataFrame(
            {
                "severity": [k[0] for k in keys],
                "check": [k[1] for k in keys],
                "findings": [self.findings[k][0] for k in keys],
                "pairs": [self.findings[k][1] for k in keys],
            },
            schema={
                "severity": pl.String,
                "check": pl.String,
                "findings": pl.Int64,
                "pairs": pl.Int64,
            },
        )

    def __str__(self) -> str:
        worst = ", ".join(f"{self.by_severity.get(s, 0)} {s}" for s in SEVERITIES)
        kept = f", {self.kept_from_before} kept from before" if self.kept_from_before else ""
        return (
            f"{self.rows} pairs: {self.checked} checked, {self.skipped} already done{kept}, "
            f"{self.errors} errors, {self.flagged} flagged (worst finding: {worst})"
        )


def score_pairs(
    input_path: Path,
    output_path: Path,
    *,
    fail_on: str | None = "major",
    model: str | None = None,
    mode: str = "auto",
    split: str = "sentences",
    progress: bool = True,
    cache: bool = True,
    checkpoint_every: int = CHECKPOINT_EVERY,
    checks: Sequence[str] | None = None,
    settings: Mapping[str, object] | None = None,
    settings_label: str = "none",
    overwrite: bool = False,
    merge: bool = False,
    paths_from: Path | None = None,
    allow_network: bool = False,
) -> BatchSummary:
    """Check every pair of INPUT and write one result row per pair to OUTPUT (see the module
    docstring for what is kept, refused and written beside OUTPUT)."""
    from fidelity.align import MODES
    from fidelity.api import SPLITS

    started = time.perf_counter()
    input_path, output_path = Path(input_path), Path(output_path)
    in_format = table_format(input_path)
    out_format = table_format(output_path)
    if mode not in MODES:
        raise FidelityInputError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    if split not in SPLITS:
        raise FidelityInputError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    if overwrite and merge:
        raise FidelityInputError("give --overwrite or --merge, not both")
    threshold = parse_threshold(fail_on)
    from fidelity.io.atomic import prepare_output

    for written in (output_path, findings_path(output_path), meta_path(output_path)):
        prepare_output(written, [input_path])  # never onto the input, a device or a folder
    base = (paths_from or input_path.parent).resolve()
    if not base.is_dir():
        raise FidelityInputError("is not a folder (--paths-from)", str(paths_from))

    table = read_pairs(input_path, in_format)
    run_settings = settings_for_run(settings)
    signature = run_signature(
        model, mode, split, checks, run_settings, settings_label, cache, allow_network
    )
    with output_lock(output_path):
        return _score_locked(
            table,
            input_path,
            output_path,
            out_format,
            base,
            signature,
            threshold,
            started=started,
            model=model,
            mode=mode,
            split=split,
            progress=progress,
            cache=cache,
            checkpoint_every=checkpoint_every,
            checks=checks,
            settings=run_settings,
            overwrite=overwrite,
            merge=merge,
            allow_network=allow_network,
        )


def _score_locked(
    table: PairsTable,
    input_path: Path,
    output_path: Path,
    out_format: str,
    base: Path,
    signature: Signature,
    threshold: Severity | None,
    *,
    started: float,
    model: str | None,
    mode: str,
    split: str,
    progress: bool,
    cache: bool,
    checkpoint_every: int,
    checks: Sequence[str] | None,
    settings: dict[str, object],
    overwrite: bool,
    merge: bool,
    allow_network: bool,
) -> BatchSummary:
    keys = [str(i) for i in table.ids]
    hashes = [row_input_hash(row) for row in table.rows]
    previous = [] if overwrite else previous_rows(output_path, out_format)
    if previous and not merge:
        refuse_to_resume(output_path, input_path, previous, set(keys), signature)
    wanted = dict(zip(keys, hashes, strict=True))
    old_by_key = {row["_key"]: row for row in previous}
    kept: dict[int, dict[str, Any]] = {}
    for k, key in enumerate(keys):
        old = old_by_key.get(key)
        if old is not None and reusable(old, wanted[key], str(signature)):
            kept[k] = {**result_of(old), "flagged": reaches(old["severity"], threshold)}
    foreign = [row for row in previous if row["_key"] not in wanted]  # kept by a merge
    todo = [k for k in range(len(keys)) if k not in kept]
    results: dict[int, dict[str, Any]] = {}
    text_signature = str(signature)

    write_meta(output_path, input_path, signature)

    def write() -> None:
        write_outputs(output_path, out_format, table.ids, {**kept, **results}, foreign)

    checkpoint = _Checkpointer(write, max(1, checkpoint_every))
    with _progress_bar(progress and bool(todo), len(todo)) as advance:
        try:
            for start in range(0, len(todo), checkpoint.every):
                chunk = todo[start : start + checkpoint.every]
                prepared = {
                    k: prepare(table.rows[k], table.errors.get(k), base, split, model)
                    for k in chunk
                }
                if cache:
                    prewarm(prepared.values(), allow_network, checks, mode)
                for k in chunk:
                    row = check_row(
                        prepared[k],
                        mode,
                        split,
                        model,
                        threshold,
                        cache,
                        checks,
                        settings,
                        allow_network,
                    )
                    results[k] = {**row, "signature": text_signature, "input_hash": hashes[k]}
                    advance()
                checkpoint.tick()
        finally:
            # Also on Ctrl-C: what was checked is kept for the next run.
            write()
    summary = _summarise(output_path, out_format, len(keys), len(kept), len(results), started)
    summary.kept_from_before = len(foreign)
    summary.signature = text_signature
    summary.findings_output = findings_path(output_path)
    return summary


class _Checkpointer:
    """Rewrites OUTPUT every `every` rows, but no more often than ten times the last write
    took, so that writing a large OUTPUT whole never dominates the run."""

    def __init__(self, write: Any, every: int) -> None:
        self.write = write
        self.every = every
        self.last_cost = 0.0
        self.since = time.perf_counter()

    def tick(self) -> None:
        now = time.perf_counter()
        if now - self.since < 10 * self.last_cost:
            return
        self.write()
        self.since = time.perf_counter()
        self.last_cost = self.since - now


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Any]:
    from rich.console import Console

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("checking pairs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("pairs", total=total)
        yield lambda: bar.advance(task)


def _summarise(
    path: Path, fmt: str, rows: int, skipped: int, checked: int, started: float
) -> BatchSummary:
    frame = read_output(path, fmt) if path.exists() else pl.DataFrame()
    errors = flagged = 0
    worst: Counter[str] = Counter()
    counts: Counter[tuple[str, str]] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for row in frame.iter_rows(named=True) if len(frame) else []:
        if row.get("error"):
            errors += 1
            continue
        if str(row.get("flagged")).lower() == "true":
            flagged += 1
        if row.get("severity"):
            worst[str(row["severity"])] += 1
        seen = set()
        for finding in json.loads(row.get("findings") or "[]"):
            key = (finding["severity"], finding["check"])
            counts[key] += 1
            seen.add(key)
        pairs.update(seen)
    by_check: Counter[str] = Counter()
    for (_severity, check), n in counts.items():
        by_check[check] += n
    return BatchSummary(
        output=path,
        rows=rows,
        checked=checked,
        skipped=skipped,
        errors=errors,
        flagged=flagged,
        by_severity={s: worst.get(s, 0) for s in SEVERITIES},
        by_check=dict(sorted(by_check.items())),
        findings={k: (counts[k], pairs[k]) for k in counts},
        seconds=time.perf_counter() - started,
    )
