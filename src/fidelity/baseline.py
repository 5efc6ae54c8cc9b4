"""Accepted findings: a baseline file, as linters keep one, so a false alarm stays quiet.

An editor who has read a finding and judged it harmless (a name spelt the house way, a
sentence cut on purpose) records it once; every later check of the same story, edited or
not, moves it out of the findings, the score and the verdict, and says only how many were
suppressed.

A finding is recognised by a fingerprint of what it is about, never by where it is: the check,
the category and the words on both sides, lower-cased with punctuation and spacing
normalised. So a fingerprint survives edits elsewhere in the story (every offset after them
moves) and re-typed quotes or spaces, and stops matching once the words themselves change,
which is when the finding should be read again.

The file is JSON Lines, one accepted finding a line, so that a line copied from the HTML
report's "dismiss" control can be pasted anywhere in it:

    {"fingerprint": "5f0c1d2e3a4b6c7d", "check": "modality", "category": "mistranslation",
     "note": "hedge “could” became certainty “will”", "original": "could", "version": "will"}

Only `fingerprint` is read back; the rest is there for the person reading the file. Blank
lines and lines starting with `#` are skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fidelity.errors import FidelityInputError
from fidelity.model import Finding, Report

BASELINE_NAME = ".fidelity-baseline.jsonl"
NOTE_CHARS = 300  # the texts kept as a note in each entry (the fingerprint covers them whole)


def normalise_words(text: str) -> str:
    """Lower case, compatibility forms (full-width, ligatures), punctuation dropped and
    whitespace collapsed: the words a reader would say are the same."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch).startswith(("P", "Z", "C")) else ch
                   for ch in folded)
    return " ".join(kept.split())


def fingerprint(finding: Finding) -> str:
    """A stable id of what the finding is about (see the module docstring)."""
    original = normalise_words(finding.original_span.text) if finding.original_span else ""
    version = normalise_words(finding.version_span.text) if finding.version_span else ""
    key = "\x1f".join((finding.check, finding.category, original, version))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def baseline_entry(finding: Finding) -> dict[str, str]:
    """The baseline record of a finding: its fingerprint and a note for people."""
    entry = {
        "fingerprint": fingerprint(finding),
        "check": finding.check,
        "category": finding.category,
        "note": finding.message,
    }
    for side, span in (("original", finding.original_span), ("version", finding.version_span)):
        if span is not None:
            text = " ".join(span.text.split())
            entry[side] = text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1] + "…"
    return entry


def baseline_line(finding: Finding) -> str:
    """One line of the baseline file for this finding, ready to paste."""
    return json.dumps(baseline_entry(finding), ensure_ascii=False)


@dataclass(frozen=True)
class Baseline:
    """The accepted findings' fingerprints, with the file they came from (if any)."""

    fingerprints: frozenset[str] = frozenset()
    path: Path | None = None

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """The findings still to report, and those the baseline accepted."""
        kept: list[Finding] = []
        suppressed: list[Finding] = []
        for finding in findings:
            (suppressed if fingerprint(finding) in self.fingerprints else kept).append(finding)
        return kept, suppressed

    @property
    def digest(self) -> str:
        """A short hash of the accepted set, for the report's signature (`none` if empty)."""
        if not self.fingerprints:
            return "none"
        joined = "\n".join(sorted(self.fingerprints)).encode("ascii")
        return hashlib.blake2b(joined, digest_size=5).hexdigest()


def default_baseline_path(settings_file: Path | None) -> Path:
    """Beside the settings file when there is one (the desk's policy lives there), else in
    the current folder."""
    folder = settings_file.parent if settings_file is not None else Path.cwd()
    return folder / BASELINE_NAME


def load_baseline(path: str | os.PathLike[str], missing_ok: bool = True) -> Baseline:
    """Read a baseline file; a missing one is empty unless `missing_ok` is False."""
    file = Path(path)
    entries = _read_entries(file, missing_ok)
    return Baseline(frozenset(entry["fingerprint"] for entry in entries), file)


def update_baseline(path: str | os.PathLike[str], report: Report) -> tuple[int, int]:
    """Accept every finding of `report` (suppressed ones included): merge them into the file,
    keeping its entries and their order, and write it atomically. Returns (added, total)."""
    from fidelity.io.atomic import write_text_atomic

    file = Path(path)
    entries = _read_entries(file, missing_ok=True)
    known = {entry["fingerprint"] for entry in entries}
    added = 0
    for version in report.versions:
        for finding in (*version.findings, *version.suppressed):
            entry = baseline_entry(finding)
            if entry["fingerprint"] not in known:
                known.add(entry["fingerprint"])
                entries.append(entry)
                added += 1
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    try:
        write_text_atomic(file, text)
    except OSError as error:
        raise FidelityInputError(f"cannot write ({error.strerror or error})", str(file)) from None
    return added, len(entries)


def _read_entries(file: Path, missing_ok: bool) -> list[dict[str, str]]:
    from fidelity.io.load import read_file_bytes

    if missing_ok and not file.exists():
        return []
    data = read_file_bytes(file, str(file))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FidelityInputError("a baseline file must be UTF-8 text", str(file)) from None
    return [
        _entry(line, number, file)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _entry(line: str, number: int, file: Path) -> dict[str, str]:
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as error:
        raise FidelityInputError(
            f"line {number} is not a baseline entry (JSON: {error.msg}: column "
            f"{error.colno}); each line is one "
            "finding as the HTML report's dismiss control or --update-baseline writes it",
            str(file),
        ) from None
    if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
        raise FidelityInputError(
            f"line {number} has no \"fingerprint\"; each line is one finding as the HTML "
            "report's dismiss control or --update-baseline writes it",
            str(file),
        )
    return {str(key): str(value) for key, value in entry.items()}

