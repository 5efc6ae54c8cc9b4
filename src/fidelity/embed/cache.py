"""A content-addressed embedding cache, so re-checking an edited story embeds only what changed.

Keys are a hash of the model name and the exact text; values are float32 vectors. SQLite is
in the standard library, safe across concurrent runs, and one file is easy to delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from fidelity.embed.base import Encoder
from fidelity.errors import FidelityWarning


def default_cache_dir() -> Path:
    explicit = os.environ.get("FIDELITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fidelity"


CACHE_FILE = "embeddings.sqlite3"
# SQLite's answers for a file that is not (or no longer) a sound database, as opposed to a
# busy, read-only or full one: only these are set aside and rebuilt.
_DAMAGED = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}


def is_damaged(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGED
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def set_aside(path: Path) -> Path:
    """Move a damaged file (and SQLite's journal files beside it) to `<name>.corrupt-<time>`,
    so it can be inspected or deleted by hand but never breaks another run."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    if target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{os.getpid()}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            os.replace(journal, target.with_name(target.name + suffix))
    return target


class CachedEncoder:
    """Wraps an encoder; also removes duplicate texts within one call.

    The cache can only speed a check up, never stop it: a damaged database file is set
    aside and rebuilt (with a one-line warning); a busy, read-only or full one is simply not
    used for what it cannot do."""

    def __init__(self, inner: Encoder, directory: Path | None) -> None:
        self.inner = inner
        self.name = inner.name
        self.languages = inner.languages
        self._db: sqlite3.Connection | None = None
        self._path = directory / CACHE_FILE if directory is not None else None
        self._rebuilt = False
        if self._path is not None:
            self._open()

    def _open(self) -> None:
        assert self._path is not None
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self._path, timeout=30)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB)"
            )
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as error:
            self._close()
            if is_damaged(error):
                self._recover(error)
        except OSError:
            self._close()  # a read-only home must not stop a check

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def _recover(self, error: sqlite3.Error) -> None:
        """Set the damaged file aside and start an empty cache, once per run."""
        self._close()
        if self._rebuilt or self._path is None:
            return
        self._rebuilt = True
        try:
            moved = set_aside(self._path)
        except FileNotFoundError:  # another run set it aside first
            moved = None
        except OSError:
            return  # cannot move it: run without a cache
        where = f"moved to {moved.name}" if moved else "already moved aside"
        warnings.warn(
            f"{self._path}: the embedding cache was damaged ({error}); {where}, "
            "and a new one is being built",
            FidelityWarning,
            stacklevel=3,
        )
        self._open()

    def encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        keys = [self._key(t) for t in unique]
        found = self._lookup(keys)
        missing = [t for t, k in zip(unique, keys, strict=True) if k not in found]
        if missing:
            fresh = np.asarray(self.inner.encode(missing), dtype=np.float32)
            new = {self._key(t): v for t, v in zip(missing, fresh, strict=True)}
            self._store(new)
            found.update(new)
        found = self._sound(found)
        if len(found) < len(unique):  # stored vectors that could not be used: encode afresh
            again = [t for t, k in zip(unique, keys, strict=True) if k not in found]
            found.update(zip((self._key(t) for t in again), self.inner.encode(again), strict=True))
        by_text = {t: found[k] for t, k in zip(unique, keys, strict=True)}
        if not texts:
            return self.inner.encode([])
        return np.vstack([by_text[t] for t in texts]).astype(np.float32, copy=False)

    def _key(self, text: str) -> bytes:
        # surrogatepass: text from JSON may hold lone surrogates, which are still text to key.
        data = f"{self.name}\0{text}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).digest()

    @staticmethod
    def _sound(vectors: dict[bytes, np.ndarray]) -> dict[bytes, np.ndarray]:
        """Vectors of the common length with finite values; anything else was damaged."""
        if not vectors:
            return vectors
        sizes = Counter(v.shape[0] for v in vectors.values())
        size = sizes.most_common(1)[0][0]
        return {
            k: v for k, v in vectors.items() if v.shape[0] == size and np.isfinite(v).all()
        }

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        if self._db is None or not keys:
            return {}
        try:
            return self._select(keys)
        except sqlite3.Error as error:
            if not is_damaged(error):
                return {}  # busy or unreadable now: embed instead
            self._recover(error)
            try:
                return self._select(keys) if self._db is not None else {}
            except sqlite3.Error:
                self._close()
                return {}

    def _select(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        assert self._db is not None
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
            )
            for key, blob in rows:
                if isinstance(blob, bytes) and blob and len(blob) % 4 == 0:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        if self._db is None:
            return
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as error:
            if is_damaged(error):
                self._recover(error)  # the vectors are kept by the next run
            # otherwise (a full disk, a busy file) the cache loses them, never the check
