"""German decompounding: the splitter and the shipped lexicon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchkit.analysis import compounds
from searchkit.analysis.compounds import MIN_PART, compound_parts, split, splits
from searchkit.analysis.filters import fold, load_words

ROOT = Path(__file__).resolve().parents[2]


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


def _probe_words() -> list[str]:
    """Compounds, inflected forms, near misses: lexicon words joined two by two (with
    each linking element), with each ending, and cut short, plus the corpus's words."""
    lexicon = sorted(fold(w.rstrip("-!")) for w in load_words("lexicon_de.txt", str.lower))
    partners = lexicon[::-1] + lexicon[1:] + lexicon[:1]
    words = [
        a + link + b for a, b in zip(lexicon * 2, partners, strict=True) for link in ("", "s", "en")
    ]
    words += [w + end for w in lexicon[::7] for end in ("e", "n", "ern", "innen", "x")]
    words += [w[:-1] for w in lexicon]
    for path in sorted((ROOT / "corpus" / "de").glob("*.txt")):
        words += [fold(w) for w in re.findall(r"\w+", path.read_text(encoding="utf-8"))]
    return sorted(set(words))


def test_splits_without_the_tables_are_the_splits_with_them(monkeypatch) -> None:
    """A query splits its words without building the tables (see TABLES_AFTER); the
    answers must be the tables' own."""
    words = _probe_words()
    assert len(words) > 10_000
    monkeypatch.setattr(compounds, "TABLES_AFTER", 0)
    with_tables = [splits(w) for w in words]
    monkeypatch.setattr(compounds, "TABLES_AFTER", 10**9)
    monkeypatch.setattr(compounds, "_untabled", 0)
    without = [splits(w) for w in words]
    assert without == with_tables
    assert sum(map(bool, with_tables)) > 3000  # (the probe does reach the splitting)
