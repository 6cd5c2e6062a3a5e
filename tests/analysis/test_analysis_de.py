"""The German analyzer, rule by rule, with the literal terms each text must produce."""

from __future__ import annotations

import pytest

from searchkit.analysis import analyzer_for, fold

DE = analyzer_for("de")


def terms(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in DE(text, mode=mode)]


@pytest.mark.parametrize(
    "spellings",
    [
        ("Militärbasis", "Militaerbasis", "Militarbasis", "MILITÄRBASIS"),
        ("Straße", "Strasse", "STRASSE"),
        ("Zürich", "Zuerich", "Zurich"),
        ("Grenzübergang", "Grenzuebergang", "Grenzubergang"),
        ("Präsidentschaftswahl", "Praesidentschaftswahl", "Prasidentschaftswahl"),
        ("Öl", "Oel", "Ol"),
        ("Goethe", "Göthe"),
    ],
)
def test_umlaut_and_sharp_s_equivalence(spellings: tuple[str, ...]) -> None:
    for mode in ("index", "query"):
        assert len({tuple(terms(s, mode)) for s in spellings}) == 1, mode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Regierung und der Präsident", ["regier", "prasident"]),
        ("in der Hauptstadt, für die Bevölkerung", ["hauptstadt", "haupt", "stadt", "bevolker"]),
        ("Das ist nicht so, sagte er dann", ["sagt"]),
        ("über", []),
        ("Wann wurde die Grenze geschlossen?", ["wann", "grenz", "geschloss"]),
    ],
)
def test_stop_words(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize(
    ("text", "index", "query"),
    [
        ("Militärbasis", ["militarbasis", "militar", "basis"], ["militarbasis"]),
        ("Sicherheitspolitik", ["sicherheitspolit", "sich", "polit"], ["sicherheitspolit"]),
        (
            "Wasserkraftwerk",
            ["wasserkraftwerk", "wass", "kraftwerk", "kraft", "werk", "wasserkraft"],
            ["wasserkraftwerk"],
        ),
        ("Grenzkonflikte", ["grenzkonflikt", "grenz", "konflikt"], ["grenzkonflikt"]),
        ("Außenminister", ["aussenminist", "auss", "minist"], ["aussenminist"]),
        (
            "Verteidigungsministerium",
            ["verteidigungsministerium", "verteid", "ministerium"],
            ["verteidigungsministerium"],
        ),
        ("Grenzübergang", ["grenzubergang", "grenz", "ubergang"], ["grenzubergang"]),
        (
            "Staudammprojekt",
            ["staudammprojekt", "staudamm", "stau", "damm", "projekt"],
            ["staudammprojekt"],
        ),
        ("Baumwollernte", ["baumwollernt", "baumwoll", "baum", "woll", "ernt"], ["baumwollernt"]),
        ("Gastarbeiter", ["gastarbeit", "gast", "arbeit"], ["gastarbeit"]),
        ("Luftverschmutzung", ["luftverschmutz", "luft", "verschmutz"], ["luftverschmutz"]),
        ("Stromexporte", ["stromexport", "strom", "export"], ["stromexport"]),
        (
            "Eisenbahnstrecke",
            ["eisenbahnstreck", "eis", "bahnstreck", "bahn", "streck", "eisenbahn"],
            ["eisenbahnstreck"],
        ),
        ("Wasserversorgung", ["wasserversorg", "wass", "versorg"], ["wasserversorg"]),
        (
            "Präsidentschaftswahl",
            ["prasidentschaftswahl", "prasidentschaft", "wahl"],
            ["prasidentschaftswahl"],
        ),
        ("Menschenrechte", ["menschenrecht", "mensch", "recht"], ["menschenrecht"]),
        (
            "Rogun-Staudamm",
            ["rogunstaudamm", "rogun", "staudamm", "stau", "damm"],
            ["rogunstaudamm", "rogun", "staudamm"],
        ),
    ],
)
def test_compounds_are_indexed_whole_and_by_part(
    text: str, index: list[str], query: list[str]
) -> None:
    assert terms(text) == index
    assert terms(text, "query") == query


@pytest.mark.parametrize(
    "word",
    [
        "Führung",
        "Verteidigung",
        "Regierung",
        "Botschafter",
        "Besucherinnen",
        "Hochzeiten",
        "Fahrzeugen",
        "Buchstaben",
        "Antragsteller",
        "Nachteile",
        "Unternehmen",
        "Kasachstan",
    ],
)
def test_no_false_splits(word: str) -> None:
    assert len(terms(word)) == 1


def test_lowercase_words_are_not_split() -> None:
    # adjectives and participles: "wachs|ender", "folge|nden" would be false splits
    assert terms("wachsender folgenden zeitweise") == ["wachsend", "folgend", "zeitweis"]


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("Basis", "Militärbasis"),
        ("Militarbasis", "Militärbasis"),
        ("Kraftwerk", "Wasserkraftwerk"),
        ("Kraftwerke", "Wasserkraftwerk"),
        ("Konflikt", "Grenzkonflikte"),
        ("Grenze", "Grenzkonflikte"),
        ("Grenzen", "Grenzübergang"),
        ("Politik", "Sicherheitspolitik"),
        ("Sicherheit", "Sicherheitspolitik"),
        ("Wasser", "Wasserversorgung"),
        ("Export", "Stromexporte"),
        ("Strecke", "Eisenbahnstrecke"),
        ("Eisenbahn", "Eisenbahnstrecke"),
        ("Wasserkraft", "Wasserkraftwerk"),
        ("Minister", "Außenminister"),
        ("Staudamm", "Rogun-Staudamm"),
    ],
)
def test_part_queries_match_compounds(query: str, document: str) -> None:
    (term,) = terms(query, "query")
    assert term in terms(document)


def test_compound_parts_share_position_and_span() -> None:
    text = "Die neue Militärbasis im Süden"
    tokens = [
        (t.text, t.pos, text[t.startchar : t.endchar])
        for t in DE(text, positions=True, chars=True, mode="index")
    ]
    assert tokens == [
        ("neu", 0, "neue"),
        ("militarbasis", 1, "Militärbasis"),
        ("militar", 1, "Militärbasis"),
        ("basis", 1, "Militärbasis"),
        ("sud", 2, "Süden"),
    ]


def test_fold_matches_the_analyzer_equivalences() -> None:
    assert fold("Militärbasis") == fold("Militaerbasis") == fold("Militarbasis") == "militarbasis"
    assert fold("Straße") == "strasse"
    assert fold("Sécurité") == "securite"
    assert fold("Zürich") == fold("Zuerich")
    assert fold("Quelle") == "quelle"  # "ue" after q is not an umlaut
    assert fold("neue Steuer") == "neue steuer"  # nor in "eue"
