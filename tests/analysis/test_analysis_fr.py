"""The French analyzer, rule by rule, with the literal terms each text must produce."""

from __future__ import annotations

import pickle

import pytest
from whoosh.analysis import LanguageAnalyzer

from searchkit.analysis import analyzer_for

FR = analyzer_for("fr")


def terms(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in FR(text, mode=mode)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’armée", ["arme"]),
        ("l'armée", ["arme"]),
        ("L'ARMÉE", ["arme"]),
        ("d’Ouzbékistan", ["ouzbekistan"]),
        ("D'Ouzbékistan", ["ouzbekistan"]),
        ("t’aime", ["aim"]),
        ("n’envisage", ["envisag"]),
        ("s’est", ["est"]),
        ("c’est", ["est"]),
        ("QU’IL", []),
        ("qu'il", []),
        ("jusqu’à", []),
        ("lorsqu’elle", []),
        ("puisqu’on", []),
        ("quoiqu’il", []),
        ("Jusqu'au Kirghizstan", ["kirghizstan"]),
        ("lʼarmée", ["arme"]),  # U+02BC, a modifier letter used as an apostrophe
        ("aujourd’hui", ["aujourdhui", "aujourd", "hui"]),  # not an elision: joined + pieces
    ],
)
def test_elision(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalal-Abad", ["jalalabad", "jalal", "abad"]),
        ("jalal-abad", ["jalalabad", "jalal", "abad"]),
        ("Jalalabad", ["jalalabad"]),
        ("Abad", ["abad"]),
        ("sino-kirghiz", ["sinokirghiz", "sino", "kirghiz"]),
        ("les relations sino-kirghizes", ["relat", "sinokirghiz", "sino", "kirghiz"]),
        ("l’Asie-Centrale", ["asiecentral", "asi", "central"]),
        ("a-t-elle", []),  # clitics at the end are dropped
        ("dit-il", ["dit"]),
        ("peut-être", ["peut"]),
    ],
)
def test_hyphenated_words(text: str, expected: list[str]) -> None:
    # the same in both modes: the query layer reads a word's terms as alternatives
    assert terms(text) == expected
    assert terms(text, "query") == expected


@pytest.mark.parametrize("document", ["Jalal-Abad", "jalal-abad", "Jalalabad", "Jalal Abad"])
def test_hyphenated_query_matches_every_spelling(document: str) -> None:
    assert set(terms("Jalal-Abad", "query")) & set(terms(document))
    assert set(terms("Abad", "query")) <= set(terms("Jalal-Abad"))


def test_hyphenated_word_is_one_position() -> None:
    # a phrase query takes the first term at each position: the joined form
    tokens = [(t.text, t.pos) for t in FR("Jalal-Abad ville", positions=True, mode="query")]
    assert tokens == [("jalalabad", 0), ("jalal", 0), ("abad", 0), ("vill", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("les armées du pays", ["arme", "pay"]),
        ("La Russie et le Kirghizstan", ["russ", "kirghizstan"]),
        ("une base militaire au Kirghizstan", ["base", "militair", "kirghizstan"]),
        ("des élections aux Pays-Bas", ["elect", "paysb", "pay", "bas"]),
        ("Il a dit qu’elle était en ville", ["dit", "vill"]),
        # homographs with a meaning are not stop words: gold, east, summer, when
        ("l’or du Kirghizstan", ["or", "kirghizstan"]),
        ("à l’est du pays", ["est", "pay"]),
        ("Quand la base a-t-elle été construite ?", ["quand", "base", "ete", "construit"]),
    ],
)
def test_stop_words(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_stop_list_is_ours_and_has_no_english() -> None:
    stock = [t.text for t in LanguageAnalyzer("fr")("les the and of")]
    assert stock == ["le"]  # Whoosh's list keeps "les" and removes English words ...
    assert terms("les the and of") == ["the", "and", "of"]  # ... ours does the opposite


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("sécurité", "securite"),
        ("Sécurité", "SECURITE"),
        ("événements", "evenement"),
        ("événement", "evenements"),
        ("réfugiées", "réfugié"),
        ("Ouzbékistan", "ouzbekistan"),
        ("l’armée", "armee"),
        ("élèves", "eleve"),
        ("forêt", "foret"),
        ("français", "francais"),
        ("cœur", "coeur"),
    ],
)
def test_accents_both_ways(a: str, b: str) -> None:
    assert terms(a) == terms(b)
    assert terms(a, "query") == terms(b, "query")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sécurité", ["securit"]),
        ("événements", ["even"]),
        ("militaires", ["militair"]),
        ("développement", ["developp"]),
    ],
)
def test_snowball_stems(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_spans_point_at_the_original_words() -> None:
    text = "À l’armée de Jalal-Abad, les soldats"
    spans = [(t.text, text[t.startchar : t.endchar]) for t in FR(text, chars=True, mode="index")]
    assert spans == [
        ("arme", "armée"),
        ("jalalabad", "Jalal-Abad"),
        ("jalal", "Jalal"),
        ("abad", "Abad"),
        ("soldat", "soldats"),
    ]


def test_positions_count_words_not_stop_words() -> None:
    text = "la base de Jalal-Abad et les soldats"
    positions = [(t.text, t.pos) for t in FR(text, positions=True)]
    assert positions == [("base", 0), ("jalalabad", 1), ("jalal", 1), ("abad", 1), ("soldat", 2)]


def test_whoosh_call_conventions() -> None:
    kept = [(t.text, t.stopped) for t in FR("les armées", removestops=False, chars=True)]
    assert kept == [("les", True), ("arme", False)]
    assert [t.text for t in FR("Armées", tokenize=False)] == ["arme"]
    assert [t.text for t in FR("armées", no_morph=True)] == ["armees"]
    offset = [
        (t.pos, t.startchar)
        for t in FR("armée", positions=True, chars=True, start_pos=5, start_char=10)
    ]
    assert offset == [(5, 10)]


def test_pickles_small_and_compares_equal() -> None:
    data = pickle.dumps(FR)
    assert len(data) < 200
    assert pickle.loads(data) == FR == analyzer_for("fr")
    assert analyzer_for("de") != FR
