"""Rendering: JSON shape, terminal text with and without colour, HTML escaping."""

from __future__ import annotations

import json

import click

from searchkit.cli.render import render_html_snippet, render_json, render_text
from searchkit.models import Hit, SearchResults
from searchkit.search.searcher import Searcher

HIT = Hit(
    id="fr/base",
    title="Une base militaire",
    lang="fr",
    score=12.3456789,
    snippet="Les militaires <russes> & la base.",
    highlights=((4, 14), (29, 33)),
    tags=("Kirghizstan", "Défense"),
    author="Camille Delorme",
    date="2021-10-20",
    url="https://example.org/base",
    path="corpus/fr/base.txt",
    rank=1,
    via_translation=("Militärbasis",),
    translations=("de/basis",),
)
RESULTS = SearchResults(
    query="militaire base",
    total=1,
    hits=(HIT,),
    facets={"lang": {"fr": 1}, "tag": {"Kirghizstan": 1, "Défense": 1}},
    suggestion="militaire bases",
)


def test_json_shape() -> None:
    data = json.loads(render_json(RESULTS))
    assert data == {
        "query": "militaire base",
        "total": 1,
        "hits": [
            {
                "id": "fr/base",
                "title": "Une base militaire",
                "lang": "fr",
                "score": 12.3457,
                "snippet": "Les militaires <russes> & la base.",
                "highlights": [[4, 14], [29, 33]],
                "tags": ["Kirghizstan", "Défense"],
                "author": "Camille Delorme",
                "date": "2021-10-20",
                "url": "https://example.org/base",
                "path": "corpus/fr/base.txt",
                "via_translation": ["Militärbasis"],
                "translations": ["de/basis"],
            }
        ],
        "facets": {"lang": {"fr": 1}, "tag": {"Kirghizstan": 1, "Défense": 1}},
        "suggestion": "militaire bases",
    }
    hit = data["hits"][0]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["militaires", "base"]


def test_json_of_a_later_page_and_of_real_results(searcher: Searcher) -> None:
    data = json.loads(render_json(searcher.search("Russie", offset=1, limit=1)))
    assert data["offset"] == 1 and len(data["hits"]) == 1
    assert set(data) == {"query", "total", "hits", "offset"}
    hit = data["hits"][0]
    assert all(hit["snippet"][s:e] for s, e in hit["highlights"])


def test_plain_text_listing() -> None:
    text = render_text(RESULTS, color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "1 article for: militaire base (showing 1-1)"
    assert lines[1] == "Did you mean: militaire bases"
    assert "  1. Une base militaire  [fr]" in lines
    assert "     score 12.35 · 20 Oct 2021 · Camille Delorme · Kirghizstan, Défense" in lines
    assert "     fr/base · https://example.org/base" in lines
    assert "     Les militaires <russes> & la base." in lines
    assert "lang: fr (1)" in lines
    assert "tag: Kirghizstan (1), Défense (1)" in lines


def test_colour_marks_titles_and_matched_words() -> None:
    text = render_text(RESULTS, color=True)
    assert click.style("militaires", fg="red", bold=True) in text
    assert click.style("base", fg="red", bold=True) + "." in text
    assert click.style("Une base militaire", bold=True) in text
    assert click.unstyle(text) == render_text(RESULTS, color=False)


def test_no_results() -> None:
    empty = SearchResults(query="xyz", total=0, hits=())
    assert render_text(empty, color=False) == "No articles found for: xyz"
    assert json.loads(render_json(empty)) == {"query": "xyz", "total": 0, "hits": []}


def test_html_snippet_is_escaped_and_marked() -> None:
    assert render_html_snippet(HIT) == (
        "Les <mark>militaires</mark> &lt;russes&gt; &amp; la <mark>base</mark>."
    )


def test_stale_spans_never_garble_the_text() -> None:
    hit = Hit(id="x", title="", lang="fr", score=0, snippet="abc", highlights=((1, 9), (0, 1)))
    assert render_html_snippet(hit) == "<mark>a</mark>bc"
