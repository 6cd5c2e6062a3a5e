"""Every article of an index as JSON Lines, in the format ``searchkit index`` reads
(``articles/jsonl.py``): indexing the export gives back the same articles."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from searchkit.fields import LANGUAGES
from searchkit.models import Article
from searchkit.search.searcher import Searcher, open_index

#: The name of the file written into an export folder.
FILE_NAME = "articles.jsonl"


def article_record(article: Article) -> dict[str, Any]:
    """One article as a JSONL object: known fields (empty ones left out), then its extra fields.

    ``lang`` is written only for French and German: another language was detected, not
    stated, and is detected again on the way back in. ``path`` (where the article was
    read from) is not an article field and is left out.
    """
    record: dict[str, Any] = {"id": article.id}
    if article.lang in LANGUAGES:
        record["lang"] = article.lang
    fields: dict[str, Any] = {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "tags": list(article.tags),
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "caption": article.caption,
        "credit": article.credit,
        "related": list(article.related),
    }
    record.update((name, value) for name, value in fields.items() if value)
    record.update((k, v) for k, v in article.extra.items() if k not in record)
    return record


def iter_articles(searcher: Searcher) -> Iterator[Article]:
    """The index's articles in id order (a stable order, so exports diff well)."""
    for article_id in sorted(searcher.all_ids()):
        yield searcher.article(article_id)


def write_jsonl(articles: Iterator[Article], stream: IO[str]) -> int:
    """Write one JSON line per article; return how many."""
    count = 0
    for article in articles:
        stream.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        count += 1
    return count


def export_jsonl(index_dir: str | os.PathLike[str], out: str | os.PathLike[str] | IO[str]) -> int:
    """Write every article of ``index_dir`` as JSONL; return the number of articles.

    ``out`` is a folder (``articles.jsonl`` is written into it, the folder created) or an
    open text stream (``-`` on the command line). Raises IndexNotFoundError.
    """
    with open_index(index_dir) as searcher:  # opened first: no file for a missing index
        articles = iter_articles(searcher)
        if not isinstance(out, str | os.PathLike):
            return write_jsonl(articles, out)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / FILE_NAME, "w", encoding="utf-8") as stream:
            return write_jsonl(articles, stream)
