"""Digits of every script as ASCII digits, offsets unchanged."""

from __future__ import annotations

import re

# Arabic-Indic, Persian and full-width digits and signs, mapped one character to one, so
# offsets into the normalised text are offsets into the original text.
_LOCAL_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９٫٬٪％，．"
_DIGIT_MAP = str.maketrans(_LOCAL_DIGITS, "012345678901234567890123456789.,%%,.")
_HAS_LOCAL_DIGIT = re.compile(f"[{_LOCAL_DIGITS}]")


def normalise_digits(text: str) -> str:
    # Most text has none: a scan in C is much cheaper than translating every character.
    return text.translate(_DIGIT_MAP) if _HAS_LOCAL_DIGIT.search(text) else text
