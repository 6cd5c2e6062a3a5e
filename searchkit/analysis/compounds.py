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


def _lexicon_form(text: str, words: frozenset[str]) -> bool:
    """Is ``text`` one of ``words`` with an inflection ending (Konflikte, Ländern)?"""
    return any(
        text.endswith(end)
        and len(text) - len(end) >= MIN_PART
        and text[: len(text) - len(end)] in words
        for end in ENDINGS
    )


def split(word: str) -> tuple[str, ...]:
    """The top-level parts of ``word`` (lexicon forms, the last one as written), or ``()``.

    >>> split("sicherheitspolitik")
    ('sicherheit', 'politik')
    """
    last, _, whole = _lexicon()
    if len(word) < MIN_COMPOUND or _lexicon_form(word, whole):
        return ()
    heads = _heads()
    n = len(word)
    # best[i]: the fewest parts spelling word[i:], as a tuple; None if impossible.
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    for i in range(n - MIN_PART, -1, -1):
        if i and _lexicon_form(word[i:], last):
            best[i] = (word[i:],)
            continue
        for k in range(i + MIN_PART, n - MIN_PART + 1):  # k ascending: longest rest wins ties
            rest, head = best[k], heads.get(word[i:k])
            if rest is not None and head and (best[i] is None or len(rest) + 1 < len(best[i])):
                best[i] = (head, *rest)
    return best[0] or ()


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The stems of all parts of a folded ``word``, outermost first, without duplicates.

    ``wasserkraftwerk`` -> ``('wass', 'kraftwerk', 'kraft', 'werk')`` (stems of wasser,
    kraftwerk, kraft, werk). Empty for a word that is not a known compound.
    """
    stem = stemmer("german")
    out: list[str] = []
    for part in split(word):
        for term in (stem(part), *compound_parts(part)):
            if term not in out:
                out.append(term)
    whole = stem(word)
    return tuple(t for t in out if t != whole)
