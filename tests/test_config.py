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


@pytest.mark.parametrize(
    ("toml", "key", "expected"),
    [
        ("checks = 5", "'checks'", "a list of check names, not an integer"),
        ("fail-on = 5", "'fail-on'", "one of critical, major, minor, never, not an integer"),
        ('fail-on = "sometimes"', "'fail-on'", "one of critical, major, minor, never"),
        ("glossary = 5", "'glossary'", "a file path"),
        ("model = 5", "'model'", "a model name or path"),
        ('semantic = "x"', "'semantic'", "must be a table"),
        ('[semantic]\nmajor-percentile = "abc"', "'semantic.major-percentile'", "0 to 100"),
        ("[semantic]\nmajor-percentile = nan", "'semantic.major-percentile'", "0 to 100"),
        ("[semantic]\nminor-percentile = 101", "'semantic.minor-percentile'", "0 to 100"),
        ("[semantic]\nmajor-percentile = true", "'semantic.major-percentile'", "a boolean"),
        ('skip-checks = "entity"', "'skip-checks'", "a list of check names, not a string"),
        ('checks = ["semantik"]', "'checks'", "unknown check 'semantik'"),
        ('mode = "both"', "'mode'", "one of auto, translation, rereport"),
        ('[severity]\nmodalty = "minor"', "'severity'", "unknown check 'modalty'"),
        ('[severity]\n"number.omision" = "minor"', "'severity'", "unknown category 'omision'"),
        ('[severity]\nmodality = "low"', "'severity'", "one of critical, major, minor"),
        ("[severity]\nmodality = 1", "'severity'", "not an integer"),
    ],
)
def test_a_value_of_the_wrong_type_names_the_file_the_key_and_the_type(
    tmp_path: Path, toml: str, key: str, expected: str
) -> None:
    (tmp_path / "fidelity.toml").write_text(toml + "\n")
    with pytest.raises(FidelityInputError) as raised:
        find_settings(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'fidelity.toml'}: ")
    assert key in message and expected in message


def test_wrong_type_on_the_command_line_is_one_line_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(EN_DRIFT, encoding="utf-8")
    (tmp_path / "fidelity.toml").write_text("[semantic]\nmajor-percentile = nan\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "a.txt", "b.txt"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'semantic.major-percentile'" in lines[0]


def test_a_misspelt_key_inside_a_section_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "fidelity.toml").write_text("[semantic]\nmajor-percentil = 3\n")
    with pytest.raises(FidelityInputError, match="did you mean 'major-percentile'"):
        find_settings(tmp_path)


def test_percentiles_out_of_order_are_refused(tmp_path: Path) -> None:
    (tmp_path / "fidelity.toml").write_text("[semantic]\nmajor-percentile = 9\n")
    with pytest.raises(FidelityInputError, match="must not be above minor-percentile"):
        find_settings(tmp_path)


def test_valid_values_are_converted_and_severity_overrides_kept(tmp_path: Path) -> None:
    (tmp_path / "fidelity.toml").write_text(
        'skip-checks = ["entity"]\n[semantic]\nmajor-percentile = 1\n'
        '[severity]\nmodality = "minor"\n"number.omission" = "critical"\n'
    )
    settings = find_settings(tmp_path)
    assert settings.get("skip-checks") == ["entity"]
    assert settings.get("semantic") == {"major-percentile": 1.0}
    assert settings.get("severity") == {"modality": "minor", "number.omission": "critical"}
    assert settings.label == "fidelity.toml"


def test_a_new_section_is_one_declaration(tmp_path: Path, monkeypatch) -> None:
    from fidelity import config

    monkeypatch.setitem(config.SECTIONS, "made-up", {})
    config.section("made-up", {"level": config.Setting("a number from 0 to 100",
                                                       config.percentile, 50.0)})
    (tmp_path / "fidelity.toml").write_text("[made-up]\nlevel = 7\n")
    assert find_settings(tmp_path).get("made-up") == {"level": 7.0}
    (tmp_path / "fidelity.toml").write_text("[made-up]\nlevel = 'high'\n")
    with pytest.raises(FidelityInputError, match=r"'made-up\.level' must be a number"):
        find_settings(tmp_path)
    assert ("[made-up] level", "a number from 0 to 100", "50.0", "") in config.settings_reference()


def test_an_unreadable_settings_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "fidelity.toml"
    settings_file.write_text('mode = "auto"\n')
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == settings_file:  # as root, chmod cannot provoke EACCES
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(FidelityInputError, match=r"fidelity.toml: cannot be read \(Permission"):
        find_settings(tmp_path)


def test_a_broken_unrelated_pyproject_above_is_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool\nbroken = ")
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "a.txt").write_text(EN, encoding="utf-8")
    (desk / "b.txt").write_text(EN_DRIFT, encoding="utf-8")
    with pytest.warns(UserWarning, match="pyproject.toml: ignored"):
        assert find_settings(desk).source is None
    monkeypatch.chdir(desk)
    result = runner.invoke(app, ["check", "a.txt", "b.txt"])
    assert result.exit_code == 1  # the check ran
    assert result.stderr.count("fidelity: warning:") == 1
    assert "pyproject.toml: ignored" in result.stderr


def test_broken_settings_that_were_meant_for_fidelity_stay_errors(tmp_path: Path) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text("[tool\nbroken = ")
    with pytest.raises(FidelityInputError, match="not valid TOML"):
        find_settings(explicit=project)
    project.write_text("[tool.fidelity]\nmode = 5\n")
    with pytest.raises(FidelityInputError, match=r"'tool\.fidelity\.mode' must be one of"):
        find_settings(tmp_path)
    project.write_text("[tool\nbroken = ")
    (tmp_path / "fidelity.toml").write_text("mode = \n")
    with pytest.raises(FidelityInputError, match="not valid TOML"):
        find_settings(tmp_path)


def test_a_section_declared_by_a_check_module_is_known_before_the_checks_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fidelity import config

    def import_the_checks() -> list[str]:  # as importing fidelity.checks would
        config.section("dates", {"strict": config.Setting("a number from 0 to 100",
                                                          config.percentile, 0.0)})
        return ["date"]

    monkeypatch.setattr(config, "_check_registry", import_the_checks)
    monkeypatch.setitem(config.SECTIONS, "dates", {})
    del config.SECTIONS["dates"]  # not declared until the checks load
    (tmp_path / "fidelity.toml").write_text("[dates]\nstrict = 3\n")
    assert find_settings(tmp_path).get("dates") == {"strict": 3.0}


def test_any_settings_value_is_accepted_or_refused_with_a_clear_error(tmp_path: Path) -> None:
    """Whatever TOML can hold, under any key: converted, or FidelityInputError naming the
    file; never another exception (which the CLI would report as a bug)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fidelity import config

    scalars = st.one_of(
        st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12),
        st.sampled_from(["auto", "major", "minor", "entity", "modality", "number.omission",
                         "semantic", "x.y.z", ""]),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from([*config.SETTINGS, "major-percentile",
                                             "minor-percentile", "modality", "entity.omission",
                                             "x"]), inner, max_size=3),
        ),
        max_leaves=6,
    )
    keys = st.sampled_from([*config.SETTINGS, *config.SECTIONS, "other"])
    file = tmp_path / "fidelity.toml"

    @settings(max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(keys, values, max_size=4))
    def check(data: dict) -> None:
        try:
            config.validate(data, file)
        except FidelityInputError as error:
            assert str(error).startswith(f"{file}: ")

    check()
