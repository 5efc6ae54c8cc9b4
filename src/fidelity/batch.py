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

import csv
import hashlib
import io
import json
import math
import os
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from fidelity.errors import FidelityInputError
from fidelity.model import Document, Finding, Severity, Signature, Span

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
SEVERITIES = tuple(s.label for s in sorted(Severity, reverse=True))
# Rows between checkpoints; a checkpoint rewrites OUTPUT whole, so it is also spaced out in
# time to keep writing under about a tenth of the run (see `_Checkpointer`).
CHECKPOINT_EVERY = 200
META_VERSION = 1
_INPUT_COLUMNS = ("source", "version", "source_path", "version_path", "source_lang",
                  "version_lang")


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
        kept = f", {self.kept_from_before} kept from before" if self.kept_from_before else ""
        return (
            f"{self.rows} pairs: {self.checked} checked, {self.skipped} already done{kept}, "
            f"{self.errors} errors, {self.flagged} flagged (worst finding: {worst})"
        )


def findings_path(output: Path) -> Path:
    """`scores.parquet` -> `scores.findings.parquet`."""
    return output.with_name(f"{output.stem}.findings{output.suffix}")


def meta_path(output: Path) -> Path:
    return output.with_name(output.name + ".meta.json")


def lock_path(output: Path) -> Path:
    return output.with_name(output.name + ".lock")


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
    in_format = _format(input_path)
    out_format = _format(output_path)
    if mode not in MODES:
        raise FidelityInputError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    if split not in SPLITS:
        raise FidelityInputError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    if overwrite and merge:
        raise FidelityInputError("give --overwrite or --merge, not both")
    threshold = _threshold(fail_on)
    from fidelity.io.atomic import prepare_output

    for written in (output_path, findings_path(output_path), meta_path(output_path)):
        prepare_output(written, [input_path])  # never onto the input, a device or a folder
    base = (paths_from or input_path.parent).resolve()
    if not base.is_dir():
        raise FidelityInputError("is not a folder (--paths-from)", str(paths_from))

    table = _read_input(input_path, in_format)
    run_settings = _run_settings(settings)
    signature = _run_signature(
        model, mode, split, checks, run_settings, cache, allow_network
    )
    with _lock(output_path):
        return _score_locked(
            table, input_path, output_path, out_format, base, signature, threshold,
            started=started, model=model, mode=mode, split=split, progress=progress,
            cache=cache, checkpoint_every=checkpoint_every, checks=checks,
            settings=run_settings, overwrite=overwrite, merge=merge,
            allow_network=allow_network,
        )


def _score_locked(
    table: _Input,
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
    hashes = [_input_hash(row) for row in table.rows]
    previous = [] if overwrite else _previous_rows(output_path, out_format)
    if previous and not merge:
        _refuse_to_resume(output_path, input_path, previous, set(keys), signature)
    wanted = dict(zip(keys, hashes, strict=True))
    old_by_key = {row["_key"]: row for row in previous}
    kept: dict[int, dict[str, Any]] = {}
    for k, key in enumerate(keys):
        old = old_by_key.get(key)
        if old is not None and _reusable(old, wanted[key], str(signature)):
            kept[k] = {**_result_of(old), "flagged": _reaches(old["severity"], threshold)}
    foreign = [row for row in previous if row["_key"] not in wanted]  # kept by a merge
    todo = [k for k in range(len(keys)) if k not in kept]
    results: dict[int, dict[str, Any]] = {}
    text_signature = str(signature)

    _write_meta(output_path, input_path, signature)

    def write() -> None:
        _write_outputs(output_path, out_format, table.ids, {**kept, **results}, foreign)

    checkpoint = _Checkpointer(write, max(1, checkpoint_every))
    with _progress_bar(progress and bool(todo), len(todo)) as advance:
        try:
            for start in range(0, len(todo), checkpoint.every):
                chunk = todo[start : start + checkpoint.every]
                prepared = {
                    k: _prepare(table.rows[k], table.errors.get(k), base, split, model)
                    for k in chunk
                }
                if cache:
                    _prewarm(prepared.values(), allow_network)
                for k in chunk:
                    row = _check_row(
                        prepared[k], mode, split, model, threshold, cache, checks, settings,
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


# ----------------------------------------------------------------------------- input


@dataclass
class _Input:
    """The pairs as read: one dict of cells per row, the row ids, and the rows that could
    not be read (a malformed JSONL line, a ragged CSV line), by row index."""

    rows: list[dict[str, Any]]
    ids: list[Any]
    errors: dict[int, str]


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


def _read_input(path: Path, fmt: str) -> _Input:
    name = str(path)
    if not path.is_file():
        raise FidelityInputError(
            "no such file" if not path.exists() else "is not a file", name
        )
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
    columns = {key for row in rows for key in row}
    for side in ("source", "version"):
        if side not in columns and f"{side}_path" not in columns:
            raise FidelityInputError(
                f"has no {side!r} or {side + '_path'!r} column (columns: "
                f"{', '.join(sorted(columns)) or 'none'})",
                name,
            )
    return _Input(rows, _ids(rows, name), errors)


def _ids(rows: list[dict[str, Any]], name: str) -> list[Any]:
    """The `id` column, with row numbers (from 1) where it is missing; unique, so a later
    run can tell which rows are done."""
    given = [row.get("id") for row in rows]
    ids: list[Any] = [k + 1 if value is None or value == "" else value
                      for k, value in enumerate(given)]
    if any(isinstance(i, (dict, list)) for i in ids):
        raise FidelityInputError("has an id that is not a single value", name)
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
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                problem = "not UTF-8 text"
            except json.JSONDecodeError as error:
                problem = f"not valid JSON ({error.msg.removesuffix(' at')}, column {error.colno})"
            else:
                if isinstance(value, dict):
                    rows.append(value)
                    parsed += 1
                    continue
                problem = f"not a JSON object (a {type(value).__name__})"
            message = f"line {number}: {problem}"
            first_failure = first_failure or message
            errors[len(rows)] = message
            rows.append({})
    if rows and parsed == 0 and first_failure is not None:
        raise FidelityInputError(f"is not JSONL: {first_failure}", str(path))
    return rows, errors


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
        elif any(_NOT_UTF8.search(cell) for cell in cells):
            problem = "not UTF-8 text"
        else:
            rows.append(dict(zip(header, cells, strict=True)))
            continue
        errors[len(rows)] = f"line {reader.line_num}: {problem}"
        rows.append({})
    return rows, errors


def _input_hash(row: Mapping[str, Any]) -> str:
    """The row's own cells, so a resumed row whose text changed is checked again."""
    cells = {key: row.get(key) for key in _INPUT_COLUMNS if row.get(key) not in (None, "")}
    data = json.dumps(cells, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


# ----------------------------------------------------------------------------- resuming


def _previous_rows(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The rows of an earlier run's OUTPUT (ids as text in `_key`); none if there is none."""
    if not path.exists():
        return []
    try:
        old = _read_output(path, fmt)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise FidelityInputError(
            f"exists but cannot be read to resume ({type(error).__name__}); give another "
            "output file, or --overwrite to replace it",
            str(path),
        ) from None
    missing = [c for c in ("id", "score", "flagged", "severity", "findings", "error")
               if c not in old.columns]
    if missing:
        raise FidelityInputError(
            f"exists and is not a fidelity batch output (no {missing[0]!r} column); give "
            "another output file, or --overwrite to replace it",
            str(path),
        )
    for column in ("signature", "input_hash"):
        if column not in old.columns:
            old = old.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    old = old.with_columns(
        pl.col("id").cast(pl.String).alias("_key"),
        *(pl.col(c).cast(pl.String).replace("", None)
          for c in ("error", "severity", "findings", "signature", "input_hash")),
        pl.col("score").cast(pl.Float64),
        pl.when(pl.col("flagged").is_null())
        .then(None)
        .otherwise(pl.col("flagged").cast(pl.String).str.to_lowercase() == "true")
        .alias("flagged"),
    )
    return old.to_dicts()


def _refuse_to_resume(
    output: Path,
    input_path: Path,
    previous: list[dict[str, Any]],
    keys: set[str],
    signature: Signature,
) -> None:
    """An existing OUTPUT is resumed only when this run would keep every row of it and judge
    like the run that wrote it; otherwise the user decides (--merge or --overwrite)."""
    choice = "--merge keeps its rows beside this run's, --overwrite replaces it"
    meta = _read_meta(output)
    recorded = (meta or {}).get("input", {}).get("path")
    if recorded is not None and recorded != str(input_path.resolve()):
        raise FidelityInputError(
            f"was written from another input ({recorded}); {choice}", str(output)
        )
    absent = [row["_key"] for row in previous if row["_key"] not in keys]
    if absent:
        raise FidelityInputError(
            f"holds {len(absent)} result(s) for ids this input does not have (e.g. "
            f"{absent[0]!r}): resuming would drop them; {choice}",
            str(output),
        )
    written_under = {row["signature"] for row in previous if row.get("findings") is not None}
    if meta is not None and meta.get("signature"):
        written_under.add(meta["signature"])
    if None in written_under:
        raise FidelityInputError(
            f"has results with no signature (an older fidelity wrote it); {choice}",
            str(output),
        )
    others = sorted(s for s in written_under if s != str(signature))
    if others:
        raise FidelityInputError(
            f"was scored under another signature ({_difference(others[0], signature)}); "
            f"{choice}",
            str(output),
        )


def _difference(old: str, new: Signature) -> str:
    before = Signature.parse(old).to_dict()
    after = new.to_dict()
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return "differs in " + ", ".join(f"{k}: {before.get(k)} -> {after.get(k)}" for k in keys[:3])


def _reusable(old: Mapping[str, Any], input_hash: str, signature: str) -> bool:
    return (
        old.get("error") is None
        and old.get("findings") is not None
        and old.get("signature") == signature
        and old.get("input_hash") == input_hash
    )


def _result_of(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in RESULT_SCHEMA}


def _reaches(severity: str | None, threshold: Severity | None) -> bool:
    if severity is None or threshold is None:
        return False
    return Severity.parse(severity) >= threshold


def _read_meta(output: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(meta_path(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_meta(output: Path, input_path: Path, signature: Signature) -> None:
    """How OUTPUT was made, beside it (JSONL and CSV have no place for it inside)."""
    from fidelity.io.atomic import prepare_output, write_text_atomic

    target = prepare_output(meta_path(output), [input_path])
    assert target is not None
    meta = {
        "fidelity_batch": META_VERSION,
        "input": {"path": str(input_path.resolve()), "sha256": _file_hash(input_path)},
        "signature": str(signature),
        "signature_fields": signature.to_dict(),
        "findings": findings_path(output).name,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _write_or_fail(target, lambda: write_text_atomic(target, json.dumps(meta, indent=2) + "\n"))


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _lock(output: Path) -> Iterator[None]:
    """One run at a time on one OUTPUT: two would each rewrite it without the other's rows."""
    try:
        import fcntl
    except ImportError:  # not on this platform: no lock rather than no batch
        yield
        return
    path = lock_path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115  (held for the whole run)
    except OSError as error:
        raise FidelityInputError(
            f"cannot create the lock file ({error.strerror or error})", str(path)
        ) from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise FidelityInputError(
                f"another fidelity batch is writing to it (lock {path.name} is held); wait "
                "for it to finish or give another output file",
                str(output),
            ) from None
        yield
    finally:
        handle.close()


# ----------------------------------------------------------------------------- checking


@dataclass
class _Prepared:
    original: Document | None = None
    version: Document | None = None
    model: str | None = None
    error: str | None = None
    empty_version: bool = False


def _run_settings(settings: Mapping[str, object] | None) -> dict[str, object]:
    """The settings as `api.check` takes them, with the glossary read once for the run."""
    from fidelity.checks.terminology import glossary_setting

    values = dict(settings or {})
    if values.get("glossary") is not None:
        values["glossary"] = glossary_setting(values["glossary"])
    return values


def _run_signature(
    model: str | None,
    mode: str,
    split: str,
    checks: Sequence[str] | None,
    settings: Mapping[str, object],
    cache: bool,
    allow_network: bool,
) -> Signature:
    """What every row of this run is scored under: the encoders it may use (the named one,
    or the two bundled ones picked per language) and everything else a report's signature
    holds. A model that cannot load is no row's fault: it stops the run here."""
    from fidelity.api import build_signature
    from fidelity.calibration import load_calibration
    from fidelity.checks import DEFAULT_CHECKS
    from fidelity.embed.registry import BROAD_MODEL, DEFAULT_MODEL, get_encoder

    names = [model] if model is not None else [DEFAULT_MODEL, BROAD_MODEL]
    encoders = [get_encoder(n, cache=cache, allow_network=allow_network) for n in names]
    chosen = list(DEFAULT_CHECKS if checks is None else checks)
    if checks is None and settings.get("glossary") is not None:
        chosen.append("terminology")
    return build_signature(
        models=[e.name for e in encoders],
        calibrations=[load_calibration(e) for e in encoders],
        mode=mode,
        split=split,
        checks=chosen,
        settings=settings,
        paired=False,
    )


def _side(row: dict[str, Any], side: str, base: Path) -> str | Path:
    text = row.get(side)
    path = row.get(f"{side}_path")
    if text is not None and not isinstance(text, str):
        text = str(text)
    if text is not None and text.strip():
        return text
    if path is not None and str(path).strip():
        return _confined(str(path).strip(), base, side)
    if text is not None:
        return text  # empty: the caller decides what an empty side means
    raise FidelityInputError(f"no text and no {side}_path given", side)


def _confined(given: str, base: Path, side: str) -> Path:
    """A `*_path` cell is read only from inside the base folder: a table from elsewhere must
    not be able to make fidelity read (and report on) any file on the machine."""
    file = Path(given).expanduser()
    resolved = (file if file.is_absolute() else base / file).resolve()
    if not resolved.is_relative_to(base):
        raise FidelityInputError(
            f"{side}_path is outside the folder pairs are read from ({base}); "
            "pass --paths-from to read from another folder",
            given,
        )
    return resolved


def _lang(row: dict[str, Any], column: str) -> str | None:
    value = row.get(column)
    return str(value).strip() if value is not None and str(value).strip() else None


def _prepare(
    row: dict[str, Any], unreadable: str | None, base: Path, split: str, model: str | None
) -> _Prepared:
    """Read and segment both sides, and pick the encoder, once per row."""
    from fidelity.api import load_document
    from fidelity.embed.registry import choose_model

    if unreadable is not None:
        return _Prepared(error=unreadable)
    try:
        original = load_document(
            _nonempty(_side(row, "source", base), "source"), _lang(row, "source_lang"), split,
            "source",
        )
        version_side = _side(row, "version", base)
        if _is_empty(version_side):
            return _Prepared(original=original, empty_version=True)
        version = load_document(version_side, _lang(row, "version_lang"), split, "version")
        # Distinct keys even when a path equals "source", so both languages are considered.
        name = choose_model({"\0source": original.lang, "\0version": version.lang}, model)
        return _Prepared(original, version, name)
    except Exception as error:  # a bad row is reported in its own row, never stops the run
        return _Prepared(error=_message(error))


def _nonempty(side: str | Path, name: str) -> str | Path:
    if isinstance(side, str) and not side.strip():
        raise FidelityInputError("text is empty", name)
    return side


def _is_empty(side: str | Path) -> bool:
    """An empty version is a complete omission, whether inline or an empty file."""
    if isinstance(side, str):
        return not side.strip()
    try:
        if not side.is_file():  # devices and pipes are the loader's to refuse
            return False
        with open(side, "rb") as handle:
            return not handle.read(4096).strip() and not handle.read(1)
    except OSError:
        return False  # the loader reports it


def _prewarm(prepared: Any, allow_network: bool) -> None:
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
            get_encoder(name, cache=True, allow_network=allow_network).encode(list(bucket))
        except Exception:  # the per-row check reports what went wrong
            continue


def _check_row(
    item: _Prepared,
    mode: str,
    split: str,
    model: str | None,
    threshold: Severity | None,
    cache: bool,
    checks: Sequence[str] | None,
    settings: Mapping[str, object],
    allow_network: bool,
) -> dict[str, Any]:
    from fidelity.api import check

    if item.error is not None:
        return _error_row(item.error)
    if item.empty_version:
        assert item.original is not None
        return _result([_complete_omission(item.original)], 0.0, threshold)
    try:
        report = check(
            item.original,
            [item.version],
            mode=mode,
            model=model,
            checks=checks,
            fail_on=None,
            split=split,
            cache=cache,
            settings=dict(settings),
            allow_network=allow_network,
        )
    except Exception as error:  # one row's failure is that row's result
        return _error_row(_message(error))
    version = report.versions[0]
    return _result(list(version.findings), float(version.score), threshold)


def _complete_omission(original: Document) -> Finding:
    text = original.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Finding(
        check="omission",
        category="omission",
        severity=Severity.CRITICAL,
        message="the version is empty: the whole original is left out",
        original_span=Span(start, end, text[start:end]),
        version_span=None,
        evidence={"empty_version": True},
    )


def _result(findings: list[Finding], score: float, threshold: Severity | None) -> dict[str, Any]:
    worst = max((f.severity for f in findings), default=None)
    return {
        "score": score if math.isfinite(score) else None,
        "flagged": worst is not None and threshold is not None and worst >= threshold,
        "severity": worst.label if worst is not None else None,
        "findings": json.dumps([f.to_dict() for f in findings], ensure_ascii=False),
        "error": None,
    }


def _error_row(message: str) -> dict[str, Any]:
    return {"score": None, "flagged": None, "severity": None, "findings": None, "error": message}


def _message(error: BaseException) -> str:
    if isinstance(error, FidelityInputError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        name = f"{os.fsdecode(error.filename)}: " if error.filename is not None else ""
        return f"{name}{error.strerror}"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# ----------------------------------------------------------------------------- output


def _frame(
    ids: list[Any], results: dict[int, dict[str, Any]], foreign: list[dict[str, Any]]
) -> pl.DataFrame:
    order = sorted(results)
    id_values = [ids[k] for k in order] + [row["id"] for row in foreign]
    if foreign and len({type(v) for v in id_values}) > 1:
        id_values = [str(v) for v in id_values]
    rows = [results[k] for k in order] + [_result_of(row) for row in foreign]
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


def _write_outputs(
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
        _write_or_fail(target, lambda t=target, d=data: write_bytes_atomic(t, d))


def _write_or_fail(target: Path, write: Any) -> None:
    try:
        write()
    except OSError as error:
        raise FidelityInputError(
            f"cannot write ({error.strerror or error})", str(target)
        ) from None


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


def _read_output(path: Path, fmt: str) -> pl.DataFrame:
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
    frame = _read_output(path, fmt) if path.exists() else pl.DataFrame()
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
