"""The module rules of the design, checked on the source: checks are independent of one
another (what several read lives in `fidelity.readers`), and readers know no check."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "fidelity"
CHECK_MODULES = sorted(p for p in (SRC / "checks").glob("*.py")
                       if p.name not in {"__init__.py", "base.py"})
READER_MODULES = sorted((SRC / "readers").glob("*.py"))


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_there_are_checks_and_readers_to_look_at() -> None:
    assert len(CHECK_MODULES) >= 10
    assert len(READER_MODULES) >= 6


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: p.stem)
def test_no_check_module_imports_another(path: Path) -> None:
    others = {f"fidelity.checks.{p.stem}" for p in CHECK_MODULES if p != path}
    assert not _imported(path) & others


@pytest.mark.parametrize("path", READER_MODULES, ids=lambda p: p.stem)
def test_readers_know_no_check(path: Path) -> None:
    assert not any(name.startswith("fidelity.checks") for name in _imported(path))
