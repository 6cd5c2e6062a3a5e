"""What readers need from the API: sorting by date, every hit for an export, facets that
say what they leave out, whole value lists, an article with its twin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchkit.index.build import build_index
from searchkit.search import facets
from searchkit.search.searcher import Searcher, open_index


def ids(results: object) -> list[str]:
    return [hit.id for hit in results]  # type: ignore[attr-defined]


def test_sort_by_date_is_newest_first(searcher: Searcher) -> None:
    results = searcher.search("Russie Russland", sort="date", limit=4)
    assert [hit.date for hit in results.hits] == [
        "2023-11-05",
        "2022-05-05",
        "2022-03-03",
        "2021-10-20",
    ]
    page2 = searcher.search("Russie Russland", sort="date", limit=2, offset=2)
    assert ids(page2) == ids(results)[2:]
    assert searcher.search("Russie Russland", sort="date").total == results.total


def test_sort_by_relevance_is_the_default(searcher: Searcher) -> None:
    assert ids(searcher.search("base militaire", sort="relevance")) == ids(
        searcher.search("base militaire")
    )
    with pytest.raises(ValueError, match="sort must be one of relevance, date"):
        searcher.search("base", sort="oldest")


@pytest.fixture(scope="module")
def undated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """Five articles about a dam, one without a date; 24 tags (t0..t23), 6 an article."""
    root = tmp_path_factory.mktemp("undated")
    rows = [
        {
            "id": f"a{i}",
            "lang": "fr",
            "title": f"Le barrage {i}",
            "body": "Le barrage de Rogun.",
            "tags": [f"t{i * 6 + k}" for k in range(6)],
            "date": f"20{10 + i}-01-01",
        }
        for i in range(4)
    ]
    rows.insert(2, {"id": "nodate", "lang": "fr", "body": "Le barrage de Rogun, barrage."})
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert build_index([root / "feed.jsonl"], root / "ix").ok
    with open_index(root / "ix") as opened:
        yield opened


def test_articles_without_a_date_sort_last(undated: Searcher) -> None:
    assert ids(undated.search("barrage", sort="date")) == ["a3", "a2", "a1", "a0", "nodate"]
    assert ids(undated.search("barrage"))[-1] == "nodate"  # no title: least relevant
    assert ids(undated.search("barrage -title:barrage", sort="date")) == ["nodate"]


def test_facets_say_how_many_values_they_leave_out(undated: Searcher) -> None:
    results = undated.search("barrage", facets=True)
    assert len(results.facets["tag"]) == facets.FACET_LIMIT == 20
    assert results.facets_left_out == {"tag": 4}
    assert results.to_dict()["facets_left_out"] == {"tag": 4}
    assert list(results.facets["year"]) == ["2010", "2011", "2012", "2013"]


def test_years_run_in_time_order(searcher: Searcher) -> None:
    results = searcher.search("Tadjikistan Tadschikistan", facets=True)
    assert list(results.facets["year"].items()) == [("2019", 1), ("2022", 2)]
    assert results.facets_left_out == {}
    assert "facets_left_out" not in results.to_dict()


def test_counts_list_every_value(undated: Searcher, searcher: Searcher) -> None:
    assert len(undated.counts("tag")) == 24
    assert searcher.counts("author") == {
        "Roxane Poulain": 3,
        "Anna Schmidt": 2,
        "Camille Delorme": 2,
        "Tobias Neumann": 2,
        "Élodie Durand": 1,
    }
    assert list(searcher.counts("year")) == ["2018", "2019", "2020", "2021", "2022", "2023"]
    with pytest.raises(ValueError, match="facet must be one of"):
        searcher.counts("colour")


def test_export_gives_every_hit_once_in_order(searcher: Searcher) -> None:
    everything = searcher.search("Russie Russland", limit=100)
    exported = list(searcher.export("Russie Russland", batch=2))
    assert ids(exported) == ids(everything.hits)
    assert [hit.rank for hit in exported] == list(range(1, everything.total + 1))
    by_date = list(searcher.export("Russie Russland", batch=3, sort="date", lang="fr"))
    assert ids(by_date) == ids(searcher.search("Russie Russland", sort="date", lang="fr"))


def test_an_article_comes_with_its_twin(corpus_index: Path) -> None:
    with open_index(corpus_index) as opened:
        article = opened.article("fr/russie-seconde-base-militaire-kirghizstan")
    assert article.translations == ("de/russland-zweite-militaerbasis-kirgistan",)
    data = article.to_dict()
    assert data["translations"] == ["de/russland-zweite-militaerbasis-kirgistan"]
    assert data["id"] == "fr/russie-seconde-base-militaire-kirghizstan"
    assert isinstance(data["tags"], list) and isinstance(data["related"], list)
