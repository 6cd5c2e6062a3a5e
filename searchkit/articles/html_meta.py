"""What a saved web page declares about its article: JSON-LD, meta tags, the markup.

A publisher's declaration beats a guess from the layout, so values are offered in this
order, the first one found winning: JSON-LD (``NewsArticle``), ``<meta>`` tags (Open
Graph, ``article:*``, ``author``, ``keywords``, ``description``), then the markup itself
(``<link rel=canonical>``, ``<time datetime>``, ``<html lang>``, the lead paragraph, the
"read also" block). Used by :mod:`searchkit.articles.html`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_KEEP_TAGS = {"html", "body", "article", "main"}
_LEAD_RE = re.compile(r"\b(?:lead|chapo|chapeau|standfirst|intro|teaser|dek|kicker-text)\b", re.I)
_READ_ALSO_RE = re.compile(
    r"^\W*(?:[àa] )?(?:lire aussi|lire [ée]galement|voir aussi|sur le m[êe]me sujet|"
    r"lesen sie auch|lies auch|lest auch|mehr zum thema|auch interessant|weiterlesen)\W*$",
    re.I,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")


@dataclass
class PageMeta:
    """What the page declares about its article, the first value found winning."""

    title: str = ""
    lead: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    lang: str = ""
    caption: str = ""
    tags: list[str] = field(default_factory=list)
    related: dict[str, str] = field(default_factory=dict)  # title -> url

    def offer(self, name: str, value: Any) -> None:
        """Set ``name`` unless already set; strings are stripped, blanks ignored."""
        if isinstance(value, str) and value.strip() and not getattr(self, name):
            setattr(self, name, " ".join(value.split()))


def read_metadata(tree: Any) -> PageMeta:
    """The page's declared metadata: JSON-LD, then meta tags, then the markup itself."""
    meta = PageMeta()
    for item in _json_ld(tree):
        _from_json_ld(meta, item)
    _from_meta_tags(meta, tree)
    _from_markup(meta, tree)
    return meta


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """The article-like JSON-LD objects of the page (``@graph`` and lists unpacked)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue  # a broken block is common and harmless: the meta tags remain
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
                kind = item.get("@type", "")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                    yield item


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD author value: a string, an object, or a list of either."""
    items = value if isinstance(value, list) else [value]
    found = [i.get("name") if isinstance(i, dict) else i for i in items]
    return [n.strip() for n in found if isinstance(n, str) and n.strip()]


def _from_json_ld(meta: PageMeta, item: dict[str, Any]) -> None:
    meta.offer("title", item.get("headline"))
    meta.offer("lead", item.get("description"))
    meta.offer("author", ", ".join(_names(item.get("author"))))
    meta.offer("date", item.get("datePublished") or item.get("dateCreated"))
    meta.offer("lang", _language(item.get("inLanguage")))
    page = item.get("mainEntityOfPage")
    meta.offer("url", item.get("url") or (page.get("@id") if isinstance(page, dict) else page))
    keywords = item.get("keywords")
    if not meta.tags:
        meta.tags = _split_tags(keywords)


def _split_tags(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [t.strip() for t in items if isinstance(t, str) and t.strip()]


def _language(value: Any) -> str:
    """``fr`` for ``fr-FR``, ``fr_CH`` or ``fr``; "" for anything else or nothing."""
    if not isinstance(value, str):
        return ""
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code in ("fr", "de") else ""


def _from_meta_tags(meta: PageMeta, tree: Any) -> None:
    tags: dict[str, list[str]] = {}
    for element in tree.xpath("//meta[@content]"):
        name = (element.get("property") or element.get("name") or "").strip().lower()
        name = name or (element.get("http-equiv") or "").strip().lower()
        tags.setdefault(name, []).append(element.get("content") or "")
    first = {name: values[0] for name, values in tags.items()}
    meta.offer("title", first.get("og:title") or first.get("twitter:title"))
    meta.offer("author", first.get("author") or first.get("article:author"))
    meta.offer("date", first.get("article:published_time") or first.get("date"))
    meta.offer("url", first.get("og:url"))
    meta.offer("lang", _language(first.get("content-language") or first.get("og:locale")))
    if not meta.tags:
        meta.tags = [t.strip() for t in tags.get("article:tag", []) if t.strip()]
    if not meta.tags:
        meta.tags = _split_tags(first.get("keywords") or first.get("news_keywords"))
    meta.offer("lead", first.get("og:description") or first.get("description"))


def _from_markup(meta: PageMeta, tree: Any) -> None:
    article = _article_root(tree)
    lead = article.xpath(".//*[self::p or self::div][@class]")
    for element in lead:
        if _LEAD_RE.search(element.get("class", "")) and _text(element):
            meta.lead = _text(element)  # what the reader sees beats a meta description
            break
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    if canonical and canonical[0].strip():
        meta.url = canonical[0].strip()  # the canonical link is the page's own address
    meta.offer("lang", _language(tree.get("lang") or tree.get("xml:lang")))
    heading = article.xpath(".//h1")
    meta.offer("title", _text(heading[0]) if heading else "")
    title = tree.findtext(".//title") or ""
    meta.offer("title", _TITLE_SEPARATORS.sub("", title.strip()))
    times = article.xpath(".//time/@datetime") or tree.xpath("//time/@datetime")
    meta.offer("date", times[0] if times else "")
    authors = article.xpath('.//*[@rel="author" or contains(@class, "author")]')
    meta.offer("author", _text(authors[0]) if authors else "")
    if not meta.tags:
        meta.tags = [_text(a) for a in article.xpath('.//a[@rel="tag"]') if _text(a)]
    captions = article.xpath(".//figcaption")
    meta.offer("caption", _text(captions[0]) if captions else "")
    meta.related = _read_also(tree)


def _article_root(tree: Any) -> Any:
    for path in ("//article", "//main", "//body"):
        found = tree.xpath(path)
        if found:
            return found[0]
    return tree


def _read_also(tree: Any) -> dict[str, str]:
    """The "read also" links: inside a block classed so, or after a "Lire aussi" cue."""
    links: dict[str, str] = {}
    blocks = [
        e
        for e in tree.xpath("//*[@class or @id]")
        if re.search(r"related|read-?also|lire-?aussi|lesen-?sie", class_id(e), re.I)
    ]
    for cue in tree.xpath("//h2|//h3|//h4|//p|//strong|//b|//span|//div"):
        own = " ".join((cue.text or "").split())
        if own and len(own) < 40 and _READ_ALSO_RE.match(own):
            blocks.append(_with_links(cue))
    for block in blocks:
        for anchor in block.xpath(".//a[@href]"):
            title = _text(anchor)
            if len(title) > 10:  # not "Facebook" or "plus"
                links.setdefault(title, anchor.get("href", "").strip())
    return links


def _with_links(cue: Any) -> Any:
    """The nearest container of ``cue`` (itself or up to two levels up) holding links."""
    element = cue
    for _ in range(3):
        if element.xpath(".//a[@href]") or element.getparent() is None:
            return element
        if element.tag in _KEEP_TAGS:
            return cue
        element = element.getparent()
    return element


def class_id(element: Any) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())
