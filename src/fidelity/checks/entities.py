"""Names must stay the names they were: Slovakia is not Slovenia, the IMF is not the World Bank.

A swapped name keeps a sentence's shape and most of its embedding, so it has to be caught by
reading the names themselves. Countries (in every language, from the CLDR data that Babel
ships), major organisations and cities (a small alias table, since "МВФ", "FMI" and
"صندوق النقد الدولي" share no letters) are reduced to one identifier per entity, in any
inflection ("Словакии", "lituanien"). Other names are read from capitalised words in the
scripts that have case, and compared across scripts by transliteration (anyascii) and fuzzy
matching (rapidfuzz), so "Белозерская" finds "Belozerskaya" and "Budapeshte" finds
"Budapest".

Only what is sure is reported: an entity of the original whose place in the version is held
by a different entity of the same kind (critical), or an organisation or a person's full name
with no counterpart at all (major). Countries mentioned in one side only are not reported:
"Chinese" and "the country" render them as often as their names do.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from fidelity.checks.base import AlignedPair, CheckContext, mention_spans, register
from fidelity.checks.words import zipf
from fidelity.model import Document, Finding, Severity

LANGS = ("en", "ru", "fr", "es", "de", "it", "pt", "ar", "zh")
ORG_LANGS = frozenset(LANGS)

# Organisations, by identifier: names and acronyms per language. Acronyms (all capitals)
# match case-sensitively.
ORGANISATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "IMF": {
        "en": ("International Monetary Fund", "IMF"),
        "ru": ("Международный валютный фонд", "МВФ"),
        "fr": ("Fonds monétaire international", "FMI"),
        "es": ("Fondo Monetario Internacional", "FMI"),
        "de": ("Internationaler Währungsfonds", "IWF"),
        "it": ("Fondo monetario internazionale", "FMI"),
        "pt": ("Fundo Monetário Internacional", "FMI"),
        "ar": ("صندوق النقد الدولي",),
        "zh": ("国际货币基金组织", "国际货币基金", "IMF"),
    },
    "World Bank": {
        "en": ("World Bank",),
        "ru": ("Всемирный банк", "ВБ"),
        "fr": ("Banque mondiale",),
        "es": ("Banco Mundial",),
        "de": ("Weltbank",),
        "it": ("Banca mondiale",),
        "pt": ("Banco Mundial",),
        "ar": ("البنك الدولي",),
        "zh": ("世界银行", "世行"),
    },
    "United Nations": {
        "en": ("United Nations", "UN", "U.N."),
        "ru": ("Организация Объединенных Наций", "Организация Объединённых Наций", "ООН"),
        "fr": ("Organisation des Nations unies", "Nations unies", "ONU"),
        "es": ("Organización de las Naciones Unidas", "Naciones Unidas", "ONU"),
        "de": ("Vereinte Nationen", "Vereinten Nationen", "UNO", "UN"),
        "it": ("Nazioni Unite", "ONU"),
        "pt": ("Nações Unidas", "ONU"),
        "ar": ("الأمم المتحدة",),
        "zh": ("联合国",),
    },
    "European Union": {
        "en": ("European Union", "EU"),
        "ru": ("Европейский союз", "Евросоюз", "ЕС"),
        "fr": ("Union européenne", "UE"),
        "es": ("Unión Europea", "UE"),
        "de": ("Europäische Union", "EU"),
        "it": ("Unione europea", "UE"),
        "pt": ("União Europeia", "UE"),
        "ar": ("الاتحاد الأوروبي", "الاتحاد الاوروبي"),
        "zh": ("欧洲联盟", "欧盟"),
    },
    "European Commission": {
        "en": ("European Commission",),
        "ru": ("Европейская комиссия", "Еврокомиссия"),
        "fr": ("Commission européenne",),
        "es": ("Comisión Europea",),
        "de": ("Europäische Kommission", "EU-Kommission"),
        "it": ("Commissione europea",),
        "pt": ("Comissão Europeia",),
        "ar": ("المفوضية الأوروبية",),
        "zh": ("欧盟委员会", "欧委会"),
    },
    "European Central Bank": {
        "en": ("European Central Bank", "ECB"),
        "ru": ("Европейский центральный банк", "ЕЦБ"),
        "fr": ("Banque centrale européenne", "BCE"),
        "es": ("Banco Central Europeo", "BCE"),
        "de": ("Europäische Zentralbank", "EZB"),
        "it": ("Banca centrale europea", "BCE"),
        "pt": ("Banco Central Europeu", "BCE"),
        "ar": ("البنك المركزي الأوروبي",),
        "zh": ("欧洲央行", "欧洲中央银行"),
    },
    "NATO": {
        "en": ("NATO", "North Atlantic Treaty Organization"),
        "ru": ("НАТО", "Североатлантический альянс"),
        "fr": ("OTAN",),
        "es": ("OTAN",),
        "de": ("NATO",),
        "it": ("NATO",),
        "pt": ("OTAN", "NATO"),
        "ar": ("حلف شمال الأطلسي", "الناتو", "حلف الناتو"),
        "zh": ("北约", "北大西洋公约组织"),
    },
    "World Health Organization": {
        "en": ("World Health Organization", "World Health Organisation", "WHO"),
        "ru": ("Всемирная организация здравоохранения", "ВОЗ"),
        "fr": ("Organisation mondiale de la santé", "OMS"),
        "es": ("Organización Mundial de la Salud", "OMS"),
        "de": ("Weltgesundheitsorganisation", "WHO"),
        "it": ("Organizzazione mondiale della sanità", "OMS"),
        "pt": ("Organização Mundial da Saúde", "OMS"),
        "ar": ("منظمة الصحة العالمية",),
        "zh": ("世界卫生组织", "世卫组织"),
    },
    "World Food Programme": {
        "en": ("World Food Programme", "World Food Program", "WFP"),
        "ru": ("Всемирная продовольственная программа", "ВПП"),
        "fr": ("Programme alimentaire mondial", "PAM"),
        "es": ("Programa Mundial de Alimentos", "PMA"),
        "de": ("Welternährungsprogramm", "WFP"),
        "it": ("Programma alimentare mondiale", "PAM"),
        "pt": ("Programa Alimentar Mundial", "PAM"),
        "ar": ("برنامج الأغذية العالمي",),
        "zh": ("世界粮食计划署", "世界粮食计划署", "粮食署"),
    },
    "UNHCR": {
        "en": ("UNHCR", "UN refugee agency", "United Nations refugee agency"),
        "ru": ("УВКБ", "Управление верховного комиссара ООН по делам беженцев"),
        "fr": ("HCR", "Haut-Commissariat des Nations unies pour les réfugiés"),
        "es": ("ACNUR",),
        "de": ("UNHCR",),
        "it": ("UNHCR",),
        "pt": ("ACNUR",),
        "ar": ("المفوضية السامية للأمم المتحدة لشؤون اللاجئين",),
        "zh": ("联合国难民署", "难民署"),
    },
    "UNICEF": {
        lang: ("UNICEF", "ЮНИСЕФ", "يونيسف", "联合国儿童基金会") for lang in LANGS
    },
    "Organization of American States": {
        "en": ("Organization of American States", "OAS"),
        "ru": ("Организация американских государств", "ОАГ"),
        "fr": ("Organisation des États américains", "OEA"),
        "es": ("Organización de los Estados Americanos", "OEA"),
        "de": ("Organisation Amerikanischer Staaten", "OAS"),
        "it": ("Organizzazione degli Stati americani", "OSA"),
        "pt": ("Organização dos Estados Americanos", "OEA"),
        "ar": ("منظمة الدول الأمريكية", "منظمة الدول الأميركية"),
        "zh": ("美洲国家组织",),
    },
    "Asian Development Bank": {
        "en": ("Asian Development Bank", "ADB"),
        "ru": ("Азиатский банк развития", "АБР"),
        "fr": ("Banque asiatique de développement", "BAsD"),
        "es": ("Banco Asiático de Desarrollo", "BAsD"),
        "de": ("Asiatische Entwicklungsbank",),
        "it": ("Banca asiatica di sviluppo",),
        "pt": ("Banco Asiático de Desenvolvimento",),
        "ar": ("بنك التنمية الآسيوي",),
        "zh": ("亚洲开发银行", "亚开行"),
    },
    "African Union": {
        "en": ("African Union", "AU"),
        "ru": ("Африканский союз", "АС"),
        "fr": ("Union africaine", "UA"),
        "es": ("Unión Africana", "UA"),
        "de": ("Afrikanische Union", "AU"),
        "it": ("Unione africana",),
        "pt": ("União Africana", "UA"),
        "ar": ("الاتحاد الأفريقي", "الاتحاد الإفريقي"),
        "zh": ("非洲联盟", "非盟"),
    },
    "Arab League": {
        "en": ("Arab League",),
        "ru": ("Лига арабских государств", "ЛАГ"),
        "fr": ("Ligue arabe",),
        "es": ("Liga Árabe",),
        "de": ("Arabische Liga",),
        "it": ("Lega araba",),
        "pt": ("Liga Árabe",),
        "ar": ("جامعة الدول العربية",),
        "zh": ("阿拉伯国家联盟", "阿盟"),
    },
    "OPEC": {
        lang: ("OPEC", "ОПЕК", "OPEP", "أوبك", "欧佩克") for lang in LANGS
    },
    "World Trade Organization": {
        "en": ("World Trade Organization", "WTO"),
        "ru": ("Всемирная торговая организация", "ВТО"),
        "fr": ("Organisation mondiale du commerce", "OMC"),
        "es": ("Organización Mundial del Comercio", "OMC"),
        "de": ("Welthandelsorganisation", "WTO"),
        "it": ("Organizzazione mondiale del commercio", "OMC", "WTO"),
        "pt": ("Organização Mundial do Comércio", "OMC"),
        "ar": ("منظمة التجارة العالمية",),
        "zh": ("世界贸易组织", "世贸组织"),
    },
    "IAEA": {
        "en": ("International Atomic Energy Agency", "IAEA"),
        "ru": ("Международное агентство по атомной энергии", "МАГАТЭ"),
        "fr": ("Agence internationale de l'énergie atomique", "AIEA"),
        "es": ("Organismo Internacional de Energía Atómica", "OIEA"),
        "de": ("Internationale Atomenergiebehörde", "IAEA", "IAEO"),
        "it": ("Agenzia internazionale per l'energia atomica", "AIEA"),
        "pt": ("Agência Internacional de Energia Atômica", "AIEA"),
        "ar": ("الوكالة الدولية للطاقة الذرية",),
        "zh": ("国际原子能机构",),
    },
    "Red Cross": {
        "en": ("Red Cross", "ICRC"),
        "ru": ("Красный Крест", "МККК"),
        "fr": ("Croix-Rouge", "CICR"),
        "es": ("Cruz Roja", "CICR"),
        "de": ("Rotes Kreuz", "Roten Kreuz", "IKRK"),
        "it": ("Croce Rossa",),
        "pt": ("Cruz Vermelha",),
        "ar": ("الصليب الأحمر",),
        "zh": ("红十字",),
    },
    "Federal Reserve": {
        "en": ("Federal Reserve", "Fed"),
        "ru": ("Федеральная резервная система", "ФРС"),
        "fr": ("Réserve fédérale", "Fed"),
        "es": ("Reserva Federal", "Fed"),
        "de": ("Federal Reserve", "Fed", "US-Notenbank"),
        "it": ("Federal Reserve", "Fed"),
        "pt": ("Reserva Federal", "Fed"),
        "ar": ("الاحتياطي الفيدرالي", "مجلس الاحتياطي الاتحادي"),
        "zh": ("美联储",),
    },
    "OECD": {
        "en": ("OECD",),
        "ru": ("ОЭСР",),
        "fr": ("OCDE",),
        "es": ("OCDE",),
        "de": ("OECD",),
        "it": ("OCSE",),
        "pt": ("OCDE",),
        "ar": ("منظمة التعاون الاقتصادي والتنمية",),
        "zh": ("经合组织",),
    },
}
# Organisations that speak for another: a version naming the UN where the original names its
# refugee agency has not swapped one for the other.
PARENTS: dict[str, str] = {
    "UNHCR": "United Nations",
    "World Food Programme": "United Nations",
    "UNICEF": "United Nations",
    "World Health Organization": "United Nations",
    "IAEA": "United Nations",
    "European Commission": "European Union",
    "European Central Bank": "European Union",
}
# Cities whose names differ between languages.
CITIES: dict[str, dict[str, tuple[str, ...]]] = {
    "Moscow": {"en": ("Moscow",), "ru": ("Москва",), "fr": ("Moscou",), "es": ("Moscú",),
               "de": ("Moskau",), "it": ("Mosca",), "pt": ("Moscou", "Moscovo"),
               "ar": ("موسكو",), "zh": ("莫斯科",)},
    "Beijing": {"en": ("Beijing", "Peking"), "ru": ("Пекин",), "fr": ("Pékin",),
                "es": ("Pekín",), "de": ("Peking",), "it": ("Pechino",), "pt": ("Pequim",),
                "ar": ("بكين",), "zh": ("北京",)},
    "Brussels": {"en": ("Brussels",), "ru": ("Брюссель",), "fr": ("Bruxelles",),
                 "es": ("Bruselas",), "de": ("Brüssel",), "it": ("Bruxelles",),
                 "pt": ("Bruxelas",), "ar": ("بروكسل",), "zh": ("布鲁塞尔",)},
    "Geneva": {"en": ("Geneva",), "ru": ("Женева",), "fr": ("Genève",), "es": ("Ginebra",),
               "de": ("Genf",), "it": ("Ginevra",), "pt": ("Genebra",), "ar": ("جنيف",),
               "zh": ("日内瓦",)},
    "Cairo": {"en": ("Cairo",), "ru": ("Каир",), "fr": ("Le Caire", "Caire"),
              "es": ("El Cairo", "Cairo"), "de": ("Kairo",), "it": ("Il Cairo", "Cairo"),
              "pt": ("Cairo",), "ar": ("القاهرة",), "zh": ("开罗",)},
    "London": {"en": ("London",), "ru": ("Лондон",), "fr": ("Londres",), "es": ("Londres",),
               "de": ("London",), "it": ("Londra",), "pt": ("Londres",), "ar": ("لندن",),
               "zh": ("伦敦",)},
    "Paris": {"en": ("Paris",), "ru": ("Париж",), "fr": ("Paris",), "es": ("París",),
              "de": ("Paris",), "it": ("Parigi",), "pt": ("Paris",), "ar": ("باريس",),
              "zh": ("巴黎",)},
    "Washington": {"en": ("Washington",), "ru": ("Вашингтон",), "fr": ("Washington",),
                   "es": ("Washington",), "de": ("Washington",), "it": ("Washington",),
                   "pt": ("Washington",), "ar": ("واشنطن",), "zh": ("华盛顿",)},
    "Kyiv": {"en": ("Kyiv", "Kiev"), "ru": ("Киев",), "fr": ("Kiev", "Kyiv"),
             "es": ("Kiev",), "de": ("Kiew",), "it": ("Kiev",), "pt": ("Kiev",),
             "ar": ("كييف",), "zh": ("基辅",)},
    "Warsaw": {"en": ("Warsaw",), "ru": ("Варшава",), "fr": ("Varsovie",),
               "es": ("Varsovia",), "de": ("Warschau",), "it": ("Varsavia",),
               "pt": ("Varsóvia",), "ar": ("وارسو",), "zh": ("华沙",)},
    "Berlin": {"en": ("Berlin",), "ru": ("Берлин",), "fr": ("Berlin",), "es": ("Berlín",),
               "de": ("Berlin",), "it": ("Berlino",), "pt": ("Berlim",), "ar": ("برلين",),
               "zh": ("柏林",)},
    "Rome": {"en": ("Rome",), "ru": ("Рим",), "fr": ("Rome",), "es": ("Roma",),
             "de": ("Rom",), "it": ("Roma",), "pt": ("Roma",), "ar": ("روما",),
             "zh": ("罗马",)},
    "Vienna": {"en": ("Vienna",), "ru": ("Вена",), "fr": ("Vienne",), "es": ("Viena",),
               "de": ("Wien",), "it": ("Vienna",), "pt": ("Viena",), "ar": ("فيينا",),
               "zh": ("维也纳",)},
    "Lisbon": {"en": ("Lisbon",), "ru": ("Лиссабон",), "fr": ("Lisbonne",), "es": ("Lisboa",),
               "de": ("Lissabon",), "it": ("Lisbona",), "pt": ("Lisboa",), "ar": ("لشبونة",),
               "zh": ("里斯本",)},
    "Athens": {"en": ("Athens",), "ru": ("Афины",), "fr": ("Athènes",), "es": ("Atenas",),
               "de": ("Athen",), "it": ("Atene",), "pt": ("Atenas",), "ar": ("أثينا",),
               "zh": ("雅典",)},
    "Budapest": {"en": ("Budapest",), "ru": ("Будапешт",), "fr": ("Budapest",),
                 "es": ("Budapest",), "de": ("Budapest",), "it": ("Budapest",),
                 "pt": ("Budapeste",), "ar": ("بودابست",), "zh": ("布达佩斯",)},
    "Bordeaux": {"en": ("Bordeaux",), "ru": ("Бордо",), "fr": ("Bordeaux",),
                 "es": ("Burdeos",), "de": ("Bordeaux",), "it": ("Bordeaux",),
                 "pt": ("Bordéus",), "ar": ("بوردو",), "zh": ("波尔多",)},
    "New York": {"en": ("New York",), "ru": ("Нью-Йорк",), "fr": ("New York",),
                 "es": ("Nueva York",), "de": ("New York",), "it": ("New York",),
                 "pt": ("Nova Iorque", "Nova York"), "ar": ("نيويورك",), "zh": ("纽约",)},
    "Jerusalem": {"en": ("Jerusalem",), "ru": ("Иерусалим",), "fr": ("Jérusalem",),
                  "es": ("Jerusalén",), "de": ("Jerusalem",), "it": ("Gerusalemme",),
                  "pt": ("Jerusalém",), "ar": ("القدس",), "zh": ("耶路撒冷",)},
    "Tehran": {"en": ("Tehran",), "ru": ("Тегеран",), "fr": ("Téhéran",), "es": ("Teherán",),
               "de": ("Teheran",), "it": ("Teheran",), "pt": ("Teerã", "Teerão"),
               "ar": ("طهران",), "zh": ("德黑兰",)},
    "Damascus": {"en": ("Damascus",), "ru": ("Дамаск",), "fr": ("Damas",), "es": ("Damasco",),
                 "de": ("Damaskus",), "it": ("Damasco",), "pt": ("Damasco",),
                 "ar": ("دمشق",), "zh": ("大马士革",)},
    "Baghdad": {"en": ("Baghdad",), "ru": ("Багдад",), "fr": ("Bagdad",), "es": ("Bagdad",),
                "de": ("Bagdad",), "it": ("Baghdad",), "pt": ("Bagdá", "Bagdade"),
                "ar": ("بغداد",), "zh": ("巴格达",)},
    "Istanbul": {"en": ("Istanbul",), "ru": ("Стамбул",), "fr": ("Istanbul",),
                 "es": ("Estambul",), "de": ("Istanbul",), "it": ("Istanbul",),
                 "pt": ("Istambul",), "ar": ("إسطنبول", "اسطنبول"), "zh": ("伊斯坦布尔",)},
    "Khartoum": {"en": ("Khartoum",), "ru": ("Хартум",), "fr": ("Khartoum",),
                 "es": ("Jartum",), "de": ("Khartum",), "it": ("Khartoum",),
                 "pt": ("Cartum",), "ar": ("الخرطوم",), "zh": ("喀土穆",)},
    "Tokyo": {"en": ("Tokyo",), "ru": ("Токио",), "fr": ("Tokyo",), "es": ("Tokio",),
              "de": ("Tokio",), "it": ("Tokyo",), "pt": ("Tóquio",), "ar": ("طوكيو",),
              "zh": ("东京",)},
    "Lima": {lang: ("Lima", "Лима", "ليما", "利马") for lang in LANGS},
    "Madrid": {lang: ("Madrid", "Мадрид", "مدريد", "马德里") for lang in LANGS},
    "Minsk": {lang: ("Minsk", "Минск", "مينسك", "明斯克") for lang in LANGS},
    "Ankara": {lang: ("Ankara", "Анкара", "أنقرة", "安卡拉") for lang in LANGS},
    "Gaza": {"en": ("Gaza",), "ru": ("Газа",), "fr": ("Gaza",), "es": ("Gaza",),
             "de": ("Gaza",), "it": ("Gaza",), "pt": ("Gaza",), "ar": ("غزة",),
             "zh": ("加沙",)},
}
# Common names of countries that CLDR gives in another form.
COUNTRY_EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "US": {"en": ("U.S.", "US", "USA", "America"), "ru": ("США", "Америка"),
           "fr": ("États-Unis", "Etats-Unis"), "es": ("EE.UU.", "EEUU"), "de": ("USA",),
           "it": ("USA",), "pt": ("EUA",), "ar": ("الولايات المتحدة", "أمريكا", "أميركا"),
           "zh": ("美国",)},
    "GB": {"en": ("Britain", "UK", "U.K."), "ru": ("Британия",), "fr": ("Grande-Bretagne",),
           "es": ("Gran Bretaña",), "de": ("Großbritannien",), "ar": ("بريطانيا",),
           "zh": ("英国",)},
    "CN": {"en": ("PRC",), "ru": ("КНР",), "ar": ("الصين",), "zh": ("中华人民共和国",)},
    "HU": {"ar": ("المجر",)},
    "RU": {"ru": ("РФ",), "ar": ("روسيا",), "zh": ("俄罗斯", "俄")},
    "NL": {"en": ("Holland",), "ru": ("Голландия",), "fr": ("Hollande",), "es": ("Holanda",)},
    "CZ": {"en": ("Czech Republic",), "ru": ("Чехия",), "fr": ("République tchèque",)},
    "KR": {"en": ("South Korea",), "ru": ("Южная Корея",), "fr": ("Corée du Sud",),
           "es": ("Corea del Sur",), "de": ("Südkorea",), "ar": ("كوريا الجنوبية",),
           "zh": ("韩国",)},
    "KP": {"en": ("North Korea",), "ru": ("КНДР", "Северная Корея"), "fr": ("Corée du Nord",),
           "es": ("Corea del Norte",), "de": ("Nordkorea",), "ar": ("كوريا الشمالية",),
           "zh": ("朝鲜",)},
    "CD": {"en": ("Congo",), "ru": ("Конго",), "fr": ("Congo",), "es": ("Congo",),
           "ar": ("الكونغو",), "zh": ("刚果",)},
}
# Adjectives of nationality that do not begin with the country's name ("French", "немецкий").
DEMONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "FR": {"en": ("French",), "fr": ("français", "française"), "es": ("francés", "francesa"),
           "ru": ("французск",), "de": ("französisch",), "it": ("francese",)},
    "DE": {"fr": ("allemand",), "es": ("alemán", "alemana"), "ru": ("немецк", "германск"),
           "it": ("tedesco", "tedesca", "tedeschi")},
    "ES": {"en": ("Spanish",), "ru": ("испанск",), "de": ("spanisch",)},
    "GB": {"en": ("British",), "fr": ("britannique",), "es": ("británico", "británica"),
           "ru": ("британск",), "de": ("britisch",), "it": ("britannico",)},
    "US": {"fr": ("américain",), "es": ("estadounidense",), "ru": ("американск",),
           "de": ("amerikanisch",), "it": ("statunitense", "americano")},
    "NL": {"en": ("Dutch",), "fr": ("néerlandais",), "es": ("neerlandés",),
           "ru": ("нидерландск", "голландск"), "de": ("niederländisch",)},
    "RU": {"fr": ("russe",), "es": ("ruso", "rusa"), "de": ("russisch",), "it": ("russo",)},
    "PL": {"en": ("Polish",), "fr": ("polonais",), "es": ("polaco",), "ru": ("польск",)},
    "TR": {"en": ("Turkish",), "fr": ("turc", "turque"), "es": ("turco", "turca"),
           "ru": ("турецк",), "de": ("türkisch",)},
    "SE": {"en": ("Swedish",), "fr": ("suédois",), "es": ("sueco",), "ru": ("шведск",)},
    "NO": {"en": ("Norwegian",), "fr": ("norvégien",), "es": ("noruego",),
           "ru": ("норвежск",)},
    "DK": {"en": ("Danish",), "fr": ("danois",), "es": ("danés",), "ru": ("датск",)},
    "FI": {"en": ("Finnish",), "fr": ("finlandais",), "es": ("finlandés",),
           "ru": ("финск", "финляндск")},
    "CH": {"en": ("Swiss",), "fr": ("suisse",), "es": ("suizo", "suiza"),
           "ru": ("швейцарск",), "de": ("schweizerisch",)},
    "GR": {"en": ("Greek",), "fr": ("grec", "grecque"), "es": ("griego",), "ru": ("греческ",)},
    "IE": {"en": ("Irish",), "fr": ("irlandais",), "es": ("irlandés",), "ru": ("ирландск",)},
    "CZ": {"en": ("Czech",), "fr": ("tchèque",), "es": ("checo",), "ru": ("чешск",)},
    "SK": {"en": ("Slovak",), "fr": ("slovaque",), "es": ("eslovaco",), "ru": ("словацк",)},
    "SI": {"en": ("Slovenian", "Slovene"), "fr": ("slovène",), "es": ("esloveno",),
           "ru": ("словенск",)},
    "BE": {"en": ("Belgian",), "fr": ("belge",), "es": ("belga",), "ru": ("бельгийск",)},
    "IL": {"en": ("Israeli",), "fr": ("israélien",), "es": ("israelí",),
           "ru": ("израильск",)},
    "SA": {"en": ("Saudi",), "fr": ("saoudien",), "es": ("saudí",), "ru": ("саудовск",)},
    "AF": {"en": ("Afghan",), "fr": ("afghan",), "es": ("afgano",), "ru": ("афганск",)},
    "PH": {"en": ("Filipino", "Philippine"), "fr": ("philippin",), "es": ("filipino",)},
    "TH": {"en": ("Thai",), "fr": ("thaïlandais",), "es": ("tailandés",), "ru": ("тайск",)},
    "CN": {"fr": ("chinois",), "es": ("chino", "china"), "ru": ("китайск",),
           "de": ("chinesisch",)},
    "JP": {"fr": ("japonais",), "es": ("japonés",), "ru": ("японск",), "de": ("japanisch",)},
    "GE": {"en": ("Georgian",), "fr": ("géorgien",), "ru": ("грузинск",)},
    "BY": {"en": ("Belarusian",), "fr": ("biélorusse",), "es": ("bielorruso",),
           "ru": ("белорусск",)},
    "LV": {"en": ("Latvian",), "fr": ("letton",), "es": ("letón",), "ru": ("латвийск",)},
    "EE": {"en": ("Estonian",), "fr": ("estonien",), "es": ("estonio",), "ru": ("эстонск",)},
    "FK": {"en": ("Falklands",), "fr": ("Malouines",), "es": ("Malvinas",),
           "ru": ("Фолкленд",)},
}
# Capitalised words that are titles, institutions or calendar words rather than names.
_STOPWORD_TEXT = """
    mr mrs ms dr prof sir madam mme mlle m sr sra srta herr frau dott sig
    president presidente président prime minister ministre ministro ministry ministère
    ministerio deputy vice foreign affairs secretary general director chairman chair
    governor gouverneur gobernador spokesman spokeswoman spokesperson commissioner
    commission comisión comité committee council conseil consejo bank banque banco central
    national nationale nacional international internationale internacional union unión
    european européenne europea europeo federal fédéral republic république república
    kingdom state states estado estados état états government gouvernement gobierno
    parliament parlement parlamento assembly assemblée asamblea court cour corte tribunal
    supreme suprême supremo police policía policia army armée ejército forces fuerzas
    office bureau oficina agency agence agencia service services servicio programme program
    programa fund fonds fondo organization organisation organización mission misión
    monetary monétaire monetario policy politique política financial financier financiera
    research recherche food world mundial mondiale united unidos unies nations naciones
    statistics statistiques estadística jury jurado elections élections elecciones
    electoral électoral électorale transition ecological écologique ecológica department
    département departamento prosecutor parquet fiscalía party parti partido front
    movement mouvement movimiento senate sénat senado house chamber chambre cámara
    rapid support security sécurité seguridad defence defense défense defensa interior
    intérieur justice justicia health santé salud finance finances finanzas economy économie
    economía trade commerce comercio energy énergie energía news press presse prensa media
    times post daily herald tribune journal stock exchange bourse bolsa index
    north south east west northern southern eastern western nord sud est ouest norte sur
    este oeste god allah the a an le la les el los las il lo gli un une una uno
    university université universidad università universität college school école escuela
    institute institut instituto foundation fondation fundación association asociación
    league ligue liga cup coupe copa championship championnat campeonato club games jeux
    juegos olympic olympique olímpico olympics football fútbol soccer federation fédération
    federación company compagnie compañía corporation group groupe grupo inc ltd holding
    management protection environment environments environnement water eau agua declaration
    déclaration declaración independence indépendance independencia treaty traité tratado
    act law loi ley award prize prix premio festival museum musée museo hospital hôpital
    church église iglesia cathedral cathédrale street rue calle road avenue avenida square
    place plaza park parc parque river lake mountain mountains sea ocean bay island islands
    airport aéroport aeropuerto station centre center centro day jour día war guerre guerra
    revolution révolution revolución empire empire imperio age era premier course
    cross crescent red green blue black white new great grand royal saint st santa san
    council conseil institution network réseau red centre channel radio television
    télévision televisión tv newspaper magazine agency asuntos exteriores relaciones
    affaires étrangères esteri esteri negócios estrangeiros exterior exteriors external
    externes hacienda trésor treasury tesoro viceministro viceministra vicepresidente
    congresswoman congressman senator sénateur sénatrice senadora senador representative
    mayor maire alcalde ambassador ambassadeur embajador colonel captain lieutenant judge
    juge rabbi pope pape king queen prince princess sheikh cheikh emir"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_RU_STOP_STEMS = (
    "министр", "министерств", "мид", "президент", "премьер", "правительств", "агентств",
    "управлени", "комисси", "банк", "фонд", "совет", "комитет", "служб", "программ",
    "организаци", "союз", "мисси", "полици", "парти", "суд", "арми", "сил", "госдум", "дум",
    "федераци", "республик", "государств", "собрани", "ассамбле", "прокурат", "ведомств",
    "пресс", "глав", "директор", "губернатор", "посол", "посольств", "генерал", "заместител",
    "официальн", "представител", "национальн", "международн", "всемирн", "европейск",
    "центральн", "совбез", "кремл", "университет", "институт", "лиг", "ассоциац",
    "федерац", "компани", "групп", "декларац", "фестивал", "музе", "улиц", "площад",
    "организац", "narod", "zjednoczon", "gospodar", "deklarac", "niepodległ", "fundusz",
    "ochron", "środowisk", "wodn", "uniwersytet", "związ", "polsk", "ministerst", "rząd",
    "sejm", "senat", "komisj", "urząd", "instytut", "agencj", "policj", "państw", "narodow",
    "europejsk", "międzynarod", "krajow", "wojewód", "miast", "prezydent", "premier",
)
_NAME_PARTICLES = frozenset(
    ("de", "del", "la", "las", "los", "le", "du", "des", "da", "di", "van", "von", "der",
     "den", "bin", "ibn", "al", "el", "abu", "ben")
)
_CASED = {"en", "ru", "fr", "es", "it", "pt", "uk", "pl", "nl"}  # German capitalises nouns
_INFLECTING = {"ru", "uk", "pl"}
_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”„‘'(\[—–]\s*|\n\s*)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: str  # "country:SK", "org:IMF", "city:Geneva", or "name:<text>"
    kind: str  # country, org, city, name


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------
# gazetteer


def _clean_names(name: str) -> list[str]:
    names = []
    for part in re.split(r"\s*[()（）]\s*", name):
        part = part.split(" - ")[0].strip()
        if part and "SAR" not in part and "САР" not in part and len(part) > 1:
            names.append(part)
    return names


@lru_cache(maxsize=16)
def _gazetteer(lang: str) -> tuple[tuple[str, str, str], ...]:
    """(name, identifier, kind) for one language, longest names first."""
    entries: list[tuple[str, str, str]] = []
    for table, kind in ((ORGANISATIONS, "org"), (CITIES, "city")):
        for key, names in table.items():
            for name in names.get(lang, ()):
                entries.append((name, f"{kind}:{key}", kind))
    try:
        from babel import Locale

        territories = Locale.parse(lang).territories
    except Exception:  # an unknown locale: organisations and cities only
        territories = {}
    skip = {"EU", "EZ", "UN", "QO", "XA", "XB", "AQ"}
    for code, name in territories.items():
        if len(code) == 2 and code.isalpha() and code not in skip:
            entries += [(n, f"country:{code}", "country") for n in _clean_names(name)]
    for code, names in COUNTRY_EXTRAS.items():
        entries += [(n, f"country:{code}", "country") for n in names.get(lang, ())]
    for code, names in DEMONYMS.items():
        entries += [(n, f"country:{code}", "country") for n in names.get(lang, ())]
    if lang == "ar":
        # "مالي" (Mali) is also "financial"; "عمان" also the city of Amman.
        entries = [e for e in entries if e[0] not in {"مالي", "عُمان", "عمان", "تشيلي"}]
    seen: set[tuple[str, str]] = set()
    unique = []
    for entry in sorted(entries, key=lambda e: -len(e[0])):
        if (entry[0], entry[1]) not in seen:
            seen.add((entry[0], entry[1]))
            unique.append(entry)
    return tuple(unique)


def _word_pattern(word: str, lang: str, single: bool) -> str:
    """A name word in any inflection: a stem and a short ending."""
    if word.isupper() or not word.isalpha() or len(word) < 4:
        return re.escape(word) + (r"\w{0,3}" if lang in _INFLECTING and len(word) >= 3
                                  and not word.isupper() else "")
    stem = word[:-1] if len(word) >= 5 else word
    if lang in _INFLECTING and len(word) >= 6:
        stem = word[:-2]  # "Европейский" / "Европейского"
    if single:
        return re.escape(stem) + (r"\w{0,6}" if lang in _INFLECTING else r"\w{0,4}")
    return re.escape(stem) + (r"\w{0,4}" if lang in _INFLECTING else r"\w{0,2}")


_AR_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ولل", "وب",
                "وبال", "ول", "فب", "فل")


@lru_cache(maxsize=16)
def _gazetteer_index(lang: str) -> tuple[dict[str, re.Pattern[str]], list[tuple[str, str]]]:
    """Patterns for the gazetteer's names grouped by their first letter, and what each named
    group means. Acronyms match in their exact case; other names in any case."""
    groups: dict[str, list[str]] = {}
    meaning: list[tuple[str, str]] = []
    for k, (name, identifier, kind) in enumerate(_gazetteer(lang)):
        meaning.append((identifier, kind))
        acronym = name.replace(".", "").isupper() and lang != "zh"
        if lang == "zh":
            source = re.escape(name)
        elif lang == "ar":
            bare = name[2:] if name.startswith("ال") else name
            source = re.escape(bare[:-1]) + "ا?" if bare.endswith("ا") else re.escape(bare)
            source = source.replace(r"\ ", r"\s+") + "(?:ي|ية|يين|يون|يا)?"
        else:
            words = re.split(r"\s+", name)
            source = r"[\s\-]+".join(_word_pattern(w, lang, len(words) == 1) for w in words)
        if acronym:
            source = f"(?-i:{source})"
        key = name.removeprefix("ال")[:1].casefold()
        groups.setdefault(key, []).append(f"(?P<g{k}>{source})")
    end = "" if lang == "zh" else r"(?!\w)"
    flags = 0 if lang == "zh" else re.IGNORECASE
    patterns = {k: re.compile(f"(?:{'|'.join(alts)}){end}", flags) for k, alts in groups.items()}
    return patterns, meaning


_WORD_START = re.compile(r"(?<!\w)\w")


def find_gazetteer(text: str, lang: str) -> list[Mention]:
    """Countries, organisations and cities, as identifiers."""
    return list(_gazetteer_mentions(text, lang))


# The entity and attribution checks read the same sentences: each is read once.
@lru_cache(maxsize=8192)
def _gazetteer_mentions(text: str, lang: str) -> tuple[Mention, ...]:
    if lang not in LANGS and lang not in {"uk", "pl", "nl"}:
        return ()
    patterns, meaning = _gazetteer_index(lang)
    starts = range(len(text)) if lang == "zh" else [m.start() for m in _WORD_START.finditer(text)]
    found: list[Mention] = []
    reached = 0
    for start in starts:
        if start < reached:
            continue
        offsets = [0]
        if lang == "ar":
            offsets = [len(p) for p in _AR_PREFIXES if text.startswith(p, start)]
        for offset in offsets:
            position = start + offset
            pattern = patterns.get(text[position : position + 1].casefold())
            m = pattern.match(text, position) if pattern is not None else None
            if m is None:
                continue
            if lang == "en" and not m.group(0)[0].isupper():
                continue  # "turkey", "chad": names are capitalised in English
            identifier, kind = meaning[int((m.lastgroup or "g0")[1:])]
            found.append(Mention(m.start(), m.end(), m.group(0), identifier, kind))
            reached = m.end()
            break
    return tuple(found)


# ---------------------------------------------------------------------------------------
# names


_FOLDED_STOPWORDS = frozenset(_fold(w) for w in STOPWORDS)


@lru_cache(maxsize=65536)
def _is_stop(word: str, lang: str) -> bool:
    folded = _fold(word)
    if folded in _FOLDED_STOPWORDS or folded.rstrip("s") in _FOLDED_STOPWORDS:
        return True
    if lang in {"ru", "uk", "pl"}:
        return any(folded.startswith(_fold(stem)) for stem in _RU_STOP_STEMS)
    return False


@lru_cache(maxsize=64)
def _mid_sentence_capitals(text: str) -> frozenset[str]:
    """Words a document capitalises somewhere other than at a sentence start."""
    words = set()
    for m in _WORD.finditer(text):
        if m.group(0)[0].isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3):
                                                                         m.start()]):
            words.add(m.group(0))
    return frozenset(words)


@lru_cache(maxsize=16)
def _calendar_words(lang: str) -> re.Pattern[str] | None:
    """Month and weekday names, capitalised in English but no one's name."""
    from fidelity.checks.numbers import month_pattern, weekday_pattern

    months, weekdays = month_pattern(lang), weekday_pattern(lang)
    parts = [p.pattern for p in (months, weekdays) if p is not None]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


_NAME_GAP = re.compile(r"[ \u00a0]+")
_ELIDED = re.compile(r"^(?:[LlDd]|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Qq]u)['’]")


def _name_words(text: str) -> list[tuple[int, int, str]]:
    """Words with an elided article ("l'autoroute") cut off, and codes ("A63") left out."""
    words = []
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        elided = _ELIDED.match(word)
        if elided and len(word) > elided.end():
            start, word = start + elided.end(), word[elided.end() :]
        if text[m.end() : m.end() + 1].isdecimal():
            continue
        words.append((start, m.end(), word))
    return words


def find_names(
    text: str,
    lang: str,
    document: Document | None = None,
    masked: list[tuple[int, int]] | None = None,
    initials: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Runs of capitalised words that look like names of people or places: titles and
    institution words cut a run, and a sentence's first word counts only if the document
    capitalises it elsewhere too, or if it is one of `initials` (see `initial_names`)."""
    if lang not in _CASED:
        return []
    known = _mid_sentence_capitals(document.text) if document is not None else frozenset()
    known = known | initials
    calendar = _calendar_words(lang)
    blocked = masked or []
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []

    def close() -> None:
        while current and not current[-1][2][0].isupper():
            current.pop()  # a particle cannot end a name
        if current:
            runs.append(current.copy())
        current.clear()

    for start, end, word in _name_words(text):
        capital = word[0].isupper() and not (word.isupper() and len(word) > 1) and len(word) > 1
        gap = text[current[-1][1] : start] if current else ""
        joined = bool(current) and _NAME_GAP.fullmatch(gap) is not None
        initial = start == 0 or bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
        usable = (
            capital
            and not _is_stop(word, lang)
            and not (calendar is not None and calendar.fullmatch(word))
            and not (initial and word not in known)
            and not any(start < b and a < end for a, b in blocked)
        )
        if usable and joined:
            current.append((start, end, word))
        elif joined and not capital and word.casefold() in _NAME_PARTICLES:
            current.append((start, end, word))  # tentatively: "Mendoza de la Paz"
        else:
            close()
            if usable:
                current.append((start, end, word))
    close()
    names = []
    for run in runs:
        start, end = run[0][0], run[-1][1]
        names.append(Mention(start, end, text[start:end], f"name:{text[start:end]}", "name"))
    return names


# A name part this long is looked for inside compound words too.
MIN_COMPOUND_PART = 5
# Words at least this common (Zipf) are everyday words: "Free", "Europe", "Middle".
EVERYDAY_WORD_ZIPF = 5.0
# A sentence's first word rarer than this (Zipf scale, wordfreq's small list) may be a name.
COMMON_WORD_ZIPF = 4.5


def initial_names(text: str, lang: str, elsewhere: frozenset[str] = frozenset()) -> frozenset[str]:
    """Sentence-initial words of `text` that are names: rare in the language ("Peskov said"
    opens with a name, "Officials said" does not), or names of `elsewhere`, the `name_index`
    of the text it is compared with ("Paul Martin said" where the original names Paul Martin;
    "Según Belova" is no name: the original spells no "Según")."""
    if lang not in _CASED:
        return frozenset()  # no capitals to read (and no word list without extra packages)
    names = set()
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or _is_stop(word, lang):
            continue
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        if not common_word(word, lang) or _name_forms(word) & elsewhere:
            names.add(word)
    return frozenset(names)


@lru_cache(maxsize=64)
def name_index(text: str, lang: str) -> frozenset[str]:
    """Transliterated forms of the words a text capitalises as names (mid-sentence, or rare
    in its language), with a case ending or two cut off, for `initial_names` to look up in
    constant time whatever the text's length or script."""
    if lang not in _CASED:
        return frozenset()
    forms: set[str] = set()
    known = _mid_sentence_capitals(text)
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word[0].isupper() and (word in known or not common_word(word, lang)):
            forms |= _name_forms(word)
    return frozenset(forms)


def _name_forms(word: str) -> frozenset[str]:
    key = normalise_name(word)
    if len(key) < 5:
        return frozenset({key})
    return frozenset({key, key[:-1], key[:-2]})


def common_word(word: str, lang: str) -> bool:
    """Whether a word is common in the language, so that its capital says more about its
    place than about a name."""
    return everyday_zipf(word, lang) >= COMMON_WORD_ZIPF


def everyday_zipf(word: str, lang: str) -> float:
    """A word's Zipf frequency for telling names from everyday words: infinite where there
    is no word list, so that nothing is taken for a rare word (a name) without one."""
    frequency = zipf(word, lang)
    return math.inf if frequency is None else frequency


@lru_cache(maxsize=65536)
def normalise_name(word: str) -> str:
    """A Latin spelling that transliterations of one name share."""
    text = anyascii(word).lower()
    text = re.sub(r"['’`ʹʺ\-\s]", "", text)
    for old, new in (("shch", "sh"), ("chzh", "zh"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"),
                     ("yo", "io"), ("ye", "ie"), ("ck", "k"), ("ph", "f"), ("x", "ks"), ("y", "i"),
                     ("w", "v")):
        text = text.replace(old, new)
    return text


@lru_cache(maxsize=65536)
def consonant_key(word: str) -> str:
    """Consonants only: Arabic script leaves most short vowels unwritten."""
    text = normalise_name(re.sub(r"^(?:[AaEe]l|[Aa]d|[Aa]r|[Aa]s)[-‐\s]", "", word))
    text = re.sub(r"^(?:al|el|l)(?=[^aeiou]{2})", "", text)
    for old, new in (("gh", "g"), ("ch", "sh"), ("th", "t"), ("dh", "d"), ("p", "b"),
                     ("v", "f"), ("j", "g"), ("q", "k"), ("c", "k")):
        text = text.replace(old, new)
    text = re.sub(r"[aeiouyw]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def _tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return [normalise_name(text)]
    words = [m.group(0) for m in _WORD.finditer(text)]
    words += [part for w in words if "-" in w for part in w.split("-") if part]
    if lang == "ar":
        words = [re.sub(r"^(?:[وفبلك]|و?ال|لل)(?=\w{3})", "", w) for w in words]
    return words


def name_found(name: str, text: str, lang: str) -> bool:
    """Whether any word of a name appears in a text, in whatever script and inflection."""
    parts = [w for w in _WORD.findall(name) if w[0].isupper() and len(w) > 2]
    if not parts:
        return True
    if lang == "zh":
        pinyin = normalise_name(text)
        return any(fuzz.partial_ratio(normalise_name(p), pinyin) >= 90 for p in parts)
    tokens = _tokens(text, lang)
    if lang == "ar":
        keys = [consonant_key(t) for t in tokens]
        return any(
            process.extractOne(consonant_key(p), keys, scorer=fuzz.ratio, score_cutoff=80)
            for p in parts
            if len(consonant_key(p)) >= 2
        )
    normalised = [normalise_name(t) for t in tokens]
    for part in parts:
        target = normalise_name(part)
        if process.extractOne(target, normalised, scorer=fuzz.ratio, score_cutoff=80):
            return True
        # An inflected form: "Будапеште" for "Budapest".
        stem = target[: max(4, len(target) - 2)]
        if any(t.startswith(stem) and len(t) - len(stem) <= 4 for t in normalised):
            return True
        if any(target.startswith(t[: max(4, len(t) - 2)]) and len(target) - len(t) <= 4
               for t in normalised if len(t) >= 4):
            return True
        # Inside a compound: "Rothorn" in "ZinalRothorn", "Brenta" in "BrentaDolomiten".
        if len(target) >= MIN_COMPOUND_PART and any(
            target in t for t in normalised if len(t) > len(target)
        ):
            return True
    return False


def _exonym_like(a: str, b: str) -> bool:
    """Whether two names may be one place in two languages ("Bordeaux", "Burdeos")."""
    key_a, key_b = consonant_key(a), consonant_key(b)
    if not key_a or not key_b:
        return False
    return key_a[0] == key_b[0] and fuzz.ratio(key_a, key_b) >= 60


# ---------------------------------------------------------------------------------------
# the check


def _finding(
    pair: AlignedPair,
    context: CheckContext,
    o: Mention | None,
    v: Mention | None,
    evidence: dict[str, object],
) -> Finding:
    original_span, version_span = mention_spans(pair, context, o, v)
    if o is not None and v is not None:
        message = f"{o.text} became {v.text}"
        category, severity = "mistranslation", Severity.CRITICAL
    elif o is not None:
        message = f"{o.text} is not named in the version"
        category, severity = "omission", Severity.MAJOR
    else:
        assert v is not None
        message = f"{v.text} is named in the version but not in the original"
        category, severity = "addition", Severity.MAJOR
    return Finding(
        check="entity",
        category=category,
        severity=severity,
        message=message,
        original_span=original_span,
        version_span=version_span,
        evidence={
            "original_entity": o.entity if o else None,
            "version_entity": v.entity if v else None,
            **evidence,
        },
    )


def _unmatched(left: list[Mention], right: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    used: set[int] = set()
    rest = []
    for mention in left:
        k = next((k for k, r in enumerate(right) if k not in used
                  and r.entity == mention.entity), None)
        if k is None:
            rest.append(mention)
        else:
            used.add(k)
    return rest, [r for k, r in enumerate(right) if k not in used]


def _related(a: str, b: str) -> bool:
    key_a, key_b = a.partition(":")[2], b.partition(":")[2]
    return PARENTS.get(key_a) == key_b or PARENTS.get(key_b) == key_a


@lru_cache(maxsize=64)
def _document_entities(text: str, lang: str) -> frozenset[str]:
    return frozenset(m.entity for m in find_gazetteer(text, lang))


@register("entity")
def check_entities(pair: AlignedPair, context: CheckContext) -> list[Finding]:
    if not pair.original_segments or not pair.version_segments:
        return []
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_places = find_gazetteer(o_text, o_lang)
    v_places = find_gazetteer(v_text, v_lang)
    o_rest, v_rest = _unmatched(o_places, v_places)
    o_ids = {m.entity for m in o_places}
    v_ids = {m.entity for m in v_places}
    # A second mention of an entity the other side names once, or an agency named for its
    # parent organisation, is not a finding.
    o_rest = [m for m in o_rest if m.entity not in v_ids
              and not any(_related(m.entity, e) for e in v_ids)]
    v_rest = [m for m in v_rest if m.entity not in o_ids
              and not any(_related(m.entity, e) for e in o_ids)]
    findings = []
    for kind in ("country", "org", "city"):
        o_kind = [m for m in o_rest if m.kind == kind]
        v_kind = [m for m in v_rest if m.kind == kind]
        for o, v in zip(o_kind, v_kind, strict=False):
            findings.append(_finding(pair, context, o, v, {"kind": kind}))
        if context.mode != "translation" or kind != "org":
            continue
        if o_lang not in ORG_LANGS or v_lang not in ORG_LANGS:
            continue  # the table has no names for this language's organisations
        # An organisation the other document names nowhere, under no name we know.
        v_known = _document_entities(context.version.text, v_lang)
        o_known = _document_entities(context.original.text, o_lang)
        for o in o_kind[len(v_kind) :]:
            if o.entity not in v_known and not name_found(o.text, v_text, v_lang):
                findings.append(_finding(pair, context, o, None, {"kind": kind}))
        for v in v_kind[len(o_kind) :]:
            if v.entity not in o_known and not name_found(v.text, o_text, o_lang):
                findings.append(_finding(pair, context, None, v, {"kind": kind}))
    findings += _compare_names(pair, context, o_places, v_places)
    return findings


def _compare_names(
    pair: AlignedPair,
    context: CheckContext,
    o_places: list[Mention],
    v_places: list[Mention],
) -> list[Finding]:
    o_lang, v_lang = context.original.lang, context.version.lang
    o_text, v_text = pair.original_text, pair.version_text
    o_names = find_names(o_text, o_lang, context.original, [(m.start, m.end) for m in o_places])
    v_names = find_names(v_text, v_lang, context.version, [(m.start, m.end) for m in v_places])
    o_missing = [n for n in o_names if not name_found(n.text, v_text, v_lang)]
    v_missing = [n for n in v_names if not name_found(n.text, o_text, o_lang)]
    similar = (pair.similarity or 0.0) >= context.calibration.match_threshold
    if context.mode != "translation":
        return []  # a re-report's sentences share too little for a missing name to mean much
    if len(o_missing) == 1 and len(v_missing) == 1 and similar:
        # One name where another stood, in a sentence that otherwise renders the original.
        o, v = o_missing[0], v_missing[0]
        o_words, v_words = len(o.text.split()), len(v.text.split())
        if abs(o_words - v_words) <= 1 and not _exonym_like(o.text, v.text):
            return [_finding(pair, context, o, v, {"kind": "name"})]
    # A person's full name that no spelling or transliteration finds anywhere in the other
    # document. Chinese and Japanese render foreign names by sound in characters that their
    # romanisation does not bring back, so a name is only looked for in scripts we can read.
    if not similar or not (_readable(o_lang) and _readable(v_lang)):
        return []
    findings = []
    for name in o_missing:
        if _full_name(name, o_lang) and not name_found(name.text, context.version.text, v_lang):
            findings.append(_finding(pair, context, name, None, {"kind": "name"}))
    for name in v_missing:
        if _full_name(name, v_lang) and not name_found(name.text, context.original.text, o_lang):
            findings.append(_finding(pair, context, None, name, {"kind": "name"}))
    return findings


_LATIN = {"de", "cs", "sk", "sl", "hr", "sv", "da", "no", "nb", "fi", "hu", "tr", "ro", "et",
          "lv", "lt", "id", "ms", "vi", "ca", "eu", "gl"}


def _readable(lang: str) -> bool:
    """Scripts in which a name keeps letters we can compare: Latin, Cyrillic, Arabic."""
    return lang in _CASED or lang in _LATIN or lang == "ar"


def _full_name(name: Mention, lang: str) -> bool:
    """A person's first and last name, the kind of name a translation always keeps: two
    capitalised words, one of them no everyday word ("Radio Free Europe", "Middle East" are
    names a translation translates)."""
    words = [w for w in _WORD.findall(name.text) if w[0].isupper()]
    return len(words) >= 2 and any(everyday_zipf(w, lang) < EVERYDAY_WORD_ZIPF for w in words)
