"""The language matrix: every (check, language) cell a check declares is exercised in the
language itself, with one drifted rendering that must be found and one faithful rendering
that must stay clean (data: tests/lang_matrix/<code>.toml, English originals in
originals.toml).

Only the checks that read a language through its word lists or its names are in the matrix; semantic,
quote, omission, addition and terminology read any language and have their own tests.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import fidelity
from fidelity.checks import coverage_matrix

MATRIX = Path(__file__).resolve().parent / "lang_matrix"
ORIGINALS = tomllib.loads((MATRIX / "originals.toml").read_text(encoding="utf-8"))
CHECKS = tuple(ORIGINALS)  # the checks that read languages through word lists
CELLS = {
    path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
    for path in sorted(MATRIX.glob("*.toml"))
    if path.stem != "originals"
}
DECLARED = [
    (check, lang)
    for check, languages in coverage_matrix()
    if check in CHECKS
    for lang, judged in languages.items()
    if judged
]


def test_every_declared_cell_has_a_drift_and_a_faithful_rendering() -> None:
    missing = [f"{check}:{lang}" for check, lang in DECLARED if check not in CELLS.get(lang, {})]
    assert not missing, missing


def test_no_cell_is_written_for_a_check_that_does_not_declare_the_language() -> None:
    declared = set(DECLARED)
    extra = [f"{check}:{lang}" for lang, cells in CELLS.items() for check in cells
             if (check, lang) not in declared]
    assert not extra, extra


@pytest.mark.parametrize(("check", "lang"), sorted(DECLARED), ids=lambda v: v)
def test_the_drift_is_found_and_the_faithful_rendering_stays_clean(check: str, lang: str) -> None:
    cell = CELLS[lang][check]
    original = cell.get("original", ORIGINALS[check])
    report = fidelity.check(original, [cell["faithful"], cell["drift"]], lang_original="en",
                            lang_version=lang, checks=[check], mode="translation")
    faithful, drift = report.versions
    assert not faithful.skipped_checks and not drift.skipped_checks
    assert [f.message for f in faithful.findings if f.check == check] == []
    assert [f for f in drift.findings if f.check == check], f"{check} missed in {lang}"
