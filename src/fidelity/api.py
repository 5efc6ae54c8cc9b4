"""The library entry points the CLI calls: `check` and `align_documents`.

Inputs may be text (`str`), a file (`pathlib.Path`; `Path("-")` is stdin) or an already built
`Document`, so another program can call fidelity on strings it holds without touching disk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from fidelity import __version__, langdata, surface
from fidelity.align import FULL_MATRIX_CELLS, MODES, ModeChoice, align
from fidelity.baseline import Baseline, load_baseline
from fidelity.calibration import Calibration, load_calibration
from fidelity.checks import DEFAULT_CHECKS, REGISTRY, CheckContext, run_checks
from fidelity.checks.base import make_pairs, skipped_checks
from fidelity.checks.learned import merge_with_rules
from fidelity.checks.terminology import glossary_setting
from fidelity.embed.base import Encoder
from fidelity.embed.registry import choose_model, get_encoder
from fidelity.errors import FidelityInputError
from fidelity.io.bilingual import (
    BilingualDocuments,
    bilingual_documents,
    is_bilingual,
    read_bilingual,
)
from fidelity.io.docx import DOCX_SUFFIXES, read_docx
from fidelity.io.fetch import Url, fetch
from fidelity.io.html import HTML_SUFFIXES, extract_article
from fidelity.io.load import LoadedText, load_path, load_text
from fidelity.lang import detect_language, language_name, normalise_code
from fidelity.model import (
    Alignment,
    Document,
    Report,
    Segment,
    Severity,
    Signature,
    VersionReport,
)
from fidelity.qe import learned_model_fingerprint
from fidelity.score import (
    apply_severity_overrides,
    fidelity_score,
    load_score_weights,
    severity_overrides,
)
from fidelity.segment import segment_lines, segment_sentences
from fidelity.signature import (
    alignment_fingerprint,
    calibration_fingerprint,
    glossary_fingerprint,
    model_fingerprint,
    score_fingerprint,
    settings_fingerprint,
)

Source = str | os.PathLike[str] | Document | Url
Progress = Callable[[str], None]
T = TypeVar("T")
SPLITS = ("sentences", "lines")


@dataclass(frozen=True)
class AlignedDocuments:
    original: Document
    version: Document
    alignments: tuple[Alignment, ...]
    mode: ModeChoice
    model: str


def load_document(
    source: Source, lang: str | None = None, split: str = "sentences", name: str | None = None
) -> Document:
    """Read, identify the language of, and segment one document."""
    if isinstance(source, Document):
        return source
    if split not in SPLITS:
        raise FidelityInputError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    if isinstance(source, Url):
        loaded = fetch(source)
    elif isinstance(source, os.PathLike):
        loaded = _load_file(Path(source))
    else:
        loaded = load_text(source, name or "<text>")
    if lang:
        code, detected = normalise_code(lang), False
    else:
        code, detected = detect_language(loaded.text, loaded.source_path), True
    segments = (
        segment_lines(loaded.text, loaded.source_path)
        if split == "lines"
        else segment_sentences(loaded.text, code, loaded.source_path)
    )
    if not segments:
        raise FidelityInputError("contains no sentences", loaded.source_path)
    if not lang:
        _refuse_two_languages(loaded.text, segments, loaded.source_path)
    return Document(loaded.text, code, segments, loaded.source_path, detected, loaded.encoding)


def _refuse_two_languages(text: str, segments: tuple[Segment, ...], name: str) -> None:
    """An original with its translation pasted below it is one of the commonest slips; each
    half would be checked against the other file's language and every finding be wrong."""
    if len(segments) < 4:
        return
    middle = len(segments) // 2
    # Language identification reads a few thousand characters; so does this test.
    first = text[segments[0].start : segments[middle - 1].end][:4000]
    second = text[segments[middle].start : segments[-1].end][-4000:]
    if min(sum(ch.isalpha() for ch in first), sum(ch.isalpha() for ch in second)) < 80:
        return
    first_lang = detect_language(first, name)
    second_lang = detect_language(second, name)
    if first_lang != second_lang:
        raise FidelityInputError(
            f"starts in {language_name(first_lang)} and ends in {language_name(second_lang)}: "
            "is a version in the same file as the original? give each as its own file",
            name,
        )


def _load_file(path: Path) -> LoadedText:
    """Plain text and Markdown, news HTML (article text) and Word documents."""
    suffix = path.suffix.lower()
    if is_bilingual(path):
        raise FidelityInputError(
            "is a bilingual file (source and translation paired): check it on its own, "
            "as `fidelity check FILE`",
            str(path),
        )
    if suffix in HTML_SUFFIXES:
        raw = load_path(path)
        article = extract_article(raw.text, raw.source_path)
        return LoadedText(article.text, raw.encoding, raw.source_path)
    if suffix in DOCX_SUFFIXES:
        return LoadedText(read_docx(path), "docx", str(path))
    return load_path(path)


def check(
    original: Source,
    versions: Source | Sequence[Source] = (),
    *,
    mode: str = "auto",
    model: str | None = None,
    checks: Sequence[str] | None = None,
    fail_on: str | None = "major",
    split: str = "sentences",
    lang_original: str | None = None,
    lang_version: str | None = None,
    cache: bool = True,
    progress: Progress | None = None,
    realign: bool = False,
    settings: dict[str, object] | None = None,
    reference: Source | None = None,
    settings_label: str = "none",
    allow_network: bool = False,
    baseline: Baseline | str | os.PathLike[str] | None = None,
) -> Report:
    """Compare each version with the original and report where its meaning drifted.

    A bilingual file (XLIFF, TMX, PO) given as `original` with no versions is checked pair
    by pair as its segments are paired, unless `realign` asks for a fresh alignment. A
    `reference` translation adds chrF and TER of each version in its language against it.
    The settings' `severity` table re-grades findings before anything is decided; findings a
    `baseline` (a `Baseline` or the path of a baseline file) accepted move to `suppressed`,
    out of the score and the verdict.
    `settings_label` names the settings file the values came from (`Settings.label`), for
    the signature. `allow_network` lets a sentence-transformers model that is not on this
    machine be downloaded (documents given as `Url` carry their own consent)."""
    say = progress or (lambda _message: None)
    if mode not in MODES:
        raise FidelityInputError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    names = list(DEFAULT_CHECKS if checks is None else checks)
    settings = dict(settings or {})
    if settings.get("glossary") is not None:
        # Loaded before any embedding, so a bad glossary fails at once.
        settings["glossary"] = glossary_setting(settings["glossary"])
        if checks is None:
            names.append("terminology")
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise FidelityInputError(f"unknown check {unknown[0]!r}; available: {', '.join(REGISTRY)}")
    threshold = None if fail_on in (None, "never") else Severity.parse(fail_on)
    overrides = severity_overrides(settings.get("severity"))
    if baseline is not None and not isinstance(baseline, Baseline):
        baseline = load_baseline(baseline, missing_ok=False)
    if isinstance(versions, (str, os.PathLike, Document)):
        versions = [versions]
    say("reading")
    paired: BilingualDocuments | None = None
    if isinstance(original, os.PathLike) and is_bilingual(Path(original)) and not versions:
        paired = bilingual_documents(read_bilingual(Path(original)), lang_original, lang_version)
        original_doc, version_docs = paired.original, [paired.version]
    elif not versions:
        raise FidelityInputError("give at least one version to compare with the original")
    else:
        original_doc = load_document(original, lang_original, split, "<original>")
        version_docs = [
            load_document(v, lang_version, split, f"<version {k + 1}>")
            for k, v in enumerate(versions)
        ]
        _refuse_duplicates(original_doc, version_docs)

    reference_doc = (
        load_document(reference, lang_version, split, "<reference>") if reference else None
    )
    reports = []
    models_used: list[str] = []
    calibrations: list[Calibration] = []
    modes: list[str] = []
    checks_ran: set[str] = set()
    for version_doc in version_docs:
        say(f"embedding {version_doc.name}")
        encoder, calibration = _encoder_and_calibration(
            original_doc, version_doc, model, cache, allow_network
        )
        o_vectors, v_vectors = _embed(encoder, original_doc, version_doc)
        say(f"aligning {version_doc.name}")
        if paired is not None and not realign:
            alignments = _with_similarity(paired.alignments, o_vectors, v_vectors)
            choice = ModeChoice("translation", "segments paired by the bilingual file")
        else:
            alignments, choice = _align(
                original_doc, version_doc, o_vectors, v_vectors, calibration, mode
            )
        say(f"checking {version_doc.name}")
        context = CheckContext(
            original_doc, version_doc, choice.mode, encoder, calibration, settings,
            alignments=tuple(alignments),
        )
        pairs = make_pairs(original_doc, version_doc, alignments)
        # A check that cannot judge this pair of languages is reported, not run.
        skipped = skipped_checks(names, original_doc.lang, version_doc.lang)
        not_run = {s.check for s in skipped}
        ran = [name for name in names if name not in not_run]
        findings = apply_severity_overrides(
            merge_with_rules(run_checks(pairs, context, ran)), overrides
        )
        findings, suppressed = baseline.split(findings) if baseline is not None else (findings, [])
        findings.sort(key=_finding_order)
        reports.append(
            VersionReport(
                document=version_doc,
                mode=choice.mode,
                mode_reason=choice.reason if mode == "auto" or paired else "chosen by the user",
                alignments=tuple(alignments),
                findings=tuple(findings),
                score=fidelity_score(pairs, findings, calibration),
                model=encoder.name,
                metrics=_surface(original_doc, version_doc, alignments, reference_doc),
                skipped_checks=tuple(skipped),
                suppressed=tuple(suppressed),
            )
        )
        checks_ran.update(ran)
        _add_unique(models_used, encoder.name)
        _add_unique(calibrations, calibration)
        _add_unique(modes, choice.mode if mode == "auto" else mode)
    signature = build_signature(
        models=models_used,
        calibrations=calibrations,
        mode=("auto:" if mode == "auto" else "") + "+".join(modes),
        split="units" if paired is not None else split,
        checks=[name for name in names if name in checks_ran],  # only the checks that ran
        settings=settings,
        paired=paired is not None and not realign,
        settings_file=settings_label,
        baseline=baseline.digest if baseline is not None else "none",
    )
    return Report(original_doc, tuple(reports), threshold, signature)


def build_signature(
    *,
    models: Sequence[str],
    calibrations: Sequence[Calibration],
    mode: str,
    split: str,
    checks: Sequence[str],
    settings: Mapping[str, object],
    paired: bool,
    settings_file: str = "none",
    baseline: str = "none",
) -> Signature:
    """The one place a report's signature is decided (see `fidelity.signature`).

    Every entry names something that changes a finding, so two reports can be compared
    (and a batch resumed) only under one signature. To add an entry, append a `(key,
    value)` pair below in the order it should print; keys are short words without `:`."""
    # A glossary given as a path (as batch and the settings file give it) is read for its
    # entries: the hash is of what it says, wherever it lies.
    glossary = glossary_setting(settings.get("glossary"))
    entries: list[tuple[str, str]] = [
        ("fidelity", __version__),
        ("model", "+".join(model_fingerprint(name) for name in models)),
        ("calib", "+".join(calibration_fingerprint(c) for c in calibrations)),
        ("mode", mode),
        ("split", split),
        ("checks", ",".join(checks)),
        ("langdata", langdata.VERSION),  # the word lists' version
        ("settings", settings_fingerprint(settings)),
        ("settings-file", settings_file),  # which file they came from (config.Settings.label)
        ("glossary", glossary_fingerprint(glossary) or "none"),
        # A bilingual file's own pairing replaces the aligner (and its constants).
        ("align", "file" if paired else alignment_fingerprint()),
        ("score", score_fingerprint(load_score_weights())),
        ("baseline", baseline),  # the accepted findings' set: they leave the findings
        ("learned", learned_model_fingerprint() if "learned" in checks else "none"),
    ]
    signature = Signature()
    for key, value in entries:
        signature = signature.with_entry(key, value)
    return signature


def align_documents(
    original: Source,
    version: Source,
    *,
    mode: str = "auto",
    model: str | None = None,
    split: str = "sentences",
    lang_original: str | None = None,
    lang_version: str | None = None,
    cache: bool = True,
    allow_network: bool = False,
) -> AlignedDocuments:
    """Sentence alignment alone, as `fidelity align` prints it."""
    if mode not in MODES:
        raise FidelityInputError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    original_doc = load_document(original, lang_original, split, "<original>")
    version_doc = load_document(version, lang_version, split, "<version>")
    _refuse_duplicates(original_doc, [version_doc])
    encoder, calibration = _encoder_and_calibration(
        original_doc, version_doc, model, cache, allow_network
    )
    o_vectors, v_vectors = _embed(encoder, original_doc, version_doc)
    alignments, choice = _align(original_doc, version_doc, o_vectors, v_vectors, calibration, mode)
    return AlignedDocuments(original_doc, version_doc, tuple(alignments), choice, encoder.name)


def _align(
    original: Document,
    version: Document,
    o_vectors: np.ndarray,
    v_vectors: np.ndarray,
    calibration: Calibration,
    mode: str,
) -> tuple[list[Alignment], ModeChoice]:
    pairs = len(original.segments) * len(version.segments)
    if mode == "rereport" and pairs > FULL_MATRIX_CELLS:
        # The order-free alignment compares every sentence with every other: quadratic in
        # time and memory (5,000 x 5,000 sentences took 48 s); auto mode never picks it here.
        raise FidelityInputError(
            f"{len(original.segments):,} x {len(version.segments):,} sentences are too many for "
            f"--mode rereport (at most {FULL_MATRIX_CELLS:,} pairs); use --mode translation",
            version.source_path,
        )
    return align(
        o_vectors,
        v_vectors,
        [len(s.text) for s in original.segments],
        [len(s.text) for s in version.segments],
        calibration,
        mode,
    )


def _encoder_and_calibration(
    original: Document, version: Document, model: str | None, cache: bool,
    allow_network: bool = False,
) -> tuple[Encoder, Calibration]:
    name = choose_model({original.name: original.lang, version.name: version.lang}, model)
    encoder = get_encoder(name, cache=cache, allow_network=allow_network)
    return encoder, load_calibration(encoder)


def _embed(encoder: Encoder, original: Document, version: Document) -> tuple[np.ndarray, ...]:
    texts = [s.text for s in original.segments] + [s.text for s in version.segments]
    vectors = encoder.encode(texts)
    return vectors[: len(original.segments)], vectors[len(original.segments) :]


def _surface(
    original: Document,
    version: Document,
    alignments: Sequence[Alignment],
    reference: Document | None,
) -> dict[str, object]:
    """Surface overlap where words can be compared: same-language versions, references."""
    metrics: dict[str, object] = {}
    if version.lang == original.lang:
        metrics.update(surface.against_original(original, version, alignments))
    if reference is not None and reference.lang == version.lang:
        metrics.update(surface.against_reference(version, reference))
    return metrics


def _with_similarity(
    alignments: Sequence[Alignment], original: np.ndarray, version: np.ndarray
) -> list[Alignment]:
    """Pre-paired segments still need their similarity for the semantic check."""
    return [
        Alignment(
            a.original_ids,
            a.version_ids,
            float(original[a.original_ids[0]] @ version[a.version_ids[0]])
            if a.original_ids and a.version_ids
            else None,
        )
        for a in alignments
    ]


def _refuse_duplicates(original: Document, versions: list[Document]) -> None:
    """The same file (or the same text) twice is a slip on the command line, not a check."""
    seen = {_identity(original): original.name}
    for version in versions:
        key = _identity(version)
        if key in seen:
            raise FidelityInputError(
                f"is the same text as {seen[key]}: give the original and each version as "
                "separate files",
                version.name,
            )
        seen[key] = version.name


def _identity(doc: Document) -> str:
    return hashlib.blake2b(" ".join(doc.text.split()).encode(), digest_size=16).hexdigest()


def _finding_order(finding: object) -> tuple[int, int]:
    span = getattr(finding, "version_span", None) or getattr(finding, "original_span", None)
    return (span.start if span else 0, -int(getattr(finding, "severity", 0)))


def _add_unique(items: list[T], item: T) -> None:
    if item not in items:
        items.append(item)
