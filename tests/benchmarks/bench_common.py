"""What the benchmark's engines and its runner share: the data, the anchors' analysis.

The anchors (tantivy, bm25s) get the same Snowball stemmers (PyStemmer for bm25s; tantivy
ships the same Snowball algorithms in Rust) and the same stop words as searchkit, so the
comparison is about the engines, not about word lists.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # scripts run from anywhere import this checkout

LANGS = ("fr", "de")
SNOWBALL = {"fr": "french", "de": "german"}
TEXT_PARTS = ("title", "lead", "body")
WORD = re.compile(r"\w+", re.UNICODE)


def read_docs(path: Path) -> Iterator[dict]:
    """The JSONL records, skipping lines that are not JSON objects with an id."""
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("id"):
                yield record


def doc_lang(record: dict) -> str:
    """The record's language; the anchors put anything else in the French fields."""
    return record.get("lang") if record.get("lang") in LANGS else "fr"


def doc_text(record: dict, part: str) -> str:
    value = record.get(part) or ""
    return " ".join(value) if isinstance(value, list) else str(value)


def stop_words(lang: str) -> list[str]:
    """searchkit's own stop list for ``lang``; bm25s's when searchkit does not ship one."""
    folder = ROOT / "searchkit" / "analysis" / "data"
    for path in sorted(folder.glob(f"*stop*{lang}*")):
        words = [w.split("|")[0].strip() for w in path.read_text(encoding="utf-8").splitlines()]
        return [w for w in words if w and not w.startswith("#")]
    from bm25s.stopwords import STOPWORDS_FRENCH, STOPWORDS_GERMAN

    return list(STOPWORDS_FRENCH if lang == "fr" else STOPWORDS_GERMAN)


@dataclass
class QuerySet:
    """Short (1-3 words) and long (natural-language) queries; qids when judged."""

    long: list[str]
    short: list[str]
    qids: list[str]  # aligned with ``long``; empty when there are no judgments
    qrels: dict[str, dict[str, int]]


def judged_queries(queries: Path, qrels: Path, limit: int, seed: int) -> QuerySet:
    """The judged questions as long queries; their first 1-3 content words as short ones."""
    from searchkit.evaluation.judgments import read_qrels, read_queries

    by_qid, _ = read_queries(queries)
    judged, _ = read_qrels(qrels)
    chosen = [
        q
        for q in by_qid.values()
        if q.text.strip() and any(g >= 1 for g in judged.get(q.qid, {}).values())
    ]
    chosen = _sample(chosen, limit, seed)
    stops = {w for lang in LANGS for w in stop_words(lang)}
    short = [_content_words(q.text, 1 + i % 3, stops) for i, q in enumerate(chosen)]
    return QuerySet(
        long=[q.text for q in chosen],
        short=[s for s in short if s],
        qids=[q.qid for q in chosen],
        qrels={q.qid: judged[q.qid] for q in chosen},
    )


def corpus_queries(docs: Path, limit: int, seed: int) -> QuerySet:
    """Without judgments: passages of the corpus as long queries; as short ones, words of
    one language found in 0.2% to 5% of its articles (selective words, as people type)."""
    rng = random.Random(seed)
    records = list(_first(read_docs(docs), 5000))
    words = {lang: _middle_words(records, lang) for lang in LANGS}
    langs = [lang for lang in LANGS if words[lang]]
    count = limit or 500
    short = [" ".join(rng.sample(words[langs[i % len(langs)]], 1 + i % 3)) for i in range(count)]
    long = [_sentence(rng, doc_text(rng.choice(records), "body")) for _ in range(count)]
    return QuerySet(long=[q for q in long if q], short=short, qids=[], qrels={})


def _middle_words(records: list[dict], lang: str) -> list[str]:
    mine = [r for r in records if doc_lang(r) == lang]
    stops = set(stop_words(lang))
    frequency: Counter[str] = Counter()
    for record in mine:
        frequency.update({w.lower() for w in WORD.findall(doc_text(record, "body"))})
    low, high = 0.002 * len(mine), 0.05 * len(mine)
    middle = sorted(w for w, n in frequency.items() if low <= n <= high and w not in stops)
    return [w for w in middle if len(w) > 3 and not w.isdigit()] or sorted(frequency)


def _first(items: Iterator[dict], count: int) -> Iterator[dict]:
    for number, item in enumerate(items):
        if number >= count:
            return
        yield item


def _sentence(rng: random.Random, text: str) -> str:
    """About ten consecutive words of a text, as a stand-in for a typed question."""
    words = text.split()
    if len(words) < 8:
        return " ".join(words)
    size = rng.randint(8, 14)
    start = rng.randrange(0, len(words) - size + 1)
    return " ".join(words[start : start + size])


def _sample(items: list, limit: int, seed: int) -> list:
    """A reproducible sample of ``limit`` items, in their original order."""
    if not limit or limit >= len(items):
        return items
    keep = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def _content_words(text: str, count: int, stops: set[str]) -> str:
    words = [w for w in WORD.findall(text) if w.lower() not in stops and not w.isdigit()]
    return " ".join(words[:count])


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
