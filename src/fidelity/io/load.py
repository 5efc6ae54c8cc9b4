"""Turn bytes from disk or stdin into text, refusing what is not a document.

Wire copy arrives in legacy encodings (Windows-1251 from Russian desks, Windows-1256 from
Arabic ones) and sometimes as the wrong file altogether; failing clearly here keeps every
later stage free of guesswork.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from fidelity.errors import FidelityInputError
from fidelity.limits import MAX_BYTES, Limit, too_large

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class LoadedText:
    text: str
    encoding: str
    source_path: str


def load_path(path: str | Path) -> LoadedText:
    """Read a file (or `-` for stdin) as text, detecting its encoding."""
    name = str(path)
    if name == "-":
        return decode(read_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>")
    file = Path(path)
    loaded = decode(read_file_bytes(file, name), name)
    if file.suffix.lower() in _MARKDOWN_SUFFIXES:
        loaded = LoadedText(blank_markdown(loaded.text), loaded.encoding, name)
    return loaded


def read_file_bytes(
    file: Path, name: str, limit: Limit = MAX_BYTES, what: str = "input"
) -> bytes:
    """The bytes of a file, refused with a clear reason if it is missing, a folder, over
    the size limit or unreadable; every reader of user files goes through here.

    The limit counts the bytes actually read, not the size the file system reports: that is
    0 for /dev/zero, a pipe fed by `yes` or a process substitution, which would otherwise
    fill the memory."""
    try:
        with open(file, "rb") as handle:
            return read_bounded(handle, name, limit, what)
    except FileNotFoundError:
        raise FidelityInputError("no such file", name) from None
    except IsADirectoryError:
        raise FidelityInputError("is a folder, not a file", name) from None
    except OSError as exc:
        raise FidelityInputError(f"cannot be read ({exc.strerror or exc})", name) from None


def read_bounded(
    stream: BinaryIO, name: str, limit: Limit = MAX_BYTES, what: str = "input"
) -> bytes:
    """Everything `stream` holds, read in chunks, refused once more than `limit` bytes came."""
    most = limit.value()
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, most + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > most:
            chunks.clear()
            raise FidelityInputError(too_large(limit, what), name)


def load_text(text: str, name: str = "<text>") -> LoadedText:
    """Validate text handed over by a program, with the same rules as a file."""
    _require_content(text, name)
    return LoadedText(text, "utf-8", name)


def decode(data: bytes, name: str) -> LoadedText:
    if len(data) > MAX_BYTES.value():
        raise FidelityInputError(too_large(MAX_BYTES), name)
    if not data.strip():
        raise FidelityInputError("file is empty", name)
    encoding = _detect_encoding(data, name)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise FidelityInputError(f"cannot be decoded as {encoding}", name) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    _require_content(text, name)
    return LoadedText(text, encoding, name)


def _detect_encoding(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data[:8192]:
        raise FidelityInputError("looks like a binary file (contains NUL bytes), not text", name)
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        raise FidelityInputError("cannot be decoded: not UTF-8 and no legacy encoding fits", name)
    return best.encoding


def _require_content(text: str, name: str) -> None:
    if not text.strip():
        raise FidelityInputError("file is empty", name)
    letters = sum(ch.isalpha() for ch in text[:20_000])
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text[:20_000])
    if controls > max(8, len(text[:20_000]) // 50):
        raise FidelityInputError("looks like a binary file, not text", name)
    if letters == 0:
        raise FidelityInputError("contains no words", name)


_MD_MARKUP = re.compile(
    r"(?m)^(?:\s{0,3}#{1,6}\s+|\s{0,3}>\s?|\s*[-*+]\s+|\s*\d+[.)]\s+)|\*\*|__|`+|!?\[|\]\([^)]*\)"
)


def blank_markdown(text: str) -> str:
    """Blank out Markdown markup with spaces so that offsets still point into the file."""
    return _MD_MARKUP.sub(lambda m: " " * len(m.group(0)), text)
