"""The query parser: typed text is words; explicit syntax is honoured; broken syntax says where."""

from __future__ import annotations

from datetime import datetime

import pytest

from searchkit.errors import QuerySyntaxError
from searchkit.query.parse import (
    MAX_CHARS,
    MAX_TERMS,
    DateSpan,
    Filter,
    Group,
    Phrase,
    Word,
    parse,
)


def should_texts(text: str) -> list[str]:
    """The plain words of a query that has nothing but plain words."""
    parsed = parse(text)
    assert parsed.is_plain, parsed.root
    return [w.text for w in parsed.root.should]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("base militaire", ["base", "militaire"]),
        (
            "Wo soll die Militärbasis entstehen?",
            ["Wo", "soll", "die", "Militärbasis", "entstehen?"],
        ),
        ("l'armée russe au Kirghizstan ?", ["l'armée", "russe", "au", "Kirghizstan", "?"]),
        ("Kirghiz-tadjik: le conflit", ["Kirghiz-tadjik:", "le", "conflit"]),
        ("Note: x", ["Note:", "x"]),  # not a known field
        ("tag : Kant", ["tag", ":", "Kant"]),  # a field needs its value right after the colon
        ('le "conflit', ["le", "conflit"]),  # a stray quote is dropped
        ("(a b", ["a", "b"]),  # an unclosed parenthesis closes at the end
        ("a) b", ["a", "b"]),  # a stray one is dropped
        ("AND a OR", ["a"]),  # operators that lead nowhere are dropped
        ("a - b", ["a", "-", "b"]),  # a lone hyphen is no operator (and analyzes to nothing)
        ("mi*taire ? or not", ["mi*taire", "?", "or", "not"]),  # lower-case or/not are words
        ("*", ["*"]),
    ],
)
def test_typed_text_is_plain_words(text: str, words: list[str]) -> None:
    assert should_texts(text) == words


def test_words_keep_their_position_in_the_text() -> None:
    parsed = parse("la  Russie ?")
    assert [(w.text, w.start, w.end) for w in parsed.words] == [
        ("la", 0, 2),
        ("Russie", 4, 10),
        ("?", 11, 12),
    ]


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("milit*", Word("milit", 0, 6, "prefix")),
        ("Kirgistn~", Word("Kirgistn", 0, 9, "fuzzy", 1)),
        ("Kirgistn~2", Word("Kirgistn", 0, 10, "fuzzy", 2)),
        ('"base militaire"', Phrase("base militaire", 0, 16)),
        ("tag:Kant", Filter("tag", "Kant", 4, 8)),
        ('tag:"Asie centrale"', Filter("tag", "Asie centrale", 4, 19)),
        ("author:Delorme", Filter("author", "Delorme", 7, 14)),
        ("lang:de", Filter("lang", "de", 5, 7)),
        ("title:base", Word("base", 6, 10, parts=("title",))),
        ('title:"base militaire"', Phrase("base militaire", 6, 22, parts=("title",))),
        (
            "date:2019",
            DateSpan(datetime(2019, 1, 1), datetime(2019, 12, 31, 23, 59, 59, 999999), 5, 9),
        ),
        (
            "date:2019-02",
            DateSpan(datetime(2019, 2, 1), datetime(2019, 2, 28, 23, 59, 59, 999999), 5, 12),
        ),
        (
            "date:[2019-01-01 TO 2019-06-30]",
            DateSpan(datetime(2019, 1, 1), datetime(2019, 6, 30, 23, 59, 59, 999999), 5, 31),
        ),
        ("date:[2019 TO *]", DateSpan(datetime(2019, 1, 1), None, 5, 16)),
    ],
)
def test_each_syntax_element(text: str, node: object) -> None:
    parsed = parse(text)
    if isinstance(node, Filter | DateSpan):  # a field filter filters, ranks nothing
        assert parsed.root == Group(filters=(node,))
    else:
        assert parsed.root == Group(should=(node,))
    assert not parsed.is_plain


def test_and_binds_tighter_than_or() -> None:
    a, b, c = Word("a", 0, 1), Word("b", 6, 7), Word("c", 11, 12)
    assert parse("a AND b OR c").root == Group(should=(Group(must=(a, b)), c))


def test_not_and_minus_exclude_plus_requires() -> None:
    root = parse("+kant russie -otsc NOT osch").root
    assert [w.text for w in root.must] == ["kant"]
    assert [w.text for w in root.should] == ["russie"]
    assert [w.text for w in root.must_not] == ["otsc", "osch"]


def test_and_not_inside_a_chain() -> None:
    root = parse("kant AND NOT osch").root
    assert root == Group(must=(Word("kant", 0, 4),), must_not=(Word("osch", 13, 17),))


def test_parentheses_group() -> None:
    root = parse("(aral OR coton) AND kazakhstan").root
    inner = Group(should=(Word("aral", 1, 5), Word("coton", 9, 14)))
    assert root == Group(must=(inner, Word("kazakhstan", 20, 30)))


def test_operator_without_operand_is_dropped() -> None:
    assert parse("NOT").root == Group()
    assert parse("a AND").root == Group(should=(Word("a", 0, 1),))


@pytest.mark.parametrize(
    ("text", "position", "says"),
    [
        ("date:[2019 TO", 5, "not closed"),
        ("russie date:notadate", 12, "'notadate' is not a date"),
        ("date:2019-13", 5, "not a date"),
        ("date:[2019 TO demain]", 5, "not a date"),
        ("date:[2019 2020]", 5, "write a range as"),
        ('tag:"Asie centrale', 4, "quote is not closed"),
    ],
)
def test_broken_syntax_says_where_and_why(text: str, position: int, says: str) -> None:
    with pytest.raises(QuerySyntaxError, match=says) as info:
        parse(text)
    assert info.value.position == position
    assert f"at character {position + 1}" in str(info.value)


def test_too_long_queries_are_refused() -> None:
    with pytest.raises(QuerySyntaxError, match=f"the limit is {MAX_CHARS}"):
        parse("a" * (MAX_CHARS + 1))
    with pytest.raises(QuerySyntaxError, match=f"the limit is {MAX_TERMS}") as info:
        parse(" ".join(["mot"] * (MAX_TERMS + 1)))
    assert info.value.position == MAX_TERMS * 4
    assert len(parse(" ".join(["mot"] * MAX_TERMS)).words) == MAX_TERMS


def test_deep_nesting_is_refused_not_a_crash() -> None:
    assert parse("(" * 10 + "a")
    with pytest.raises(QuerySyntaxError, match="nest more than 10 deep") as info:
        parse("(" * 999 + "a")
    assert info.value.position == 10
