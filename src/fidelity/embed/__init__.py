"""Sentence encoders behind one protocol, chosen per language pair, with an on-disk cache."""

from fidelity.embed.base import Encoder
from fidelity.embed.registry import (
    DEFAULT_MODEL,
    available_models,
    encoder_for,
    get_encoder,
)

__all__ = ["DEFAULT_MODEL", "Encoder", "available_models", "encoder_for", "get_encoder"]
