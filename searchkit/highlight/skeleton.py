"""A text's skeleton: one folded byte per character, to find query terms with ``bytes.find``.

Tokenizing and analyzing a whole article to mark a few words costs far more than finding
where those words may be. The skeleton is ``text`` encoded to Latin-1 (anything else
becomes ``?``) and translated by one table: letters lowercased and folded to ASCII
(``É`` -> ``e``, ``ß`` -> ``s``), characters that can never be inside a word to a space.
Byte ``i`` is character ``i`` of the text, so a position found in the skeleton is a
position in the text, and both steps run in C.

A folded term appears in the skeleton of the word it came from, as one of the
:func:`needles` of its first letters: those spell the digraphs that :func:`fold` drops
(``Mueller`` -> ``muller``), and ``ss`` as the skeleton shows a ``ß``.
Words with a letter beyond Latin-1 (``œ``, ``ş``) have a ``?`` in the skeleton: see
:func:`exotic_positions`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from searchkit.analysis.filters import fold

#: Never inside a word: where the skeleton's chunks (runs of non-spaces) end.
SPACE = b" "
#: A joiner of WORD_RE (hyphen, apostrophe, dot, comma) or "_": a word may go on, a new
#: piece starts. (One byte for all: fewer needles for a short term; the dot in the term
#: 3.600 is this byte in its needle too.)
JOINER = b"'"
#: A character beyond Latin-1 that may be a letter (see exotic_positions).
UNKNOWN = b"?"
#: Chunks of a skeleton: the runs of bytes between spaces, where the words are.
CHUNK_RE = re.compile(rb"[^ ]+")
#: What a piece of a word (PIECE_RE) may follow in a skeleton, besides the start.
PIECE_STARTS = (SPACE, JOINER, UNKNOWN)
#: How many first letters of a term are looked for.
HEAD = 3
# ß is kept as one s: a term spells it ss. (Other letters that fold to two, þ -> th,
# are too rare to be worth a needle more: they are left to exotic_positions.)
_SHARP_S = ("ss", "s")
# The e's fold drops after a vowel (Mueller -> muller), as many as a word may have there:
# "uee" (tuées -> tus) is common in French participles, "aee" and "oee" are not.
_DROPPED_E = {"a": ("a", "ae"), "o": ("o", "oe"), "u": ("u", "ue", "uee")}
# A term's letters as a skeleton shows them. Snowball turns some y into i (payer -> pai):
# the skeleton and the needles say i for both.
_SPELLED = str.maketrans({"y": "i", ".": JOINER.decode(), ",": JOINER.decode()})
# Characters beyond Latin-1 common in news, replaced by one that plays the same part
# (WORD_RE's joiners) or none, before encoding: else they would be "?" like a letter, and
# "’" alone is in most French sentences. "?" itself is no letter: it must not look like one.
_STAND_INS: tuple[tuple[str, str], ...]  # two literals, joined below
_STAND_INS = (("’", "'"), ("‐", "-"), ("‑", "-"), ("?", " "), ("‘", " "), ("„", " "))
_STAND_INS += (("“", " "), ("”", " "), ("–", " "), ("—", " "), ("…", " "), ("\u202f", " "))


def _table() -> bytes:
    """Byte -> skeleton byte, for the Latin-1 encoding of a text."""
    out = bytearray(SPACE * 256)
    out[ord(UNKNOWN)] = ord(UNKNOWN)  # what encoding made of a character beyond Latin-1
    for code in range(256):
        char = chr(code)
        if char in "-'_.,":
            out[code] = ord(JOINER)
        elif char.isalnum():  # (with "_", what re's \w means)
            folded = fold(char).translate(_SPELLED)
            simple = len(folded) == 1 and folded.isascii() and folded.isalnum()
            kept = simple or folded == _SHARP_S[0]
            out[code] = ord(folded[0]) if kept else ord(UNKNOWN)  # þ, ¼: exotic
    return bytes(out)


_TABLE = _table()


def skeleton(text: str) -> bytes:
    """One byte per character of ``text``: folded letters and digits, spaces, ``'`` for
    a joiner, and ``?`` for a character beyond Latin-1."""
    for char, stand_in in _STAND_INS:
        text = text.replace(char, stand_in)
    return text.encode("latin-1", "replace").translate(_TABLE)


def exotic_positions(text: str, skel: bytes) -> list[int]:
    """Where ``text`` has a letter or digit that the skeleton shows as ``?`` (``œ``, ``ş``).

    Their words may match any term, so the caller analyzes them. (Rare characters that
    are not letters, ``€``, ``→``, are ``?`` too, and skipped here.)
    """
    found = []
    at = skel.find(UNKNOWN)
    while at >= 0:
        if text[at].isalnum():
            found.append(at)
        at = skel.find(UNKNOWN, at + 1)
    return found


def needles(exact: Iterable[str], prefixes: Iterable[str] = ()) -> tuple[bytes, ...] | None:
    """What to look for in skeletons to find every word that may give a term of ``exact``
    or one that starts with one of ``prefixes``.

    Such a word has the term's first :data:`HEAD` letters in its skeleton, spelled one of
    several ways: ``ae``, ``oe``, ``ue`` for the ``a``, ``o``, ``u`` that :func:`fold` makes
    of them, ``s`` for ``ss``. A shorter term is a stem, never a compound part: it starts a
    piece of the word, after a space or a joiner (``ne`` is looked for as `` ne``, ``'ne``...,
    not in every ``une``). A needle inside another makes that one redundant, so only the
    shortest are kept. None when a term is beyond the skeleton's alphabet (a word in a
    script unidecode does not know): then every word is a candidate.
    """
    wanted = [(term, len(term) < HEAD) for term in exact] + [(p, False) for p in prefixes]
    found: set[bytes] = set()
    for term, piece_start in wanted:
        head = term[:HEAD].translate(_SPELLED)
        if not head or not head.isascii():
            return None
        spellings = {spelling.encode() for spelling in _spellings(head)}
        if piece_start:
            spellings = {before + spelling for spelling in spellings for before in PIECE_STARTS}
        found |= spellings
    kept = sorted(found, key=len)
    return tuple(n for i, n in enumerate(kept) if not any(k in n for k in kept[:i]))


def _spellings(head: str) -> set[str]:
    """``head`` as the skeleton may show it: with the e's that fold drops after a, o, u
    (``mul``: also ``muel``), and ``ss`` as the one s of a ß."""
    pieces = [
        _DROPPED_E.get(char, (char,)) if i < len(head) - 1 else (char,)
        for i, char in enumerate(head)
    ]
    out = {"".join(choice) for choice in itertools.product(*pieces)}
    return out | {spelling.replace(*_SHARP_S) for spelling in out}
