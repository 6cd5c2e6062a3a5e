"""The building blocks of every analyzer chain: what Whoosh lacks (elision, folding, hyphen
handling) and the fast word-at-a-time engine that runs a chain.

Why a word-at-a-time engine instead of a ``Tokenizer | Filter | Filter`` pipeline: every step
of our chains (elision, lowercase, fold, stop, stem, compound parts) depends on the word
alone, so the whole chain's result is cached per surface word. Indexing then costs one regex
pass, one dict lookup per word and the yields; the chain runs once per distinct word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import Stemmer
from unidecode import unidecode
from whoosh.analysis import Analyzer, Token

#: The package's data files (read as plain files: importlib.resources costs ~10 ms
#: of imports per process, and searchkit is never installed zipped).
DATA = Path(__file__).with_name("data")

# A word: \w runs joined by hyphens, apostrophes, dots or commas (Jalal-Abad, l’armée, 3.600,
# novastan.org). Kept this simple because it runs over every character indexed; the
# pieces are told apart once per distinct word, by PIECE_RE. Possessive (a joiner is never
# a \w, so giving characters back never finds another match): 11% faster on news text.
WORD_RE = re.compile(r"\w++(?:[-‐‑'’.,]\w++)*+")
# The pieces of a word: letters and digits, a dot or comma only inside a number (3.600).
# "_" and U+02BC (ʼ, an apostrophe that \w counts as a letter) separate pieces.
PIECE_RE = re.compile(r"[^\W_ʼ]+(?:(?<=\d)[.,](?=\d)[^\W_ʼ]+)*")
APOSTROPHES = "'’ʼ"

# Terms keep only these characters: unidecode turns some letters into spaces or quotes.
_NOT_TERM_RE = re.compile(r"[^a-z0-9.,]+")
# ae/oe/ue spell ä/ö/ü; "eue", "aue" (neue, Bauer), "que" (Quelle) and "oeu" (cœur -> coeur)
# are ordinary letter sequences and stay.
_DIGRAPH_RE = re.compile(r"(?<![aeq])(u)e|(a)e|(o)e(?!u)")

# One word's analysis: (term, start, end) triples, spans relative to the word.
Terms = tuple[tuple[str, int, int], ...]
TermFn = Callable[[str, str], tuple[str, ...]]
_MAX_CACHED_WORDS = 1_000_000


def fold_accents(text: str) -> str:
    """Lowercase and strip accents (``Sécurité`` -> ``securite``, ``Straße`` -> ``strasse``)."""
    text = text.lower()
    if text.isascii():
        return text
    return unidecode(text).lower()


def fold(text: str) -> str:
    """Fold accents, umlauts and their ae/oe/ue spellings to lowercase ASCII.

    ``Sécurité`` -> ``securite``; ``Militärbasis``, ``Militaerbasis`` and ``Militarbasis`` ->
    ``militarbasis``; ``Straße`` -> ``strasse``. Idempotent. Every chain folds with it, so a
    prefix or a filter value folded here matches the indexed terms. In French, "ae"/"ue"
    are ordinary letter pairs (aéroport, tuer) that this also collapses: measured on the
    French eval set, it costs nothing (nDCG@10 0.770 against 0.771 with accents only).
    """
    text = fold_accents(text)
    while _DIGRAPH_RE.search(text):  # a collapse can make a new digraph ("uee"): repeat
        text = _DIGRAPH_RE.sub(r"\1\2\3", text)
    return text


def clean_term(folded: str, word: str) -> str:
    """Drop what folding left that is not a letter or digit (``ʹ``, spaces)."""
    if folded.isascii() and folded.isalnum():  # (nearly every word: no regex needed)
        return folded
    term = _NOT_TERM_RE.sub("", folded)
    return term or word.lower()  # a script unidecode does not know: keep the word itself


@cache
def load_words(name: str, normalize: Callable[[str], str] | None = None) -> frozenset[str]:
    """A word list from ``analysis/data``: one or more words a line, ``#`` starts a comment."""
    text = (DATA / name).read_text("utf-8")
    words = (w for line in text.splitlines() for w in line.split("#", 1)[0].split())
    return frozenset(map(normalize or fold, words))


@cache
def load_table(name: str) -> dict[str, str]:
    """A table from ``analysis/data``: ``value: key key ...`` a line, ``#`` starts a comment;
    keys lower-cased (NFC), not folded: ``mère`` and ``mer`` stay apart."""
    text = (DATA / name).read_text("utf-8")
    table = {}
    for line in text.splitlines():
        value, _, keys = line.split("#", 1)[0].partition(":")
        for key in keys.split():
            table[unicodedata.normalize("NFC", key.lower())] = value.strip()
    return table


@cache
def stemmer(lang: str) -> Callable[[str], str]:
    """The Snowball stemmer of ``lang`` ("french", "german"), created once per process."""
    stem: Callable[[str], str] = Stemmer.Stemmer(lang).stemWord  # PyStemmer is untyped
    return stem


def elision_length(word: str, articles: frozenset[str]) -> int:
    """How many leading characters are an elided article: 2 for ``l’armée``, 3 for ``QU’IL``."""
    for i, char in enumerate(word[:8]):
        if char in APOSTROPHES:
            return i + 1 if word[:i].lower() in articles and i + 1 < len(word) else 0
    return 0


def hyphenated(word: str, start: int, mode: str, term: TermFn) -> Terms:
    """The terms of ``word[start:]``, whose pieces may be joined by hyphens or apostrophes.

    A plain word gives ``term(word)``. ``Jalal-Abad`` gives the joined form first
    (``jalalabad``, spanning the whole word), then each piece's terms with the piece's span,
    all at one position, in both modes. The query layer reads the terms of one word as
    alternatives, so the query ``Jalal-Abad`` finds ``Jalalabad``, ``Jalal-Abad`` (best: all
    terms match) and ``Jalal Abad``, and ``Abad`` finds ``Jalal-Abad``; a phrase uses the
    joined form. (Pieces at query time: +1.0 nDCG@10 on the German eval set.)
    Pieces that give no term or a one-letter one (stop words, ``t``) add nothing, and at
    the end of a word they are dropped before joining (``dit-il``, ``a-t-elle``, ``geht's``).
    """
    if not start and word.isalnum():  # the common case: one plain word
        return tuple((t, 0, len(word)) for t in term(word, mode))
    pieces = [(m[0], m.start(), m.end()) for m in PIECE_RE.finditer(word, start)]
    found = [term(piece, mode) for piece, _, _ in pieces]
    while len(pieces) > 1 and not _meaningful(found[-1]):
        pieces.pop()
        found.pop()
    if len(pieces) < 2:
        return tuple(
            (t, a, b) for (_, a, b), terms in zip(pieces, found, strict=True) for t in terms
        )
    joined = term("".join(piece for piece, _, _ in pieces), mode)
    out = [(t, pieces[0][1], pieces[-1][2]) for t in joined]
    seen = set(joined)
    for (_, a, b), terms in zip(pieces, found, strict=True):
        for t in terms if _meaningful(terms) else ():
            if t not in seen:
                seen.add(t)
                out.append((t, a, b))
    return tuple(out)


def _meaningful(terms: tuple[str, ...]) -> bool:
    return bool(terms) and len(terms[0]) > 1


class ChainAnalyzer(Analyzer):  # type: ignore[misc]  # Whoosh is untyped
    """An analyzer whose whole chain is a function of one word, cached per surface word.

    Subclasses define :meth:`analyze_word`. Instances hold no state (the caches, stemmers
    and word lists live at module level), so the pickled schema stores only the class name,
    and two instances of one class compare equal.
    """

    is_stemming = False

    def analyze_word(self, word: str, mode: str) -> Terms:
        """The terms of one word matched by :data:`WORD_RE` ("index", "query" or "plain")."""
        raise NotImplementedError

    def word_terms(self, word: str, mode: str = "index") -> Terms:
        """:meth:`analyze_word`, cached per surface word (as when indexing)."""
        words = self._cache(mode)
        terms = words.get(word)
        if terms is None:
            terms = words[word] = self.analyze_word(word, mode)
        return terms

    def has_morph(self) -> bool:
        """Whoosh asks this to decide whether spelling needs unstemmed words."""
        return self.is_stemming

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        """Yield one reused Token per term, as Whoosh's tokenizers do."""
        mode = "plain" if no_morph else ("query" if mode == "query" else "index")
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.stopped = False
        if tokenize and not chars and removestops and not keeporiginal:
            return self._terms_only(token, value, mode, start_pos)
        matches = WORD_RE.finditer(value) if tokenize else _whole(value)
        return self._tokens(token, matches, mode, start_pos, start_char)

    def term_lists(self, value: str, mode: str = "index") -> list[tuple[str, ...]]:
        """The terms of each word of ``value`` in order (``()`` for a stop word).

        The indexing fast path: no Token objects, no spans. ``searchkit.backend.positions`` feeds
        these straight to Whoosh's posting format.
        """
        texts = self._cache(mode + "-texts")
        words = WORD_RE.findall(value)
        found = list(map(texts.get, words))  # one C-level pass over the cache
        if None in found:
            found = [
                self._texts(texts, w, mode) if t is None else t
                for w, t in zip(words, found, strict=True)
            ]
        return cast("list[tuple[str, ...]]", found)  # no None left: filled in just above

    def _terms_only(self, token: Token, value: str, mode: str, pos: int) -> Iterator[Token]:
        """The indexing path: no spans, no stop words kept, so only term texts are needed."""
        for terms in self.term_lists(value, mode):
            if terms:
                for text in terms:
                    token.text = text
                    token.pos = pos
                    yield token
                pos += 1

    def _texts(self, texts: dict[str, tuple[str, ...]], word: str, mode: str) -> tuple[str, ...]:
        terms = self._cache(mode).get(word)
        if terms is None:
            terms = self._cache(mode)[word] = self.analyze_word(word, mode)
        texts[word] = tuple(text for text, _, _ in terms)
        return texts[word]

    def _tokens(
        self, token: Token, matches: Iterable[re.Match[str]], mode: str, pos: int, offset: int
    ) -> Iterator[Token]:
        """The general path: spans, original words, and stop words kept when asked."""
        words, analyze = self._cache(mode), self.analyze_word
        for match in matches:
            word, start = match[0], offset + match.start()
            terms = words.get(word)
            if terms is None:
                terms = words[word] = analyze(word, mode)
            if not terms:
                if not token.removestops:  # Whoosh's contract: keep stop words, marked
                    yield _stopped(token, word, pos, start)
                continue
            token.stopped = False
            token.original = word
            for text, a, b in terms:
                token.text = text
                token.pos = pos
                token.startchar = start + a
                token.endchar = start + b
                yield token
            pos += 1

    def _cache(self, mode: str) -> dict[str, Any]:
        words = _CACHES.setdefault((type(self).__name__, mode), {})
        if len(words) > _MAX_CACHED_WORDS:  # bound memory on huge, diverse corpora
            words.clear()
        return words


_CACHES: dict[tuple[str, str], dict[str, Any]] = {}


def _stopped(token: Token, word: str, pos: int, start: int) -> Token:
    token.text = clean_term(fold(word), word)
    token.stopped = True
    token.pos = pos
    token.startchar, token.endchar = start, start + len(word)
    token.original = word
    return token


def _whole(value: str) -> Iterator[re.Match[str]]:
    """``tokenize=False``: the stripped value is one word (Whoosh uses it for range ends)."""
    match = re.search(r"\S(?:.*\S)?", value, re.DOTALL)
    if match:
        yield match
