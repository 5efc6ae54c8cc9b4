"""The learned check in the product: word spans on both sides, categories and severities
from the model's predictions, one finding where a rule explains the same words, and the
model named in the signature. The model is replaced by a fixed one here (its own behaviour
is tests/test_qe_model.py's)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import fidelity.qe as qe
from fidelity.api import build_signature, load_document
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.learned import check_learned, merge_with_rules
from fidelity.model import Alignment, Finding, Severity, Span
from fidelity.qe import QEPrediction, QESpan

ORIGINAL = "Le gouvernement a annoncé 4 200 nouveaux postes dans les deux sens de la circulation."
VERSION = "The government announced 2,400 new jobs southbound."
OMITTED = ORIGINAL.index("deux sens de")


@dataclass
class FixedModel:
    name: str = "fixed"
    sha256: str = "ab" * 32
    thresholds: dict = field(default_factory=lambda: {"pair_flag": 0.3, "pair_major": 0.5})
    seen: list = field(default_factory=list)

    def predict(self, pairs, src_lang=None, tgt_lang=None):
        self.seen.append(list(pairs))
        predictions = []
        for _original, version in pairs:
            start = version.index("southbound")
            number = version.index("2,400")
            predictions.append(
                QEPrediction(
                    score=0.9,
                    version_spans=[
                        QESpan(number, number + 5, "major", "mistranslation", 0.8),
                        QESpan(start, start + 10, "major", "mistranslation", 0.95),
                    ],
                    original_spans=[QESpan(OMITTED, OMITTED + 12, "minor", "omission", 0.6)],
                )
            )
        return predictions


@pytest.fixture
def fixed_model(monkeypatch: pytest.MonkeyPatch) -> FixedModel:
    model = FixedModel()
    monkeypatch.setattr(qe, "load_model", lambda *a, **k: model)
    monkeypatch.setattr(qe, "model_available", lambda *a, **k: True)
    return model


def _context(mode: str = "translation"):
    o = load_document(ORIGINAL, lang="fr")
    v = load_document(VERSION, lang="en")
    alignment = Alignment((0,), (0,), 0.8)
    pair = make_pairs(o, v, [alignment])[0]
    context = CheckContext(o, v, mode, encoder=None, calibration=None, alignments=(alignment,))  # type: ignore[arg-type]
    return pair, context


def test_findings_carry_word_spans_categories_and_severities(fixed_model: FixedModel) -> None:
    pair, context = _context()
    findings = check_learned(pair, context)
    by_text = {(f.version_span.text if f.category != "omission" else f.original_span.text): f for f in findings}
    assert set(by_text) == {"2,400", "southbound", "deux sens de"}
    assert by_text["southbound"].severity is Severity.MAJOR
    assert by_text["southbound"].category == "mistranslation"
    omission = by_text["deux sens de"]
    assert omission.category == "omission" and omission.severity is Severity.MINOR
    assert omission.version_span.text == VERSION  # shown against the sentence that lacks it
    assert by_text["southbound"].evidence["probability"] == 0.95


def test_a_pair_below_the_major_gate_keeps_word_severities_minor(fixed_model: FixedModel) -> None:
    fixed_model.thresholds["pair_major"] = 0.95
    pair, context = _context()
    assert {f.severity for f in check_learned(pair, context)} == {Severity.MINOR}


def test_a_pair_as_likely_as_faithful_ones_is_not_reported(fixed_model: FixedModel) -> None:
    fixed_model.thresholds["pair_flag"] = 0.95
    pair, context = _context()
    assert check_learned(pair, context) == []


def test_words_the_model_finds_less_likely_wrong_than_right_are_not_shown(
    fixed_model: FixedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fidelity.checks.learned as learned

    monkeypatch.setattr(learned, "SPAN_FLOOR", 0.9)  # between the fixed spans' 0.8 and 0.95
    pair, context = _context()
    findings = check_learned(pair, context)
    assert [f.version_span.text for f in findings] == ["southbound"]  # "2,400" (0.8) and the omission (0.6) fall below


def test_the_document_is_predicted_in_one_call(fixed_model: FixedModel) -> None:
    pair, context = _context()
    check_learned(pair, context)
    check_learned(pair, context)
    assert len(fixed_model.seen) == 1


def test_rereports_are_left_to_the_other_checks(fixed_model: FixedModel) -> None:
    pair, context = _context(mode="rereport")
    assert check_learned(pair, context) == []


def test_a_rule_on_the_same_words_keeps_its_explanation(fixed_model: FixedModel) -> None:
    pair, context = _context()
    learned = check_learned(pair, context)
    number_at = VERSION.index("2,400")
    rule = Finding(
        check="number", category="mistranslation", severity=Severity.CRITICAL,
        message="4 200 became 2,400", original_span=Span(26, 31, "4 200"),
        version_span=Span(number_at, number_at + 5, "2,400"),
    )
    sentence = Finding(
        check="semantic", category="mistranslation", severity=Severity.MINOR,
        message="meaning drifted", original_span=Span(0, len(ORIGINAL), ORIGINAL),
        version_span=Span(0, len(VERSION), VERSION),
    )
    merged = merge_with_rules([rule, sentence, *learned])
    assert [f.message for f in merged if f.check == "number"] == ["4 200 became 2,400"]
    assert next(f for f in merged if f.check == "number").evidence["learned_probability"] == 0.8
    learned_left = {f.version_span.text for f in merged if f.check == "learned" and f.category != "omission"}
    assert learned_left == {"southbound"}  # the sentence-wide finding explains no words
    assert len(merged) == 4


def test_the_signature_names_the_model_only_when_it_ran(monkeypatch: pytest.MonkeyPatch) -> None:
    import fidelity.api as api

    monkeypatch.setattr(api, "learned_model_fingerprint", lambda: "fixed@abababababab")
    common = dict(models=[], calibrations=[], mode="translation", split="sentences", settings={}, paired=False)
    ran = dict(build_signature(checks=["number", "learned"], **common).entries)
    skipped = dict(build_signature(checks=["number"], **common).entries)
    assert ran["learned"] == "fixed@abababababab"
    assert skipped["learned"] == "none"
