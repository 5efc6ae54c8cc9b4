"""News articles saved as HTML: the story text without navigation, adverts or comments.

trafilatura (Apache-2.0) finds the article body, title, author and date in a local HTML string
(no network). The headline and the byline are put at the top of the text as paragraphs of
their own, separated by blank lines like every paragraph, so that segmentation keeps them as
segments of their own and a changed headline is checked like any sentence.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fidelity.errors import FidelityInputError
from fidelity.limits import MAX_HTML_CHARS, too_large

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class ExtractedArticle:
    title: str | None
    byline: str | None
    date: str | None  # ISO 8601 (YYYY-MM-DD) where the page states one
    text: str  # headline, byline, then body paragraphs, separated by blank lines


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    from trafilatura.settings import use_config

    config = use_config()
    # Statements and briefs are short; the default (250 characters) would drop them and fall
    # back to a crude whole-page text that runs the headline into the first paragraph.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "10")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


def extract_article(html: str, name: str) -> ExtractedArticle:
    """The article in `html` (the page's source); FidelityInputError if none is found."""
    import trafilatura

    if not html.strip():
        raise FidelityInputError("file is empty", name)
    if len(html) > MAX_HTML_CHARS.value():
        raise FidelityInputError(too_large(MAX_HTML_CHARS, "HTML page"), name)
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            config=_config(),
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken pages
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise FidelityInputError(
            f"cannot extract an article from this HTML ({reason})", name
        ) from None
    body = _clean(getattr(result, "text", None) or "") if result is not None else ""
    if not body.strip():
        raise FidelityInputError("no article text found in this HTML page", name)
    title = _one_line(getattr(result, "title", None))
    byline = _one_line(getattr(result, "author", None))
    date = _one_line(getattr(result, "date", None))
    paragraphs = [p for p in (_one_line(line) for line in body.split("\n")) if p]
    # trafilatura often keeps the <h1> as the first line; never repeat the headline.
    if title and paragraphs and _same(paragraphs[0], title):
        paragraphs.pop(0)
    if byline:
        paragraphs = [p for p in paragraphs if not _is_byline(p, byline)]
    head = [p for p in (title, byline) if p]
    text = "\n\n".join(head + paragraphs)
    if not any(ch.isalpha() for ch in text):
        raise FidelityInputError("no article text found in this HTML page", name)
    return ExtractedArticle(title=title, byline=byline, date=date, text=text)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    return text or None


def _same(a: str, b: str) -> bool:
    return a.casefold().strip(" .:") == b.casefold().strip(" .:")


def _is_byline(paragraph: str, byline: str) -> bool:
    words = paragraph.casefold().split()
    if words and words[0] in {"by", "par", "von", "por", "di", "door", "автор:", "от"}:
        words = words[1:]
    return " ".join(words).strip(" .,") == byline.casefold().strip(" .,")
