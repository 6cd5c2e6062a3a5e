"""The outlet's boilerplate paragraphs, recognised by per-language pattern data.

The rules live in ``data/boilerplate_<lang>.txt`` (one ``<kind> <regex>`` a line), so that a
new variant of a donation appeal or a widget is a one-line data change with a test, not a
code change. This module only loads the rules and tells which rule, if any, a paragraph
matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

KINDS = ("appeal", "related", "newsletter", "signoff", "widget")
RULE_LANGUAGES = ("fr", "de")

# Characters folded before matching, one for one so that match positions still index the
# original paragraph (the related title is cut from the original, not the folded copy).
_FOLD = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, the outlet's apostrophe
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00a0": " ",  # no-break space, common before ':' and '?' in French
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
    }
)


@dataclass(frozen=True)
class Rule:
    """One boilerplate pattern: its kind, the language of its data file, the regex."""

    kind: str
    lang: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Match:
    """A paragraph recognised as boilerplate. ``title`` is set for ``related`` links."""

    kind: str
    langs: frozenset[str]
    title: str = ""


def parse_rules(text: str, lang: str) -> list[Rule]:
    """Parse one rule file; raise ValueError naming the line for an unknown kind or bad regex."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, regex = line.partition(" ")
        if kind not in KINDS:
            raise ValueError(f"boilerplate_{lang}.txt:{number}: unknown kind {kind!r}")
        try:
            pattern = re.compile(regex.strip(), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"boilerplate_{lang}.txt:{number}: bad regex: {exc}") from exc
        rules.append(Rule(kind, lang, pattern))
    return rules


@cache
def rules() -> tuple[Rule, ...]:
    """All rules of every language, loaded once from the package data."""
    loaded: list[Rule] = []
    folder = resources.files("searchkit.articles") / "data"
    for lang in RULE_LANGUAGES:
        text = (folder / f"boilerplate_{lang}.txt").read_text(encoding="utf-8")
        loaded.extend(parse_rules(text, lang))
    return tuple(loaded)


def fold(text: str) -> str:
    """Fold apostrophes and no-break spaces, keeping every character at its position."""
    return text.translate(_FOLD)


def _title(text: str, hit: re.Match[str]) -> str:
    """The captured related title, cut from the original (unfolded) paragraph."""
    if "title" not in hit.re.groupindex:
        return ""
    return text[hit.start("title") : hit.end("title")].strip()


def classify(paragraph: str) -> Match | None:
    """The boilerplate kind of one paragraph (one line), or None when it is article text.

    ``langs`` holds every language whose rules matched (``Captcha *`` matches both), so a
    caller can infer the edition only from cues that belong to one language.
    """
    text = paragraph.strip()
    folded = fold(text)
    found: Match | None = None
    langs: set[str] = set()
    for rule in rules():
        hit = rule.pattern.match(folded)
        if hit is None or (found is not None and rule.kind != found.kind):
            continue
        langs.add(rule.lang)
        if found is None:
            found = Match(rule.kind, frozenset(), _title(text, hit))
    if found is None:
        return None
    return Match(found.kind, frozenset(langs), found.title)
