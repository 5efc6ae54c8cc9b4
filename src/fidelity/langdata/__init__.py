"""Language data: the word lists and tables the readers and checks use, one folder per
language (`<code>/`, as spaCy's `lang/<code>/`) and one small file per kind.

Kept out of the code so that a language is added, or a list corrected, by editing data that
a linguist can read, and so that a report can name the exact lists it was judged with
(`VERSION`, printed in the signature as `langdata:<version>`). Files are read on first use
and cached: a check that never runs in a language never reads its files.

Two file forms:
- `<kind>.txt`: one entry a line, in order; blank lines and lines starting with `#` are
  skipped. Whether an entry is a literal word or a regular expression is the kind's own
  rule, stated in the file's header comment.
- `<kind>.toml`: a table (`key = value`), e.g. a month's number for its names, an
  organisation's identifier for its names in the language.
`<code>/language.toml` holds a language's properties (decimal comma, long-scale billion,
no spaces between words, ...). The folder `xx/` holds data that is not one language's
(multilingual title words, scripts per language, quotation marks).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

# Bump on every change to a data file: a report names the lists it was judged with.
VERSION = "2026.12.4"
MULTILINGUAL = "xx"


def _root() -> Traversable:
    return resources.files(__name__)


@lru_cache(maxsize=1024)
def words(lang: str, kind: str) -> tuple[str, ...]:
    """The entries of `<lang>/<kind>.txt`, in file order; empty where there is no file."""
    path = _root().joinpath(lang, f"{kind}.txt")
    if not path.is_file():
        return ()
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            entries.append(entry)
    return tuple(entries)


@lru_cache(maxsize=1024)
def table(lang: str, kind: str) -> dict[str, Any]:
    """The table of `<lang>/<kind>.toml`; empty where there is no file."""
    path = _root().joinpath(lang, f"{kind}.toml")
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def has(lang: str, kind: str) -> bool:
    """Whether a language has data of a kind (a list or a table)."""
    return bool(words(lang, kind)) or bool(table(lang, kind))


def prop(lang: str, name: str, default: Any = False) -> Any:
    """A property of a language from `<lang>/language.toml`."""
    return table(lang, "language").get(name, default)


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """Every language with a data folder, in code order."""
    return tuple(
        sorted(
            entry.name
            for entry in _root().iterdir()
            if entry.is_dir() and entry.name != MULTILINGUAL and not entry.name.startswith("_")
        )
    )


def languages_with(kind: str) -> tuple[str, ...]:
    """Languages that have data of a kind, in code order."""
    return tuple(lang for lang in languages() if has(lang, kind))
