"""A French <-> German lexicon for translating queries (``data/lexicon_{fr_de,de_fr}.tsv``).

Built by :mod:`searchkit.crosslingual.build_lexicon` from FreeDict (Wiktionary, CC BY-SA
3.0, see ``data/LICENSE-lexicon.txt``) and our supplement of news vocabulary. Format, one
key a line, sorted, after ``#`` comment lines (the last says ``# longest: N``, the most words in
a key) and one empty line::

    key <TAB> target|target|...

The key is the source expression normalised by :func:`normalize` (each word folded, its
elided article and hyphens dropped, stemmed; stop words left out): ``base militaire`` ->
``base militair``, ``Wahlen`` -> ``wahl``. Targets are surface forms in the other
language, best sense first, at most four (more when our supplement lists more). A target
of several words ("base militaire") is one expression; for German compounds translated
part by part (:attr:`Translation.from_parts`) its word order is a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from pathlib import Path

from searchkit.analysis.compounds import split
from searchkit.analysis.filters import fold, load_words, stemmer
from searchkit.crosslingual.table import SortedTable
from searchkit.errors import SearchkitError

#: The package's data files (read as plain files: importlib.resources costs ~10 ms
#: of imports per process, and searchkit is never installed zipped).
DATA = Path(__file__).with_name("data")

LANGS = ("fr", "de")
_STEMMERS = {"fr": "french", "de": "german"}
_NOT_LETTER_RE = re.compile(r"[^a-z0-9]+")
_ELIDED_RE = re.compile(r"^([a-z]+)['’ʼ](?=\w)")
MAX_TARGETS = 4


class UnknownLanguageError(SearchkitError, ValueError):
    """A language other than "fr" or "de" was asked for."""

    def __init__(self, lang: str) -> None:
        super().__init__(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")


@dataclass(frozen=True)
class Translation:
    """``words[start:end]`` (the surface ``source``) and its ``targets``, best first."""

    start: int
    end: int
    source: str
    targets: tuple[str, ...]
    from_parts: bool = False  # a German compound translated part by part


def other_lang(src: str) -> str:
    """The other language of the pair: "fr" -> "de", "de" -> "fr"."""
    if src not in LANGS:
        raise UnknownLanguageError(src)
    return LANGS[1 - LANGS.index(src)]


@lru_cache(maxsize=100_000)
def normalize(word: str, lang: str) -> str:
    """The lookup form of one word: ``"l'Armée"`` -> ``"arme"``; ``""`` for a stop word."""
    folded = fold(word)
    elided = _ELIDED_RE.match(folded)
    if elided and lang == "fr" and elided[1] in _words("elision_fr.txt"):
        folded = folded[elided.end() :]
    folded = _NOT_LETTER_RE.sub("", folded)
    if not folded or folded in _words(f"stop_{lang}.txt"):
        return ""
    return stemmer(_STEMMERS[lang])(folded)


def key(text: str, lang: str) -> str:
    """The lookup key of an expression: its words normalised, stop words left out."""
    return " ".join(filter(None, (normalize(w, lang) for w in text.split())))


@cache
def _words(name: str) -> frozenset[str]:
    return load_words(name)


@cache
def _table(src: str) -> tuple[SortedTable, int]:
    """(key -> "target|target", most words in a key) of one direction, read once; looked
    up in place (:class:`~searchkit.crosslingual.table.SortedTable`), not parsed."""
    name = f"lexicon_{src}_{other_lang(src)}.tsv"
    data = (DATA / name).read_bytes()
    end = data.index(b"\n\n")  # comment lines, one empty line, the rows
    longest = int(data[:end].rsplit(b"# longest: ", 1)[1].split()[0])
    return SortedTable(data, end + 2), longest


def lookup(text: str, src: str) -> tuple[str, ...]:
    """The targets of one expression as a whole (``()`` when it has no entry)."""
    found = _table(src)[0].get(key(text, src))
    return tuple(found.split("|")) if found else ()


def translate(words: Sequence[str], src: str) -> list[Translation]:
    """The translations of a query's words, in order, spans not overlapping.

    At each word the longest expression with an entry wins ("base militaire" before
    "base"); stop words are skipped, and may sit inside an expression ("chemin de fer").
    A German word without an entry is translated by its compound parts. Words without
    any translation give nothing.
    """
    other_lang(src)  # fails early on an unknown language
    table, longest = _table(src)
    keyed = [(i, k) for i, w in enumerate(words) if (k := normalize(w, src))]
    out: list[Translation] = []
    n = 0
    while n < len(keyed):
        found = _longest_at(keyed, n, src, longest)
        if found:
            size, targets = found
            start, end = keyed[n][0], keyed[n + size - 1][0] + 1
            out.append(Translation(start, end, " ".join(words[start:end]), targets))
            n += size
            continue
        i = keyed[n][0]
        parts = _by_parts(words[i], table) if src == "de" else ()
        if parts:
            out.append(Translation(i, i + 1, words[i], parts, from_parts=True))
        n += 1
    return out


def _longest_at(
    keyed: list[tuple[int, str]], n: int, src: str, longest: int
) -> tuple[int, tuple[str, ...]] | None:
    """(how many keyed words, targets) of the longest entry at ``keyed[n]``, or None."""
    table: SortedTable | dict[str, str] = _table(src)[0]
    if isinstance(table, SortedTable) and table.parsed is not None:
        table = table.parsed  # (a bulk user: no longer than the word's longest key)
        longest = _longest_by_word(src).get(keyed[n][1], 1)
    if longest == 1:
        found = table.get(keyed[n][1])
        return (1, tuple(found.split("|"))) if found else None
    for size in range(min(longest, len(keyed) - n), 0, -1):
        found = table.get(" ".join(k for _, k in keyed[n : n + size]))
        if found:
            return size, tuple(found.split("|"))
    return None


@cache
def _longest_by_word(src: str) -> dict[str, int]:
    """The most words of a key that starts with each word, for words that start a key of
    two words or more (a word absent starts none longer than itself): linking twins
    looks up millions of words, most of them in no longer key."""
    found: dict[str, int] = {}
    for k in _table(src)[0]:
        if " " in k:
            words = k.split(" ")
            found[words[0]] = max(found.get(words[0], 1), len(words))
    return found


def _by_parts(word: str, table: SortedTable) -> tuple[str, ...]:
    """A German compound's translation from its parts' best senses, the head (last part)
    first as French puts it (Militär|stützpunkt -> "base militaire"); ``()`` if a part has
    no translation, even through its own parts."""
    senses = []
    for part in split(_NOT_LETTER_RE.sub("", fold(word))):
        found = _part_senses(part, table)
        if not found:
            return ()
        senses.append(found)
    combos = (" ".join(reversed(c)) for c in product(*(s[:2] for s in senses)))
    return tuple(combos)[:MAX_TARGETS] if senses else ()


def _part_senses(part: str, table: SortedTable) -> tuple[str, ...]:
    found = table.get(normalize(part, "de"))
    if found:
        return tuple(found.split("|"))
    sub = [table.get(normalize(p, "de")) for p in split(part)]
    if sub and all(sub):
        return (" ".join(s.split("|")[0] for s in reversed(sub) if s),)
    return ()
