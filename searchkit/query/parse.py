"""Typed text -> a small query tree: words by default, explicit syntax where it is meant.

People type questions (``Wo soll die zweite Militärbasis entstehen?``), so punctuation is
never syntax by accident: ``?`` is not a wildcard, ``Note:`` is not a field, a stray quote
or parenthesis is dropped. Syntax is honoured when it is unambiguous: ``AND``/``OR``/``NOT``
(upper case: ``or`` is a French word), ``+word``/``-word``, ``"phrases"``, ``prefix*``,
``word~``/``word~2``, and the fields ``tag: author: lang: title: date:``. Only broken
explicit syntax (``date:[2019 TO``, ``date:notadate``, ``Rogun~5``) raises
:class:`QuerySyntaxError`.

``tag:``, ``author:``, ``lang:`` and ``date:`` typed beside words filter (``lang:de Rogun``
is ``lang:de AND Rogun``); filters joined by an explicit ``OR`` filter together
(``tag:Kant OR tag:Osch``); ``lang:de OR Rogun`` is taken as typed.

The tree (its node types) and how it becomes Whoosh queries and index terms are in
:mod:`searchkit.query.tree`, :mod:`searchkit.query.terms` and :mod:`searchkit.search.compile`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from searchkit.errors import QuerySyntaxError
from searchkit.normalize import date_bounds
from searchkit.query.tree import (
    DateSpan,
    Filter,
    Group,
    Node,
    ParsedQuery,
    Phrase,
    Word,
)

#: Longer input is refused: nobody types it, and it would only cost time.
MAX_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 10
FIELDS = ("tag", "author", "lang", "title", "date")

_FIELD = re.compile(rf"({'|'.join(FIELDS)}):(?=[^\s()])")
_CHUNK = re.compile(r'[^\s()"]+')
_FUZZY = re.compile(r"^(.*\w)~(\d+)?$")
#: Edits a fuzzy word allows at most: at 3, "Rogun" finds every five-letter word.
MAX_EDITS = 2
# (``a*`` is no prefix: it is the one-letter word ``a``, searched in no language)
_PREFIX = re.compile(r"^(\w[\w'’-]*\w)\*$")
_RANGE = re.compile(r"^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$")
_RANGE_FIX = "write a range as date:[2019-01-01 TO 2019-06-30] (* for an open end)"


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, field, (, ), AND, OR, NOT, +, -
    text: str
    start: int
    end: int
    node: Node | None = None


def parse(text: str) -> ParsedQuery:
    """Parse typed text; raise QuerySyntaxError for broken explicit syntax or too long input."""
    if len(text) > MAX_CHARS:
        raise QuerySyntaxError(
            f"the query is {len(text)} characters long; the limit is {MAX_CHARS}: shorten it",
            MAX_CHARS,
        )
    tokens = list(_lex(text))
    leaves = [t for t in tokens if t.node is not None]
    if len(leaves) > MAX_TERMS:
        raise QuerySyntaxError(
            f"the query has {len(leaves)} terms; the limit is {MAX_TERMS}: shorten it",
            leaves[MAX_TERMS].start,
        )
    root = _Parser(tokens).parse()
    words = tuple(t.node for t in tokens if isinstance(t.node, Word))
    return ParsedQuery(text, root, words)


def _lex(text: str) -> Iterator[_Tok]:
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in "()":
            yield _Tok(char, char, pos, pos + 1)
            pos += 1
        elif char == '"':
            close = text.find('"', pos + 1)
            if close < 0:  # a stray quote: the words after it are plain words
                pos += 1
                continue
            inner = text[pos + 1 : close]
            yield _Tok("phrase", inner, pos, close + 1, Phrase(inner, pos, close + 1))
            pos = close + 1
        elif char in "+-" and pos + 1 < len(text) and _starts_term(text, pos + 1):
            if pos == 0 or text[pos - 1].isspace() or text[pos - 1] == "(":
                yield _Tok(char, char, pos, pos + 1)
            pos += 1
        elif match := _FIELD.match(text, pos):
            tok = _field(text, pos, match.group(1), match.end())
            yield tok
            pos = tok.end
        else:
            chunk = _CHUNK.match(text, pos)
            assert chunk is not None  # any other character starts a chunk
            yield _word(chunk.group(), pos)
            pos = chunk.end()


def _starts_term(text: str, pos: int) -> bool:
    return text[pos].isalnum() or text[pos] in '"('


def _word(chunk: str, start: int) -> _Tok:
    end = start + len(chunk)
    if chunk in ("AND", "OR", "NOT", "&&", "||"):
        kind = {"&&": "AND", "||": "OR"}.get(chunk, chunk)
        return _Tok(kind, chunk, start, end)
    if match := _PREFIX.match(chunk):
        return _Tok("word", chunk, start, end, Word(match.group(1), start, end, "prefix"))
    if (match := _FUZZY.match(chunk)) and any(char.isalpha() for char in match.group(1)):
        word, dist = match.group(1), int(match.group(2) or 1)
        if not 1 <= dist <= MAX_EDITS:
            where = end - len(match.group(2))  # (the distance's first digit)
            raise QuerySyntaxError(
                f"{chunk}: at character {where + 1}: a fuzzy word allows 1 or {MAX_EDITS} "
                f"edits; write {word}~ or {word}~{MAX_EDITS}",
                where,
            )
        return _Tok("word", chunk, start, end, Word(word, start, end, "fuzzy", dist))
    return _Tok("word", chunk, start, end, Word(chunk, start, end))


def _field(text: str, start: int, name: str, pos: int) -> _Tok:
    """``name:value``, ``name:"a value"`` or ``date:[A TO B]``, from ``pos`` (the value)."""
    opener = text[pos]
    if opener in '"[':
        close = text.find('"' if opener == '"' else "]", pos + 1)
        if close < 0:
            what, fix = ("quote", 'add the closing "') if opener == '"' else ("range", _RANGE_FIX)
            raise QuerySyntaxError(
                f"{name}: at character {pos + 1}: the {what} is not closed; {fix}", pos
            )
        end = close + 1
        value = text[pos + 1 : close] if opener == '"' else text[pos:end]
    else:
        chunk = _CHUNK.match(text, pos)
        assert chunk is not None  # the field pattern requires a value character
        end, value = chunk.end(), chunk.group()
    raw = text[start:end]
    if name == "date":
        node: Node = _date_node(value, pos, end)
    elif name == "title" and opener == '"':
        node = Phrase(value, pos, end, parts=("title",))
    elif name == "title":
        word = _word(value, pos).node  # a Word, or None for an operator (AND, OR, ...)
        node = dataclasses.replace(
            word if isinstance(word, Word) else Word(value, pos, end), parts=("title",)
        )
    else:
        node = Filter(name, value.strip(), pos, end)
    return _Tok("field", raw, start, end, node)


def _date_node(value: str, start: int, end: int) -> DateSpan:
    where = f"date: at character {start + 1}"
    if not value.startswith("["):
        return DateSpan(*date_bounds(value, where, start), start, end)
    match = _RANGE.match(value)
    if match is None:
        raise QuerySyntaxError(
            f"{where}: {_RANGE_FIX}, not date:{value}",
            start,
        )
    low, high = match.groups()
    since = None if low == "*" else date_bounds(low, where, start)[0]
    until = None if high == "*" else date_bounds(high, where, start)[1]
    return DateSpan(since, until, start, end)


class _Parser:
    """Recursive descent: OR (also implied by juxtaposition) < AND < NOT/+/- < atoms.

    Operators that lead nowhere (``AND`` at the end, ``NOT`` twice, a lone ``)``) are
    dropped, so typed text never fails here.
    """

    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def parse(self) -> Group:
        node = self._sequence(nested=False)
        return node if isinstance(node, Group) else Group(should=(node,))

    def _next(self) -> _Tok | None:
        tok = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        self.pos += 1
        return tok

    def _peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _sequence(self, nested: bool) -> Node:
        chains: list[list[tuple[str, Node]]] = []
        ored: list[bool] = []  # each chain: joined to the one before by an explicit OR
        joined = explicit_or = False
        while (tok := self._peek()) is not None:
            if tok.kind == ")":
                self.pos += 1
                if nested:
                    break
                continue
            if tok.kind in ("AND", "OR"):
                self.pos += 1
                joined = tok.kind == "AND" and bool(chains)
                explicit_or = tok.kind == "OR" and bool(chains)
                continue
            item = self._unary()
            if item is None:
                continue
            if joined:
                chains[-1].append(item)
            else:
                chains.append([item])
                ored.append(explicit_or)
            joined = explicit_or = False
        return _combine(*_lift_filters(chains, ored))

    def _unary(self) -> tuple[str, Node] | None:
        tok = self._next()
        assert tok is not None
        occur = {"NOT": "must_not", "-": "must_not", "+": "must"}.get(tok.kind)
        if occur is not None:
            nxt = self._peek()
            if nxt is None or nxt.kind not in ("word", "phrase", "field", "("):
                return None
            tok = self._next()
            assert tok is not None
        if tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(
                    f"at character {tok.start + 1}: parentheses nest more than {MAX_DEPTH} "
                    f"deep; remove some",
                    tok.start,
                )
            node: Node | None = self._sequence(nested=True)
            self.depth -= 1
        else:
            node = tok.node
        if node is None or node == Group():
            return None
        return occur or "should", node


def _is_filter(node: Node) -> bool:
    """A field filter or date, or a group of nothing else (``tag:a OR tag:b``)."""
    if isinstance(node, Group):
        clauses = (*node.must, *node.should, *node.must_not, *node.filters)
        return bool(clauses) and all(map(_is_filter, clauses))
    return isinstance(node, Filter | DateSpan)


def _lift_filters(
    chains: list[list[tuple[str, Node]]], ored: list[bool]
) -> tuple[list[list[tuple[str, Node]]], tuple[Node, ...]]:
    """The chains without the filters typed beside words, and those filters.

    Chains joined by explicit ORs form a run: a run of filters filters as one (any of
    them); a run that mixes filters and words stays as typed (``lang:de OR Rogun``).
    """
    runs: list[list[list[tuple[str, Node]]]] = []
    for chain, joined in zip(chains, ored, strict=True):
        if joined and runs:
            runs[-1].append(chain)
        else:
            runs.append([chain])
    kept: list[list[tuple[str, Node]]] = []
    filters: list[Node] = []
    for run in runs:
        nodes = [_chain_node(chain) for chain in run]
        if any(occur != "should" or not _is_filter(node) for occur, node in nodes):
            kept += run
        elif len(nodes) == 1:
            filters.append(nodes[0][1])
        else:
            filters.append(Group(should=tuple(node for _, node in nodes)))
    return kept, tuple(filters)


def _chain_node(chain: list[tuple[str, Node]]) -> tuple[str, Node]:
    """An AND-chain as one clause: (occur, node)."""
    if len(chain) == 1:
        return chain[0]
    inner: dict[str, list[Node]] = {"must": [], "must_not": []}
    for occur, node in chain:
        inner["must_not" if occur == "must_not" else "must"].append(node)
    return "should", Group(tuple(inner["must"]), (), tuple(inner["must_not"]))


def _combine(chains: list[list[tuple[str, Node]]], filters: tuple[Node, ...] = ()) -> Node:
    """Fold AND-chains and loose clauses into one group (a lone should clause: itself)."""
    clauses: dict[str, list[Node]] = {"must": [], "should": [], "must_not": []}
    for chain in chains:
        occur, node = _chain_node(chain)
        clauses[occur].append(node)
    lone = len(clauses["should"]) == 1 and not clauses["must"] and not clauses["must_not"]
    if lone and not filters:
        return clauses["should"][0]
    return Group(
        tuple(clauses["must"]), tuple(clauses["should"]), tuple(clauses["must_not"]), filters
    )
