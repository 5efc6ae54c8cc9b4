"""Word (.docx) documents as plain text: one paragraph a block, separated by blank lines.

Read straight from the package with zipfile and lxml rather than python-docx, because
python-docx's `Paragraph.text` leaves out tracked insertions (`<w:ins>`) and content controls,
which is where an edited statement's latest wording often sits. Tracked deletions are left
out (they are not in the document any more); tables give one paragraph per cell paragraph;
text boxes are read once (their VML fallback copy is skipped). Headers, footers, footnotes
and comments are not part of the story and are not read.
"""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from fidelity.errors import FidelityInputError
from fidelity.io.load import read_bounded, read_file_bytes
from fidelity.limits import MAX_XML_BYTES

DOCX_SUFFIXES = frozenset({".docx", ".docm"})

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"

_P = f"{{{W}}}p"
# Elements whose text is not part of the document as it now reads.
_SKIP = frozenset(
    {
        f"{{{W}}}del",
        f"{{{W}}}moveFrom",
        f"{{{W}}}delText",
        f"{{{W}}}instrText",
        f"{{{W}}}rPr",
        f"{{{W}}}pPr",
        f"{{{MC}}}Fallback",
    }
)
_CHARACTERS = {
    f"{{{W}}}tab": "\t",
    f"{{{W}}}br": "\n",
    f"{{{W}}}cr": "\n",
    f"{{{W}}}noBreakHyphen": "-",
}


def read_docx(path: str | Path) -> str:
    """The text of a .docx file; FidelityInputError if it is not a readable Word document."""
    name = str(path)
    data = read_file_bytes(Path(path), name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = _main_part(archive, name)
    except zipfile.BadZipFile:
        raise FidelityInputError("not a valid .docx file (not a ZIP archive)", name) from None
    except (OSError, RuntimeError, NotImplementedError, EOFError, zlib.error) as exc:
        reason = " ".join(str(exc).split())
        raise FidelityInputError(f"not a readable .docx file ({reason})", name) from None
    return docx_text(xml, name)


def docx_text(document_xml: bytes, name: str = "<docx>") -> str:
    """Paragraph texts of a WordprocessingML main part, separated by blank lines."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(document_xml, parser)
    except etree.XMLSyntaxError as exc:
        reason = " ".join((exc.msg or str(exc)).split())
        line = f" at line {exc.lineno}" if exc.lineno else ""
        raise FidelityInputError(
            f"not a readable .docx file (document XML malformed{line}: {reason})", name
        ) from None
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise FidelityInputError("not a Word document (no <w:body>)", name)
    paragraphs: list[str] = []
    _walk_block(body, paragraphs)
    text = "\n\n".join(p for p in paragraphs if p.strip())
    text = unicodedata.normalize("NFC", text)
    if not any(ch.isalpha() for ch in text):
        raise FidelityInputError("the Word document contains no text", name)
    return text


def _main_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """The main document part, found through the package relationships. Every part is read
    inflated only up to FIDELITY_MAX_XML_BYTES: a few hundred kilobytes of zip can inflate
    to gigabytes (of text, or of whitespace in `_rels/.rels`)."""
    target = "word/document.xml"
    try:
        rels = etree.fromstring(
            _read_part(archive, "_rels/.rels", name),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
        for rel in rels.iter(f"{{{_REL}}}Relationship"):
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                break
    except (KeyError, etree.XMLSyntaxError):
        pass  # a package without relationships: try the usual part name
    try:
        return _read_part(archive, target, name)
    except KeyError:
        raise FidelityInputError(
            f"not a Word document (the package has no {target})", name
        ) from None


def _read_part(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    with archive.open(part) as member:
        return read_bounded(member, name, MAX_XML_BYTES, f"the Word document's part {part}")


def _walk_block(element: etree._Element, out: list[str]) -> None:
    """Emit the paragraphs under `element` in reading order (tables, content controls...)."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIP:
            continue
        if child.tag == _P:
            nested: list[etree._Element] = []
            out.append(_paragraph_text(child, nested))
            for box in nested:  # text boxes anchored in this paragraph, after it
                _walk_block(box, out)
        else:
            _walk_block(child, out)


def _paragraph_text(paragraph: etree._Element, nested: list[etree._Element]) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{{{W}}}t":
                parts.append(child.text or "")
            elif tag in _CHARACTERS:
                parts.append(_CHARACTERS[tag])
            elif tag == f"{{{W}}}txbxContent":
                nested.append(child)
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts).replace("\t", " ").strip()
