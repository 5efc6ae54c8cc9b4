"""Any sentence-transformers model by hub name or local path (LaBSE, multilingual-e5 ...).

torch is imported only here, only when a user names a model: the default path stays fast.

Nothing is downloaded unless the user allows the network (`--allow-network`): the Hugging
Face libraries are switched offline before they are imported, and a hub name that is not
in the local cache is refused before anything tries to fetch it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from fidelity.embed.base import normalise_rows
from fidelity.errors import FidelityInputError

# The switches huggingface_hub, transformers and datasets read (at import) to stay offline.
OFFLINE_SWITCHES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def forbid_network() -> None:
    """Switch the Hugging Face libraries offline for this process. Set before they are
    imported; if huggingface_hub is already loaded its own flag is set too."""
    for switch in OFFLINE_SWITCHES:
        os.environ[switch] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None and hasattr(constants, "HF_HUB_OFFLINE"):
        constants.HF_HUB_OFFLINE = True


def _on_this_machine(model: str) -> bool:
    """Whether a hub name is in the local Hugging Face cache (as given, or under the
    `sentence-transformers/` organisation that short names refer to). Reads the cache only."""
    from huggingface_hub import try_to_load_from_cache

    names = [model] if "/" in model else [model, f"sentence-transformers/{model}"]
    for name in names:
        for file in ("modules.json", "config.json"):
            try:
                if isinstance(try_to_load_from_cache(name, file), str):
                    return True
            except ValueError:  # not a valid repository name
                return False
    return False


def _quiet_progress_bars() -> None:
    """transformers draws a progress bar while loading weights: noise in a report's stderr."""
    try:
        from transformers.utils import logging

        logging.disable_progress_bar()
    except (ImportError, AttributeError):
        pass


def _not_here(model: str) -> str:
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        return f"model {model!r}: no such model folder"
    return (
        f"model {model!r}: not found on this machine; pass --allow-network to download it "
        "(it is neither a folder nor in the Hugging Face cache)"
    )


class SentenceTransformerEncoder:
    languages: frozenset[str] | None = None
    batch_size = 64

    def __init__(self, model: str, allow_network: bool = False) -> None:
        path = Path(model).expanduser()
        if not allow_network:
            forbid_network()
            if not path.exists() and not _on_this_machine(model):
                raise FidelityInputError(_not_here(model))
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise FidelityInputError(
                f"model {model!r} needs sentence-transformers: "
                "pip install torch==2.13.0 'fidelity[st]'"
            ) from None
        self.name = str(path.resolve()) if path.exists() else model
        _quiet_progress_bars()
        try:
            self._model = SentenceTransformer(self.name, device="cpu")
        except Exception as exc:  # the hub client raises many kinds; all mean "cannot load"
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FidelityInputError(
                f"cannot load sentence-transformers model {model!r} ({first_line})"
            ) from None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise_rows(vectors)
