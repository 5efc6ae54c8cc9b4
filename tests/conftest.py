"""Shared fixtures: an isolated embedding cache, and the corpus location."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = CORPORA / "01_seed_naryshkin"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """One cache folder for the whole run (so models' vectors are reused across tests), never
    the user's own."""
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the corpus precision and recall that tests/test_corpora.py measured."""
    import sys

    module = sys.modules.get("test_corpora") or sys.modules.get("tests.test_corpora")
    if module is None or not module.RESULTS:
        return
    for line in module.pytest_terminal_summary_lines():
        terminalreporter.write_line(line)
