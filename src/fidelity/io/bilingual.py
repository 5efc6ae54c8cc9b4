"""Bilingual files whose segments a translator has already paired: XLIFF 1.2/2.0, TMX, PO.

XLIFF and TMX are small XML formats read here with lxml (no network, no external entities);
PO files are read with polib. translate-toolkit reads all of them too, but it is GPL and this
project is Apache-2.0.

Every reader returns the same plain `BilingualFile`: the language codes as the file states
them (or None where it states none) and one `Unit` per segment, in file order. A unit whose
translation is missing (no target element, an empty target, an untranslated PO entry) keeps
`target=None`: a missing translation is a finding about that segment, never a reason to
reject the file. Inline markup is reduced to its text: formatting wrappers (`<g>`, `<pc>`,
`<mrk>`, `<hi>`) keep their content, native codes (`<ph>`, `<bpt>`, `<ept>`, `<it>`, `<ut>`)
are dropped, and runs of whitespace are collapsed to one space.
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from fidelity.errors import FidelityInputError
from fidelity.io.load import read_file_bytes
from fidelity.lang import normalise_code
from fidelity.limits import MAX_BYTES, MAX_SEGMENT_CHARS, Limit
from fidelity.model import Alignment, Document, Segment
from fidelity.segment import check_document_length, check_segment_count

BILINGUAL_SUFFIXES = frozenset({".xlf", ".xliff", ".tmx", ".po"})
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Inline elements whose content is native code (tags of the source format), not text.
_CODE_ELEMENTS = frozenset({"ph", "bpt", "ept", "it", "ut", "sub"})


@dataclass(frozen=True)
class Unit:
    """One paired segment. `id` is the file's own identifier (or its position, from 1)."""

    id: str
    source: str
    target: str | None


@dataclass(frozen=True)
class BilingualFile:
    path: str
    format: str  # "xliff-1.2", "xliff-2.0", "tmx", "po"
    source_lang: str | None
    target_lang: str | None
    units: list[Unit] = field(default_factory=list)
    skipped: int = 0  # units with no source text (nothing to check) or marked translate="no"

    @property
    def missing(self) -> list[Unit]:
        return [u for u in self.units if u.target is None]


def is_bilingual(path: str | Path) -> bool:
    """Whether the file's extension names a bilingual format (`.xlf`, `.xliff`, `.tmx`, `.po`)."""
    return Path(path).suffix.lower() in BILINGUAL_SUFFIXES


def read_bilingual(path: str | Path) -> BilingualFile:
    """Read an XLIFF, TMX or PO file into paired units; FidelityInputError when unreadable."""
    file = Path(path)
    name = str(path)
    data = _read_bytes(file, name)
    if file.suffix.lower() == ".po":
        return _read_po(data, name)
    root = _parse_xml(data, name)
    kind = etree.QName(root).localname
    if kind == "xliff":
        return _read_xliff(root, name)
    if kind == "tmx":
        return _read_tmx(root, name)
    raise FidelityInputError(f"not an XLIFF or TMX file (root element is <{kind}>)", name)


# ---------------------------------------------------------------------------------------------
# XML


def _read_bytes(file: Path, name: str, limit: Limit = MAX_BYTES, what: str = "input") -> bytes:
    data = read_file_bytes(file, name, limit, what)
    if not data.strip():
        raise FidelityInputError("file is empty", name)
    return data


def _parse_xml(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else getattr(exc, "position", (None,))[0]
        reason = _one_line(exc.msg or str(exc))
        where = f" at line {line}" if line else ""
        raise FidelityInputError(f"malformed XML{where}: {reason}", name) from None
    if root is None:
        raise FidelityInputError("malformed XML: no root element", name)
    return root


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments, entities, processing instructions
        return ""
    return etree.QName(tag).localname


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _inline_text(element: etree._Element) -> str:
    """Text of a segment element, keeping wrapped content and dropping native codes."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            local = _local(child)
            if local == "cp":  # XLIFF 2.0: a character XML cannot hold, as hex
                with contextlib.suppress(ValueError, OverflowError):
                    parts.append(chr(int(child.get("hex", ""), 16)))
            elif local and local not in _CODE_ELEMENTS:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _clean("".join(parts))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _target_or_none(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = _inline_text(element)
    return text or None


def _xml_lang(element: etree._Element) -> str | None:
    value = element.get(f"{{{XML_NS}}}lang") or element.get("lang")
    return value.strip() if value and value.strip() else None


def _read_xliff(root: etree._Element, name: str) -> BilingualFile:
    version = (root.get("version") or "").strip()
    namespace = etree.QName(root).namespace or ""
    if version.startswith("2") or namespace.endswith(":2.0"):
        return _read_xliff2(root, name)
    return _read_xliff1(root, name)


def _read_xliff1(root: etree._Element, name: str) -> BilingualFile:
    files = _children(root, "file")
    if not files:
        raise FidelityInputError("XLIFF file has no <file> element", name)
    source_lang = files[0].get("source-language")
    target_lang = files[0].get("target-language")
    units: list[Unit] = []
    skipped = 0
    position = 0
    for index, file_element in enumerate(files):
        prefix = _file_prefix(file_element.get("original"), index, len(files))
        body = _child(file_element, "body")
        if body is None:
            continue
        for unit in body.iter():
            if _local(unit) != "trans-unit":
                continue
            position += 1
            source = _child(unit, "source")
            text = _inline_text(source) if source is not None else ""
            if unit.get("translate", "yes").lower() == "no" or not text:
                skipped += 1
                continue
            unit_id = unit.get("id") or str(position)
            units.append(Unit(prefix + unit_id, text, _target_or_none(_child(unit, "target"))))
    return _finish(name, "xliff-1.2", source_lang, target_lang, units, skipped)


def _read_xliff2(root: etree._Element, name: str) -> BilingualFile:
    files = _children(root, "file")
    if not files:
        raise FidelityInputError("XLIFF file has no <file> element", name)
    source_lang = root.get("srcLang")
    target_lang = root.get("trgLang")
    units: list[Unit] = []
    skipped = 0
    position = 0
    for index, file_element in enumerate(files):
        prefix = _file_prefix(file_element.get("id"), index, len(files))
        for unit in file_element.iter():
            if _local(unit) != "unit":
                continue
            position += 1
            if unit.get("translate", "yes").lower() == "no":
                skipped += 1
                continue
            unit_id = unit.get("id") or str(position)
            segments = _children(unit, "segment")
            for number, segment in enumerate(segments, start=1):
                source = _child(segment, "source")
                text = _inline_text(source) if source is not None else ""
                if not text:
                    skipped += 1
                    continue
                segment_id = unit_id
                if len(segments) > 1:
                    segment_id = f"{unit_id}/{segment.get('id') or number}"
                units.append(
                    Unit(prefix + segment_id, text, _target_or_none(_child(segment, "target")))
                )
    return _finish(name, "xliff-2.0", source_lang, target_lang, units, skipped)


def _file_prefix(label: str | None, index: int, count: int) -> str:
    if count <= 1:
        return ""
    return f"{label or index + 1}#"


def _read_tmx(root: etree._Element, name: str) -> BilingualFile:
    header = _child(root, "header")
    body = _child(root, "body")
    if body is None:
        raise FidelityInputError("TMX file has no <body> element", name)
    tus = [tu for tu in body if _local(tu) == "tu"]
    declared = header.get("srclang") if header is not None else None
    source_lang = declared if declared and declared.strip() != "*all*" else None
    if source_lang is None:  # "*all*": take the language of the first variant
        for tu in tus:
            langs = [_xml_lang(tuv) for tuv in _children(tu, "tuv")]
            if langs and langs[0]:
                source_lang = langs[0]
                break
    target_lang = None
    for tu in tus:
        for tuv in _children(tu, "tuv"):
            lang = _xml_lang(tuv)
            if lang and not _same_lang(lang, source_lang):
                target_lang = lang
                break
        if target_lang:
            break
    units: list[Unit] = []
    skipped = 0
    for position, tu in enumerate(tus, start=1):
        source: str | None = None
        target: str | None = None
        for tuv in _children(tu, "tuv"):
            lang = _xml_lang(tuv)
            seg = _child(tuv, "seg")
            text = _inline_text(seg) if seg is not None else ""
            if source is None and _same_lang(lang, source_lang):
                source = text
            elif target is None and target_lang and _same_lang(lang, target_lang):
                target = text or None
        if not source:
            skipped += 1
            continue
        units.append(Unit(tu.get("tuid") or str(position), source, target))
    return _finish(name, "tmx", source_lang, target_lang, units, skipped)


def _same_lang(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = a.lower().replace("_", "-"), b.lower().replace("_", "-")
    return a == b or a.split("-")[0] == b.split("-")[0]


# ---------------------------------------------------------------------------------------------
# PO


def _read_po(data: bytes, name: str) -> BilingualFile:
    """Parsed from the bytes already read (within the size limit), never by reopening the
    path: a pipe cannot be read twice, and the file may have grown meanwhile."""
    import polib

    from fidelity.io.load import decode

    text = decode(data, name).text
    if "\n" not in text:
        text += "\n"  # polib takes a one-line string for a path
    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise FidelityInputError(f"malformed PO file: {_one_line(str(exc))}", name) from None
    target_lang = (catalog.metadata.get("Language") or "").strip() or None
    source_lang = (catalog.metadata.get("X-Source-Language") or "").strip() or None
    units: list[Unit] = []
    skipped = 0
    for entry in catalog:
        if entry.obsolete or not entry.msgid.strip():
            skipped += 1
            continue
        base = f"{entry.msgctxt}|" if entry.msgctxt else ""
        base += str(entry.linenum)
        if entry.msgid_plural:
            forms = entry.msgstr_plural or {}
            pairs = [(entry.msgid, forms.get(0, "")), (entry.msgid_plural, forms.get(1, ""))]
            for k, (source, target) in enumerate(pairs):
                units.append(Unit(f"{base}[{k}]", _clean(source), _clean(target) or None))
        else:
            units.append(Unit(base, _clean(entry.msgid), _clean(entry.msgstr) or None))
    return _finish(name, "po", source_lang, target_lang, units, skipped)


def _finish(
    name: str,
    kind: str,
    source_lang: str | None,
    target_lang: str | None,
    units: list[Unit],
    skipped: int,
) -> BilingualFile:
    if not units:
        raise FidelityInputError("contains no translation units with source text", name)
    _refuse_oversized(units, name)
    return BilingualFile(
        path=name,
        format=kind,
        source_lang=(source_lang or "").strip() or None,
        target_lang=(target_lang or "").strip() or None,
        units=units,
        skipped=skipped,
    )


def _refuse_oversized(units: list[Unit], name: str) -> None:
    """A unit is one segment, already paired, so it cannot be cut like a long sentence:
    a unit past the segment length limit (or a file past the segment count) is refused."""
    check_segment_count(len(units), name)
    check_document_length(sum(len(u.source) for u in units), f"{name} (source)")
    check_document_length(sum(len(u.target or "") for u in units), f"{name} (target)")
    most = int(MAX_SEGMENT_CHARS.value())
    for unit in units:
        if max(len(unit.source), len(unit.target or "")) > most:
            raise FidelityInputError(
                f"unit {unit.id[:40]} is longer than {most:,} characters "
                f"(set {MAX_SEGMENT_CHARS.variable} to raise the limit)",
                name,
            )


# ---------------------------------------------------------------------------------------------
# Into the pipeline


@dataclass(frozen=True)
class BilingualDocuments:
    """A bilingual file as the two documents the pipeline compares, already aligned 1-1.

    Each unit is one segment (kind "unit"), units separated by a blank line, so offsets of
    findings point into these texts as for any other document. A unit without a target has
    no version segment: its alignment is `(i,) -> ()`, which the omission check reports.
    """

    original: Document
    version: Document
    alignments: tuple[Alignment, ...]

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """The unit id of each original segment (each segment carries its own)."""
        return tuple(s.unit_id or "" for s in self.original.segments)


def bilingual_documents(
    bilingual: BilingualFile,
    lang_original: str | None = None,
    lang_version: str | None = None,
) -> BilingualDocuments:
    """Build the original and version `Document`s of a bilingual file and their alignment.

    Languages: the argument, else the file's own code (normalised), else detection.
    """
    from fidelity.lang import detect_language

    o_text, o_spans = _join([u.source for u in bilingual.units])
    present = [u for u in bilingual.units if u.target is not None]
    v_text, v_spans = _join([u.target or "" for u in present])
    o_segments = tuple(
        Segment(i, o_text[s:e], s, e, "unit", unit.id)
        for i, ((s, e), unit) in enumerate(zip(o_spans, bilingual.units, strict=True))
    )
    v_segments = tuple(
        Segment(i, v_text[s:e], s, e, "unit", unit.id)
        for i, ((s, e), unit) in enumerate(zip(v_spans, present, strict=True))
    )
    alignments: list[Alignment] = []
    v_index = 0
    for o_index, unit in enumerate(bilingual.units):
        if unit.target is None:
            alignments.append(Alignment((o_index,), (), None))
        else:
            alignments.append(Alignment((o_index,), (v_index,), None))
            v_index += 1

    def language(given: str | None, declared: str | None, text: str, label: str) -> tuple:
        if given:
            return normalise_code(given), False
        if declared:
            try:
                return normalise_code(declared), False
            except FidelityInputError:
                pass
        return detect_language(text, label), True

    o_name = f"{bilingual.path} (source)"
    v_name = f"{bilingual.path} (target)"
    o_lang, o_detected = language(lang_original, bilingual.source_lang, o_text, o_name)
    if not v_text.strip():
        raise FidelityInputError("no unit has a translation", bilingual.path)
    v_lang, v_detected = language(lang_version, bilingual.target_lang, v_text, v_name)
    return BilingualDocuments(
        original=Document(o_text, o_lang, o_segments, o_name, o_detected),
        version=Document(v_text, v_lang, v_segments, v_name, v_detected),
        alignments=tuple(alignments),
    )


def _join(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for text in texts:
        spans.append((offset, offset + len(text)))
        offset += len(text) + 2
    return "\n\n".join(texts), spans
