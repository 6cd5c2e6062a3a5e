"""False matches a reader saw (issue 12), each through the API and the CLI, on our corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import QuerySyntaxError, Searcher, build_index, open_index
from searchkit.analysis import analyzer_for
from searchkit.cli.commands import main
from searchkit.query.parse import parse
from searchkit.query.stopwords import skip_foreign_stop_words

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ALPHABET_DE = "de/kasachstan-lateinisches-alphabet"  # "Buchstaben wie ä, ö, ü"
NOUREK_FR = "fr/tadjikistan-nourek-coupures-electricite-hiver"  # "trop bas"
MIGRANTS_FR = "fr/tadjikistan-migrants-transferts-russie"  # "basé à Douchanbé"
ROGUN_FR = "fr/rogun-barrage-tadjikistan"
ROGUN_DE = "de/rogun-staudamm-tadschikistan"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("false-matches") / "index"
    assert build_index([CORPUS], folder).ok
    return folder


@pytest.fixture(scope="module")
def searcher(index_dir: Path):  # type: ignore[no-untyped-def]
    with open_index(index_dir) as opened:
        yield opened


def ids(searcher: Searcher, text: str, **options: object) -> list[str]:
    return [hit.id for hit in searcher.search(text, limit=50, **options).hits]  # type: ignore[arg-type]


def cli(index_dir: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["query", *args, "--index", str(index_dir)])


def cli_ids(index_dir: Path, text: str) -> list[str]:
    result = cli(index_dir, text, "--json", "--limit", "50")
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.stdout)["hits"]]


# --- à is not ä: one-letter words and the query's stop words stay in their language ---


def test_a_french_stop_word_does_not_match_through_the_german_chain(searcher, index_dir):
    text = "pollution de l'air à Bichkek"
    assert ALPHABET_DE not in ids(searcher, text)
    assert ALPHABET_DE not in cli_ids(index_dir, text)


@pytest.mark.parametrize("text", ["a*", "à", "ä", "a"])
def test_a_letter_alone_finds_nothing(searcher, index_dir, text):
    assert ids(searcher, text) == []
    assert cli(index_dir, text).exit_code == 0
    assert cli_ids(index_dir, text) == []


def test_only_the_query_language_decides_what_is_a_stop_word():
    """German stop words in a French query ("an": year, "hier": yesterday) stay words."""
    french = skip_foreign_stop_words(parse("il y a un an hier à Bichkek")).root.should
    skip = {w.text: w.skip for w in french}  # type: ignore[union-attr]
    assert skip["an"] == () and skip["hier"] == () and skip["Bichkek"] == ()
    assert set(skip["à"]) == {"fr", "de", "xx"}  # one letter: searched nowhere
    german = skip_foreign_stop_words(parse("die Rogun-Staudamm und der Fluss")).root.should
    assert {w.text: w.skip for w in german}["die"] == ("fr", "xx")  # type: ignore[union-attr]


# --- base is not bas, basé ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("base bases Base", ["base", "base", "base"]),
        ("bas basé basée", ["bas", "bas", "bas"]),
        ("mer mère", ["mer", "mere"]),
        ("côte côté", ["cot", "cote"]),
    ],
)
def test_frequent_nouns_keep_their_own_term(text, expected):
    fr = analyzer_for("fr")
    assert [t.text for t in fr(text)] == expected
    assert [t.text for t in fr(text, mode="query")] == expected


def test_base_militaire_does_not_find_bas_or_base(searcher, index_dir):
    for found in (ids(searcher, "base militaire"), cli_ids(index_dir, "base militaire")):
        assert found[0] == "fr/russie-seconde-base-militaire-kirghizstan"
        assert NOUREK_FR not in found and MIGRANTS_FR not in found
    assert NOUREK_FR in ids(searcher, "bas")  # bas still finds bas


# --- Rogun~5 -----------------------------------------------------------------------


def test_a_fuzzy_distance_above_two_is_refused(searcher, index_dir):
    with pytest.raises(QuerySyntaxError, match="1 or 2 edits") as info:
        searcher.search("Rogun~5")
    assert info.value.position == 6
    result = cli(index_dir, "Rogun~5")
    assert result.exit_code == 2
    assert "Error: Rogun~5: at character 7: a fuzzy word allows 1 or 2 edits" in result.stderr
    assert "Rogun~2" in result.stderr
    assert ids(searcher, "Rogun~2")[:2] == [ROGUN_FR, ROGUN_DE]


def test_a_number_after_a_tilde_alone_is_text():
    assert parse("3~5").is_plain


# --- did you mean ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Militärbasen", "Militaerbasen", "Warum trocknet der Aralsee aus?", "Rogun", "Bischkek"],
)
def test_a_word_the_index_holds_is_never_corrected(searcher, index_dir, text):
    assert searcher.search(text).suggestion is None
    result = cli(index_dir, text)
    assert result.exit_code == 0 and "Did you mean" not in result.output


# --- lang:de Rogun -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lang:de Rogun", [ROGUN_DE]),
        ("Rogun lang:fr", [ROGUN_FR]),
        ("lang:de AND Rogun", [ROGUN_DE]),
        ("tag:Rogun Tadschikistan", [ROGUN_DE, ROGUN_FR]),  # (via its spellings)
    ],
)
def test_a_field_typed_beside_words_filters(searcher, index_dir, text, expected):
    assert sorted(ids(searcher, text)) == sorted(expected)
    assert sorted(cli_ids(index_dir, text)) == sorted(expected)


def test_filters_joined_by_or_filter_together(searcher):
    hits = searcher.search("tag:Rogun OR tag:Aralsee Wasser", limit=50).hits
    assert {ROGUN_DE, "de/aralsee-austrocknung"} <= {hit.id for hit in hits}
    assert all({"Rogun", "Aralsee"} & set(hit.tags) for hit in hits)
    assert set(ids(searcher, "lang:de OR Rogun")) >= {ROGUN_FR, ROGUN_DE}  # as typed


def test_a_two_letter_word_that_folds_to_one_letter_is_searched():
    """``UE`` folds to ``u`` (ue spells ü); it is the European Union, not a letter."""
    (word,) = skip_foreign_stop_words(parse("l'UE")).root.should
    assert word.skip == ()  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["l'UE", "Diam's", "Sotheby's", "5", "l'a"])
def test_only_one_letter_words_are_searched_nowhere(text):
    (word,) = skip_foreign_stop_words(parse(text)).root.should
    one = text == "l'a"
    assert (set(word.skip) == {"fr", "de", "xx"}) is one  # type: ignore[union-attr]
