"""Markdown and standalone HTML reports: content, escaping, nesting of overlapping spans."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from lxml import html as lxml_html

import fidelity
from fidelity.model import (
    Alignment,
    Document,
    Finding,
    Report,
    Segment,
    Severity,
    Signature,
    Span,
    VersionReport,
)
from fidelity.report.html import _Mark, highlight, render_html
from fidelity.report.markdown import render_markdown

ORIGINAL = (
    "The minister said the talks could resume next week. "
    '"We are ready to negotiate without conditions," she said.'
)
VERSION = (
    'The minister said the talks will resume next week. "We are ready," she said. '
    'Officials said <b>prices</b> & "costs" | rose *sharply* after the storm.'
)
VERSION_2 = "The minister said the talks would resume soon."


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIDELITY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield fidelity.check(ORIGINAL, [VERSION, VERSION_2])


VOID = {"meta", "br", "input", "link", "img", "hr", "wbr", "source", "col", "area", "base"}


class _Structure(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while {self.stack[-3:]} open")
        else:
            self.stack.pop()


def _well_formed(markup: str) -> None:
    checker = _Structure()
    checker.feed(markup)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, f"unclosed: {checker.stack}"


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_summary_table_and_signature(report: Report) -> None:
    text = render_markdown(report)
    assert text.startswith("# Fidelity report")
    verdict = "**FAIL**" if report.failed else "**PASS**"
    assert verdict in text
    assert "| version | lang | mode | score | critical | major | minor |" in text
    for version in report.versions:
        counts = [
            sum(f.severity == s for f in version.findings)
            for s in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
        ]
        assert f"| {version.score:.2f} | {counts[0]} | {counts[1]} | {counts[2]} |" in text
    assert f"Signature: `{report.signature}`" in text


def test_markdown_findings_table(report: Report) -> None:
    text = render_markdown(report)
    findings = [f for v in report.versions for f in v.findings]
    assert findings, "the short pair should drift"
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(findings)
    for row, finding in zip(rows, findings, strict=True):
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == 9, row  # seven cells between the pipes, escaped pipes kept inside
        assert "↔" in cells[2]  # sentence numbers (from 1) on both sides
        assert finding.severity.label in cells[3]
        assert finding.check in cells[4]
        span = finding.version_span
        if span is not None and len(span.text) < 100:
            assert "**" in cells[6]
    # Document text cannot break the table or inject markup.
    assert "<b>" not in text
    assert r"\<b\>prices\</b\>" in text or "Officials" not in text
    if "Officials" in text:
        assert r"\| rose \*sharply\*" in text


def test_markdown_bold_span() -> None:
    doc_o = _doc("The talks could resume next week.", "en")
    doc_v = _doc("The talks will resume next week.", "en")
    finding = Finding(
        "modality",
        "mistranslation",
        Severity.MAJOR,
        "hedge “could” became certainty “will”",
        Span(10, 15, "could"),
        Span(10, 14, "will"),
    )
    text = render_markdown(_report(doc_o, doc_v, [finding]))
    assert "The talks **could** resume next week." in text
    assert "The talks **will** resume next week." in text
    assert "| 1 | s1 ↔ s1 | **major** | modality |" in text


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_standalone_and_well_formed(report: Report) -> None:
    page = render_html(report)
    _well_formed(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//*[@src]"), "no external scripts or images"
    assert not tree.xpath("//link"), "no external stylesheets"
    assert not [h for h in tree.xpath("//a/@href") if not h.startswith("#")]
    assert "@media (max-width:700px)" in page
    assert tree.xpath("//meta[@name='viewport']")


def test_html_summary_rows_and_findings(report: Report) -> None:
    tree = lxml_html.fromstring(render_html(report))
    verdict = tree.xpath("//p[contains(@class,'verdict')]")[0].text_content()
    assert verdict.startswith("FAIL" if report.failed else "PASS")
    assert len(tree.xpath("//section[@class='version']")) == len(report.versions)
    findings = [f for v in report.versions for f in v.findings]
    items = tree.xpath("//li[contains(@class,'finding')]")
    assert [i.get("id") for i in items] == [f"f-{n}" for n in range(1, len(findings) + 1)]
    for item, finding in zip(items, findings, strict=True):
        assert f"sev-{finding.severity.label}" in item.get("class")
        assert finding.message in item.text_content()
    marks = tree.xpath("//mark")
    assert marks
    numbers = {i.get("data-finding") for i in items}
    for mark in marks:
        assert mark.get("data-finding") in numbers
        sev = next(c for c in mark.get("class").split() if c.startswith("sev-"))
        assert sev in {"sev-critical", "sev-major", "sev-minor"}
        finding = findings[int(mark.get("data-finding")) - 1]
        assert finding.message in mark.get("title")
    # One row a bead, in each version's grid; cells carry the language of their document.
    for section, version in zip(
        tree.xpath("//section[@class='version']"), report.versions, strict=True
    ):
        rows = section.xpath(".//div[contains(@class,'row') and not(contains(@class,'head'))]")
        assert len(rows) == len(version.alignments)
        for row, alignment in zip(rows, version.alignments, strict=True):
            assert ("omitted" in row.get("class")) == (not alignment.version_ids)
            assert ("added" in row.get("class")) == (not alignment.original_ids)
        assert section.xpath(".//div[contains(@class,'cell orig')]")[0].get("lang") == "en"


def test_html_escapes_document_text(report: Report) -> None:
    page = render_html(report)
    assert "&lt;b&gt;prices&lt;/b&gt; &amp; &quot;costs&quot; | rose" in page
    tree = lxml_html.fromstring(page)
    cells = tree.xpath("//div[contains(@class,'cell ver')]")
    assert any('<b>prices</b> & "costs"' in c.text_content() for c in cells)
    assert not tree.xpath("//div[contains(@class,'cell')]//b[text()='prices']")


def test_html_rtl_and_overlapping_spans() -> None:
    original = _doc("قال الوزير إن المحادثات قد تستأنف الأسبوع المقبل.", "ar")
    version = _doc('The minister said the talks <will> resume "next week" & more.', "en")
    may = original.text.index("قد")
    will = version.text.index("<will>")
    cross = (will + 3, version.text.index("&"))  # from inside "<will>" to past "next week"
    findings = [
        Finding(
            "semantic",
            "mistranslation",
            Severity.MINOR,
            "whole sentence",
            None,
            Span(0, len(version.text), version.text),
        ),
        Finding(
            "modality",
            "mistranslation",
            Severity.MAJOR,
            'hedge "may" became <will>',
            Span(may, may + 2, "قد"),
            Span(will, will + 6, "<will>"),
        ),
        Finding(
            "numbers",
            "mistranslation",
            Severity.CRITICAL,
            "crossing span",
            None,
            Span(*cross, version.text[cross[0] : cross[1]]),
        ),
    ]
    page = render_html(_report(original, version, findings))
    _well_formed(page)
    tree = lxml_html.fromstring(page)
    o_cell = tree.xpath("//div[contains(@class,'cell orig')]")[0]
    v_cell = tree.xpath("//div[contains(@class,'cell ver')]")[0]
    assert o_cell.get("dir") == "rtl" and o_cell.get("lang") == "ar"
    assert v_cell.get("dir") == "ltr" and v_cell.get("lang") == "en"
    # The text is intact around the marks (labels aside).
    assert v_cell.text_content().removeprefix("version") == version.text
    assert o_cell.text_content().removeprefix("original") == original.text
    assert o_cell.xpath(".//mark[@data-finding='2']")[0].text_content() == "قد"
    crossing = v_cell.xpath(".//mark[@data-finding='3']")
    assert "".join(m.text_content() for m in crossing) == version.text[cross[0] : cross[1]]
    assert len(crossing) == 2  # split where it crosses the modality span
    assert v_cell.xpath(".//mark[@class='sev-minor']//mark[@class='sev-major']")
    title = v_cell.xpath(".//mark[@data-finding='2']")[0].get("title")
    assert title == 'major · modality: hedge "may" became <will>'


def test_highlight_nests_random_spans() -> None:
    rng = random.Random(7)
    text = 'Ab<c> & "d" ef ghij klm nopq rstu vw xyz 0123456789'
    for _ in range(300):
        marks = []
        for number in range(1, rng.randint(1, 6) + 1):
            start = rng.randrange(0, len(text))
            end = rng.randrange(start + 1, len(text) + 1)
            severity = rng.choice(list(Severity))
            finding = Finding("x", "x", severity, f"m{number}", None, Span(start, end, ""))
            marks.append(_Mark(start, end, number, finding))
        lo = rng.randrange(0, len(text) // 2)
        hi = rng.randrange(lo + 1, len(text) + 1)
        markup = highlight(text, lo, hi, marks)
        _well_formed(markup)
        covered = _coverage(markup)
        assert "".join(ch for ch, _ in covered) == text[lo:hi]
        for offset, (_ch, numbers) in enumerate(covered, start=lo):
            expected = {m.number for m in marks if m.start <= offset < m.end}
            assert numbers == expected


def _coverage(markup: str) -> list[tuple[str, set[int]]]:
    """Each character of the text with the findings of the marks around it."""

    class Walk(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[int] = []
            self.chars: list[tuple[str, set[int]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.open.append(int(dict(attrs)["data-finding"] or 0))

        def handle_endtag(self, tag: str) -> None:
            self.open.pop()

        def handle_data(self, data: str) -> None:
            self.chars.extend((ch, set(self.open)) for ch in data)

    walk = Walk()
    walk.feed(markup)
    walk.close()
    return walk.chars


# --- helpers -----------------------------------------------------------------------------------


def _doc(text: str, lang: str) -> Document:
    return Document(text, lang, (Segment(0, text, 0, len(text)),), f"doc.{lang}.txt")


def _report(original: Document, version: Document, findings: list[Finding]) -> Report:
    signature = Signature((("fidelity", "0.0.0"), ("model", "test"), ("checks", "modality")))
    version_report = VersionReport(
        document=version,
        mode="translation",
        mode_reason="test",
        alignments=(Alignment((0,), (0,), 0.9),),
        findings=tuple(findings),
        score=0.5,
        model="test",
    )
    return Report(original, (version_report,), Severity.MAJOR, signature)
