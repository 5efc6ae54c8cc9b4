"""The JSON report against its schema (src/fidelity/report/schema.json), on real reports:
the seed case, cases with several versions, a bilingual XLIFF file, a glossary, and every
registered check firing at least once."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

import fidelity
from fidelity.checks import DEFAULT_CHECKS, REGISTRY
from fidelity.model import Report, SkippedCheck
from fidelity.qe import model_available
from fidelity.report.json import report_schema, report_to_dict

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
# Between them these cases fire every default check but terminology and untranslated,
# which get a pair of their own below.
CASES = ("01_seed_naryshkin", "02_ru_sanctions", "08_ru_border_talks")

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="fr" target-language="en" datatype="plaintext" original="x"><body>
  <trans-unit id="u1"><source>Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit.</source><target>The prefect said the fire will flare up again overnight.</target></trans-unit>
  <trans-unit id="u2"><source>Trois cents pompiers sont mobilisés.</source><target>Three hundred firefighters have been deployed.</target></trans-unit>
  <trans-unit id="u3"><source>La route départementale est fermée jusqu'à nouvel ordre.</source></trans-unit>
 </body></file>
</xliff>
"""
SVR = "Служба внешней разведки"


@pytest.fixture(scope="module")
def schema() -> dict:
    return report_schema()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    folder = tmp_path_factory.mktemp("schema")
    found: dict[str, Report] = {}
    for case in CASES:
        path = CORPORA / case
        versions = sorted(path.glob("version.*"))
        found[case] = fidelity.check(next(path.glob("original.*")), versions)
    xliff = folder / "job.xlf"
    xliff.write_text(XLIFF, encoding="utf-8")
    found["xliff"] = fidelity.check(xliff)
    found["untranslated"] = fidelity.check(
        "Министр заявил, что переговоры продолжатся в Женеве.",
        ["Le ministre a déclaré que les переговоры se poursuivront à Genève."],
        lang_original="ru",
        lang_version="fr",
    )
    if model_available():  # the learned check runs when asked for by name
        wildfire = CORPORA / "04_fr_wildfire"
        found["learned"] = fidelity.check(
            wildfire / "original.fr.txt",
            [wildfire / "version.es.txt"],
            checks=[*DEFAULT_CHECKS, "learned"],
        )
    glossary = folder / "terms.csv"
    glossary.write_text(f"ru,en,note\n{SVR},Foreign Intelligence Service,SVR\n", "utf-8")
    found["terminology"] = fidelity.check(
        f"{SVR} России заявила о новых угрозах.",
        ["Russia's Foreign Spy Agency said there were new threats."],
        settings={"glossary": str(glossary)},
    )
    # A version with a baseline-suppressed finding and a check that could not run.
    seed = found[CASES[0]]
    first = seed.versions[0]
    found["suppressed"] = replace(
        seed,
        versions=(
            replace(
                first,
                findings=first.findings[1:],
                suppressed=first.findings[:1],
                skipped_checks=(SkippedCheck("untranslated", "no word list for xx"),),
            ),
        ),
    )
    return found


def test_schema_is_a_valid_2020_12_schema(schema: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_registered_check_has_its_evidence_in_the_schema(schema: dict) -> None:
    """A new check is part of the output contract: add it to the `check` enum, its
    evidence to `$defs/evidence` and its categories to the `allOf` rules of
    src/fidelity/report/schema.json, and its row to the README's evidence table."""
    described = set(schema["$defs"]["evidence"])
    assert described == set(REGISTRY), (
        f"checks without an evidence schema: {sorted(set(REGISTRY) - described)}; "
        f"described but not registered: {sorted(described - set(REGISTRY))} "
        "(edit src/fidelity/report/schema.json and the README's evidence table)"
    )
    finding = schema["$defs"]["finding"]
    assert set(finding["properties"]["check"]["enum"]) == set(REGISTRY)
    ruled = {rule["if"]["properties"]["check"]["const"] for rule in finding["allOf"]}
    assert ruled == set(REGISTRY)


def test_real_reports_validate(schema: dict, reports: dict[str, Report]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    for name, report in reports.items():
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(report_to_dict(report))
        ]
        assert not errors, (name, errors[:5])


def test_every_check_fires_in_the_validated_reports(reports: dict[str, Report]) -> None:
    fired = {f.check for r in reports.values() for v in r.versions for f in v.findings}
    # the learned check finds nothing in a checkout without the model's weights
    assert fired == set(REGISTRY) - (set() if model_available() else {"learned"})
    units = reports["xliff"].versions[0].findings
    assert units and reports["xliff"].signature["split"] == "units"


def test_reports_read_back_to_the_same_json(reports: dict[str, Report]) -> None:
    for report in reports.values():
        data = report_to_dict(report)
        assert report_to_dict(Report.from_dict(copy.deepcopy(data))) == data


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda f: f["evidence"].update(unexpected=1), "evidence"),
        (lambda f: f.update(severity="grave"), "severity"),
        (lambda f: f.update(category="style"), "category"),
        (lambda f: f.pop("original_units"), "original_units"),
    ],
)
def test_schema_refuses_what_it_does_not_describe(
    schema: dict, reports: dict[str, Report], damage, where: str
) -> None:
    data = report_to_dict(reports[CASES[1]])
    damage(data["versions"][0]["findings"][0])
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors, where
