"""Help texts read as written: square brackets survive, the checks are listed."""

from __future__ import annotations

from typer.testing import CliRunner

import fidelity
from fidelity.checks import REGISTRY
from fidelity.cli import app


def _help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_brackets_in_help_survive() -> None:
    text = _help("check")
    assert "auto [default: auto]." in text
    assert "[tool.fidelity] in pyproject.toml" in text
    assert "[default: major]" in text
    assert "(JSON: [[original ids], [version ids]] per bead)" in _help("align")


def test_checks_help_lists_every_check() -> None:
    text = _help("check")
    listed = text.split("Comma-separated checks to run, of:")[1].split("[default:")[0]
    assert [name.strip(" .") for name in listed.split(",")] == list(REGISTRY)


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert fidelity.__version__ in result.output
