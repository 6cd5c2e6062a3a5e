"""Language detection for articles that do not state their language: "fr", "de" or "unknown".

Function words decide: each language's most frequent words are counted in the text
(profiles in ``analysis/data/langid_profiles.txt``). French or German wins only with enough
hits and a clear margin over every other profiled language; anything else, including text
in a non-Latin script, empty text or numbers, is "unknown". Pure Python, a few microseconds
per kilobyte, and it only reads the first few thousand characters of a long article.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from searchkit.fields import UNKNOWN

DETECTED = ("fr", "de")
MIN_HITS = 2  # one function word is not evidence ("die" is also English)
MARGIN = 1.3  # the winner needs this many times the score of the runner-up
MAX_CHARS = 5_000  # an article's opening is enough, and keeps long texts cheap

_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN_RE = re.compile(r"[a-zA-Z\u00c0-\u024f]")


@cache
def _profiles() -> dict[str, tuple[str, ...]]:
    """word -> the languages whose profile lists it."""
    path = resources.files("searchkit.articles").joinpath("data", "langid_profiles.txt")
    langs_of: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, words = line.split(":", 1)
            for word in set(words.split()):
                langs_of.setdefault(word, []).append(lang.strip())
    return {word: tuple(langs) for word, langs in langs_of.items()}


def _scores(words: list[str]) -> dict[str, float]:
    """Hits per language; a word shared by k profiles ("de", "la", "in") counts 1/k."""
    profiles = _profiles()
    scores: dict[str, float] = {}
    for word in words:
        langs = profiles.get(word, ())
        for lang in langs:
            scores[lang] = scores.get(lang, 0) + 1 / len(langs)
    return scores


def _mostly_latin(text: str, words: list[str]) -> bool:
    letters = sum(map(len, words))
    return len(_LATIN_RE.findall(text)) * 2 > letters


def detect_language(text: str) -> str:
    """ "fr", "de" or "unknown" for ``text``; never raises.

    >>> detect_language("La Russie n’envisage pas de déployer une nouvelle base.")
    'fr'
    """
    try:
        sample = text[:MAX_CHARS].lower()
        words = _WORD_RE.findall(sample)
        if not words or not _mostly_latin(sample, words):
            return UNKNOWN
        ranked = sorted(_scores(words).items(), key=lambda item: -item[1])
        if not ranked:
            return UNKNOWN
        best, hits = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if best in DETECTED and hits >= MIN_HITS and hits >= MARGIN * runner_up:
            return best
        return UNKNOWN
    except Exception:  # a detector that fails must not stop indexing: say "unknown"
        return UNKNOWN
