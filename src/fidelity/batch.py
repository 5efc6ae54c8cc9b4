"""Score a table of (source, version) pairs: `fidelity batch INPUT -o OUTPUT`.

INPUT is JSONL, CSV or Parquet (chosen by extension), one pair a row, with columns `source`
and `version` (inline text) or `source_path` and `version_path` (files; a relative path is
read from the folder of INPUT), and optionally `id`, `source_lang` and `version_lang`.
OUTPUT (JSONL, CSV or Parquet, by extension) has one row per input row, in input order:
`id` (the row number, from 1, when INPUT has none), `score`, `flagged`, `severity`,
`findings` (a JSON list of finding objects) and `error`.

A bad row gets its message in `error` and never stops the run. OUTPUT is rewritten
atomically every few hundred rows, and a later run with the same OUTPUT skips the rows that
already have a result (rows that failed are tried again), so an interrupted run loses little.
"""

from __future__ import annotations

import inspect
import io
import json
import math
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from fidelity.errors import FidelityInputError
from fidelity.model import Document, Severity

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "score": pl.Float64(),
    "flagged": pl.Boolean(),
    "severity": pl.String(),
    "findings": pl.String(),
    "error": pl.String(),
}
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

    @property
    def pairs_per_second(self) -> float:
        return self.checked / self.seconds if self.seconds > 0 else 0.0

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
        return (
            f"{self.rows} pairs: {self.checked} checked, {self.skipped} already done, "
            f"{self.errors} errors, {self.flagged} flagged (worst finding: {worst})"
        )


def score_pairs(
    input_path: Path,
    output_path: Path,
    *,
    fail_on: str | None = "major",
    model: str | None = None,
    mode: str = "translation",
    split: str = "sentences",
    progress: bool = True,
    cache: bool = True,
    checkpoint_every: int = CHECKPOINT_EVERY,
) -> BatchSummary:
    """Check every pair of INPUT and write one result row per pair to OUTPUT."""
    from fidelity.align import MODES
    from fidelity.api import SPLITS

    started = time.perf_counter()
    input_path, output_path = Path(input_path), Path(output_path)
    in_format = _format(input_path)
    out_format = _format(output_path)
    if mode not in MODES:
        raise FidelityInputError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    if split not in SPLITS:
        raise FidelityInputError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    threshold = _threshold(fail_on)
    if output_path.resolve() == input_path.resolve():
        raise FidelityInputError("is also the input; give another output file", str(output_path))

    table = _read_input(input_path, in_format)
    if model is not None:
        from fidelity.embed.registry import get_encoder

        get_encoder(model, cache=cache)  # a model that cannot load is no row's fault: stop here
    ids = table["id"]
    done = _previous_results(output_path, out_format, ids, threshold)
    todo = [k for k, key in enumerate(_keys(ids)) if key not in done]
    results: dict[int, dict[str, Any]] = {}
    position = {key: k for k, key in enumerate(_keys(ids))}
    kept = {position[key]: row for key, row in done.items()}

    def write() -> None:
        _write_output(output_path, out_format, ids, {**kept, **results})

    checkpoint = _Checkpointer(write, max(1, checkpoint_every))
    rows = table.to_dicts()
    base = input_path.parent
    with _progress_bar(progress and bool(todo), len(todo)) as advance:
        try:
            for start in range(0, len(todo), checkpoint.every):
                chunk = todo[start : start + checkpoint.every]
                prepared = {k: _prepare(rows[k], base, split, model) for k in chunk}
                if cache:
                    _prewarm(prepared.values(), model)
                for k in chunk:
                    results[k] = _check_row(prepared[k], mode, split, model, threshold, cache)
                    advance()
                checkpoint.tick()
        finally:
            # Also on Ctrl-C: what was checked is kept for the next run.
            write()
    return _summarise(output_path, out_format, ids, len(kept), len(results), started)


# ----------------------------------------------------------------------------- input


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FidelityInputError(
            f"unknown table format {path.suffix or '(no extension)'!r}; use .jsonl, .csv or "
            ".parquet",
            str(path),
        )
    return fmt


def _threshold(fail_on: str | None) -> Severity | None:
    if fail_on in (None, "never"):
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError as error:
        raise FidelityInputError(str(error)) from None


def _read_table(path: Path, fmt: str, keep_empty: bool = False) -> pl.DataFrame:
    """`keep_empty`: an empty CSV field is an empty text (input), not a missing value."""
    if fmt == "jsonl":
        return pl.read_ndjson(path, infer_schema_length=None)
    if fmt in ("csv", "tsv"):
        options: dict[str, bool] = {}
        if keep_empty:  # the option was renamed in polars 2
            parameters = inspect.signature(pl.read_csv).parameters
            if "empty_string_is_null" in parameters:
                options["empty_string_is_null"] = False
            else:
                options["missing_utf8_is_empty_string"] = True
        # Everything as text: an id such as 007 must stay 007.
        return pl.read_csv(
            path, separator="\t" if fmt == "tsv" else ",", infer_schema=False, **options
        )
    return pl.read_parquet(path)


def _read_input(path: Path, fmt: str) -> pl.DataFrame:
    if not path.is_file():
        raise FidelityInputError(
            "no such file" if not path.exists() else "is not a file", str(path)
        )
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip() and path.stat().st_size <= len(head):
        raise FidelityInputError("has no rows", str(path))
    try:
        table = _read_table(path, fmt, keep_empty=True)
    except pl.exceptions.PolarsError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise FidelityInputError(f"cannot be read as {fmt} ({first})", str(path)) from None
    for side in ("source", "version"):
        if side not in table.columns and f"{side}_path" not in table.columns:
            raise FidelityInputError(
                f"has no {side!r} or {side + '_path'!r} column (columns: "
                f"{', '.join(table.columns) or 'none'})",
                str(path),
            )
    if table.height == 0:
        raise FidelityInputError("has no rows", str(path))
    row_number = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    if "id" not in table.columns or table.schema["id"] == pl.Null:
        table = table.with_columns(row_number.alias("id"))
    else:
        dtype = table.schema["id"]
        table = table.with_columns(pl.col("id").fill_null(row_number.cast(dtype)))
        duplicated = table.filter(pl.col("id").cast(pl.String).is_duplicated())["id"]
        if len(duplicated):
            raise FidelityInputError(
                f"id {duplicated[0]!r} appears more than once; ids must be unique to resume",
                str(path),
            )
    return table


def _keys(ids: pl.Series) -> list[str]:
    return ids.cast(pl.String).to_list()


def _previous_results(
    path: Path, fmt: str, ids: pl.Series, threshold: Severity | None
) -> dict[str, dict[str, Any]]:
    """Rows of an earlier run's OUTPUT that need no new check, by id (as text)."""
    if not path.exists():
        return {}
    try:
        old = _read_table(path, fmt)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise FidelityInputError(
            f"exists but cannot be read to resume ({type(error).__name__}); delete it or give "
            "another output file",
            str(path),
        ) from None
    missing = [c for c in ("id", *RESULT_SCHEMA) if c not in old.columns]
    if missing:
        raise FidelityInputError(
            f"exists and is not a fidelity batch output (no {missing[0]!r} column); delete it "
            "or give another output file",
            str(path),
        )
    old = old.with_columns(
        pl.col("id").cast(pl.String).alias("_key"),
        pl.col("error").cast(pl.String).replace("", None),
        pl.col("severity").cast(pl.String).replace("", None),
        pl.col("findings").cast(pl.String),
        pl.col("score").cast(pl.Float64),
    )
    wanted = set(_keys(ids))
    kept: dict[str, dict[str, Any]] = {}
    for row in old.filter(pl.col("error").is_null()).iter_rows(named=True):
        key = row["_key"]
        if key not in wanted or row["findings"] is None:
            continue
        severity = row["severity"]
        kept[key] = {
            "score": row["score"],
            # Recomputed, so that a rerun with another --fail-on is still right.
            "flagged": _reaches(severity, threshold),
            "severity": severity,
            "findings": row["findings"],
            "error": None,
        }
    return kept


def _reaches(severity: str | None, threshold: Severity | None) -> bool:
    if severity is None or threshold is None:
        return False
    return Severity.parse(severity) >= threshold


# ----------------------------------------------------------------------------- checking


@dataclass
class _Prepared:
    original: Document | None = None
    version: Document | None = None
    model: str | None = None
    error: str | None = None


def _side(row: dict[str, Any], side: str, base: Path) -> str | Path:
    text = row.get(side)
    path = row.get(f"{side}_path")
    if text is not None and not isinstance(text, str):
        text = str(text)
    if text is not None and text.strip():
        return text
    if path is not None and str(path).strip():
        file = Path(str(path).strip()).expanduser()
        return file if file.is_absolute() else base / file
    if text is not None:
        raise FidelityInputError("text is empty", side)
    raise FidelityInputError(f"no text and no {side}_path given", side)


def _lang(row: dict[str, Any], column: str) -> str | None:
    value = row.get(column)
    return str(value).strip() if value is not None and str(value).strip() else None


def _prepare(row: dict[str, Any], base: Path, split: str, model: str | None) -> _Prepared:
    """Read and segment both sides, and pick the encoder, once per row."""
    from fidelity.api import load_document
    from fidelity.embed.registry import choose_model

    try:
        original = load_document(
            _side(row, "source", base), _lang(row, "source_lang"), split, "source"
        )
        version = load_document(
            _side(row, "version", base), _lang(row, "version_lang"), split, "version"
        )
        # Distinct keys even when a path equals "source", so both languages are considered.
        name = choose_model({"\0source": original.lang, "\0version": version.lang}, model)
        return _Prepared(original, version, name)
    except Exception as error:  # a bad row is reported in its own row, never stops the run
        return _Prepared(error=_message(error))


def _prewarm(prepared: Any, model: str | None) -> None:
    """Encode every sentence of the chunk in one call per encoder: the cache then answers
    the per-row encodes, and large batches run much faster than many small ones."""
    from fidelity.embed.registry import get_encoder

    texts: dict[str, dict[str, None]] = {}
    for item in prepared:
        if item.error is None and item.model is not None:
            bucket = texts.setdefault(item.model, {})
            for doc in (item.original, item.version):
                bucket.update(dict.fromkeys(s.text for s in doc.segments))
    for name, bucket in texts.items():
        try:
            get_encoder(name, cache=True).encode(list(bucket))
        except Exception:  # the per-row check reports what went wrong
            continue


def _check_row(
    item: _Prepared,
    mode: str,
    split: str,
    model: str | None,
    threshold: Severity | None,
    cache: bool,
) -> dict[str, Any]:
    from fidelity.api import check

    if item.error is not None:
        return _error_row(item.error)
    try:
        report = check(
            item.original,
            [item.version],
            mode=mode,
            model=model,
            fail_on=None,
            split=split,
            cache=cache,
        )
    except Exception as error:  # one row's failure is that row's result
        return _error_row(_message(error))
    version = report.versions[0]
    worst = version.worst
    score = float(version.score)
    return {
        "score": score if math.isfinite(score) else None,
        "flagged": worst is not None and threshold is not None and worst >= threshold,
        "severity": worst.label if worst is not None else None,
        "findings": json.dumps([f.to_dict() for f in version.findings], ensure_ascii=False),
        "error": None,
    }


def _error_row(message: str) -> dict[str, Any]:
    return {"score": None, "flagged": None, "severity": None, "findings": None, "error": message}


def _message(error: BaseException) -> str:
    if isinstance(error, FidelityInputError):
        return str(error)
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# ----------------------------------------------------------------------------- output


def _frame(ids: pl.Series, results: dict[int, dict[str, Any]]) -> pl.DataFrame:
    order = sorted(results)
    columns: dict[str, Any] = {"id": ids.gather(order) if order else ids.head(0)}
    for name, dtype in RESULT_SCHEMA.items():
        columns[name] = pl.Series(name, [results[k][name] for k in order], dtype=dtype)
    return pl.DataFrame(columns)


def _write_output(path: Path, fmt: str, ids: pl.Series, results: dict[int, dict[str, Any]]) -> None:
    from fidelity.io.atomic import write_bytes_atomic

    frame = _frame(ids, results)
    buffer = io.BytesIO()
    if fmt == "jsonl":
        frame.write_ndjson(buffer)
    elif fmt in ("csv", "tsv"):
        frame.write_csv(buffer, separator="\t" if fmt == "tsv" else ",")
    else:
        frame.write_parquet(buffer)
    try:
        write_bytes_atomic(path, buffer.getvalue())
    except OSError as error:
        raise FidelityInputError(f"cannot write ({error.strerror})", str(path)) from None


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
    path: Path, fmt: str, ids: pl.Series, skipped: int, checked: int, started: float
) -> BatchSummary:
    frame = _read_table(path, fmt) if path.exists() else pl.DataFrame()
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
        rows=len(ids),
        checked=checked,
        skipped=skipped,
        errors=errors,
        flagged=flagged,
        by_severity={s: worst.get(s, 0) for s in SEVERITIES},
        by_check=dict(sorted(by_check.items())),
        findings={k: (counts[k], pairs[k]) for k in counts},
        seconds=time.perf_counter() - started,
    )
