"""The shipped weights file: the trained top layers as int8 per output row (a scale each),
the heads in fp32 and the model's settings (layer split, lengths, thresholds) as JSON, all in
one `.npz` so one sha256 names everything that decides the model's output."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from fidelity.qe.base import LAYER_MATRICES, LAYER_VECTORS

HEAD_SHAPES = {"tgt": (3,), "cat": (2,), "src": (2,), "seg": (1,)}


def quantize_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output row: the error stays relative to each row's own range."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    quantised = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return quantised, scale


def dequantize_rows(quantised: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return quantised.astype(np.float32) * scale[:, None]


def save_weights(
    path: Path, layers: list[dict[str, np.ndarray]], heads: dict[str, np.ndarray], meta: dict
) -> str:
    """Write the file and return its sha256."""
    arrays: dict[str, np.ndarray] = {}
    for index, params in enumerate(layers):
        for name in LAYER_MATRICES:
            quantised, scale = quantize_rows(params[f"{name}.w"])
            arrays[f"top{index}.{name}.w.q"] = quantised
            arrays[f"top{index}.{name}.w.s"] = scale
        for name in LAYER_VECTORS:
            arrays[f"top{index}.{name}"] = params[name].astype(np.float32)
    for name, value in heads.items():
        arrays[name] = value.astype(np.float32)
    meta = {**meta, "top_layers": len(layers)}
    arrays["meta.json"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    data = buffer.getvalue()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def load_weights(
    path: Path,
) -> tuple[list[dict[str, np.ndarray]], dict[str, np.ndarray], dict, str]:
    """(top layers de-quantised to fp32, heads, settings, sha256 of the file)."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with np.load(io.BytesIO(data)) as archive:
        meta = json.loads(archive["meta.json"].tobytes().decode())
        layers = []
        for index in range(int(meta["top_layers"])):
            params = {}
            for name in LAYER_MATRICES:
                params[f"{name}.w"] = dequantize_rows(
                    archive[f"top{index}.{name}.w.q"], archive[f"top{index}.{name}.w.s"]
                )
            for name in LAYER_VECTORS:
                params[name] = archive[f"top{index}.{name}"]
            layers.append(params)
        heads = {name: archive[name] for name in archive.files if name.startswith("head.")}
    return layers, heads, meta, digest


def rewrite_meta(path: Path, meta: dict) -> str:
    """Replace the settings of a weights file, leaving every array as it is; new sha256."""
    with np.load(io.BytesIO(Path(path).read_bytes())) as archive:
        arrays = {name: archive[name] for name in archive.files if name != "meta.json"}
    arrays["meta.json"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    data = buffer.getvalue()
    Path(path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()
