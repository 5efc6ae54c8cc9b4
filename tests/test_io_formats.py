"""Readers for bilingual files (XLIFF 1.2/2.0, TMX, PO), news HTML and Word documents."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fidelity.errors import FidelityInputError
from fidelity.io.bilingual import (
    Unit,
    bilingual_documents,
    is_bilingual,
    read_bilingual,
)
from fidelity.io.docx import read_docx
from fidelity.io.html import extract_article
from fidelity.segment import segment_sentences

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="fr-FR" datatype="plaintext" original="story.txt">
    <body>
      <trans-unit id="t1">
        <source>The minister <g id="1">said</g> the plan <x id="2"/>will start in May.</source>
        <target>Le ministre <g id="1">a dit</g> que le plan commencera en mai.</target>
      </trans-unit>
      <group id="g1">
        <trans-unit id="t2">
          <source>Prices rose <ph id="3">&lt;b&gt;</ph>5 percent &amp; more.</source>
          <target>Les prix ont augmenté de 5 %.</target>
        </trans-unit>
      </group>
      <trans-unit id="t3">
        <source>He also resigned.</source>
      </trans-unit>
      <trans-unit id="t4" translate="no">
        <source>BRUSSELS</source>
      </trans-unit>
      <trans-unit id="t5">
        <source>Talks continue.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment id="s1">
        <source>Министр заявил, что <pc id="1">план</pc> начнётся в мае.</source>
        <target>The minister said the <pc id="1">plan</pc> would start in May.</target>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2">
        <source>Цены выросли на 5%.<ph id="2"/></source>
        <target>Prices rose 5%.</target>
      </segment>
    </unit>
    <group id="g">
      <unit id="u2">
        <segment>
          <source>Переговоры продолжаются.</source>
        </segment>
      </unit>
    </group>
  </file>
</xliff>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none"
          adminlang="en" srclang="en-US" datatype="plaintext"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="en-US"><seg>The talks <hi>may</hi> resume on Monday.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Die Gespräche <bpt i="1">&lt;i&gt;</bpt>könnten<ept i="1">&lt;/i&gt;</ept> am Montag weitergehen.</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="en-US"><seg>No agreement was reached.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="de-DE"><seg>Es gab 3 Verletzte.</seg></tuv>
      <tuv xml:lang="en-US"><seg>Three people were injured.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

PO = r"""# Test catalogue
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"

#: story.txt:1
msgid "The minister said the plan will start in May."
msgstr "El ministro dijo que el plan empezará en mayo."

#, fuzzy
msgctxt "headline"
msgid "Prices rose 5 percent."
msgstr "Los precios subieron un 7 por ciento."

msgid "He also resigned."
msgstr ""

msgid "One person was injured."
msgid_plural "%d people were injured."
msgstr[0] "Una persona resultó herida."
msgstr[1] "%d personas resultaron heridas."

#~ msgid "Old sentence."
#~ msgstr "Frase antigua."
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_is_bilingual_by_extension() -> None:
    for name in ("job.xlf", "job.XLIFF", "memory.tmx", "messages.po"):
        assert is_bilingual(Path(name))
    for name in ("story.txt", "story.html", "story.docx", "notes.md"):
        assert not is_bilingual(Path(name))


def test_xliff12(tmp_path: Path) -> None:
    result = read_bilingual(_write(tmp_path, "job.xlf", XLIFF12))
    assert result.format == "xliff-1.2"
    assert (result.source_lang, result.target_lang) == ("en", "fr-FR")
    assert result.units == [
        Unit("t1", "The minister said the plan will start in May.", result.units[0].target),
        Unit("t2", "Prices rose 5 percent & more.", "Les prix ont augmenté de 5 %."),
        Unit("t3", "He also resigned.", None),
        Unit("t5", "Talks continue.", None),
    ]
    assert result.units[0].target == "Le ministre a dit que le plan commencera en mai."
    assert result.skipped == 1  # translate="no"
    assert [u.id for u in result.missing] == ["t3", "t5"]


def test_xliff20_segments_and_missing_target(tmp_path: Path) -> None:
    result = read_bilingual(_write(tmp_path, "job.xliff", XLIFF20))
    assert result.format == "xliff-2.0"
    assert (result.source_lang, result.target_lang) == ("ru", "en")
    assert [u.id for u in result.units] == ["u1/s1", "u1/s2", "u2"]
    assert result.units[0].source == "Министр заявил, что план начнётся в мае."
    assert result.units[0].target == "The minister said the plan would start in May."
    assert result.units[1] == Unit("u1/s2", "Цены выросли на 5%.", "Prices rose 5%.")
    assert result.units[2].target is None


def test_tmx_with_missing_target(tmp_path: Path) -> None:
    result = read_bilingual(_write(tmp_path, "memory.tmx", TMX))
    assert result.format == "tmx"
    assert (result.source_lang, result.target_lang) == ("en-US", "de-DE")
    assert result.units[0] == Unit(
        "1", "The talks may resume on Monday.", "Die Gespräche könnten am Montag weitergehen."
    )
    assert result.units[1] == Unit("2", "No agreement was reached.", None)
    # Variants in any order; a unit without tuid is numbered by position.
    assert result.units[2] == Unit("3", "Three people were injured.", "Es gab 3 Verletzte.")


def test_tmx_srclang_all(tmp_path: Path) -> None:
    text = TMX.replace('srclang="en-US"', 'srclang="*all*"')
    result = read_bilingual(_write(tmp_path, "memory.tmx", text))
    assert (result.source_lang, result.target_lang) == ("en-US", "de-DE")
    assert len(result.units) == 3


def test_po(tmp_path: Path) -> None:
    result = read_bilingual(_write(tmp_path, "messages.po", PO))
    assert result.format == "po"
    assert result.source_lang is None
    assert result.target_lang == "es"
    sources = [u.source for u in result.units]
    assert sources == [
        "The minister said the plan will start in May.",
        "Prices rose 5 percent.",
        "He also resigned.",
        "One person was injured.",
        "%d people were injured.",
    ]
    by_source = {u.source: u for u in result.units}
    assert by_source["Prices rose 5 percent."].target == "Los precios subieron un 7 por ciento."
    assert by_source["Prices rose 5 percent."].id.startswith("headline|")
    assert by_source["He also resigned."].target is None
    assert by_source["%d people were injured."].target == "%d personas resultaron heridas."
    assert "Old sentence." not in sources  # obsolete entries are not part of the catalogue


def test_malformed_xliff_names_file_and_line(tmp_path: Path) -> None:
    broken = XLIFF12.replace(
        "</target>\n      </trans-unit>\n      <group", "\n      </trans-unit>\n      <group", 1
    )
    path = _write(tmp_path, "broken.xlf", broken)
    with pytest.raises(FidelityInputError) as error:
        read_bilingual(path)
    message = str(error.value)
    assert str(path) in message
    assert "malformed XML at line" in message
    assert "\n" not in message


def test_not_a_bilingual_xml(tmp_path: Path) -> None:
    path = _write(tmp_path, "page.xlf", "<html><body>hello</body></html>")
    with pytest.raises(FidelityInputError, match="not an XLIFF or TMX file"):
        read_bilingual(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(FidelityInputError, match="empty"):
        read_bilingual(_write(tmp_path, "empty.tmx", "  \n"))
    with pytest.raises(FidelityInputError, match="no such file"):
        read_bilingual(tmp_path / "absent.xlf")
    no_units = '<xliff version="1.2"><file source-language="en"><body/></file></xliff>'
    with pytest.raises(FidelityInputError, match="no translation units"):
        read_bilingual(_write(tmp_path, "none.xlf", no_units))


def test_malformed_po(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.po", 'msgid "a"\nmsgstr "b"\ngarbage here\n')
    with pytest.raises(FidelityInputError) as error:
        read_bilingual(path)
    assert str(path) in str(error.value)
    assert "malformed PO" in str(error.value)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>Hello &e; world.</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Bonjour le monde.</seg></tuv></tu></body></tmx>'
    )
    result = read_bilingual(_write(tmp_path, "x.tmx", text))
    assert "SECRET" not in result.units[0].source


def test_bilingual_documents_are_pre_aligned(tmp_path: Path) -> None:
    bilingual = read_bilingual(_write(tmp_path, "job.xlf", XLIFF12))
    docs = bilingual_documents(bilingual)
    assert docs.original.lang == "en" and docs.version.lang == "fr"
    assert len(docs.original.segments) == 4 and len(docs.version.segments) == 2
    for doc in (docs.original, docs.version):
        for segment in doc.segments:
            assert doc.text[segment.start : segment.end] == segment.text
    pairs = [(a.original_ids, a.version_ids) for a in docs.alignments]
    assert pairs == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
    assert docs.unit_ids == ("t1", "t2", "t3", "t5")


# --- news HTML ---------------------------------------------------------------------------------

ARTICLE = """<!doctype html>
<html lang="en"><head><title>Fires spread in south | The Daily</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-08-02T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Fires spread across the south &amp; force evacuations</h1>
<p class="byline">By Jane Doe</p>
<p>Wildfires forced the evacuation of 3,000 people on Friday, officials said. The blaze
began near the coast.</p>
<p>The regional prefect said the fire "may be contained by Sunday" if winds drop.</p>
</article>
<footer>Copyright 2024 The Daily. All rights reserved.</footer></body></html>
"""


def test_html_article_keeps_headline_and_byline_as_own_segments() -> None:
    article = extract_article(ARTICLE, "story.html")
    assert article.title == "Fires spread across the south & force evacuations"
    assert article.byline == "Jane Doe"
    assert article.date == "2024-08-02"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == article.title
    assert paragraphs[1] == "Jane Doe"
    assert paragraphs[2].startswith("Wildfires forced the evacuation of 3,000 people")
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.text.count("Fires spread across the south") == 1
    segments = [s.text for s in segment_sentences(article.text, "en")]
    assert segments[0] == article.title
    assert segments[1] == "Jane Doe"
    assert segments[2].startswith("Wildfires")


def test_html_without_article_text() -> None:
    with pytest.raises(FidelityInputError, match="no article text") as error:
        extract_article(
            "<html><body><nav></nav><script>var x = 1;</script></body></html>", "x.html"
        )
    assert "x.html" in str(error.value)
    with pytest.raises(FidelityInputError, match="empty"):
        extract_article("   ", "blank.html")


# --- Word --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx(path: Path, body: str, *, document: bool = True) -> Path:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        if document:
            archive.writestr("word/document.xml", xml)
    return path


def test_docx_paragraphs(tmp_path: Path) -> None:
    body = (
        '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Talks resume</w:t></w:r></w:p>'
        "<w:p/>"
        '<w:p><w:r><w:t xml:space="preserve">The minister </w:t></w:r>'
        '<w:ins w:id="1" w:author="ed"><w:r><w:t xml:space="preserve">firmly </w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="ed"><w:r><w:delText>never </w:delText></w:r></w:del>'
        "<w:r><w:t>said the plan will start in May.</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Prices rose 5 percent &amp; more.</w:t></w:r></w:p>"
        "</w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>Casualties:</w:t><w:tab/><w:t>three.</w:t></w:r></w:p>"
    )
    text = read_docx(_docx(tmp_path / "story.docx", body))
    assert text == (
        "Talks resume\n\n"
        "The minister firmly said the plan will start in May.\n\n"
        "Prices rose 5 percent & more.\n\n"
        "Casualties: three."
    )


def test_corrupt_docx(tmp_path: Path) -> None:
    not_zip = tmp_path / "fake.docx"
    not_zip.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(FidelityInputError, match=r"not a valid \.docx") as error:
        read_docx(not_zip)
    assert str(not_zip) in str(error.value)

    no_document = _docx(tmp_path / "empty.docx", "", document=False)
    with pytest.raises(FidelityInputError, match="not a Word document"):
        read_docx(no_document)

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body><w:p>')
    with pytest.raises(FidelityInputError, match="malformed"):
        read_docx(broken)

    blank = _docx(tmp_path / "blank.docx", "<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")
    with pytest.raises(FidelityInputError, match="no text"):
        read_docx(blank)


def test_bilingual_units_over_the_limits_are_refused(tmp_path: Path, monkeypatch) -> None:
    path = _write(tmp_path, "messages.po", PO)
    monkeypatch.setenv("FIDELITY_MAX_SEGMENT_CHARS", "30")
    with pytest.raises(FidelityInputError, match="longer than 30 characters"):
        read_bilingual(path)
    monkeypatch.delenv("FIDELITY_MAX_SEGMENT_CHARS")
    monkeypatch.setenv("FIDELITY_MAX_SEGMENTS", "3")
    with pytest.raises(FidelityInputError, match="more than 3 segments"):
        read_bilingual(path)


def test_docx_parts_are_read_inflated_only_up_to_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FIDELITY_MAX_XML_BYTES", "2000")
    big = _docx(tmp_path / "big.docx", "<w:p><w:r><w:t>Prices rose.</w:t></w:r></w:p>" * 100)
    with pytest.raises(FidelityInputError, match=r"word/document\.xml is larger than"):
        read_docx(big)
    assert read_docx(_docx(tmp_path / "small.docx", "<w:p><w:r><w:t>Ok.</w:t></w:r></w:p>"))
