from __future__ import annotations

import pytest

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
