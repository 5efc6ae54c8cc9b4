"""Settings files: found from the working folder, overridden by command-line options."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.config import find_settings
from fidelity.errors import FidelityInputError

runner = CliRunner()
EN = "Officials said the militants may infiltrate neighbouring states.\n"
EN_DRIFT = "Officials said the militants will infiltrate neighbouring states.\n"


def test_fidelity_toml_wins_over_pyproject_and_paths_are_relative(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fidelity]\nmode = "rereport"\n')
    assert find_settings(tmp_path).get("mode") == "rereport"
    (tmp_path / "fidelity.toml").write_text('mode = "translation"\nglossary = "terms.csv"\n')
    nested = tmp_path / "desk"
    nested.mkdir()
    settings = find_settings(nested)
    assert settings.get("mode") == "translation"
    assert settings.get("glossary") == str(tmp_path / "terms.csv")


def test_unknown_keys_and_bad_toml_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "fidelity.toml").write_text("fail_on = 'major'\n")
    with pytest.raises(FidelityInputError, match="unknown setting 'fail_on'"):
        find_settings(tmp_path)
    (tmp_path / "fidelity.toml").write_text("mode = \n")
    with pytest.raises(FidelityInputError, match="not valid TOML"):
        find_settings(tmp_path)


def test_settings_steer_the_check_and_options_override_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, version = tmp_path / "a.txt", tmp_path / "b.txt"
    original.write_text(EN, encoding="utf-8")
    version.write_text(EN_DRIFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check", "a.txt", "b.txt"]).exit_code == 1
    (tmp_path / "fidelity.toml").write_text('skip-checks = ["modality"]\n')
    assert runner.invoke(app, ["check", "a.txt", "b.txt"]).exit_code == 0
    assert runner.invoke(app, ["check", "a.txt", "b.txt", "--checks", "modality"]).exit_code == 1
    (tmp_path / "fidelity.toml").write_text('fail-on = "critical"\n')
    assert runner.invoke(app, ["check", "a.txt", "b.txt"]).exit_code == 0
    assert runner.invoke(app, ["check", "a.txt", "b.txt", "--fail-on", "major"]).exit_code == 1
