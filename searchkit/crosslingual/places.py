"""Place names and their spellings in French, German and English (``data/places.tsv``).

The table (built by :mod:`searchkit.crosslingual.build_places`, GeoNames and CLDR data,
see ``data/LICENSE-places.txt``) holds every country, the world's capitals, the regions and
cities of 15,000 people or more of Central Asia (Kazakhstan, Kyrgyzstan, Tajikistan,
Uzbekistan, Turkmenistan, Afghanistan, Mongolia, Xinjiang), its seas, lakes, rivers,
mountains and valleys, and its nationality words. Format, one place a line::

    id <TAB> kind <TAB> keys <TAB> fr <TAB> de <TAB> en <TAB> other

``id`` is a GeoNames id ("1528675"), admin code ("KG.04"), ISO country code ("KG") or
ours ("x:aral-sea"); ``kind`` one of country, capital, region, city, nature, people.
The four name columns hold spellings separated by ``|`` (``other``: transliterations,
former names). ``keys`` holds the lookup keys of those spellings (see :func:`key`),
written at build time so that loading is only a split: ``Nour-Soultan`` -> ``nour soultan``
and ``noursoultan``.

**Ambiguous names.** A key ending in ``*`` is also a common French or German word (Och:
"och" in German, Mary, Bar). :func:`find_places` matches it only when every word of the
match starts with a capital letter in the query (or is all capitals), so "Och" and
"OCH" are found but "och" is not. :func:`spellings`, asked about one name on purpose,
ignores the mark.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from searchkit.analysis.filters import fold, load_words

#: The package's data files (read as plain files: importlib.resources costs ~10 ms
#: of imports per process, and searchkit is never installed zipped).
DATA = Path(__file__).with_name("data")

LANGS = ("fr", "de", "en")
COLUMNS = (*LANGS, "other")
AMBIGUOUS = "*"
_PIECE_RE = re.compile(r"[a-z0-9]+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_HEADER = """\
# Place names, built by searchkit.crosslingual.build_places; see places.py for the format
# and LICENSE-places.txt for the sources (GeoNames CC BY 4.0, Unicode CLDR) and licences.
"""


@dataclass(frozen=True, order=True)
class Place:
    """One row of the table: the spellings in each of COLUMNS."""

    id: str
    kind: str
    columns: tuple[tuple[str, ...], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling, fr first, then de, en, other, without duplicates."""
        return tuple(dict.fromkeys(n for col in self.columns for n in col))


@lru_cache(maxsize=100_000)
def pieces(word: str) -> tuple[str, ...]:
    """The folded letter-and-digit runs of ``word``, an elided article dropped.

    ``Nour-Soultan`` -> ``('nour', 'soultan')``; ``d'Aral`` -> ``('aral',)``.
    """
    found = tuple(_PIECE_RE.findall(fold(word)))
    if len(found) > 1 and found[0] in _elisions() and re.search(r"\w['’ʼ]", word):
        return found[1:]
    return found


def key(name: str) -> str:
    """The lookup key of a name: its pieces joined by spaces (``mer d'Aral`` -> ``mer aral``)."""
    return " ".join(p for word in name.split() for p in pieces(word))


@cache
def _elisions() -> frozenset[str]:
    return load_words("elision_fr.txt")


def _keys(place: Place, ambiguous: frozenset[str]) -> list[str]:
    """The keys of every spelling, and the same without spaces (Nur-Sultan: Nursultan); a
    key is marked ambiguous when any spelling giving it is (``Och*``) or a common word.
    Nationality words are common words by nature and meant as such: never marked."""
    if place.kind == "people":
        ambiguous = frozenset()
    marks: dict[str, bool] = {}
    for name in place.names:
        k = key(name.rstrip(AMBIGUOUS))
        marked = name.endswith(AMBIGUOUS) or k in ambiguous
        for form in (k, k.replace(" ", "")):
            if form:
                marks[form] = marks.get(form, False) or marked
    return [form + AMBIGUOUS * marked for form, marked in marks.items()]


def write_table(path: Path, places: Iterable[Place], ambiguous: frozenset[str]) -> None:
    """Write ``places`` as the TSV described above (used by the build script)."""
    lines = [_HEADER.rstrip("\n")]
    for p in places:
        cols = ["|".join(dict.fromkeys(n.rstrip(AMBIGUOUS) for n in col)) for col in p.columns]
        lines.append("\t".join([p.id, p.kind, "|".join(_keys(p, ambiguous)), *cols]))
    path.write_text("\n".join(lines) + "\n", "utf-8")


@cache
def _table() -> tuple[list[list[str]], dict[str, list[tuple[int, bool]]], int]:
    """(rows, key -> [(row, ambiguous)], most pieces in a key), read once per process."""
    text = (DATA / "places.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"]
    index: dict[str, list[tuple[int, bool]]] = {}
    for i, row in enumerate(rows):
        for k in row[2].split("|"):
            marked = k.endswith(AMBIGUOUS)
            index.setdefault(k.rstrip(AMBIGUOUS), []).append((i, marked))
    longest = max(k.count(" ") for k in index) + 1
    return rows, index, longest


@cache
def _first_pieces() -> frozenset[str]:
    """The first piece of every key: a word that is none of them starts no name."""
    return frozenset(k.split(" ", 1)[0] for k in _table()[1])


@cache
def _sorted_keys() -> list[str]:
    return sorted(_table()[1])


@lru_cache(maxsize=10_000)
def _reach(piece: str) -> int:
    """The most characters of a key that starts with ``piece`` (0: none does)."""
    keys = _sorted_keys()
    low, high = bisect.bisect_left(keys, piece), bisect.bisect_left(keys, piece + "\uffff")
    return max(map(len, keys[low:high]), default=0)


@lru_cache(maxsize=10_000)
def _names(rows_found: tuple[int, ...]) -> tuple[str, ...]:
    rows = _table()[0]
    names = (n for i in rows_found for col in rows[i][3:] for n in col.split("|") if n)
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=10_000)
def _columns(rows_found: tuple[int, ...]) -> dict[str, tuple[str, ...]]:
    rows = _table()[0]
    return {
        column: tuple(dict.fromkeys(n for i in rows_found for n in rows[i][3 + c].split("|") if n))
        for c, column in enumerate(COLUMNS)
    }


def _matches(words: Sequence[str]) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """``(start, end, rows)`` of each name in ``words``: longest first, not overlapping."""
    _, index, longest = _table()
    word_pieces = [pieces(w) for w in words]
    firsts = _first_pieces()  # (most words start no name: the quick way out, in the loop)
    i = 0
    while i < len(words):
        starts = word_pieces[i] and word_pieces[i][0] in firsts
        match = _longest_at(words, word_pieces, i, index, longest) if starts else None
        if match is None:
            i += 1
            continue
        end, rows_found = match
        yield i, end, rows_found
        i = end


def find_places_by_language(
    words: Sequence[str],
) -> list[tuple[int, int, dict[str, tuple[str, ...]]]]:
    """:func:`find_places`, with each place's spellings by column (fr, de, en, other)."""
    return [(start, end, _columns(rows)) for start, end, rows in _matches(words)]


def place_ids(words: Sequence[str]) -> set[str]:
    """The ids of the places (and people) named in ``words``: the same for every spelling,
    so two texts in two languages can be compared by the names they share."""
    rows = _table()[0]
    return {rows[r][0] for _, _, found in _matches(words) for r in found}


def spellings(text: str) -> tuple[str, ...]:
    """Every spelling of the place (or places: Osh the city and the region) named ``text``.

    >>> spellings("Alma-Ata")[:3]
    ('Almaty', 'Alma-Ata', 'Almaty')

    Matched on the folded key, so "almaty", "ALMATY" and "Almatý" are one name; ``()``
    when no place is spelled so.
    """
    found = _table()[1].get(key(text), [])
    return _names(tuple(dict.fromkeys(i for i, _ in found)))


def find_places(words: Sequence[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """The place names in a query's words: ``(start, end, spellings)`` for ``words[start:end]``.

    The longest name starting at a word wins and matches do not overlap (``Kara-Suu`` and
    ``mer d'Aral`` are found whole). Ambiguous names need capitals (see the module doc).
    """
    return [
        (start, end, tuple(dict.fromkeys(n for names in columns.values() for n in names)))
        for start, end, columns in find_places_by_language(words)
    ]


def _longest_at(
    words: Sequence[str],
    word_pieces: list[tuple[str, ...]],
    start: int,
    index: dict[str, list[tuple[int, bool]]],
    longest: int,
) -> tuple[int, tuple[int, ...]] | None:
    """(end, rows) of the longest name at ``words[start]``, or None."""
    # No key starting with the first piece has more characters than its reach: the
    # words beyond cannot be part of a name (linking twins tries every word of 33,000
    # articles: most tries stop here).
    reach, chars, top = _reach(word_pieces[start][0]), 0, start
    for found in word_pieces[start : min(len(words), start + longest)]:
        chars += sum(map(len, found))
        if chars > reach:
            break
        top += 1
    for end in range(top, start, -1):
        parts = [p for ps in word_pieces[start:end] for p in ps]
        if len(parts) > longest or not word_pieces[end - 1]:
            continue
        for k in dict.fromkeys((" ".join(parts), "".join(parts))):
            entries = index.get(k)
            if not entries:
                continue
            # (capitals are looked at only for a name that is also a common word)
            capital = all(m is False for _, m in entries) or all(
                _capitalised(w) for w in words[start:end]
            )
            rows = [i for i, marked in entries if capital or not marked]
            if rows:
                return end, tuple(dict.fromkeys(rows))
    return None


def _capitalised(word: str) -> bool:
    """Whether the word (after an elided article: d'Och) starts with a capital letter."""
    letters = _LETTER_RE.findall(word)
    if not letters:
        return True
    elided = len(pieces(word)) < len(_PIECE_RE.findall(fold(word)))
    first = re.split(r"['’ʼ]", word, maxsplit=1)[1] if elided else word
    found = _LETTER_RE.search(first)
    return bool(found and found[0].isupper())
