"""Glossaries: terms and names with the renderings each language requires.

Two formats are read:

* **CSV** (or TSV): a header row of language codes, one term per row, e.g.

      ru,en,fr,note,severity
      Служба внешней разведки,Foreign Intelligence Service,SVR,name,major
      ЦРУ,CIA|Central Intelligence Agency,CIA,,

  A cell may hold alternatives separated by ``|``; an empty cell means "no term in this
  language". The optional columns ``note`` and ``severity`` (``minor``, ``major``,
  ``critical``; empty means minor) describe the row. The delimiter is ``,``, ``;`` or a tab,
  whichever the header uses (a ``.tsv`` file is always tab-separated).

* **TBX**: TBX-Basic / TBX v2 (``martif > text > body > termEntry > langSet > tig|ntig > term``)
  and TBX v3 core (``tbx > text > body > conceptEntry > langSec > termSec > term``), read with
  lxml without network access or entity expansion. An entry's ``note`` and ``descrip``
  elements (outside its terms) become its note; its severity comes from an element with
  ``type="severity"`` or a note reading ``severity: major``. Terms whose
  ``administrativeStatus`` marks them deprecated or superseded are skipped: they are not
  renderings a translator may use.

Language codes are normalised as everywhere else (``en-US`` and ``EN`` are ``en``). Terms are
NFC-normalised with runs of whitespace collapsed. A file that cannot be used raises
`FidelityInputError` with a one-line message naming the file and the reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from fidelity.errors import FidelityInputError
from fidelity.io.bilingual import _local, _parse_xml, _read_bytes, _xml_lang
from fidelity.io.load import decode
from fidelity.lang import normalise_code
from fidelity.limits import MAX_GLOSSARY_BYTES, MAX_GLOSSARY_ENTRIES
from fidelity.model import Severity

_META_COLUMNS = ("note", "severity")
_SEVERITY_IN_NOTE = re.compile(r"\bseverity\s*[:=]\s*(minor|major|critical)\b", re.IGNORECASE)
_ENTRY_ELEMENTS = frozenset({"termEntry", "conceptEntry"})
_LANG_ELEMENTS = frozenset({"langSet", "langSec"})
_TERM_GROUPS = frozenset({"tig", "ntig", "termSec", "termGrp"})
_NOTE_ELEMENTS = frozenset({"note", "descrip"})
_NOT_ALLOWED = ("deprecated", "superseded")
_BAD_SEVERITY = "severity must be minor, major or critical"


@dataclass(frozen=True)
class Entry:
    """One concept: its accepted terms per language (alternatives in preference order)."""

    terms: dict[str, tuple[str, ...]]
    note: str | None = None
    severity: Severity = Severity.MINOR


@dataclass(eq=False)
class Glossary:
    """The entries of one glossary file (compared by identity, so checks may cache on it)."""

    entries: list[Entry] = field(default_factory=list)
    path: str | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.terms))
        return tuple(seen)

    def entries_for(self, original_lang: str, version_lang: str) -> list[Entry]:
        """The entries that have terms in both languages: the ones a check can apply."""
        return [e for e in self.entries if original_lang in e.terms and version_lang in e.terms]


def load_glossary(path: str | Path) -> Glossary:
    """Read a CSV/TSV or TBX glossary; FidelityInputError when it cannot be used."""
    file = Path(path)
    name = str(path)
    data = _read_bytes(file, name, MAX_GLOSSARY_BYTES, "glossary")
    suffix = file.suffix.lower()
    looks_xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if suffix in {".tbx", ".xml"} or (suffix not in {".csv", ".tsv"} and looks_xml):
        entries = _read_tbx(data, name)
    else:
        entries = _read_csv(data, name, "\t" if suffix == ".tsv" else None)
    if not entries:
        raise FidelityInputError("glossary contains no terms", name)
    return Glossary(entries, name)


# ---------------------------------------------------------------------------------------------
# CSV


def _read_csv(data: bytes, name: str, delimiter: str | None) -> list[Entry]:
    text = decode(data, name).text
    header_line = next((line for line in io.StringIO(text) if line.strip()), "")
    if delimiter is None:
        delimiter = max(",;\t", key=header_line.count)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next((row for row in rows if any(cell.strip() for cell in row)), None)
        if header is None:
            raise FidelityInputError("file is empty", name)
        columns = _csv_columns(header, name)
        most = MAX_GLOSSARY_ENTRIES.value()
        entries: list[Entry] = []
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            line = rows.line_num
            if len(row) > len(columns):
                raise FidelityInputError(
                    f"line {line} has {len(row)} cells but the header names {len(columns)} "
                    "columns (a term containing the delimiter must be quoted)",
                    name,
                )
            entry = _csv_entry(dict(zip(columns, row, strict=False)), line, name)
            if entry is not None:
                entries.append(entry)
                _refuse_too_many(entries, most, name)
    except csv.Error as exc:
        raise FidelityInputError(f"malformed CSV at line {rows.line_num}: {exc}", name) from None
    return entries


def _csv_columns(header: list[str], name: str) -> list[str]:
    columns: list[str] = []
    for position, cell in enumerate(header, start=1):
        label = cell.strip().lstrip("\ufeff")
        if label.lower() in _META_COLUMNS:
            column = label.lower()
        else:
            try:
                column = normalise_code(label) if label else ""
            except FidelityInputError:
                column = ""
            if not column:
                # The cell itself is not shown: a file given as a glossary by mistake may be
                # a secret (`glossary = "/etc/shadow"` once printed root's entry).
                raise FidelityInputError(
                    f"the first row must be a header of language codes (e.g. en,ru,fr, "
                    f"optionally note and severity); column {position} is not one",
                    name,
                )
        if column in columns:
            raise FidelityInputError(f"column {position} repeats an earlier column", name)
        columns.append(column)
    if sum(c not in _META_COLUMNS for c in columns) < 2:
        raise FidelityInputError(
            "the header must name at least two languages (e.g. en,ru,fr)", name
        )
    return columns


def _csv_entry(cells: dict[str, str], line: int, name: str) -> Entry | None:
    terms: dict[str, tuple[str, ...]] = {}
    for column, cell in cells.items():
        if column in _META_COLUMNS:
            continue
        alternatives = _alternatives(cell)
        if alternatives:
            terms[column] = alternatives
    if not terms:
        return None
    note = _clean(cells.get("note", "")) or None
    severity = _severity_from_note(note)
    given = cells.get("severity", "").strip()
    if given:
        try:
            severity = Severity.parse(given)
        except ValueError:
            raise FidelityInputError(f"line {line}: {_BAD_SEVERITY}", name) from None
    return Entry(terms, note, severity)


def _alternatives(cell: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in cell.split("|"):
        term = _clean(part)
        if term:
            seen[term] = None
    return tuple(seen)


# ---------------------------------------------------------------------------------------------
# TBX


def _read_tbx(data: bytes, name: str) -> list[Entry]:
    root = _parse_xml(data, name)
    kind = _local(root)
    if kind not in {"martif", "tbx"}:
        raise FidelityInputError(f"not a TBX file (root element is <{kind}>)", name)
    most = MAX_GLOSSARY_ENTRIES.value()
    entries: list[Entry] = []
    for element in root.iter():
        if _local(element) in _ENTRY_ELEMENTS:
            entry = _tbx_entry(element, name)
            if entry is not None:
                entries.append(entry)
                _refuse_too_many(entries, most, name)
    return entries


def _tbx_entry(element: etree._Element, name: str) -> Entry | None:
    terms: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    severity: Severity | None = None
    for node in element.iter():
        local = _local(node)
        if local in _LANG_ELEMENTS:
            code = _xml_lang(node)
            if code is None:
                raise FidelityInputError(
                    f"<{local}> at line {node.sourceline} has no xml:lang attribute", name
                )
            try:
                lang = normalise_code(code)
            except FidelityInputError:
                raise FidelityInputError(
                    f"<{local}> at line {node.sourceline}: xml:lang is not a language code", name
                ) from None
            found = _tbx_terms(node)
            if found:
                terms[lang] = tuple(dict.fromkeys(terms.get(lang, ()) + found))
        elif (node.get("type") or "").strip().lower() == "severity":
            value = _clean("".join(node.itertext()))
            try:
                severity = Severity.parse(value)
            except ValueError:
                raise FidelityInputError(
                    f"line {node.sourceline}: {_BAD_SEVERITY}", name
                ) from None
        elif local in _NOTE_ELEMENTS and not _inside_term_group(node, element):
            text = _clean("".join(node.itertext()))
            if text:
                notes.append(text)
    if not terms:
        return None
    note = "; ".join(notes) or None
    if severity is None:
        severity = _severity_from_note(note)
    return Entry(terms, note, severity)


def _tbx_terms(lang_element: etree._Element) -> tuple[str, ...]:
    found: list[str] = []
    for node in lang_element.iter():
        if _local(node) != "term":
            continue
        group = node.getparent()
        if group is not None and _local(group) in _TERM_GROUPS and _not_allowed(group):
            continue
        term = _clean("".join(node.itertext()))
        if term:
            found.append(term)
    return tuple(dict.fromkeys(found))


def _not_allowed(group: etree._Element) -> bool:
    for node in group.iter():
        if _local(node) == "termNote" and (node.get("type") or "") == "administrativeStatus":
            status = "".join(node.itertext()).lower()
            if any(word in status for word in _NOT_ALLOWED):
                return True
    return False


def _inside_term_group(node: etree._Element, entry: etree._Element) -> bool:
    """Notes on a single term (inside tig/termSec) describe the term, not the entry."""
    parent = node.getparent()
    while parent is not None and parent is not entry:
        if _local(parent) in _TERM_GROUPS:
            return True
        parent = parent.getparent()
    return False


# ---------------------------------------------------------------------------------------------


def _refuse_too_many(entries: list[Entry], most: int | float, name: str) -> None:
    """The limit is read once per file by the caller, not once per entry."""
    if len(entries) > most:
        raise FidelityInputError(
            f"glossary has more than {most:,} entries "
            f"(set {MAX_GLOSSARY_ENTRIES.variable} to raise the limit)",
            name,
        )


def _severity_from_note(note: str | None) -> Severity:
    match = _SEVERITY_IN_NOTE.search(note or "")
    return Severity.parse(match.group(1)) if match else Severity.MINOR


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))
