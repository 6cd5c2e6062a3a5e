"""Finding story twins: the same story told in the other language, linked at index time.

An article's twin is found by searching its title and lead, translated
(:mod:`searchkit.query.translate`), among the articles of the other language. Two
articles are linked only when each is the other's best match (mutual best), and the best
match stands clear of the next one: a story the archive tells once is not paired with
the nearest article on the same topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from searchkit.crosslingual.lexicon import LANGS, other_lang
from searchkit.errors import SearchkitError
from searchkit.search.searcher import Searcher

#: Words of the title and lead searched for a twin (a query allows 64 terms).
QUERY_WORDS = 48
#: The best match's score over the second's, at least (measured on our corpus's twins).
MARGIN = 1.2
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def query_text(title: str, lead: str, body: str) -> str:
    """The words that stand for an article when looking for its twin: title and lead
    (the body's start when there is no lead), without any query syntax."""
    words = _WORD.findall(f"{title} {lead or body[:600]}")
    return " ".join(w.lower() if w in _OPERATORS else w for w in words[:QUERY_WORDS])


def best_match(searcher: Searcher, article_id: str) -> str | None:
    """The article of the other language that best tells the same story, if one stands
    clear of the rest; None for an article of neither language."""
    article = searcher.article(article_id)
    if article.lang not in LANGS:
        return None
    text = query_text(article.title, article.lead, article.body)
    try:
        hits = searcher.search(
            text, lang=other_lang(article.lang), limit=2, snippets=False, suggest=False
        ).hits
    except SearchkitError:  # (a title of nothing but syntax: no twin to find)
        return None
    if not hits or (len(hits) > 1 and hits[0].score < MARGIN * hits[1].score):
        return None
    return hits[0].id


def link_twins(
    searcher: Searcher, changed: Iterable[str], removed: Iterable[str], twins: dict[str, str]
) -> dict[str, str]:
    """``twins`` updated for the ``changed`` articles (new or replaced) and the ``removed``
    ones: their old links dropped, then each changed article linked to its mutual best
    match, whose own old link it replaces."""
    changed = list(changed)
    twins = dict(twins)
    for gone in (*removed, *changed):
        partner = twins.pop(gone, None)
        if partner is not None and twins.get(partner) == gone:
            del twins[partner]
    languages = searcher.stats().languages
    if not all(languages.get(lang) for lang in LANGS):
        return twins  # a one-language archive: no twins to find
    for article_id in changed:
        if article_id in twins:
            continue  # linked already, as the match of an article before it
        match = best_match(searcher, article_id)
        if match is None or best_match(searcher, match) != article_id:
            continue
        old = twins.pop(match, None)
        if old is not None:
            twins.pop(old, None)
        twins[article_id], twins[match] = match, article_id
    return twins
