"""The bounds on work and memory, each set by an environment variable.

fidelity reads whatever a user points it at: a wrong file, a device, a pipe that never ends,
a page that drips one byte at a time, a zip that inflates a thousandfold. Every reader stops
at one of these limits with a one-line error naming the variable that raises it, so no input
can make a run take minutes or gigabytes. They are read when used (not at import), so a
program or a test can change them with the environment alone. README.md "Limits" lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from fidelity.errors import FidelityInputError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One bound: its environment variable, its default, and the unit it counts."""

    variable: str
    default: int | float
    unit: str

    def value(self) -> int | float:
        raw = os.environ.get(self.variable, "").strip()
        if not raw:
            return self.default
        try:
            number = float(raw) if isinstance(self.default, float) else int(raw)
        except ValueError:
            number = 0
        if not number > 0:
            raise FidelityInputError(
                f"{self.variable} must be a positive number of {self.unit}, not {raw[:20]!r}"
            )
        return number

    def describe(self, value: int | float) -> str:
        if self.unit == "bytes" and value >= MIB:
            return f"{value / MIB:g} MiB"
        return f"{value:,} {self.unit}"


# Bytes actually read from one input (file, pipe, device, stdin, URL, inflated zip member).
MAX_BYTES = Limit("FIDELITY_MAX_BYTES", 64 * MIB, "bytes")
# Bytes of one inflated XML part of a Word document: the lxml tree takes ~10x its size.
MAX_XML_BYTES = Limit("FIDELITY_MAX_XML_BYTES", 16 * MIB, "bytes")
# Characters of an HTML page given to the article extractor, whose time grows faster than
# the page (a 4 MB page took 16 s on a busy machine); news pages are well under this.
MAX_HTML_CHARS = Limit("FIDELITY_MAX_HTML_CHARS", 5_000_000, "characters")
# Glossaries: bytes of the file and the number of entries.
MAX_GLOSSARY_BYTES = Limit("FIDELITY_MAX_GLOSSARY_BYTES", 16 * MIB, "bytes")
MAX_GLOSSARY_ENTRIES = Limit("FIDELITY_MAX_GLOSSARY_ENTRIES", 100_000, "entries")
# Characters of one document's text: the time of a check grows with it (embedding a
# million characters takes tens of seconds), so a book-length dump is refused up front.
MAX_CHARS = Limit("FIDELITY_MAX_CHARS", 500_000, "characters")
# Segments (sentences, lines or units) of one document, and characters of one segment;
# a longer run of text without a sentence end is cut at a clause or word boundary.
MAX_SEGMENTS = Limit("FIDELITY_MAX_SEGMENTS", 20_000, "segments")
MAX_SEGMENT_CHARS = Limit("FIDELITY_MAX_SEGMENT_CHARS", 2_000, "characters")
# Versions of one original in one request to `fidelity serve` (each is a full check).
MAX_VERSIONS = Limit("FIDELITY_MAX_VERSIONS", 20, "versions")
# Seconds a URL fetch may take in all (connection, redirects, headers and body).
FETCH_DEADLINE = Limit("FIDELITY_FETCH_DEADLINE", 60.0, "seconds")
# Worker threads of the learned model (0: as many cores as the process may use, at most 4).
QE_THREADS = Limit("FIDELITY_QE_THREADS", 0, "threads")


def too_large(limit: Limit, what: str = "input") -> str:
    """The reason given when `limit` is passed: what, the bound, and how to raise it."""
    return (
        f"{what} is larger than the limit of {limit.describe(limit.value())} "
        f"(set {limit.variable} to raise it)"
    )
