"""Property-based tests (Hypothesis): arbitrary bytes and text through the loaders, the
segmenter, the number, date and name readers and the bilingual parsers.

Each loader either returns its result or raises FidelityInputError: anything else reaching a
user would be a traceback. Each example has a deadline, and the example counts are kept low
enough that the whole file runs in well under a minute.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.errors import FidelityInputError
from fidelity.io.bilingual import read_bilingual
from fidelity.io.docx import docx_text, read_docx
from fidelity.io.glossary import load_glossary
from fidelity.io.html import extract_article
from fidelity.io.load import decode, load_path
from fidelity.readers.dates import find_dates
from fidelity.readers.figures import find_figures, find_times
from fidelity.readers.gazetteer import find_gazetteer
from fidelity.readers.names import find_names, initial_names
from fidelity.segment import segment_lines, segment_sentences

FUZZ = settings(
    max_examples=100,
    deadline=timedelta(seconds=3),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LANGS = ("en", "ru", "fr", "de", "es", "uk", "ar", "zh", "ja")

# Pieces of wire copy, so that generated text reaches the readers' deeper branches (dates,
# figures with units, names, quotes, abbreviations) and not only their first refusals.
NEWSY = st.lists(
    st.sampled_from(
        [
            "The", "minister", "Vladimir Putin", "said", "on", "12 March 2024", "May 5,",
            "3.5", "million", "1,200", "tonnes", "%", "per cent", "at 14:30", "Mr.", "U.S.",
            "approx.", "(", ")", "«", "»", "“", "”", '"', "—", ";", ",", ".", "!", "?", "\n",
            "\n\n", "Москва", "12 марта", "тыс.", "г.", "中国", "。", "３月", "الرئيس", "٣",
            "Paris", "IMF", "the", "Sunday", "1990s", "3rd", "-", "½", "\t", "  ",
        ]
    ),
    max_size=60,
).map(" ".join)
TEXT = st.one_of(st.text(max_size=400), NEWSY)


# ---------------------------------------------------------------------------------------------
# Loaders


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_returns_text_or_a_user_error(data: bytes) -> None:
    try:
        loaded = decode(data, "fuzz.txt")
    except FidelityInputError as error:
        assert error.path == "fuzz.txt"
        assert "\n" not in str(error)
        return
    assert loaded.text.strip()


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".html", ".docx", ".csv"]))
def test_file_loaders_return_text_or_a_user_error(tmp_path: Path, data: bytes, suffix: str):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        if suffix == ".docx":
            text = read_docx(path)
        elif suffix == ".html":
            text = extract_article(load_path(path).text, str(path)).text
        elif suffix == ".csv":
            text = str(len(load_glossary(path).entries))
        else:
            text = load_path(path).text
    except FidelityInputError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(text, str)


@FUZZ
@given(TEXT)
def test_word_xml_with_any_text_in_it(text: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    cleaned = "".join(ch for ch in text if ch in "\t\n\r" or ch >= " ")
    cleaned = "".join(ch for ch in cleaned if not 0xD800 <= ord(ch) <= 0xDFFF)
    cleaned = cleaned.replace("\ufffe", "").replace("\uffff", "")
    xml = (
        f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t xml:space="preserve">'
        f"{escape(cleaned)}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    try:
        result = docx_text(xml)
    except FidelityInputError:
        assert not any(ch.isalpha() for ch in cleaned)
        return
    assert any(ch.isalpha() for ch in result)


# ---------------------------------------------------------------------------------------------
# The segmenter


def _assert_segments(text: str, segments, max_chars: int) -> None:
    previous_end = 0
    for index, segment in enumerate(segments):
        assert segment.index == index
        assert previous_end <= segment.start < segment.end <= len(text)
        assert text[segment.start : segment.end] == segment.text
        assert segment.text.strip() == segment.text and segment.text
        assert len(segment.text) <= max_chars
        previous_end = segment.end
    covered = "".join(s.text for s in segments)
    assert "".join(covered.split()) == "".join(text.split())


@FUZZ
@given(TEXT, st.sampled_from(LANGS), st.integers(min_value=5, max_value=200))
def test_sentences_cover_the_text_in_order_within_the_limits(
    monkeypatch: pytest.MonkeyPatch, text: str, lang: str, max_chars: int
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENT_CHARS", str(max_chars))
    segments = segment_sentences(text, lang)
    _assert_segments(text, segments, max_chars)
    assert len(segments) <= len(text)


@FUZZ
@given(TEXT, st.integers(min_value=5, max_value=200))
def test_lines_cover_the_text_in_order_within_the_limits(
    monkeypatch: pytest.MonkeyPatch, text: str, max_chars: int
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENT_CHARS", str(max_chars))
    _assert_segments(text, segment_lines(text), max_chars)


@FUZZ
@given(TEXT, st.integers(min_value=1, max_value=5))
def test_the_segment_count_is_bounded(
    monkeypatch: pytest.MonkeyPatch, text: str, most: int
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENTS", str(most))
    try:
        segments = segment_sentences(text, "en", "story.txt")
    except FidelityInputError as error:
        assert error.path == "story.txt" and "FIDELITY_MAX_SEGMENTS" in error.reason
        return
    assert len(segments) <= most


# ---------------------------------------------------------------------------------------------
# Readers


@FUZZ
@given(TEXT, st.sampled_from(LANGS))
def test_readers_return_spans_inside_the_text(text: str, lang: str) -> None:
    for found in (
        find_dates(text, lang),
        find_figures(text, lang),
        find_times(text),
        find_names(text, lang),
        find_gazetteer(text, lang),
    ):
        for mention in found:
            assert 0 <= mention.start <= mention.end <= len(text)
    assert isinstance(initial_names(text, lang), frozenset)


# ---------------------------------------------------------------------------------------------
# Bilingual parsers


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".xlf", ".tmx", ".po"]))
def test_bilingual_parsers_on_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        result = read_bilingual(path)
    except FidelityInputError as error:
        assert "\n" not in str(error)
        return
    assert result.units


def _xml_safe(text: str) -> str:
    kept = "".join(
        ch for ch in text if (ch in "\t\n\r" or ch >= " ") and not 0xD800 <= ord(ch) <= 0xDFFF
    )
    return escape(kept.replace("\ufffe", "").replace("\uffff", ""))


@FUZZ
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), TEXT)), min_size=1, max_size=5))
def test_xliff_and_tmx_with_any_text_in_their_units(tmp_path: Path, units) -> None:
    xliff_units = "".join(
        f'<trans-unit id="{k}"><source>{_xml_safe(s)}</source>'
        + ("" if t is None else f"<target>{_xml_safe(t)}</target>")
        + "</trans-unit>"
        for k, (s, t) in enumerate(units)
    )
    xliff = (
        '<xliff version="1.2"><file source-language="en" target-language="fr"><body>'
        f"{xliff_units}</body></file></xliff>"
    )
    tmx_units = "".join(
        f'<tu><tuv xml:lang="en"><seg>{_xml_safe(s)}</seg></tuv>'
        + ("" if t is None else f'<tuv xml:lang="fr"><seg>{_xml_safe(t)}</seg></tuv>')
        + "</tu>"
        for s, t in units
    )
    tmx = f'<tmx version="1.4"><header srclang="en"/><body>{tmx_units}</body></tmx>'
    for name, content in (("f.xlf", xliff), ("f.tmx", tmx)):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        try:
            result = read_bilingual(path)
        except FidelityInputError as error:
            assert "no translation units" in error.reason
            continue
        for unit in result.units:
            assert unit.source and unit.source == " ".join(unit.source.split())


@FUZZ
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_po_with_any_text_in_its_entries(tmp_path: Path, entries) -> None:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    body = "".join(
        f"msgctxt {quoted(str(k))}\nmsgid {quoted(s)}\nmsgstr {quoted(t)}\n\n"
        for k, (s, t) in enumerate(entries)
    )
    path = tmp_path / "f.po"
    path.write_text(body, encoding="utf-8")
    try:
        result = read_bilingual(path)
    except FidelityInputError as error:
        assert "\n" not in str(error)
        return
    assert all(unit.source for unit in result.units)
