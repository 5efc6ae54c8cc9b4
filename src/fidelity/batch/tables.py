"""The tables `fidelity batch` reads and writes: pairs in (JSONL, CSV/TSV, Parquet, read so
that one bad line is one error row with its line number), results and findings out (CSV cells
a spreadsheet would run escaped)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from fidelity.errors import FidelityInputError

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
    "signature": pl.String(),
    "input_hash": pl.String(),
}


FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "check": pl.String(),
    "category": pl.String(),
    "severity": pl.String(),
    "message": pl.String(),
    "original_start": pl.Int64(),
    "original_end": pl.Int64(),
    "original_text": pl.String(),
    "version_start": pl.Int64(),
    "version_end": pl.Int64(),
    "version_text": pl.String(),
    "confidence": pl.Float64(),
}


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


_SURROGATE = re.compile("[\ud800-\udfff]")


_INPUT_COLUMNS = ("source", "version", "source_path", "version_path", "source_lang", "version_lang")


def findings_path(output: Path) -> Path:
    """`scores.parquet` -> `scores.findings.parquet`."""
    return output.with_name(f"{output.stem}.findings{output.suffix}")


@dataclass
class PairsTable:
    """The pairs as read: one dict of cells per row, the row ids, and the rows that could
    not be read (a malformed JSONL line, a ragged CSV line), by row index."""

    rows: list[dict[str, Any]]
    ids: list[Any]
    errors: dict[int, str]


def table_format(path: Path) -> str:
    """By extension: the same rule for INPUT and OUTPUT, refused before any work."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FidelityInputError(
            f"unknown table format {path.suffix or '(no extension)'!r}; use .jsonl, .csv or "
            ".parquet",
            str(path),
        )
    return fmt


def read_pairs(path: Path, fmt: str) -> PairsTable:
    name = str(path)
    if not path.is_file():
        raise FidelityInputError("no such file" if not path.exists() else "is not a file", name)
    try:
        if fmt == "jsonl":
            rows, errors = _read_jsonl(path)
        elif fmt in ("csv", "tsv"):
            rows, errors = _read_csv(path, "\t" if fmt == "tsv" else ",")
        else:
            rows, errors = pl.read_parquet(path).to_dicts(), {}
    except pl.exceptions.PolarsError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise FidelityInputError(f"cannot be read as {fmt} ({first})", name) from None
    except OSError as error:
        raise FidelityInputError(f"cannot be read ({error.strerror or error})", name) from None
    if not rows:
        raise FidelityInputError("has no rows", name)
    if len(errors) == len(rows):  # no row could be read: say why, not "no such column"
        raise FidelityInputError(errors[min(errors)], name)
    columns = {key for row in rows for key in row}
    for side in ("source", "version"):
        if side not in columns and f"{side}_path" not in columns:
            raise FidelityInputError(
                f"has no {side!r} or {side + '_path'!r} column (columns: "
                f"{', '.join(sorted(columns)) or 'none'})",
                name,
            )
    return PairsTable(rows, _ids(rows, name), errors)


def _ids(rows: list[dict[str, Any]], name: str) -> list[Any]:
    """The `id` column, with row numbers (from 1) where it is missing; unique, so a later
    run can tell which rows are done."""
    given = [row.get("id") for row in rows]
    ids: list[Any] = [
        k + 1 if value is None or value == "" else value for k, value in enumerate(given)
    ]
    # An id that is a list or an object is still that row's name, written as JSON.
    ids = [json.dumps(i, ensure_ascii=False) if isinstance(i, (dict, list)) else i for i in ids]
    if len({type(i) for i in ids}) > 1:
        ids = [str(i) for i in ids]
    seen: set[str] = set()
    for value in ids:
        key = str(value)
        if key in seen:
            raise FidelityInputError(
                f"id {value!r} appears more than once; ids must be unique to resume", name
            )
        seen.add(key)
    return ids


def _read_jsonl(path: Path) -> tuple[list[dict[str, Any]], dict[int, str]]:
    rows: list[dict[str, Any]] = []
    errors: dict[int, str] = {}
    first_failure: str | None = None
    parsed = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            value: Any = None
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                problem = "not UTF-8 text"
            except json.JSONDecodeError as error:
                problem = f"not valid JSON ({error.msg.removesuffix(' at')}, column {error.colno})"
            else:
                if isinstance(value, dict) and not _has_lone_surrogate(value):
                    rows.append(value)
                    parsed += 1
                    continue
                problem = (
                    "text that is not valid Unicode (a lone surrogate escape)"
                    if isinstance(value, dict)
                    else f"not a JSON object (a {type(value).__name__})"
                )
            message = f"line {number}: {problem}"
            first_failure = first_failure or message
            errors[len(rows)] = message
            # A row that was read keeps its id (when the id itself is sound).
            kept_id = value.get("id") if isinstance(value, dict) else None
            sound = not (isinstance(kept_id, str) and _SURROGATE.search(kept_id))
            rows.append({"id": kept_id} if kept_id is not None and sound else {})
    if rows and parsed == 0 and first_failure is not None:
        raise FidelityInputError(f"is not JSONL: {first_failure}", str(path))
    return rows, errors


def _has_lone_surrogate(row: dict[str, Any]) -> bool:
    """JSON can spell a lone surrogate (`"\\ud800"`); no text encoding can hold one."""
    return any(isinstance(value, str) and _SURROGATE.search(value) for value in row.values())


def _read_csv(path: Path, separator: str) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Read with the csv module (not a dataframe reader) so a ragged line becomes one
    error row with its line number; every cell stays text (an id 007 stays 007)."""
    csv.field_size_limit(1 << 30)
    rows: list[dict[str, Any]] = []
    errors: dict[int, str] = {}
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # Bytes that are not UTF-8 survive decoding as lone surrogates and fail only their row.
    reader = csv.reader(
        io.StringIO(data.decode("utf-8", "surrogateescape"), newline=""), delimiter=separator
    )
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], {}
    except csv.Error as error:
        raise FidelityInputError(f"line 1: cannot be read as CSV ({error})", str(path)) from None
    while True:
        first_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors[len(rows)] = f"line {reader.line_num}: cannot be read ({error})"
            rows.append({})
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problem = f"{len(cells)} fields where the header has {len(header)}"
            if any("\n" in cell for cell in cells):
                # a quote never closed swallows the lines after it into one cell
                last = reader.line_num
                if last == first_line:
                    problem += "; a quote opened here is never closed"
                else:
                    taken = f"lines {first_line + 1}-{last}" if last > first_line + 1 else (
                        f"line {last}"
                    )
                    problem += (
                        f"; a quoted cell that starts here takes in {taken}: is a quote left open?"
                    )
        elif any(_NOT_UTF8.search(cell) for cell in cells):
            problem = "not UTF-8 text"
        else:
            rows.append(dict(zip(header, cells, strict=True)))
            continue
        errors[len(rows)] = f"line {first_line}: {problem}"
        rows.append({})
    return rows, errors


def row_input_hash(row: Mapping[str, Any]) -> str:
    """The row's own cells, so a resumed row whose text changed is checked again."""
    cells = {key: row.get(key) for key in _INPUT_COLUMNS if row.get(key) not in (None, "")}
    data = json.dumps(cells, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _frame(
    ids: list[Any], results: dict[int, dict[str, Any]], foreign: list[dict[str, Any]]
) -> pl.DataFrame:
    order = sorted(results)
    id_values = [ids[k] for k in order] + [row["id"] for row in foreign]
    if foreign and len({type(v) for v in id_values}) > 1:
        id_values = [str(v) for v in id_values]
    rows = [results[k] for k in order] + [result_of(row) for row in foreign]
    columns: dict[str, Any] = {"id": pl.Series("id", id_values)}
    for name, dtype in RESULT_SCHEMA.items():
        columns[name] = pl.Series(name, [row.get(name) for row in rows], dtype=dtype)
    return pl.DataFrame(columns)


def findings_table(pairs: pl.DataFrame) -> pl.DataFrame:
    """One row per finding of the pairs table: what QA tools and spreadsheets filter on."""
    out: dict[str, list[Any]] = {name: [] for name in FINDINGS_SCHEMA}
    for pair_id, cell in zip(pairs["id"].to_list(), pairs["findings"].to_list(), strict=True):
        for finding in json.loads(cell) if cell else []:
            original = finding.get("original_span") or {}
            version = finding.get("version_span") or {}
            values = {
                "id": str(pair_id),
                "check": finding.get("check"),
                "category": finding.get("category"),
                "severity": finding.get("severity"),
                "message": finding.get("message"),
                "original_start": original.get("start"),
                "original_end": original.get("end"),
                "original_text": original.get("text"),
                "version_start": version.get("start"),
                "version_end": version.get("end"),
                "version_text": version.get("text"),
                "confidence": finding.get("confidence"),
            }
            for name in FINDINGS_SCHEMA:
                out[name].append(values[name])
    return pl.DataFrame(
        {name: pl.Series(name, out[name], dtype=dtype) for name, dtype in FINDINGS_SCHEMA.items()}
    )


def write_outputs(
    path: Path,
    fmt: str,
    ids: list[Any],
    results: dict[int, dict[str, Any]],
    foreign: list[dict[str, Any]],
) -> None:
    """The pairs table, then the findings table made from it (both atomically)."""
    from fidelity.io.atomic import write_bytes_atomic

    pairs = _frame(ids, results, foreign)
    for target, frame in ((path, pairs), (findings_path(path), findings_table(pairs))):
        data = _encode(frame, fmt)
        write_or_fail(target, lambda t=target, d=data: write_bytes_atomic(t, d))


def write_or_fail(target: Path, write: Any) -> None:
    """A full disk or a read-only folder is the user's to fix: one line naming the file."""
    try:
        write()
    except OSError as error:
        raise FidelityInputError(f"cannot write ({error.strerror or error})", str(target)) from None


def _encode(frame: pl.DataFrame, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "jsonl":
        frame.write_ndjson(buffer)
    elif fmt in ("csv", "tsv"):
        _escape_formulas(frame).write_csv(buffer, separator="\t" if fmt == "tsv" else ",")
    else:
        frame.write_parquet(buffer)
    return buffer.getvalue()


def _escape_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading `'` (and so does a
    cell that already starts with one, so reading back undoes exactly this)."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    pattern = "^[=+\\-@\t\r']"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def read_output(path: Path, fmt: str) -> pl.DataFrame:
    """An earlier OUTPUT as written, with the CSV formula escapes undone so ids match again."""
    if fmt == "jsonl":
        return pl.read_ndjson(path, infer_schema_length=None)
    if fmt in ("csv", "tsv"):
        frame = pl.read_csv(path, separator="\t" if fmt == "tsv" else ",", infer_schema=False)
        escaped = "^'[=+\\-@\t\r']"
        return frame.with_columns(
            pl.when(pl.col(name).str.contains(escaped))
            .then(pl.col(name).str.slice(1))
            .otherwise(pl.col(name))
            .alias(name)
            for name in frame.columns
        )
    return pl.read_parquet(path)


def result_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The result columns of a row, whatever else it holds (its id, helper columns)."""
    return {name: row.get(name) for name in RESULT_SCHEMA}
