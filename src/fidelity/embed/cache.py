"""A content-addressed embedding cache, so re-checking an edited story embeds only what changed.

Keys are a hash of the model name and the exact text; values are float32 vectors. SQLite is
in the standard library, safe across concurrent runs, and one file is easy to delete.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import numpy as np

from fidelity.embed.base import Encoder


def default_cache_dir() -> Path:
    explicit = os.environ.get("FIDELITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fidelity"


class CachedEncoder:
    """Wraps an encoder; also removes duplicate texts within one call."""

    def __init__(self, inner: Encoder, directory: Path | None) -> None:
        self.inner = inner
        self.name = inner.name
        self.languages = inner.languages
        self._db: sqlite3.Connection | None = None
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(directory / "embeddings.sqlite3", timeout=30)
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB)"
                )
                self._db.execute("PRAGMA journal_mode=WAL")
            except (OSError, sqlite3.Error):
                self._db = None  # a read-only home must not stop a check

    def encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        keys = [self._key(t) for t in unique]
        found = self._lookup(keys)
        missing = [t for t, k in zip(unique, keys, strict=True) if k not in found]
        if missing:
            fresh = self.inner.encode(missing)
            new = {self._key(t): v for t, v in zip(missing, fresh, strict=True)}
            self._store(new)
            found.update(new)
        by_text = {t: found[k] for t, k in zip(unique, keys, strict=True)}
        if not texts:
            return self.inner.encode([])
        return np.vstack([by_text[t] for t in texts]).astype(np.float32, copy=False)

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\0{text}".encode(), digest_size=16).digest()

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        if self._db is None or not keys:
            return {}
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
                )
        except sqlite3.Error:
            pass  # a full disk loses the cache, never the check
