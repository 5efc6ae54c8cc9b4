"""`-o` never destroys what the user had: inputs, devices, links, permissions (issue 11)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.errors import FidelityInputError
from fidelity.io.atomic import prepare_output, write_text_atomic

runner = CliRunner()
EN = "The ministry said exports may fall by a third next year. Talks will resume in May.\n"
FR = (
    "Le ministère a déclaré que les exportations pourraient baisser d'un tiers l'an "
    "prochain. Les négociations reprendront en mai.\n"
)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    original, version = tmp_path / "original.en.txt", tmp_path / "version.fr.txt"
    original.write_text(EN, encoding="utf-8")
    version.write_text(FR, encoding="utf-8")
    return original, version


def _one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]


def test_output_onto_an_input_is_refused_and_the_input_kept(pair, tmp_path: Path) -> None:
    original, version = pair
    for target in (version, original, tmp_path / "." / version.name):
        result = runner.invoke(app, ["check", str(original), str(version), "-o", str(target)])
        _one_line_error(result, "input of this run")
    assert version.read_text(encoding="utf-8") == FR
    assert original.read_text(encoding="utf-8") == EN


def test_output_onto_a_hard_link_or_symlink_of_an_input_is_refused(pair, tmp_path) -> None:
    original, version = pair
    hard = tmp_path / "hard.txt"
    os.link(version, hard)
    soft = tmp_path / "soft.txt"
    soft.symlink_to(version)
    for target in (hard, soft):
        result = runner.invoke(app, ["check", str(original), str(version), "-o", str(target)])
        _one_line_error(result, str(target))
    assert version.read_text(encoding="utf-8") == FR


def test_output_onto_the_glossary_reference_or_settings_file_is_refused(pair, tmp_path):
    original, version = pair
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,fr\nministry,ministère\n", encoding="utf-8")
    settings = tmp_path / "fidelity.toml"
    settings.write_text('mode = "translation"\n', encoding="utf-8")
    cases = [
        ["--glossary", str(glossary), "-o", str(glossary)],
        ["--reference", str(version), "-o", str(version)],
        ["--config", str(settings), "-o", str(settings)],
        ["--config", str(settings), "-o", str(tmp_path / ".fidelity-baseline.jsonl")],
    ]
    for extra in cases:
        result = runner.invoke(app, ["check", str(original), str(version), *extra])
        _one_line_error(result, "input of this run")
    assert settings.read_text(encoding="utf-8") == 'mode = "translation"\n'
    assert "ministère" in glossary.read_text(encoding="utf-8")


def test_align_refuses_to_write_onto_its_inputs(pair) -> None:
    original, version = pair
    result = runner.invoke(app, ["align", str(original), str(version), "-o", str(original)])
    _one_line_error(result, "input of this run")
    assert original.read_text(encoding="utf-8") == EN


def test_dash_means_stdout(pair) -> None:
    original, version = pair
    result = runner.invoke(app, ["check", str(original), str(version), "-f", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("{")
    assert not Path("-").exists()


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout", "/proc/self/fd/1"])
def test_devices_are_refused(pair, target: str) -> None:
    result = runner.invoke(app, ["check", str(pair[0]), str(pair[1]), "-o", target])
    _one_line_error(result, target)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_fifo_and_folder_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FidelityInputError, match="FIFO"):
        prepare_output(fifo)
    with pytest.raises(FidelityInputError, match="folder"):
        prepare_output(tmp_path)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    write_text_atomic(prepare_output(link), "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
    assert not [p for p in real.parent.iterdir() if p.name.endswith(".tmp")]


def test_existing_mode_is_kept_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    existing = tmp_path / "shared.json"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o664)
    write_text_atomic(existing, "new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o664
    previous = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        write_text_atomic(fresh, "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_read_only_file_is_refused_not_overwritten(pair, tmp_path: Path) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text("keep me", encoding="utf-8")
    locked.chmod(0o444)
    result = runner.invoke(app, ["check", str(pair[0]), str(pair[1]), "-o", str(locked)])
    _one_line_error(result, "read-only", str(locked))
    assert locked.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(FidelityInputError, match="read-only"):
        write_text_atomic(locked, "new")
