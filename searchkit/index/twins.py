"""Story twins: which article tells the same story in the other language, linked at index time.

An outlet that publishes in two languages tells a story twice, with the same names,
numbers and facts. Each article is reduced to a few **features**: the places and people it
names (one id for every spelling, :func:`searchkit.crosslingual.places.place_ids`), the
numbers it gives, and the content words of its title and lead in both languages (its own,
stemmed, and their translations through the lexicon). Two articles of different languages
are compared by the features they share, each weighing its rarity (idf); a feature that
too many articles share says nothing and is left out. Two articles are linked when each is
the other's best match, clear of the second best, and they share enough.

Comparing features costs far less than a search per article: linking adds a small share
to an indexing run, and an incremental run compares only the new articles (with every
article's features kept in the twins file). The file is replaced atomically (written
aside, fsynced, renamed), so a reader sees the old links or the new, never half a file;
a missing or unreadable file means no links, never a failed search.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from searchkit.analysis import fold
from searchkit.analysis.filters import load_words, stemmer
from searchkit.crosslingual.lexicon import LANGS, other_lang, translate
from searchkit.crosslingual.places import place_ids
from searchkit.index.documents import to_article
from searchkit.models import Article

#: Named apart from Whoosh's files, which a run's clean-up removes when no commit uses them.
TWINS_FILE = "searchkit.twins.json"
FEATURES_FILE = "searchkit.twin-features.json"
#: The least summed idf of the shared features for a link (measured on our corpus: twins
#: share 14-82, an article without a twin at most 13 with its best, never mutual).
MIN_SCORE = 10.0
#: The best match's score over the second's, at least.
MARGIN = 1.3
#: A feature shared by more than this share of a language's articles (or by more than
#: COMMON_MAX of them) is not compared: it says little, and would cost the most.
COMMON = 0.05
COMMON_MAX = 100
#: How much of the body is read for names and numbers, after the title and lead.
BODY_CHARS = 1500
_STEMMERS = {"fr": "french", "de": "german"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"\d[\d.,\u202f\u00a0 ]*\d|\d{2,}")

Features = tuple[str, list[str]]  # (language, features)


def features(article: Article) -> Features:
    """What an article is compared by (see the module doc)."""
    head = f"{article.title}\n{article.lead or article.body[:600]}"
    words = _WORD.findall(head)
    start = f"{head}\n{article.body[:BODY_CHARS]}"  # (a story's facts come first)
    found = {f"p:{pid}" for pid in place_ids(_WORD.findall(start))}
    found |= {f"n:{n}" for n in _numbers(start)}
    lang = article.lang
    if lang in LANGS:
        found |= {f"{lang}:{s}" for s in _stems(words, lang)}
        target = other_lang(lang)
        senses = [s for t in translate(words, lang) for s in t.targets[:2]]
        found |= {f"{target}:{s}" for s in _stems(_WORD.findall(" ".join(senses)), target)}
    return lang, sorted(found)


def _numbers(text: str) -> set[str]:
    digits = (re.sub(r"\D", "", n) for n in _NUMBER.findall(text))
    return {d for d in digits if 2 <= len(d) <= 12}


def _stems(words: Iterable[str], lang: str) -> set[str]:
    stem, stop = stemmer(_STEMMERS[lang]), load_words(f"stop_{lang}.txt")
    folded = (_folded(w) for w in words)
    return {stem(w) for w in folded if len(w) > 2 and w not in stop}


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    """A word folded, lower case, after its last apostrophe (folding is the costly part
    of linking: news repeat their words, so each is folded once)."""
    return fold(word).replace("’", "'").split("'")[-1]


def link(known: Mapping[str, Features], changed: Iterable[str]) -> dict[str, str]:
    """The links among ``known`` articles (id -> features) that involve a ``changed`` one:
    ``{id: twin}`` both ways, each the other's clear best match."""
    by_lang = {lang: {i: set(f) for i, (lg, f) in known.items() if lg == lang} for lang in LANGS}
    index = {lang: _inverted(articles) for lang, articles in by_lang.items()}
    links: dict[str, str] = {}
    for article_id in changed:
        lang = known[article_id][0] if article_id in known else ""
        if lang not in LANGS or article_id in links:
            continue
        mine = by_lang[lang][article_id]
        match = _best(mine, index[other_lang(lang)], len(by_lang[other_lang(lang)]))
        if match is None:
            continue
        theirs = by_lang[other_lang(lang)][match]
        if _best(theirs, index[lang], len(by_lang[lang])) == article_id:
            links[article_id], links[match] = match, article_id
    return links


def _inverted(articles: Mapping[str, set[str]]) -> dict[str, list[str]]:
    postings: dict[str, list[str]] = {}
    for article_id, found in articles.items():
        for feature in found:
            postings.setdefault(feature, []).append(article_id)
    return postings


def _best(mine: set[str], postings: Mapping[str, list[str]], size: int) -> str | None:
    """The article of ``postings`` sharing the most (by idf) with ``mine``, if it stands
    clear of the rest and shares enough."""
    limit = max(2, min(int(COMMON * size), COMMON_MAX))
    scores: dict[str, float] = {}
    for feature in mine:
        having = postings.get(feature, ())
        if 0 < len(having) <= limit:
            weight = math.log(1 + size / len(having))
            for other in having:
                scores[other] = scores.get(other, 0.0) + weight
    best = heapq.nlargest(2, scores.items(), key=lambda item: item[1])
    if not best or best[0][1] < MIN_SCORE:
        return None
    if len(best) > 1 and best[0][1] < MARGIN * best[1][1]:
        return None
    return best[0][0]


def after_commit(
    ix: Any, index_dir: Path, added: Sequence[str], removed: Sequence[str], rebuild: bool
) -> None:
    """Update the twins for what a commit added (or replaced) and removed: every article
    the first time. An archive in one language has no twins: nothing is compared, and the
    first commit that finds both languages compares every article."""
    first = rebuild or not features_path(index_dir).exists()
    if not (first or added or removed):
        return
    with ix.searcher() as searcher:
        if not all(searcher.doc_frequency("lang", lang) for lang in LANGS):
            clear(index_dir)
            return
        if first:
            stored: Iterable[dict[str, Any]] = searcher.all_stored_fields()
        else:
            numbers = (searcher.document_number(id=i) for i in added)
            stored = (searcher.stored_fields(n) for n in numbers if n is not None)
        # (one article at a time: only its features are kept, never the whole archive)
        articles = (
            (f["id"], to_article(f["id"], f.get("lang", ""), f.get("doc") or {})) for f in stored
        )
        update(index_dir, articles, removed, first)


def update(
    index_dir: Path,
    changed: Iterable[tuple[str, Article]],
    removed: Iterable[str],
    rebuild: bool,
) -> None:
    """Bring the twins files up to date with a commit that added or replaced the
    ``changed`` articles and removed ``removed`` ones (every article on a rebuild)."""
    links, known = ({}, {}) if rebuild else (read_links(index_dir), read_features(index_dir))
    new = {article_id: features(article) for article_id, article in changed}
    for gone in (*removed, *new):
        known.pop(gone, None)
        partner = links.pop(gone, None)
        if partner is not None and links.get(partner) == gone:
            del links[partner]
    known.update(new)
    for a, b in link(known, new).items():
        old = links.get(b)
        if old is not None and old != a and links.get(old) == b:
            del links[old]
        links[a] = b
    _write(index_dir / FEATURES_FILE, known)
    _write(index_dir / TWINS_FILE, dict(sorted(links.items())))


# --- the files -----------------------------------------------------------------------


def twins_path(index_dir: Path) -> Path:
    """Where the links of ``index_dir`` live."""
    return index_dir / TWINS_FILE


def features_path(index_dir: Path) -> Path:
    """Where the articles' features of ``index_dir`` live."""
    return index_dir / FEATURES_FILE


def clear(index_dir: Path) -> None:
    """No links and no features (an archive in one language)."""
    for path in (twins_path(index_dir), features_path(index_dir)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def read_links(index_dir: Path) -> dict[str, str]:
    """``{id: twin id}`` both ways; empty when the file is missing or unreadable."""
    data = _read(index_dir / TWINS_FILE)
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def read_features(index_dir: Path) -> dict[str, Features]:
    """Every article's features, as the last run kept them."""
    out: dict[str, Features] = {}
    for k, v in _read(index_dir / FEATURES_FILE).items():
        if isinstance(v, list) and len(v) == 2 and isinstance(v[1], list):
            out[str(k)] = (str(v[0]), [str(f) for f in v[1]])
    return out


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: object) -> None:
    """Replace ``path`` with ``data`` as JSON: written aside, fsynced, renamed."""
    aside = path.with_name(path.name + ".part")
    with open(aside, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, path)


class TwinsReader:
    """The links as last read, read again when the file changes on disk (a stat a call)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / TWINS_FILE
        self._stamp: tuple[int, int] | None = None
        self._links: dict[str, str] = {}

    def get(self) -> dict[str, str]:
        """The current ``{id: twin id}`` map."""
        stamp = None
        with contextlib.suppress(OSError):
            info = self.path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            self._stamp = stamp
            self._links = read_links(self.path.parent) if stamp else {}
        return self._links
