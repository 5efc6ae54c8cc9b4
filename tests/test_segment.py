from __future__ import annotations

import pytest

from fidelity.errors import FidelityInputError
from fidelity.segment import segment_lines, segment_sentences


def _texts(text: str, lang: str) -> list[str]:
    segments = segment_sentences(text, lang)
    for segment in segments:
        assert text[segment.start : segment.end] == segment.text
    return [s.text for s in segments]


def test_offsets_point_into_the_original_text() -> None:
    text = "  First sentence here.   Second one follows!\n\nThird after a break."
    assert _texts(text, "en") == [
        "First sentence here.",
        "Second one follows!",
        "Third after a break.",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Dr. Smith met U.S. officials. He left.", "en", 2),
        ("Об этом сообщил г. Иванов, т.е. глава МВД. Он уехал.", "ru", 2),
        ("Selon M. Dupont, la situation est grave. Il est parti.", "fr", 2),
        ("В. Путин согласился с этим. Встреча закончилась.", "ru", 2),
    ],
)
def test_abbreviations_and_initials_do_not_end_sentences(
    text: str, lang: str, expected: int
) -> None:
    assert len(_texts(text, lang)) == expected


def test_a_quote_stays_with_its_attribution() -> None:
    text = "«Мы не допустим этого», — сказал он. Потом он ушёл."
    assert _texts(text, "ru")[0] == "«Мы не допустим этого», — сказал он."
    text = "“We will not allow this. Never,” he said. Then he left."
    assert _texts(text, "en")[0] == "“We will not allow this. Never,” he said."


def test_chinese_and_arabic_punctuation_end_sentences() -> None:
    assert len(_texts("外交部发言人表示反对。他补充说，中方将采取措施。", "zh")) == 2
    assert len(_texts("قال المتحدث إن الوضع خطير. وأضاف أن الحكومة ستتحرك؟ وانتهى الاجتماع.", "ar")) == 3


def test_a_headline_line_is_its_own_segment() -> None:
    assert _texts("Putin-Pashinyan talks\nThe leaders spoke on Monday.", "en") == [
        "Putin-Pashinyan talks",
        "The leaders spoke on Monday.",
    ]


def test_lines_mode_keeps_each_non_empty_line() -> None:
    text = "one. two.\n\nthree\n"
    segments = segment_lines(text)
    assert [s.text for s in segments] == ["one. two.", "three"]
    assert [(s.start, s.end) for s in segments] == [(0, 9), (11, 16)]


def test_a_chinese_full_stop_before_a_digit_still_ends_a_sentence() -> None:
    text = "前三季度增长3.2%。1至9月份，投资下降。他说：“我们有信心。一定会好。”"
    assert _texts(text, "zh") == ["前三季度增长3.2%。", "1至9月份，投资下降。", "他说：“我们有信心。一定会好。”"]


def test_a_long_run_without_a_sentence_end_is_cut_at_clause_then_word_boundaries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENT_CHARS", "100")
    clause = "the ministry said exports may fall by a third next year, "
    text = clause * 20 + "word " * 200
    segments = segment_sentences(text, "en")
    assert all(len(s.text) <= 100 for s in segments)
    assert all(text[s.start : s.end] == s.text for s in segments)
    assert segments[0].text.endswith(",")
    assert all(not s.text.startswith(("d ", "rd ")) for s in segments)
    assert "".join(s.text for s in segments).replace(" ", "") == text.replace(" ", "")
    no_spaces = "x" * 1050
    assert [len(s.text) for s in segment_sentences(no_spaces, "en")] == [100] * 10 + [50]


def test_long_lines_are_cut_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENT_CHARS", "50")
    text = "short line\n" + "word " * 40 + "\nlast"
    segments = segment_lines(text)
    assert segments[0].text == "short line" and segments[-1].text == "last"
    assert all(len(s.text) <= 50 and text[s.start : s.end] == s.text for s in segments)


def test_documents_over_the_segment_or_character_limit_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_SEGMENTS", "10")
    with pytest.raises(FidelityInputError, match="more than 10 segments") as caught:
        segment_sentences("It rained. " * 11, "en", "story.txt")
    assert str(caught.value).startswith("story.txt: ")
    assert len(segment_sentences("It rained. " * 10, "en")) == 10
    with pytest.raises(FidelityInputError, match="FIDELITY_MAX_SEGMENTS"):
        segment_lines("line\n" * 11)
    monkeypatch.setenv("FIDELITY_MAX_CHARS", "100")
    with pytest.raises(FidelityInputError, match="FIDELITY_MAX_CHARS"):
        segment_sentences("x" * 101, "en")


def test_a_long_run_of_abbreviations_is_rejoined_in_linear_time() -> None:
    """Each piece sentencex cuts after "approx." is joined to the next; re-reading the whole
    joined run at each step took 12 s for 20,000 of them."""
    import time

    started = time.monotonic()
    segments = segment_sentences("approx. " * 20_000 + "Then it rained.", "en")
    assert time.monotonic() - started < 3
    assert segments[-1].text.endswith("rained.")
