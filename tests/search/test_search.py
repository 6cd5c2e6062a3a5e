"""Searching through the public API: ranking, syntax, filters, facets, suggestions, paging."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import searchkit
from searchkit.errors import (
    ArticleNotFoundError,
    IndexNotFoundError,
    QuerySyntaxError,
    SearchkitError,
)
from searchkit.fields import field_langs
from searchkit.index.build import build_index
from searchkit.query.parse import parse
from searchkit.search import scoring
from searchkit.search.compile import to_whoosh
from searchkit.search.searcher import Searcher, open_index


def ids(searcher: Searcher, text: str, **kwargs: object) -> list[str]:
    return [hit.id for hit in searcher.search(text, limit=20, **kwargs).hits]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("base militaire", "fr-base-kant"),
        ("Militärbasis", "de-militaerbasis"),
        ("Militarbasis", "de-militaerbasis"),
        ("Militaerbasis", "de-militaerbasis"),
        ("securite alimentaire", "fr-securite-alimentaire"),
        ("Sécurité alimentaire", "fr-securite-alimentaire"),
        ("Suden Kirgistans", "de-militaerbasis"),
        ("Wo soll die zweite russische Militärbasis entstehen?", "de-militaerbasis"),
        ("l'armée russe au Kirghizstan ?", "fr-base-kant"),
        ("mer d'Aral", "fr-mer-aral"),
        ("Aralsee", "de-aralsee"),
    ],
)
def test_the_best_article_comes_first(searcher: Searcher, text: str, first: str) -> None:
    assert ids(searcher, text)[0] == first


def test_compound_parts_and_both_languages(searcher: Searcher) -> None:
    assert "de-militaerbasis" in ids(searcher, "Basis")
    # One query, both languages: the French and the German article on the same story.
    assert set(ids(searcher, "Russie Kirghizstan Russland Kirgistan")[:2]) == {
        "fr-base-kant",
        "de-militaerbasis",
    }


def test_natural_text_is_or_not_and(searcher: Searcher) -> None:
    # No article has all these words; each article with one of them is found.
    found = ids(searcher, "coton Aralsee inexistantissime", translate=False)
    assert set(found) == {"fr-coton-economie", "de-aralsee"}
    # Translated, the words also find the articles that say them in the other language,
    # after those that have them as typed.
    found = ids(searcher, "coton Aralsee inexistantissime")
    assert set(found[:2]) == {"fr-coton-economie", "de-aralsee"}
    assert set(found[2:]) == {"de-baumwolle", "fr-mer-aral"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"base militaire"', ["fr-base-kant"]),
        ('"militaire base"', []),
        ("milit*", ["de-militaerbasis", "fr-base-kant", "fr-coton-economie"]),
        ("Kirgistn~", ["de-militaerbasis"]),
        ("Russie AND Kirghizstan", ["fr-base-kant"]),
        ("Russie NOT Kirghizstan", ["fr-migrants-tadjiks", "fr-securite-alimentaire"]),
        ("+Russie -Kirghizstan", ["fr-migrants-tadjiks", "fr-securite-alimentaire"]),
        ("tag:Kazakhstan AND date:2019", ["fr-mer-aral"]),
        ("title:aral", ["fr-mer-aral"]),
        ('tag:"mer d\'aral"', ["fr-mer-aral"]),
        ("author:Delorme", ["fr-base-kant", "fr-securite-alimentaire"]),
        ('author:"Camille Delorme"', ["fr-base-kant", "fr-securite-alimentaire"]),
        ("date:[2019-01-01 TO 2019-06-30]", ["fr-coton-economie", "fr-securite-alimentaire"]),
    ],
)
def test_explicit_syntax(searcher: Searcher, text: str, expected: list[str]) -> None:
    assert sorted(ids(searcher, text, translate=False)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russie -> Russland, Kirghizstan -> Kirgistan: the German story matches too,
        # after the French one that has the words as typed.
        ("Russie AND Kirghizstan", ["fr-base-kant", "de-militaerbasis"]),
        ("+Militärbasis", ["de-militaerbasis", "fr-base-kant"]),
    ],
)
def test_explicit_syntax_translated(searcher: Searcher, text: str, expected: list[str]) -> None:
    assert ids(searcher, text)[: len(expected)] == expected


def test_not_leaves_out_the_translations_too(searcher: Searcher) -> None:
    # Kirgistan is Kirghizstan: the German base article goes too; the German article on
    # migrants in Russland stays.
    found = ids(searcher, "Russie NOT Kirghizstan")
    assert set(found) == {"fr-migrants-tadjiks", "fr-securite-alimentaire", "de-gastarbeiter"}


def test_lang_field_and_or(searcher: Searcher) -> None:
    assert len(ids(searcher, "lang:de")) == 4
    found = ids(searcher, "Aral OR coton", translate=False)
    assert set(found) == {"fr-coton-economie", "fr-mer-aral", "de-aralsee"}


# "" and "   " raise QuerySyntaxError, as the CLI does: tests/test_reliability_input.py
@pytest.mark.parametrize("text", ["???", "NOT", "le la les", '"', "()"])
def test_nothing_to_search_finds_nothing(searcher: Searcher, text: str) -> None:
    results = searcher.search(text)
    assert (results.total, results.hits) == (0, ())


def test_broken_syntax_raises_with_position(searcher: Searcher) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        searcher.search("Kant date:[2019 TO")
    assert info.value.position == 10
    assert isinstance(info.value, SearchkitError)


def test_filters(searcher: Searcher) -> None:
    assert ids(searcher, "Russland", lang="de") == ["de-gastarbeiter", "de-militaerbasis"]
    assert ids(searcher, "Russie Russland", tag=["Russie", "Migration"]) == ["fr-migrants-tadjiks"]
    assert ids(searcher, "Russie", tag="kirghizstan") == ["fr-base-kant"]
    assert set(ids(searcher, "", author="Roxane Poulain")) == {
        "fr-coton-economie",
        "fr-mer-aral",
        "fr-migrants-tadjiks",
    }
    assert set(ids(searcher, "", since="2022-01-01")) == {
        "de-militaerbasis",
        "de-gastarbeiter",
        "fr-migrants-tadjiks",
    }
    assert ids(searcher, "", since=date(2019, 6, 1), until="2019-06-30") == [
        "fr-securite-alimentaire"
    ]
    assert ids(searcher, "Russie", tag="Kazakhstan") == []
    with pytest.raises(QuerySyntaxError, match=r"^since: 'hier' is not a date"):
        searcher.search("Russie", since="hier")


def test_facets_count_the_matching_articles(searcher: Searcher) -> None:
    results = searcher.search("Tadjikistan Tadschikistan", facets=True, limit=1)
    assert results.total == 3
    assert results.facets == {
        "lang": {"fr": 2, "de": 1},
        "tag": {
            "Migration": 2,
            "Tadjikistan": 2,
            "Agriculture": 1,
            "Russie": 1,
            "Russland": 1,
            "Sécurité": 1,
            "Tadschikistan": 1,
        },
        "author": {"Anna Schmidt": 1, "Camille Delorme": 1, "Roxane Poulain": 1},
        "year": {"2022": 2, "2019": 1},
    }
    assert searcher.search("Tadjikistan").facets == {}


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Kirghiztan", "Kirghizstan"),
        ("kirghiztan", "Kirghizstan"),
        ("Usbekistn", "Usbekistan"),
        ("Usbekistn Baumwolle ?", "Usbekistan Baumwolle ?"),
        ("l'armée au Kirghiztan", "l'armée au Kirghizstan"),
        ("base militaire", None),
        ("Russie", None),
    ],
)
def test_did_you_mean(searcher: Searcher, text: str, suggestion: str | None) -> None:
    assert searcher.search(text).suggestion == suggestion


def test_snippets_and_suggestion_can_be_left_out(searcher: Searcher) -> None:
    text = "Usbekistn Baumwolle"
    full = searcher.search(text, translate=False)
    assert full.suggestion == "Usbekistan Baumwolle"
    assert [(h.id, h.highlights) for h in full.hits] == [("de-baumwolle", ((44, 53),))]
    assert full.hits[0].snippet[44:53] == "Baumwolle"

    bare = searcher.search(text, snippets=False, suggest=False, translate=False)
    assert bare.suggestion is None
    assert [(h.id, h.rank, h.snippet, h.highlights) for h in bare.hits] == [
        ("de-baumwolle", 1, "", ())
    ]
    assert searcher.search(text, snippets=False).suggestion == "Usbekistan Baumwolle"
    assert searcher.search(text, suggest=False, translate=False).hits == full.hits


def test_leaving_out_snippets_keeps_the_ranking(searcher: Searcher) -> None:
    text = "Russie Russland Kazakhstan Kasachstan Tadjikistan"
    full = searcher.search(text, limit=20)
    bare = searcher.search(text, limit=20, snippets=False, suggest=False)
    assert (bare.total, len(bare.hits)) == (full.total, len(full.hits))
    assert [(h.id, h.score, h.rank) for h in bare.hits] == [
        (h.id, h.score, h.rank) for h in full.hits
    ]
    assert {(h.snippet, h.highlights) for h in bare.hits} == {("", ())}
    assert all(h.snippet for h in full.hits)


def test_similar_articles(searcher: Searcher) -> None:
    results = searcher.similar("fr-migrants-tadjiks", limit=3)
    found = [hit.id for hit in results.hits]
    assert "fr-migrants-tadjiks" not in found
    assert found[0] == "de-gastarbeiter"  # its twin: the same story in German
    assert found[1] == "fr-securite-alimentaire"  # migrants, Russie, Tadjikistan in common
    assert [hit.lang for hit in results.hits] == ["de", "fr", "fr"]
    with pytest.raises(ArticleNotFoundError, match="no article with id 'nope'") as caught:
        searcher.similar("nope")
    index_dir = str(searcher.index_dir)
    assert str(caught.value) == (
        f"no article with id 'nope' in {index_dir}; list ids with: "
        f"searchkit query WORDS --index {index_dir}"
    )
    assert ArticleNotFoundError is searchkit.ArticleNotFoundError
    assert issubclass(ArticleNotFoundError, SearchkitError)


def test_paging(searcher: Searcher) -> None:
    text = "Russie Russland Kazakhstan Kasachstan Tadjikistan"
    everything = searcher.search(text, limit=20)
    page = searcher.search(text, limit=2, offset=2)
    assert page.total == everything.total >= 5
    assert [h.id for h in page.hits] == [h.id for h in everything.hits[2:4]]
    assert [h.rank for h in page.hits] == [3, 4]
    assert page.offset == 2
    assert searcher.search(text, offset=100).hits == ()


def test_hit_fields(searcher: Searcher) -> None:
    hit = searcher.search("Militärbasis").hits[0]
    assert (hit.id, hit.lang, hit.rank, hit.author, hit.date) == (
        "de-militaerbasis",
        "de",
        1,
        "Tobias Neumann",
        "2023-11-05",
    )
    assert hit.title == "Moskau plant keine zweite Militärbasis in Kirgistan"
    assert hit.tags == ("Kirgistan", "Russland", "Sicherheit")
    assert hit.path.endswith("articles.jsonl")
    assert hit.score > 0


def test_snippets_mark_the_original_words(searcher: Searcher) -> None:
    hit = searcher.search("militaire", lang="fr").hits[0]
    marked = {hit.snippet[s:e] for s, e in hit.highlights}
    assert marked == {"militaires", "militaire"}
    de_hit = searcher.search("Basis", lang="de").hits[0]
    assert {de_hit.snippet[s:e] for s, e in de_hit.highlights} == {"Militärbasis"}
    assert "Militärbasen" in {
        hit.snippet[s:e]
        for hit in [searcher.search("Militär", lang="de").hits[0]]
        for s, e in hit.highlights
    }


def test_stats(searcher: Searcher, index_dir: Path) -> None:
    stats = searcher.stats()
    assert (stats.articles, stats.languages) == (10, {"fr": 6, "de": 4})
    assert (stats.tags, stats.authors) == (24, 5)
    assert stats.size_bytes > 0 and stats.last_update is not None
    assert stats.index_dir == str(index_dir)


def test_open_index_errors(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        open_index(tmp_path / "missing")


def _write(folder: Path, articles: list[dict]) -> None:
    folder.mkdir(exist_ok=True)
    lines = (json.dumps(a, ensure_ascii=False) for a in articles)
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_words_together_rank_above_scattered_words(tmp_path: Path) -> None:
    # The same words, as many times, in articles of the same length: only proximity differs.
    together = "La base militaire est loin de la ville. Le port reste calme toute l'année."
    apart = "La base est loin de la ville. Le port militaire reste calme toute l'année."
    _write(
        tmp_path / "c",
        [
            {"id": "apart", "lang": "fr", "title": "Un", "body": apart},
            {"id": "together", "lang": "fr", "title": "Un", "body": together},
        ],
    )
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        assert ids(searcher, "base militaire") == ["together", "apart"]


def test_one_searcher_sees_new_commits(tmp_path: Path) -> None:
    article = {"id": "a", "lang": "fr", "title": "Kant", "body": "La base de Kant."}
    _write(tmp_path / "c", [article])
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        assert searcher.search("Kant").total == 1
        _write(tmp_path / "c", [article, {**article, "id": "b", "body": "Kant encore."}])
        build_index([tmp_path / "c"], tmp_path / "ix")
        assert searcher.search("Kant").total == 2
        assert searcher.stats().articles == 2


# --- the fast path matches what Whoosh matches (its ranking: tests/search/test_ranking.py) ---


@pytest.mark.parametrize(
    "text",
    [
        '"base militaire"',
        '"seconde base militaire" Kant',
        "milit* -Russie",
        "Kirgistn~ OR Usbekistn~2",
        "Russie AND Kirghizstan",
        "+Russie Kirghizstan -Moscou",
        "(Aral OR coton) AND NOT Kazakhstan",
        "tag:Kazakhstan AND date:2019",
        'title:aral OR title:"zweite Militärbasis"',
        "author:Delorme lang:fr",
        "-Russie",
        "date:[2020 TO *]",
    ],
)
def test_fast_path_matches_what_whoosh_matches(searcher: Searcher, text: str) -> None:
    commit = searcher._fresh()
    parsed, langs = parse(text), field_langs(None)
    query = to_whoosh(parsed, langs, commit.authors)
    expected = set(commit.searcher.docs_for_query(query))
    ranked, total, matched = scoring.rank(commit, parsed, langs, None, 10)
    assert set(matched().tolist()) == expected
    assert total == len(expected) and len(ranked) == min(10, total)


def test_an_empty_index_finds_nothing_without_failing(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        for text in ["base", '"base militaire"', "milit*", "Kirgistn~", "-x", "tag:x"]:
            results = searcher.search(text, facets=True)
            assert (results.total, results.hits, results.suggestion) == (0, (), None)
        assert searcher.stats().articles == 0


def test_stored_articles_are_kept_per_commit_the_least_recently_shown_dropped(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.search import commit as commit_module

    monkeypatch.setattr(commit_module, "STORED_ENTRIES", 3)
    with open_index(corpus_index) as searcher:
        commit = searcher._fresh()
        whoosh_read = commit.searcher.stored_fields
        reads: list[int] = []

        def counted(docnum: int) -> dict[str, object]:
            reads.append(docnum)
            return whoosh_read(docnum)

        monkeypatch.setattr(commit.searcher, "stored_fields", counted)
        first = commit.stored(0)
        assert first == whoosh_read(0)
        assert commit.stored(0) is first
        for docnum in (1, 2, 0, 3):  # 1 is now the least recently shown: dropped
            commit.stored(docnum)
        commit.stored(1)
        assert reads == [0, 1, 2, 3, 1]
        hit = searcher.search("base militaire", limit=1).hits[0]
        assert hit.id == "fr/russie-seconde-base-militaire-kirghizstan"
        assert hit.translations == ("de/russland-zweite-militaerbasis-kirgistan",)
