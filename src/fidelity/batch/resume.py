"""What makes a batch OUTPUT safe to resume: the rows already there, the record of the input
and signature beside it (`OUTPUT.meta.json`), the refusal to drop or mix results, and the
lock that keeps a second run off the same OUTPUT."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from fidelity.batch.tables import (
    findings_path,
    read_output,
    write_or_fail,
)
from fidelity.errors import FidelityInputError
from fidelity.model import Severity, Signature

META_VERSION = 1


def meta_path(output: Path) -> Path:
    """Beside OUTPUT, because JSONL and CSV have no place inside for how they were made."""
    return output.with_name(output.name + ".meta.json")


def lock_path(output: Path) -> Path:
    """A separate file: OUTPUT itself is replaced at every checkpoint, a lock on it would go."""
    return output.with_name(output.name + ".lock")


def previous_rows(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The rows of an earlier run's OUTPUT (ids as text in `_key`); none if there is none."""
    if not path.exists():
        return []
    try:
        old = read_output(path, fmt)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise FidelityInputError(
            f"exists but cannot be read to resume ({type(error).__name__}); give another "
            "output file, or --overwrite to replace it",
            str(path),
        ) from None
    missing = [
        c
        for c in ("id", "score", "flagged", "severity", "findings", "error")
        if c not in old.columns
    ]
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
        *(
            pl.col(c).cast(pl.String).replace("", None)
            for c in ("error", "severity", "findings", "signature", "input_hash")
        ),
        pl.col("score").cast(pl.Float64),
        pl.when(pl.col("flagged").is_null())
        .then(None)
        .otherwise(pl.col("flagged").cast(pl.String).str.to_lowercase() == "true")
        .alias("flagged"),
    )
    return old.to_dicts()


def refuse_to_resume(
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
            f"was scored under another signature ({_difference(others[0], signature)}); {choice}",
            str(output),
        )


def _difference(old: str, new: Signature) -> str:
    before = Signature.parse(old).to_dict()
    after = new.to_dict()
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return "differs in " + ", ".join(f"{k}: {before.get(k)} -> {after.get(k)}" for k in keys[:3])


def reusable(old: Mapping[str, Any], input_hash: str, signature: str) -> bool:
    """An earlier row stands only if it succeeded on the same cells under the same signature."""
    return (
        old.get("error") is None
        and old.get("findings") is not None
        and old.get("signature") == signature
        and old.get("input_hash") == input_hash
    )


def reaches(severity: str | None, threshold: Severity | None) -> bool:
    """`flagged` of a kept row, recomputed so that a rerun with another --fail-on is right."""
    if severity is None or threshold is None:
        return False
    return Severity.parse(severity) >= threshold


def _read_meta(output: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(meta_path(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_meta(output: Path, input_path: Path, signature: Signature) -> None:
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
    write_or_fail(target, lambda: write_text_atomic(target, json.dumps(meta, indent=2) + "\n"))


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
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
