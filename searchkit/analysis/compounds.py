"""German decompounding against our shipped lexicon (``data/lexicon_de.txt``).

A compound is split into the fewest known parts of four letters or more:

* every part but the last is a lexicon word, possibly followed by a linking element
  (-s-, -es-, -n-, -en-, -er-, -e-) or missing its final "e" (``Grenz|konflikte``,
  ``Hilfs|organisation``);
* the last part is a lexicon word, possibly inflected (``konflikt|e``, ``länd|ern``).

Among splits with as few parts, the longest last part wins (``Wasser|kraftwerk``); parts
that are compounds themselves are split again (``Kraft|werk``).

The lexicon marks two kinds of words: ``innen-`` only begins a compound (so
``Besucher|innen`` is never split), and ``hochzeit!`` is never split itself (not
``Hoch|zeit``) though it can be part of a longer compound.

Words are expected folded (lowercase ASCII, see ``filters.fold``); results are cached.
"""

from __future__ import annotations

from functools import cache, lru_cache

from searchkit.analysis.filters import fold, load_words, stemmer

MIN_PART = 4  # shorter parts give false splits: Führung must not yield "run"
MIN_COMPOUND = 2 * MIN_PART
LINKS = ("s", "es", "n", "en", "er", "e")
ENDINGS = ("", "e", "n", "en", "s", "es", "er", "ern", "in", "innen")  # inflection of a last part


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words that can end a compound, words that only begin one, words never split)."""
    entries = load_words("lexicon_de.txt", str.lower)
    first_only = {fold(w[:-1]) for w in entries if w.endswith("-")}
    whole = {fold(w[:-1]) for w in entries if w.endswith("!")}
    plain = {fold(w) for w in entries if w[-1] not in "-!"}
    last = frozenset(w for w in plain | whole if len(w) >= MIN_PART)
    return last, frozenset(w for w in first_only if len(w) >= MIN_PART), frozenset(whole)


@cache
def _heads() -> dict[str, str]:
    """Every spelling a lexicon word takes at the start of a compound -> the word itself."""
    last, first_only, _ = _lexicon()
    heads: dict[str, str] = {}
    for word in sorted(last | first_only):
        for form in (word + link for link in LINKS):
            heads.setdefault(form, word)
        if word.endswith("e") and len(word) > MIN_PART:
            heads.setdefault(word[:-1], word)  # Grenze -> Grenz-
            heads.setdefault(word[:-1] + "s", word)  # Hilfe -> Hilfs-
    heads.update((word, word) for word in last | first_only)  # a word as itself wins
    return heads


@cache
def _inflected() -> tuple[frozenset[str], frozenset[str]]:
    """Every inflected form (Konflikte, Ländern) of the words that can end a compound, and
    of the words never split; a set lookup is what makes splitting cheap."""
    last, _, whole = _lexicon()
    return (
        frozenset(word + end for word in last for end in ENDINGS),
        frozenset(word + end for word in whole for end in ENDINGS),
    )


class _Heads:
    """:func:`_heads` without the table: the spellings undone at each lookup."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def get(self, form: str) -> str | None:
        """The word spelled ``form`` at the start of a compound: itself, else the first in
        alphabetical order (as the table has it); None when there is none."""
        if form in self.words:
            return form
        found = [form[: -len(link)] for link in LINKS if form.endswith(link)]
        dropped = [form + "e", *([form[:-1] + "e"] if form.endswith("s") else [])]
        found += [word for word in dropped if len(word) > MIN_PART]
        return min((word for word in found if word in self.words), default=None)

    def __contains__(self, form: str) -> bool:
        return self.get(form) is not None


class _Forms:
    """:func:`_inflected`'s sets without the sets: the ending taken off at each lookup."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def __contains__(self, form: str) -> bool:
        words = self.words
        return any(form.endswith(e) and form[: len(form) - len(e)] in words for e in ENDINGS)


Lookups = tuple["dict[str, str] | _Heads", "frozenset[str] | _Forms", "frozenset[str] | _Forms"]
#: Splits looked up without the tables: building them takes ~25 ms, more than a query's
#: few words need (9x slower a word: 65 against 7 us); indexing splits thousands.
TABLES_AFTER = 200
_untabled = 0


@cache
def _without_tables() -> Lookups:
    last, first_only, whole = _lexicon()
    return _Heads(last | first_only), _Forms(last), _Forms(whole)


def _lookups() -> Lookups:
    """(heads, forms that end a compound, forms of words never split): without the
    tables for the first TABLES_AFTER words, from them after (the same answers, tested)."""
    global _untabled
    if _untabled < TABLES_AFTER:
        _untabled += 1
        return _without_tables()
    return (_heads(), *_inflected())


def split(word: str) -> tuple[str, ...]:
    """The preferred parts of ``word`` (lexicon forms, the last one as written), or ``()``.

    >>> split("sicherheitspolitik")
    ('sicherheit', 'politik')
    """
    found = splits(word)
    return found[0] if found else ()


def splits(word: str) -> list[tuple[str, ...]]:
    """Every split of ``word`` into the fewest parts, the longest last part first.

    ``eisenbahnstrecke`` -> ``[('eisen', 'bahnstrecke'), ('eisenbahn', 'strecke')]``.
    """
    if len(word) < MIN_COMPOUND:
        return []
    heads, last, whole = _lookups()
    if word in whole:
        return []
    n = len(word)
    if not any(word[:k] in heads for k in range(MIN_PART, n - MIN_PART + 1)):
        return []  # most words: no known word begins them, no need for the table below
    best = _table(word, heads, last)
    tops = [
        (k, (head, *rest))
        for k in range(MIN_PART, n - MIN_PART + 1)
        if (rest := best[k]) is not None and (head := heads.get(word[:k])) is not None
    ]
    fewest = min((len(parts) for _, parts in tops), default=0)
    found: list[tuple[str, ...]] = []
    cuts: list[int] = []
    for k, parts in tops:
        # Salz|sturm, not also Salzs|turm: a cut a linking element away from a kept one
        # reads the same letters twice
        if len(parts) == fewest and all(k - cut > 2 for cut in cuts):
            found.append(parts)
            cuts.append(k)
    return found


def _table(
    word: str, heads: dict[str, str] | _Heads, last: frozenset[str] | _Forms
) -> list[tuple[str, ...] | None]:
    """best[i]: the fewest parts spelling word[i:] (a compound itself counts as one part)."""
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    for i in range(len(word) - MIN_PART, 0, -1):
        best[i] = (word[i:],) if word[i:] in last else _fewest(word, i, heads, best)
    return best


def _fewest(
    word: str, i: int, heads: dict[str, str] | _Heads, best: list[tuple[str, ...] | None]
) -> tuple[str, ...] | None:
    """The fewest parts spelling ``word[i:]`` as head(s) then a last part; ties: longest last."""
    found: tuple[str, ...] | None = None
    for k in range(i + MIN_PART, len(word) - MIN_PART + 1):
        rest, head = best[k], heads.get(word[i:k])
        if rest is not None and head and (found is None or len(rest) + 1 < len(found)):
            found = (head, *rest)
    return found


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The stems of the parts of a folded ``word`` in all its fewest-part splits, and of
    their own parts, outermost first, without duplicates; empty if it is no known compound.

    ``wasserkraftwerk`` -> ``('wass', 'kraftwerk', 'kraft', 'werk', 'wasserkraft')``: stems
    of Wasser|Kraftwerk (Kraft|Werk) and of Wasserkraft|Werk.
    """
    stem = stemmer("german")
    out: list[str] = []
    for parts in splits(word):
        for part in parts:
            for term in (stem(part), *compound_parts(part)):
                if term not in out:
                    out.append(term)
    whole = stem(word)
    return tuple(t for t in out if t != whole)
