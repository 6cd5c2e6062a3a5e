"""Properties: no query string makes the parser or the searcher fail other than cleanly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.errors import QuerySyntaxError
from searchkit.query.parse import parse
from searchkit.search.compile import to_whoosh
from searchkit.search.searcher import Searcher

PIECES = [
    "AND", "OR", "NOT", "&&", "||", "+", "-", "(", ")", '"', "*", "?", "~", "~2", ":", "[", "]",
    "TO", "tag:", "author:", "lang:", "title:", "date:", "date:[", "date:[2019 TO 2020]",
    "date:2019", "date:2019-02-30", "date:[* TO *]", "l'", "’", "base", "militaire", "Militär",
    "basis", "Kirghizstan", "milit*", "Kirgistn~", '"base militaire"', "le", "die", "é", "ß",
    "0", "9999", " ", "\n", "\t", "\x00", "🙂",
]  # fmt: skip
syntax = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=30).map("".join)
spaced = st.lists(st.sampled_from(PIECES), max_size=20).map(" ".join)
typed = st.text(alphabet=st.characters(categories=["L", "N", "Zs"]) | st.sampled_from("?!.,;'’-"))


def parses_or_says_why(text: str) -> None:
    try:
        parsed = parse(text)
    except QuerySyntaxError as exc:
        assert str(exc) and (exc.position is None or 0 <= exc.position <= len(text))
        return
    for langs in (("fr", "de", "xx"), ("de",)):
        to_whoosh(parsed, langs)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    parses_or_says_why(text)


@settings(max_examples=1000, deadline=None)
@given(syntax | spaced)
def test_syntax_soup(text: str) -> None:
    parses_or_says_why(text)


@settings(max_examples=500, deadline=None)
@given(typed)
def test_typed_questions_never_fail(text: str) -> None:
    parsed = parse(text)  # words and punctuation only: never an error
    assert parsed.is_plain or not parsed.words or all(w.kind == "word" for w in parsed.words)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=60) | syntax | spaced)
def test_search_never_fails_otherwise(searcher: Searcher, text: str) -> None:
    try:
        results = searcher.search(text, limit=3, facets=True)
    except QuerySyntaxError:
        return
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.highlights)
