"""Language detection: French and German news, everything else "unknown", never an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchkit.articles.language import detect_language

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

FRENCH = [
    "La Russie n’envisage pas de déployer une nouvelle base militaire au Kirghizstan.",
    "Le président kazakh a annoncé jeudi une réforme de l’alphabet, qui passera au latin.",
    "Les travailleurs migrants tadjiks envoient chaque année des milliards de dollars à leurs "
    "familles restées au pays.",
    "À Bichkek, la pollution de l’air atteint des records pendant l’hiver.",
    "Selon le ministère, la construction du barrage de Rogun sera achevée avant 2030.",
    "Quand la mer d’Aral a-t-elle commencé à s’assécher ?",
    "Des milliers de personnes ont manifesté dans les rues d’Almaty.",
    "Le gouvernement ouzbek affirme avoir mis fin au travail forcé dans les champs de coton.",
]
GERMAN = [
    "Russland plant keine zweite Militärbasis in Kirgistan, sagte der Außenminister.",
    "Die Regierung in Duschanbe will das Wasserkraftwerk Rogun bis 2030 fertigstellen.",
    "Der Aralsee ist in den vergangenen Jahrzehnten fast vollständig ausgetrocknet.",
    "In Bischkek ist die Luftverschmutzung im Winter besonders schlimm.",
    "Usbekistan hat nach eigenen Angaben die Zwangsarbeit bei der Baumwollernte beendet.",
    "Wann wurde die Eisenbahnstrecke zwischen China und Usbekistan eröffnet?",
    "Tausende Menschen haben am Wochenende in Almaty gegen die Regierung protestiert.",
    "Die Gastarbeiter aus Tadschikistan überweisen jedes Jahr Milliarden an ihre Familien.",
]
OTHER = [
    "Russia does not plan to open a second military base in Kyrgyzstan, the minister said.",
    "The government of Uzbekistan says that forced labour in the cotton harvest has ended.",
    "El gobierno de Kazajistán anunció que el alfabeto latino sustituirá al cirílico.",
    "La contaminación del aire en Biskek es uno de los problemas más graves de la ciudad.",
    "Il governo del Tagikistan vuole completare la diga di Rogun entro il 2030.",
    "La Russia non intende aprire una seconda base militare in Kirghizistan.",
    "O governo do Uzbequistão afirma que o trabalho forçado nos campos de algodão acabou.",
    "De regering van Kazachstan heeft aangekondigd dat het Latijnse alfabet wordt ingevoerd.",
    "Kazakistan hükümeti Latin alfabesine geçişin tamamlanacağını açıkladı ve bu karar önemli.",
    "Россия не планирует открывать вторую военную базу в Киргизии.",
    "Қазақстан үкіметі латын әлпибиіне көшу туралы шешім қабылдады.",
    "Rząd Kazachstanu ogłosił, że alfabet łaciński zastąpi cyrylicę w ciągu kilku lat.",
    "Guvernul din Kazahstan a anunțat că alfabetul latin va înlocui alfabetul chirilic.",
    "Regeringen i Kazakstan har meddelat att det latinska alfabetet ska införas.",
    "O'zbekiston hukumati paxta yig'im-terimida majburiy mehnat tugaganini bildirdi va bu yil ham.",
    "塔吉克斯坦政府希望在2030年前完成罗贡水坝的建设。",
]
NOT_TEXT = ["", " ", "\n\t ", "2024", "3.600 12 45,5", "!!! ??? ...", "« » — – ·", "Bichkek"]


@pytest.mark.parametrize("text", FRENCH)
def test_french_sentences(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize("text", GERMAN)
def test_german_sentences(text: str) -> None:
    assert detect_language(text) == "de"


@pytest.mark.parametrize("text", OTHER)
def test_other_languages_are_unknown(text: str) -> None:
    assert detect_language(text) == "unknown"


@pytest.mark.parametrize("text", NOT_TEXT)
def test_no_words_is_unknown(text: str) -> None:
    assert detect_language(text) == "unknown"


def _corpus_articles() -> list[tuple[str, str]]:
    articles = [(p.parent.name, p.read_text("utf-8")) for p in sorted(CORPUS.glob("*/*.txt"))]
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            if record.get("lang") in ("fr", "de"):
                articles.append((record["lang"], record["body"]))
    return articles


def test_corpus_articles_and_paragraphs() -> None:
    articles = _corpus_articles()
    if not articles:
        pytest.skip("no corpus/ in this checkout")
    samples = articles + [
        (lang, para)
        for lang, text in articles
        for para in text.split("\n\n")
        if len(para.split()) >= 25  # article-length pieces, not titles or keyword lines
    ]
    right = sum(detect_language(text) == lang for lang, text in samples)
    assert right / len(samples) >= 0.995, f"{right}/{len(samples)}"
    assert all(detect_language(text) == lang for lang, text in articles)


def test_a_quoted_sentence_does_not_change_the_language() -> None:
    text = " ".join(GERMAN[:3]) + " „We will not open a base“, he said. " + GERMAN[3]
    assert detect_language(text) == "de"


def test_long_text_is_cheap_and_right() -> None:
    assert detect_language(" ".join(FRENCH) * 2000) == "fr"


@given(st.text())
def test_never_raises(text: str) -> None:
    assert detect_language(text) in ("fr", "de", "unknown")


@pytest.mark.parametrize("value", [None, 42, b"Die Regierung und der Staat"])
def test_wrong_types_are_unknown(value: object) -> None:
    assert detect_language(value) == "unknown"  # type: ignore[arg-type]
