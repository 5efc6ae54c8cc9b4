"""Every check's parameters are declared in the typed settings (one section per check, next
to the check): validated from fidelity.toml, applied where the check reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

import fidelity
from fidelity.config import SECTIONS, find_settings
from fidelity.errors import FidelityInputError

QUOTED = "“We will return to the negotiating table later,” she said."


def _settings(tmp_path: Path, text: str):
    (tmp_path / "fidelity.toml").write_text(text, encoding="utf-8")
    return find_settings(tmp_path)


def test_the_checks_declare_their_sections() -> None:
    import fidelity.checks  # noqa: F401  (registration declares the sections)

    for name in ("quote", "number", "untranslated", "attribution", "consistency", "semantic"):
        assert SECTIONS[name], name


def test_a_misspelt_key_in_a_check_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FidelityInputError, match=r"quote\.min-word"):
        _settings(tmp_path, "[quote]\nmin-word = 3\n")


def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FidelityInputError, match=r"consistency\.max-ending"):
        _settings(tmp_path, "[consistency]\nmax-ending = -1\n")


def test_a_section_value_changes_what_the_check_does(tmp_path: Path) -> None:
    plain = fidelity.check("She said they would return later.", [QUOTED], lang_original="en",
                           lang_version="en", checks=["quote"], mode="translation")
    assert [f.check for f in plain.versions[0].findings] == ["quote"]  # an invented quote
    settings = _settings(tmp_path, "[quote]\nmin-words = 40\n")
    long_quotes_only = fidelity.check(
        "She said they would return later.", [QUOTED], lang_original="en", lang_version="en",
        checks=["quote"], mode="translation", settings=settings.values,
    )
    assert long_quotes_only.versions[0].findings == ()
