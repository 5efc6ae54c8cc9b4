"""One pair of a batch: read both sides (paths confined to the base folder), check them, and
turn any failure into that row's `error`; the signature every row is scored under."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity.errors import FidelityInputError
from fidelity.model import Document, Finding, Severity, Signature, Span


def parse_threshold(fail_on: str | None) -> Severity | None:
    """`never` (or None) flags nothing; a misspelt severity is the user's to fix (exit 2)."""
    if fail_on in (None, "never"):
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError as error:
        raise FidelityInputError(str(error)) from None


@dataclass
class _Prepared:
    original: Document | None = None
    version: Document | None = None
    model: str | None = None
    error: str | None = None
    empty_version: bool = False


def settings_for_run(settings: Mapping[str, object] | None) -> dict[str, object]:
    """The settings as `api.check` takes them, with the glossary read once for the run."""
    from fidelity.checks.terminology import glossary_setting

    values = dict(settings or {})
    if values.get("glossary") is not None:
        values["glossary"] = glossary_setting(values["glossary"])
    return values


def run_signature(
    model: str | None,
    mode: str,
    split: str,
    checks: Sequence[str] | None,
    settings: Mapping[str, object],
    settings_label: str,
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
        settings_file=settings_label,
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


def prepare(
    row: dict[str, Any], unreadable: str | None, base: Path, split: str, model: str | None
) -> _Prepared:
    """Read and segment both sides, and pick the encoder, once per row."""
    from fidelity.api import load_document
    from fidelity.embed.registry import choose_model

    if unreadable is not None:
        return _Prepared(error=unreadable)
    try:
        original = load_document(
            _nonempty(_side(row, "source", base), "source"),
            _lang(row, "source_lang"),
            split,
            "source",
        )
        version_side = _side(row, "version", base)
        if _is_empty(version_side):
            return _Prepared(original=original, empty_version=True)
        version = load_document(version_side, _lang(row, "version_lang"), split, "version")
        name = choose_model({"source": original.lang, "version": version.lang}, model)
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


def prewarm(
    prepared: Any, allow_network: bool, checks: Sequence[str] | None, mode: str
) -> None:
    """Encode every sentence of the chunk in one call per encoder, and run the learned model
    (when asked for) over the chunk's sentence pairs in one call: the caches then answer the
    per-row calls, and large batches run much faster than many small ones."""
    from fidelity.embed.registry import get_encoder

    items = [item for item in prepared if item.error is None and item.model is not None]
    texts: dict[str, dict[str, None]] = {}
    for item in items:
        bucket = texts.setdefault(item.model, {})
        for doc in (item.original, item.version):
            bucket.update(dict.fromkeys(s.text for s in doc.segments))
    for name, bucket in texts.items():
        try:
            get_encoder(name, cache=True, allow_network=allow_network).encode(list(bucket))
        except Exception:  # the per-row check reports what went wrong
            continue
    if checks and "learned" in checks and mode != "rereport":
        _prime_learned(items)


def _prime_learned(items: list[Any]) -> None:
    """Rows whose two sides have as many sentences are most often aligned one to one: those
    pairs are predicted together (a row aligned otherwise asks for other pairs, which the
    model then predicts itself, so a wrong guess costs only its own work)."""
    from fidelity.qe import load_model, model_available

    pairs = [
        (o.text, v.text)
        for item in items
        if len(item.original.segments) == len(item.version.segments)
        for o, v in zip(item.original.segments, item.version.segments, strict=True)
    ]
    if pairs and model_available():
        load_model().prime(pairs)


def check_row(
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
