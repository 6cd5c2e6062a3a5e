"""Properties: no query string makes the parser or the searcher fail other than cleanly."""

from __future__ import annotations

import re

from hypothesis import Phase, example, find, given, settings
from hypothesis import strategies as st

from searchkit.errors import QuerySyntaxError
from searchkit.query.parse import MAX_DEPTH, parse
from searchkit.query.tree import Word
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
#: Typed text with the characters of explicit syntax too: wildcards, fuzziness, digits,
#: quotes, parentheses, fields, required and excluded words. (Runs of letters between
#: them, not st.text over one alphabet: there ``*`` or ``~2`` rarely ends a word.)
SYNTAX_CHARS = [*"*~\"():-+?!.,;'’0123456789", "~1", "~2"]
explicit = st.lists(
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8)
    | st.sampled_from(SYNTAX_CHARS)
    | st.sampled_from(" \t"),
    max_size=24,
).map("".join)
_BAD_FUZZY = re.compile(r"\w~(?![12](?!\d))\d")
_FIELD_NAME = re.compile(r"\b(?:tag|author|lang|title|date):")


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


def assert_words_as_typed(text: str, words: tuple[Word, ...]) -> None:
    """Each word is its chunk of ``text``; ``*`` and ``~`` at a word's end are syntax, a
    ``?`` never is, and without ``*`` or ``~`` a word is a plain word."""
    for word in words:
        chunk = text[word.start : word.end]
        assert word.text and not any(c.isspace() or c in '"()' for c in word.text), word
        if word.kind == "prefix":
            assert chunk == f"{word.text}*" and len(word.text) > 1, (text, word)
        elif word.kind == "fuzzy":
            assert word.dist in (1, 2), word
            assert chunk in (f"{word.text}~", f"{word.text}~{word.dist}"), (text, word)
        else:
            assert word.kind == "word" and chunk == word.text, (text, word)
        if "*" not in chunk and "~" not in chunk:
            assert word.kind == "word", (text, word)


@settings(max_examples=500, deadline=None)
@given(typed)
def test_typed_questions_never_fail(text: str) -> None:
    parsed = parse(text)  # words and punctuation only: never an error
    assert_words_as_typed(text, parsed.words)  # (and no syntax: no * or ~ here)


@settings(max_examples=500, deadline=None)
@example("Kirghiz* Usbekistn~ Militaerbasis~2 ?* a* *")
@example('+"base militaire" -(Osch OR Kant) title:barrage* tag:"Asie" milit~1')
@given(explicit)
def test_typed_syntax_is_read_as_typed(text: str) -> None:
    """With the characters of the query syntax typed too: an error only for an explicit
    field (``date:x``, an unclosed ``tag:"``) or parentheses nested too deep, words
    exactly as typed, prefixes and fuzzy words only where ``*`` or ``~`` ends a word."""
    try:
        parsed = parse(text)
    except QuerySyntaxError as exc:
        # explicit fields, deep nesting, and a fuzzy distance other than 1 or 2 (word~5)
        assert _FIELD_NAME.search(text) or text.count("(") > MAX_DEPTH or _BAD_FUZZY.search(text), (
            text,
            str(exc),
        )
        assert exc.position is not None and 0 <= exc.position <= len(text)
        return
    assert_words_as_typed(text, parsed.words)
    for langs in (("fr", "de", "xx"), ("de",)):
        to_whoosh(parsed, langs)


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


def test_the_syntax_alphabet_reaches_prefix_and_fuzzy_words() -> None:
    """The property above is not vacuous: its strategy does write prefixes, fuzzy words
    (with a distance too), and explicit syntax around several words."""
    quick = settings(phases=[Phase.generate], database=None, max_examples=2000)
    for wanted in (
        lambda p: any(w.kind == "prefix" for w in p.words),
        lambda p: any(w.kind == "fuzzy" and w.dist == 2 for w in p.words),
        lambda p: not p.is_plain and len(p.words) >= 2,
    ):
        find(explicit, lambda t, wanted=wanted: _parses(t) and wanted(parse(t)), settings=quick)


def _parses(text: str) -> bool:
    try:
        parse(text)
    except QuerySyntaxError:
        return False
    return True
