"""Snippets: fragments around the best passages, spans on the original words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.highlight.snippets import (
    ELLIPSIS,
    FRAGMENT_CHARS,
    MAX_FRAGMENTS,
    PARAGRAPH_MARK,
    TermMatcher,
    _collapse,
    _mark_headings,
    make_snippet,
    matcher_for,
)
from searchkit.query.parse import parse

FILLER = " ".join(f"mot{i}" for i in range(60))  # ~400 characters without any match


def marked(snippet) -> list[str]:  # type: ignore[no-untyped-def]
    return [snippet.text[s:e] for s, e in snippet.spans]


def test_stemmed_and_accent_free_queries_mark_the_original_words() -> None:
    doc = {"body": "Les militaires russes. La Sécurité d'abord. Une base militaire."}
    snippet = make_snippet(doc, "fr", matcher_for(parse("militaire securite"), "fr"))
    assert marked(snippet) == ["militaires", "Sécurité", "militaire"]
    assert snippet.text == doc["body"]  # short enough: whole, no ellipsis


def test_compound_parts_mark_the_whole_compound() -> None:
    doc = {"body": "Russische Militärbasen lösen nichts. Eine zweite Militärbasis in Osch?"}
    snippet = make_snippet(doc, "de", matcher_for(parse("Basis Militär"), "de"))
    assert marked(snippet) == ["Militärbasen", "Militärbasis"]


def test_prefix_fuzzy_and_phrase_words_are_marked_but_not_excluded_ones() -> None:
    doc = {"body": "Le Kirghizstan et le Kazakhstan: militaires et milices à Kant."}
    matcher = matcher_for(parse('milit* Kirgizstan~ "à Kant" -Kazakhstan'), "fr")
    assert marked(make_snippet(doc, "fr", matcher)) == ["Kirghizstan", "militaires", "Kant"]


def test_fragments_come_from_the_passages_with_most_distinct_terms() -> None:
    body = (
        f"Une base ici. {FILLER} La base militaire de Kant. {FILLER} "
        f"Encore une base. {FILLER} Un militaire là. {FILLER} Fin."
    )
    snippet = make_snippet({"body": body}, "fr", matcher_for(parse("base militaire Kant"), "fr"))
    fragments = snippet.text.split(f" {ELLIPSIS} ")
    assert len(fragments) == MAX_FRAGMENTS
    # In text order; the passage with all three words is in, then those adding most.
    assert fragments[0].startswith("Une base ici.")
    assert "La base militaire de Kant." in fragments[1]
    assert "Encore une base." in fragments[2]
    assert snippet.text.endswith(ELLIPSIS)
    for fragment in fragments:
        assert len(fragment.strip(ELLIPSIS)) <= FRAGMENT_CHARS


def test_cuts_fall_on_word_boundaries() -> None:
    body = f"{FILLER} la base militaire {FILLER}"
    snippet = make_snippet({"body": body}, "fr", matcher_for(parse("base"), "fr"))
    words = set(body.split())
    for word in snippet.text.replace(ELLIPSIS, " ").split():
        assert word in words
    assert marked(snippet) == ["base"]


def test_whitespace_is_collapsed_and_spans_still_fit() -> None:
    doc = {"body": "Titre intermédiaire\n\nLa  base\tmilitaire."}
    snippet = make_snippet(doc, "fr", matcher_for(parse("base militaire"), "fr"))
    assert snippet.text == "Titre intermédiaire · La base militaire."
    assert marked(snippet) == ["base", "militaire"]


def test_a_subheading_that_ends_with_a_marked_word_keeps_its_mark() -> None:
    doc = {"body": "Une base\n\nMoscou dément."}
    snippet = make_snippet(doc, "fr", matcher_for(parse("base"), "fr"))
    assert snippet.text == "Une base · Moscou dément."
    assert marked(snippet) == ["base"]


def test_a_paragraph_break_after_a_sentence_is_a_space() -> None:
    doc = {"body": "Moscou dément.\n\nLa  base\tmilitaire reste à Kant."}
    snippet = make_snippet(doc, "fr", matcher_for(parse("base militaire"), "fr"))
    assert snippet.text == "Moscou dément. La base militaire reste à Kant."
    assert marked(snippet) == ["base", "militaire"]


def test_the_lead_when_the_body_has_no_match() -> None:
    doc = {"lead": "Moscou et la base de Kant.", "body": "Rien à voir ici."}
    snippet = make_snippet(doc, "fr", matcher_for(parse("Kant"), "fr"))
    assert (snippet.text, marked(snippet)) == ("Moscou et la base de Kant.", ["Kant"])
    nothing = make_snippet(doc, "fr", matcher_for(parse("Bichkek"), "fr"))
    assert (nothing.text, nothing.spans) == ("Moscou et la base de Kant.", ())


@pytest.mark.parametrize("doc", [{}, {"body": ""}, {"caption": "Une photo."}])
def test_articles_with_little_text(doc: dict) -> None:
    snippet = make_snippet(doc, "xx", TermMatcher())
    assert snippet.spans == ()
    assert snippet.text == doc.get("caption", "")


def test_long_lead_without_match_is_cut() -> None:
    lead = FILLER
    snippet = make_snippet({"lead": lead}, "fr", TermMatcher())
    assert snippet.text.endswith(ELLIPSIS)
    assert len(snippet.text) <= FRAGMENT_CHARS + 1
    assert re.fullmatch(r"(mot\d+ )*mot\d+…", snippet.text)


# The fast whitespace handling must say what these regexes say.
HEADING_BREAK = re.compile(r"(?<=[^\s.!?…:;»\"”“)])[ \t]*\n\s*\n\s*")
SPACES = st.text(st.sampled_from([*"ab.»)“", " ", "\t", "\n", "\r", "\xa0", "\u202f"]), max_size=30)


@settings(max_examples=500)
@given(chunk=SPACES, before=st.sampled_from(["", "a", ".", " "]))
def test_heading_marks_are_those_of_the_lookbehind_pattern(chunk: str, before: str) -> None:
    expected = HEADING_BREAK.sub(PARAGRAPH_MARK, before + chunk)[len(before) :]
    assert _mark_headings(chunk, before or " ") == expected


@settings(max_examples=500)
@given(chunk=st.one_of(SPACES, st.text(max_size=30)))
def test_collapsed_whitespace_is_that_of_the_pattern(chunk: str) -> None:
    assert _collapse(chunk) == re.sub(r"\s+", " ", chunk)
