"""Cross-lingual search on our corpus: translations, place names in every spelling, twins.

Through the API and the CLI: a French query finds the German story and the reverse, a
name finds its other spellings, translation can be turned off, and each article is linked
to its twin in the other language when the index holds it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import build_index, open_index
from searchkit.cli.commands import main
from searchkit.query.parse import parse
from searchkit.query.translate import query_languages, translate_query
from searchkit.query.tree import Group, Translated, Word
from searchkit.search.searcher import Searcher

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
BASE_FR = "fr/russie-seconde-base-militaire-kirghizstan"
BASE_DE = "de/russland-zweite-militaerbasis-kirgistan"
ARAL_FR = "fr/mer-d-aral-assechement"
ARAL_DE = "de/aralsee-austrocknung"
TWINS = [
    json.loads(line)
    for line in (DATA / "twins.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def index_dir(corpus_index: Path) -> Path:
    return corpus_index


@pytest.fixture(scope="module")
def searcher(index_dir: Path) -> Searcher:
    with open_index(index_dir) as opened:
        yield opened


def ids(searcher: Searcher, text: str, limit: int = 10, **options: object) -> list[str]:
    return [hit.id for hit in searcher.search(text, limit=limit, **options).hits]


# --- query translation ---------------------------------------------------------------


def test_a_german_word_finds_the_french_story_through_its_translation(searcher) -> None:
    results = searcher.search("Militärbasis", lang="fr")
    assert [h.id for h in results.hits] == [BASE_FR]
    hit = results.hits[0]
    assert hit.via_translation == ("base militaire",)
    marked = {hit.snippet[a:b].lower() for a, b in hit.highlights}
    assert {"base", "militaire"} <= marked


def test_a_french_expression_finds_the_german_compound(searcher) -> None:
    assert ids(searcher, "base militaire", lang="de")[0] == BASE_DE
    assert ids(searcher, "mer d'Aral", lang="de")[0] == ARAL_DE
    assert ids(searcher, "Aralsee", lang="fr")[0] == ARAL_FR


def test_articles_with_the_words_as_typed_rank_first(searcher) -> None:
    assert ids(searcher, "base militaire")[:2] == [BASE_FR, BASE_DE]
    assert ids(searcher, "Militärbasis")[:2] == [BASE_DE, BASE_FR]
    found = ids(searcher, "Luftverschmutzung Bischkek")
    assert found[:2] == ["de/bischkek-luftverschmutzung", "fr/pollution-air-bichkek-almaty-hiver"]


def test_translation_can_be_turned_off(searcher) -> None:
    assert ids(searcher, "Militärbasis", lang="fr", translate=False) == []
    assert searcher.search("Militärbasis", translate=False).hits[0].via_translation == ()


@pytest.mark.parametrize(
    "spellings",
    [
        ["Kirghizstan", "Kirgistan", "Kirgisistan", "Kyrgyzstan"],
        ["Bichkek", "Bischkek", "Bishkek", "Frounze"],
        ["Douchanbé", "Duschanbe", "Dushanbe"],
        ["Tachkent", "Taschkent", "Tashkent"],
        # (not Nour-Soultan here: as typed it also finds "Noursoultan" Nazarbaïev)
        ["Astana", "Nur-Sultan", "Akmola"],
        ["Almaty", "Alma-Ata"],
        ["Tokaïev", "Tokajew", "Tokayev"],
    ],
)
def test_a_name_finds_the_same_articles_in_every_spelling(searcher, spellings) -> None:
    # The articles that have the name in any of its spellings, as typed...
    quoted = [f'"{name}"' for name in spellings]
    named = set().union(*(ids(searcher, q, limit=100, translate=False) for q in quoted))
    assert {i.split("/")[0][:2] for i in named} == {"fr", "de"}
    # ... are found by each spelling.
    for name in spellings:
        missing = named - set(ids(searcher, name, limit=100))
        assert not missing, (name, missing)


def test_a_name_that_is_a_common_word_needs_its_capital() -> None:
    typed = parse("Ach och, die Straße nach Osch")
    added = translate_query(typed, ("fr", "de"))
    places = [n for n in added.root.should if isinstance(n, Translated) and "Osh" in n.senses]
    assert {node.source for node in places} == {"Osch"}


def test_the_query_language_comes_from_its_stop_words() -> None:
    assert query_languages(["pollution", "de", "l'air", "à", "Bichkek"]) == ("fr",)
    assert query_languages(["Warum", "trocknet", "der", "Aralsee", "aus"]) == ("de",)
    assert query_languages(["Rogun", "Kambarata"]) == ("fr", "de")


def test_a_third_language_and_a_mixed_query_still_find(searcher) -> None:
    assert BASE_FR in ids(searcher, "military base Kyrgyzstan")[:3]
    assert set(ids(searcher, "barrage Rogun Staudamm")[:2]) == {
        "fr/rogun-barrage-tadjikistan",
        "de/rogun-staudamm-tadschikistan",
    }


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcéäßxyz AOKR'-\"*~():+", max_size=40))
def test_translating_a_query_keeps_every_typed_word(text: str) -> None:
    parsed = parse(text)
    translated = translate_query(parsed, ("fr", "de", "xx"))

    def words(node: object) -> list[Word]:
        if isinstance(node, Word):
            return [node]
        if isinstance(node, Group):
            return [w for child in (*node.must, *node.should, *node.must_not) for w in words(child)]
        return []

    assert words(translated.root) == words(parsed.root)


# --- twins -----------------------------------------------------------------------------


def test_every_twin_of_the_corpus_is_linked_and_nothing_else(searcher) -> None:
    for pair in TWINS:
        assert searcher.twins_of(pair["fr"]) == (pair["de"],), pair
        assert searcher.twins_of(pair["de"]) == (pair["fr"],), pair
    linked = [i for i in searcher.all_ids() if searcher.twins_of(i)]
    assert len(linked) == 2 * len(TWINS)


def test_hits_and_similar_name_the_twin(searcher) -> None:
    hit = searcher.search("base militaire", lang="fr").hits[0]
    assert hit.translations == (BASE_DE,)
    assert searcher.similar(BASE_FR).hits[0].id == BASE_DE


def test_a_twin_arriving_later_is_linked_then(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    held = corpus / "de" / "russland-zweite-militaerbasis-kirgistan.txt"
    held_text = held.read_text("utf-8")
    held.unlink()
    build_index([corpus], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        assert searcher.twins_of(BASE_FR) == ()
    held.write_text(held_text, "utf-8")
    report = build_index([corpus], tmp_path / "ix")
    assert report.added == 1
    with open_index(tmp_path / "ix") as searcher:
        assert searcher.twins_of(BASE_FR) == (BASE_DE,)
        assert searcher.twins_of(BASE_DE) == (BASE_FR,)
    held.unlink()  # and unlinked when it goes
    build_index([corpus], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        assert searcher.twins_of(BASE_FR) == ()


# --- the command line --------------------------------------------------------------------


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_cli_says_what_matched_through_a_translation(index_dir: Path) -> None:
    result = run("query", "Militärbasis", "--lang", "fr", "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    assert "     via: base militaire" in result.output.splitlines()
    assert f"     also in German: {BASE_DE}" in result.output.splitlines()


def test_cli_no_translate(index_dir: Path) -> None:
    args = ("query", "Militärbasis", "--lang", "fr", "--index", str(index_dir))
    result = run(*args, "--no-translate")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "No articles found for: Militärbasis"


def test_cli_json_has_the_translations_and_twins(index_dir: Path) -> None:
    result = run("query", "Aralsee", "--lang", "fr", "--json", "--index", str(index_dir))
    hit = json.loads(result.stdout)["hits"][0]
    assert hit["id"] == ARAL_FR
    assert hit["via_translation"] == ["mer d'Aral"]
    assert hit["translations"] == [ARAL_DE]


def test_cli_similar_lists_the_twin_first(index_dir: Path) -> None:
    result = run("similar", ARAL_DE, "--json", "--index", str(index_dir))
    assert json.loads(result.stdout)["hits"][0]["id"] == ARAL_FR


def test_cli_eval_runs_the_cross_lingual_cases(index_dir: Path) -> None:
    cases = DATA / "crosslingual.jsonl"
    result = run("eval", str(cases), "--json", "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["evaluated"] == 74
    assert report["metrics"]["mrr@10"] >= 0.9


def test_an_archive_in_one_language_compares_nothing_until_the_other_arrives(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "fr").mkdir(parents=True)
    shutil.copy(CORPUS / "fr" / "russie-seconde-base-militaire-kirghizstan.txt", corpus / "fr")
    shutil.copy(CORPUS / "fr" / "rogun-barrage-tadjikistan.txt", corpus / "fr")
    build_index([corpus], tmp_path / "ix")
    assert sorted(p.name for p in (tmp_path / "ix").iterdir() if "twin" in p.name) == []
    (corpus / "de").mkdir()
    shutil.copy(CORPUS / "de" / "russland-zweite-militaerbasis-kirgistan.txt", corpus / "de")
    build_index([corpus], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        assert searcher.twins_of(BASE_DE) == (BASE_FR,)
