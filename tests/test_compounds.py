"""German decompounding: the splitter and the shipped lexicon."""

from __future__ import annotations

import time

import pytest

from searchkit.analysis.compounds import MIN_PART, compound_parts, split, splits
from searchkit.analysis.filters import fold, load_words


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Militärbasis", ("militar", "basis")),
        ("Militaerbasis", ("militar", "basis")),
        ("Sicherheitspolitik", ("sicherheit", "politik")),  # linking -s-
        ("Wasserkraftwerk", ("wasser", "kraftwerk")),  # the longest last part wins
        ("Kraftwerk", ("kraft", "werk")),
        ("Grenzkonflikte", ("grenze", "konflikte")),  # Grenze loses its -e
        ("Menschenrechte", ("menschen", "rechte")),
        ("Präsidentenwahl", ("prasident", "wahl")),  # linking -en-
        ("Bundesregierung", ("bund", "regierung")),  # linking -es-
        ("Geisterstadt", ("geist", "stadt")),  # linking -er-
        ("Sonnenenergie", ("sonne", "energie")),  # linking -n-
        ("Hilfsorganisation", ("hilfe", "organisation")),  # Hilfe -> Hilfs-
        ("Nachbarländern", ("nachbar", "landern")),  # an inflected last part
        ("Staudammprojekt", ("staudamm", "projekt")),
        ("Baumwollernte", ("baumwolle", "ernte")),
        ("Außenminister", ("aussen", "minister")),
        ("Verteidigungsministerium", ("verteidigung", "ministerium")),
        ("Grenzübergang", ("grenze", "ubergang")),
        ("Gastarbeiter", ("gast", "arbeiter")),
        ("Luftverschmutzung", ("luft", "verschmutzung")),
        ("Stromexporte", ("strom", "exporte")),
        ("Eisenbahnstrecke", ("eisen", "bahnstrecke")),  # see test_all_fewest_part_splits
        ("Wasserversorgung", ("wasser", "versorgung")),
        ("Präsidentschaftswahl", ("prasidentschaft", "wahl")),
        ("Weltgesundheitsorganisation", ("welt", "gesundheit", "organisation")),
    ],
)
def test_split(word: str, parts: tuple[str, ...]) -> None:
    assert split(fold(word)) == parts


@pytest.mark.parametrize(
    "word",
    [
        "Führung",  # no "run": parts are four letters or more
        "Verteidigung",
        "Regierung",
        "Botschafter",
        "Besucherinnen",  # innen- only begins a compound
        "Hochzeit",  # marked as never split
        "Fahrzeugen",
        "Buchstaben",
        "Unternehmen",
        "Vorsitzender",
        "Basis",
        "",
    ],
)
def test_no_split(word: str) -> None:
    assert split(fold(word)) == ()


def test_all_fewest_part_splits() -> None:
    assert splits("eisenbahnstrecke") == [("eisen", "bahnstrecke"), ("eisenbahn", "strecke")]
    assert splits("wasserkraftwerk") == [("wasser", "kraftwerk"), ("wasserkraft", "werk")]
    assert splits("militarbasis") == [("militar", "basis")]


def test_parts_are_stems_outermost_first() -> None:
    assert compound_parts("wasserkraftwerk") == (
        "wass",
        "kraftwerk",
        "kraft",
        "werk",
        "wasserkraft",
    )
    assert compound_parts("eisenbahnstrecke") == (
        "eis",
        "bahnstreck",
        "bahn",
        "streck",
        "eisenbahn",
    )
    assert compound_parts("staudammprojekt") == ("staudamm", "stau", "damm", "projekt")
    assert compound_parts("regierung") == ()


def test_lexicon_is_a_few_thousand_words_of_four_letters_or_more() -> None:
    entries = load_words("lexicon_de.txt", str.lower)
    assert len(entries) > 2500
    words = {w.rstrip("-!") for w in entries}
    assert all(len(w) >= MIN_PART for w in words)
    for needed in (
        "militär",
        "basis",
        "sicherheit",
        "politik",
        "wasser",
        "kraft",
        "werk",
        "grenze",
        "konflikt",
        "minister",
        "baumwolle",
        "ernte",
        "strom",
    ):
        assert needed in words


def test_splitting_is_fast() -> None:
    words = [
        fold(w) + suffix
        for w in (
            "Wasserkraftwerk",
            "Sicherheitspolitik",
            "Verteidigungsministerium",
            "Unabhängigkeitserklärung",
        )
        for suffix in ("", "e", "en", "s", "es", "n", "er", "x", "xy", "xyz")
    ]
    start = time.perf_counter()
    for word in words:
        split(word)
    assert (time.perf_counter() - start) / len(words) < 0.005  # 5 ms per unseen word, at most
