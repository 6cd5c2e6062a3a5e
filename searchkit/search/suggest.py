"""Did you mean: the query with its unknown words corrected.

Corrections come from the index vocabulary (stemmed terms within 1-2 edits of a typed
word's term: the closest, then the most frequent), and are shown as a word that really occurs in
an article, spelled as the article spells it. A query with enough hits is not corrected
to another form of one of its words (``entstehen`` -> ``entsteht``): that is no typo.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from searchkit.analysis import fold
from searchkit.analysis.filters import load_words
from searchkit.backend.postings import FastIndex
from searchkit.fields import TEXT_PARTS, analyzer_of, field_name, text_fields
from searchkit.query.terms import terms_of
from searchkit.query.tree import ParsedQuery, Word

#: With fewer hits than this, a long question is corrected too, and so is an unknown word
#: into another form of a word (a word the index holds, or its stem, never is).
FEW_RESULTS = 3
#: A query of this many content words (no stop word in any language) or more that has
#: hits is left as typed: its other words found the articles, and a word the archive
#: lacks is then more often a real word than a typo (on 1,903 French questions:
#: "Comment" -> "commença", "contiennent" -> "continent", "1750" -> "1950").
LONG_QUERY = 4
#: Words never corrected: question words an archive may lack (a data file, both languages).
QUESTION_WORDS = "question_words_fr_de.txt"
#: ``df(lang, term)``: how often ``term`` occurs in the fields of ``lang``.
DocFrequency = Callable[[str, str], int]


def suggestion(
    searcher: Any, fast: FastIndex, parsed: ParsedQuery, langs: tuple[str, ...], total: int
) -> str | None:
    """The query with unknown words replaced, or None.

    A question of LONG_QUERY content words or more that has hits, and numbers, are left
    alone; a correction is at most 1 edit (2 from 7 letters) from the typed word.
    Corrections come from the index vocabulary (stemmed terms within 1-2 edits), shown as
    a word that really occurs in an article: ``Kirghiztan`` -> ``Kirghizstan``.
    """
    words = [word for word in parsed.words if word.kind == "word"]
    few = total < FEW_RESULTS
    content = [w for w in words if all(terms_of(lang, w.text) for lang in langs)]
    if not few and len(content) >= LONG_QUERY:
        return None
    df = functools.partial(_frequency, fast)
    text = parsed.text
    changes = []
    for word in words:
        change = _correction(searcher, word, langs, df, few=few)
        if change is not None:
            changes.append(change)
    for start, end, better in reversed(changes):
        text = text[:start] + better + text[end:]
    return text if changes else None


def _frequency(fast: FastIndex, lang: str, term: str) -> int:
    """How often ``term`` occurs in the ``lang`` fields: the number of postings, read (and
    kept) by the fast path, which has just read those of the query's words."""
    return sum(len(fast.postings(field, term).docs) for field in text_fields(lang, TEXT_PARTS))


def _correction(
    searcher: Any, word: Word, langs: tuple[str, ...], df: DocFrequency, *, few: bool
) -> tuple[int, int, str] | None:
    core = _core(word, langs[0])
    if core is None:
        return None
    start, end = core
    typed = word.text[start:end]
    if any(char.isdigit() for char in typed) or fold(typed) in load_words(QUESTION_WORDS):
        return None  # a number or a code (1750, Su-27), a question word: not for spelling
    terms = {lang: terms_of(lang, typed) for lang in langs}
    if not all(terms.values()):
        return None  # a stop word in one of the languages, not a typo
    if any(df(lang, t) for lang in langs for t in terms[lang]):
        return None  # a word the index holds, or whose stem it holds: never a typo
    best = _closest(searcher, terms, df, few=few)
    if best is None:
        return None
    surface = _surface(searcher, best[1], best[2])
    if surface is None or fold(surface) == fold(typed):
        return None
    # (stems within an edit can be words far apart: britanique -> "Brian")
    if distance(fold(surface), fold(typed)) > _max_edits(typed):
        return None
    return word.start + start, word.start + end, surface


def _closest(
    searcher: Any, terms: dict[str, list[str]], df: DocFrequency, *, few: bool
) -> tuple[tuple[int, int], str, str] | None:
    """((edits, -frequency), lang, term) of the index term closest to a word's first
    term in each language, the most frequent among the closest."""
    best: tuple[tuple[int, int], str, str] | None = None
    for lang, analyzed in terms.items():
        for term in analyzed[:1]:
            for candidate in _candidates(searcher, lang, term):
                if not few and _inflection(term, candidate):
                    continue
                key = (distance(term, candidate), -df(lang, candidate))
                if best is None or key < best[0]:
                    best = (key, lang, candidate)
    return best


def _inflection(term: str, candidate: str) -> bool:
    """True when one term only lengthens the other: another form of the same word
    (``entsteh`` / ``entsteht``), which a query with enough hits is better off without."""
    return candidate.startswith(term) or term.startswith(candidate)


def _core(word: Word, lang: str) -> tuple[int, int] | None:
    """Where the word itself is in what was typed (no elided article, no punctuation)."""
    analyzer = analyzer_of(lang)
    for token in analyzer(word.text, chars=True, mode="query", removestops=False):
        return token.startchar, token.endchar
    return None


def _max_edits(word: str) -> int:
    return 1 if len(word) < 7 else 2


def _candidates(searcher: Any, lang: str, term: str) -> set[str]:
    if len(term) < 4:
        return set()
    maxdist = _max_edits(term)
    reader = searcher.reader()
    found: set[str] = set()
    for part in ("title", "tags", "body"):
        found.update(reader.terms_within(field_name(part, lang), term, maxdist, prefix=1))
    found.discard(term)
    return found


def _surface(searcher: Any, lang: str, term: str) -> str | None:
    """A word of an article that analyzes to ``term``, as the article spells it."""
    analyzer = analyzer_of(lang)
    for part in ("title", "tags", "lead", "body"):
        for docnum in searcher.docs_for_query(wq.Term(field_name(part, lang), term)):
            doc = searcher.stored_fields(docnum).get("doc") or {}
            text = " ".join(doc.get("tags", ())) if part == "tags" else doc.get(part) or ""
            for token in analyzer(text, chars=True, mode="index"):
                surface = text[token.startchar : token.endchar]
                if token.text == term and terms_of(lang, surface)[:1] == [term]:
                    return surface
            break
    return None
