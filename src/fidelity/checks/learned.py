"""Drift found by fidelity's own learned model (`fidelity.qe`), word by word.

The model reads each aligned pair as one input (original and version together) and marks
the version's words that do not say what the original says (mistranslation), that have no
counterpart in it (addition), and the original's words the version leaves out (omission).
It was trained on translations, so it judges translation pairs only; a re-report
paraphrases on purpose and is left to the other checks. It runs when asked for by name.

Where a rule-based check fires on the same words, the rule's finding is kept (it explains:
"4 200 became 2,400" says more than a highlight) with the model's probability added to its
evidence, and the model's own finding is dropped: see `merge_with_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from fidelity.checks.base import AlignedPair, CheckContext, make_pairs, register, span_in
from fidelity.model import Finding, Severity

CHECK = "learned"
# A rule finding much wider than the model's words (a whole sentence judged by similarity)
# does not explain those words; it only counts as "the same words" up to this size.
SAME_WORDS_SLACK_CHARS = 20
# The model's token thresholds were chosen for error-span F1 on MQM, which rewards marking
# many words (a word at 20% is marked); an editor is shown only words the model finds more
# likely wrong than right.
SPAN_FLOOR = 0.5

_Key = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class _DocumentPredictions:
    model: Any  # fidelity.qe.QEModel, imported only when the check runs
    by_pair: dict[_Key, Any]


def _predict_document(context: CheckContext) -> _DocumentPredictions:
    """Every translatable pair of the document in one batched call (the model batches by
    length, so one call per pair would cost many small matrix products)."""
    from fidelity.qe import load_model

    model = load_model()
    pairs = [
        pair
        for pair in make_pairs(context.original, context.version, context.alignments)
        if pair.original_segments and pair.version_segments
    ]
    predictions = model.predict(
        [(p.original_text, p.version_text) for p in pairs],
        context.original.lang,
        context.version.lang,
    )
    return _DocumentPredictions(
        model, {_key(p): pr for p, pr in zip(pairs, predictions, strict=True)}
    )


def _key(pair: AlignedPair) -> _Key:
    return (pair.alignment.original_ids, pair.alignment.version_ids)


# Opt-in (`--checks ...,learned` or a settings file's `checks`): on the project's own
# corpora this first model still flags faithful sentences, so it does not run by default.
@register(CHECK, default=False)
def check_learned(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    if context.mode != "translation":
        return []
    from fidelity.qe import model_available

    if not model_available():
        return []
    document = context.analysis(CHECK, _predict_document)
    prediction = document.by_pair.get(_key(pair))
    if prediction is None:
        return []
    model = document.model
    # Gates chosen on faithful dev pairs (fidelity.qe.training.gates): a pair the model
    # finds no likelier to be wrong than nearly all faithful translations is not reported.
    if prediction.score < float(model.thresholds.get("pair_flag", 0.0)):
        return []
    major_gate = float(
        model.thresholds.get("pair_major", model.thresholds.get("segment_major", 0.5))
    )
    evidence_base = {
        "model": f"{model.name}@{model.sha256[:12]}",
        "pair_score": round(prediction.score, 4),
    }
    findings = []
    for span in prediction.version_spans:
        if span.probability < SPAN_FLOOR:
            continue
        version_span = span_in(context.version, pair.version_segments, span.start, span.end)
        findings.append(
            Finding(
                check=CHECK,
                category=span.category,
                severity=_severity(span.severity, prediction.score, major_gate),
                message=_message(span.category, version_span.text, span.probability),
                original_span=pair.original_span(context.original),
                version_span=version_span,
                evidence={**evidence_base, "probability": span.probability},
                confidence=span.probability,
            )
        )
    for span in prediction.original_spans:
        if span.probability < SPAN_FLOOR:
            continue
        original_span = span_in(context.original, pair.original_segments, span.start, span.end)
        findings.append(
            Finding(
                check=CHECK,
                category="omission",
                severity=_severity(span.severity, prediction.score, major_gate),
                message=_message("omission", original_span.text, span.probability),
                original_span=original_span,
                version_span=pair.version_span(context.version),
                evidence={**evidence_base, "probability": span.probability},
                confidence=span.probability,
            )
        )
    return findings


def _severity(span_severity: str, pair_score: float, major_gate: float) -> Severity:
    """Major only where the words look major and the pair as a whole looks wrong beyond
    what almost any faithful translation scores: the words say where, the pair how sure."""
    if span_severity == "major" and pair_score >= major_gate:
        return Severity.MAJOR
    return Severity.MINOR


def _message(category: str, words: str, probability: float) -> str:
    sure = f"learned model, {probability:.0%}"
    if category == "omission":
        return f"“{words}” of the original seems to be missing from the version ({sure})"
    if category == "addition":
        return f"“{words}” seems to have no counterpart in the original ({sure})"
    return f"“{words}” may not say what the original says ({sure})"


def merge_with_rules(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per drift: where a rule-based check marks the same words as the model,
    keep the rule's finding (its explanation) with the model's probability in its evidence."""
    findings = list(findings)
    learned = [f for f in findings if f.check == CHECK]
    if not learned:
        return findings
    rules = [f for f in findings if f.check != CHECK]
    kept_learned = []
    for finding in learned:
        side = "original_span" if finding.category == "omission" else "version_span"
        target = getattr(finding, side)
        match = next(
            (index for index, rule in enumerate(rules) if _same_words(target, getattr(rule, side))),
            None,
        )
        if match is None:
            kept_learned.append(finding)
            continue
        rule = rules[match]
        probability = max(
            float(rule.evidence.get("learned_probability", 0.0)),
            float(finding.evidence.get("probability", 0.0)),
        )
        rules[match] = replace(rule, evidence={**rule.evidence, "learned_probability": probability})
    return rules + kept_learned


def _same_words(learned: Any, rule: Any) -> bool:
    """Both are `Span`s or None."""
    if learned is None or rule is None:
        return False
    overlap = min(learned.end, rule.end) - max(learned.start, rule.start)
    if overlap <= 0:
        return False
    return rule.end - rule.start <= 2 * (learned.end - learned.start) + SAME_WORDS_SLACK_CHARS
