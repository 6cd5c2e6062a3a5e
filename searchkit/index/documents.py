"""An article as the Whoosh document that the index stores: its fields, filters and hit data."""

from __future__ import annotations

from typing import Any

from searchkit.fields import field_lang, field_name
from searchkit.models import Article
from searchkit.normalize import author_value, parse_date, tag_value


def to_document(article: Article, key: str, sha: str) -> dict[str, Any]:
    """The Whoosh fields of one article; ``key`` and ``sha`` identify its file's content."""
    lang = field_lang(article.lang)
    doc: dict[str, Any] = {
        "id": article.id,
        "source": key,
        "filekey": f"{key}\x00{sha}",
        "lang": article.lang or "unknown",
        "doc": stored_fields(article, key),
    }
    for part, text in text_parts(article).items():
        if text:
            doc[field_name(part, lang)] = text
    if article.tags:
        doc["tag"] = ",".join(tag_value(t) for t in article.tags)
    if article.author:
        doc["author"] = author_value(article.author)
    moment = parse_date(article.date) if article.date else None
    if moment is not None:
        doc["date"] = moment
        doc["year"] = str(moment.year)
    return doc


def stored_fields(article: Article, key: str) -> dict[str, Any]:
    """What a hit shows, stored as one dict so a hit costs one stored-fields read."""
    return {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "caption": article.caption,
        "credit": article.credit,
        "related": list(article.related),
        "tags": list(article.tags),
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "path": article.path,
        "source": key,
        "extra": dict(article.extra),
    }


def to_article(id: str, lang: str, doc: dict[str, Any]) -> Article:
    """The article back from what :func:`stored_fields` kept of it."""
    return Article(
        id=id,
        title=doc.get("title", ""),
        body=doc.get("body", ""),
        lang=lang,
        lead=doc.get("lead", ""),
        tags=tuple(doc.get("tags", ())),
        author=doc.get("author", ""),
        date=doc.get("date", ""),
        url=doc.get("url", ""),
        caption=doc.get("caption", ""),
        credit=doc.get("credit", ""),
        related=tuple(doc.get("related", ())),
        path=doc.get("path", ""),
        extra=dict(doc.get("extra") or {}),
    )


def text_parts(article: Article) -> dict[str, str]:
    """The article's searched text, by part (see :data:`searchkit.fields.TEXT_PARTS`)."""
    return {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "caption": article.caption,
        "tags": " ".join(article.tags),
    }
