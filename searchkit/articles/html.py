"""Saved web pages (``*.html``, ``*.htm``): one article a page, boilerplate out, metadata in.

The main text comes from trafilatura (the optional extra ``html``: ``pip install
'searchkit[html]'``), which did best on a check here (8/8 body passages, 0/12 boilerplate
passages). Around it, this module does what a news archive needs and a generic extractor
does not promise:

* **Metadata from the page's own declarations first**, in this order: JSON-LD
  (``NewsArticle``: headline, description, author, datePublished, keywords, inLanguage,
  url), ``<meta>`` tags (Open Graph, ``article:*``, ``author``, ``keywords``,
  ``description``), ``<link rel=canonical>``, ``<time datetime>``, ``<html lang>``, then
  what trafilatura found. A publisher's declaration beats a guess from the layout.
* **Boilerplate removed before extraction**: elements whose class or id names a cookie
  banner, newsletter box, donation appeal, share or comment widget, sidebar or "read also"
  block; ``nav``, ``aside``, ``form``; the page's own header and footer (not those inside
  the ``<article>``). Paragraphs that still match the outlet's boilerplate rules
  (``data/boilerplate_*.txt``, shared with the plain-text format) are dropped too.
* **"Read also" links** kept as ``related`` titles (their URLs in ``extra["related_urls"]``).
* **The lead** is the element classed lead/chapo/standfirst/intro, else the declared
  description; it is taken out of the body, as is a repeated title.
* **Encoding**: a byte-order mark, else the ``<meta charset>`` (or ``http-equiv``)
  declaration, else UTF-8, else cp1252 with a warning. A page that declares Latin-1 but is
  valid UTF-8 is read as UTF-8, with a warning (the declaration is the usual liar).

Every failure is a Problem, never an exception: no article in the page (a listing, an
error page), markup too broken to hold text, trafilatura missing, a page over the size
limit (refused unread by the caller).
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from searchkit.articles.boilerplate import classify
from searchkit.articles.decode import NotText, decode
from searchkit.models import Article, Problem
from searchkit.normalize import canonical_date

INSTALL_HINT = (
    "HTML pages need the optional extra 'html' (trafilatura): "
    "pip install 'searchkit[html]'; skipped"
)
#: Below this many characters of main text, a page holds no article (a listing, a 404).
MIN_TEXT_CHARS = 200

_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([-\w:.]+)""", re.I)
_SNIFF = 4096
_LATIN = {"latin-1", "iso8859-1", "ascii", "iso8859-15"}  # HTML5: these labels mean cp1252
_BOILERPLATE_RE = re.compile(
    r"cookie|consent|gdpr|newsletter|subscribe|signup|abonn|share|sharing|social|"
    r"comment|kommentar|donat|donation|spende|soutien|support-us|related|read-?also|"
    r"lire-?aussi|lesen-?sie|sidebar|widget|breadcrumb|promo|advert|paywall|popup|modal|"
    r"most-?read|plus-?lus|meistgelesen|\btags\b|schlagw",
    re.I,
)
_KEEP_TAGS = {"html", "body", "article", "main"}
_DROP_TAGS = ("nav", "aside", "form", "script", "style", "noscript", "iframe", "svg", "button")
_LEAD_RE = re.compile(r"\b(?:lead|chapo|chapeau|standfirst|intro|teaser|dek|kicker-text)\b", re.I)
_READ_ALSO_RE = re.compile(
    r"^\W*(?:[àa] )?(?:lire aussi|lire [ée]galement|voir aussi|sur le m[êe]me sujet|"
    r"lesen sie auch|lies auch|lest auch|mehr zum thema|auch interessant|weiterlesen)\W*$",
    re.I,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")


@dataclass
class _Meta:
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


def available() -> bool:
    """Whether the optional extra is installed (trafilatura brings lxml)."""
    try:
        import lxml.html  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def parse_html(
    data: bytes, article_id: str, path: str = ""
) -> tuple[Article | None, list[Problem]]:
    """One saved page to an Article, with its warnings; (None, [failure]) when unusable."""
    if not available():
        return None, [Problem(path, INSTALL_HINT)]
    try:
        text, warning = decode_page(data)
    except NotText as exc:
        return None, [Problem(path, str(exc))]
    warnings = [Problem(path, warning, warning=True)] if warning else []
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(recover=True, remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(_without_xml_prolog(text), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        return None, [Problem(path, f"not readable as HTML ({exc}): skipped")]
    broken = [e for e in parser.error_log if e.type_name == "ERR_TAG_NAME_MISMATCH"]
    if broken:
        first = broken[0]
        reason = (
            f"broken markup ({len(broken)} mismatched tags, first on line {first.line}: "
            f"{first.message}): repaired; check the article's text"
        )
        warnings.append(Problem(path, reason, warning=True))
    meta = read_metadata(tree)
    _remove_boilerplate(tree)
    body = _main_text(tree, meta, bool(broken))
    if len(body) < MIN_TEXT_CHARS:
        reason = (
            "no article in the page (a listing, index or error page?): "
            f"{len(body)} characters of main text, {MIN_TEXT_CHARS} needed; skipped"
        )
        return None, [*warnings, Problem(path, reason)]
    article = Article(
        id=article_id,
        title=meta.title,
        body=body,
        lang=meta.lang,
        lead=meta.lead,
        tags=tuple(dict.fromkeys(meta.tags)),
        author=meta.author,
        date=canonical_date(meta.date) or "" if meta.date else "",
        url=meta.url,
        caption=meta.caption,
        related=tuple(meta.related),
        path=path,
        extra={"related_urls": _urls(meta)} if meta.related else {},
    )
    return article, warnings


def _urls(meta: _Meta) -> list[str]:
    """The "read also" addresses, made absolute against the page's canonical URL."""
    return [urljoin(meta.url, url) if meta.url else url for url in meta.related.values() if url]


# --- bytes to text ------------------------------------------------------------------------


def decode_page(data: bytes) -> tuple[str, str]:
    """(text, warning or ""): BOM, then the declared charset, then UTF-8, then cp1252."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = decode(data)
        return decoded.text, decoded.warning
    declared = _declared(data[:_SNIFF])
    if declared is None or declared == "utf-8":
        decoded = decode(data)
        warning = decoded.warning and f"{decoded.warning} (the page declares no other encoding)"
        return decoded.text, warning
    if not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, f"declares {declared} but its bytes are UTF-8: read as UTF-8"
    encoding = "cp1252" if declared in _LATIN else declared
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), f"bytes invalid in {declared}: replaced"


def _declared(head: bytes) -> str | None:
    """The normalised name of the charset the page declares, None when none (or unknown)."""
    match = _CHARSET_RE.search(head)
    if match is None:
        return None
    try:
        return codecs.lookup(match[1].decode("ascii", "replace")).name
    except LookupError:
        return None


def _without_xml_prolog(text: str) -> str:
    # lxml refuses a str that carries its own encoding declaration (XHTML's <?xml ...?>).
    return re.sub(r"^\s*<\?xml[^>]*>", "", text.lstrip("\ufeff"), count=1)


# --- metadata -----------------------------------------------------------------------------


def read_metadata(tree: Any) -> _Meta:
    """The page's declared metadata: JSON-LD, then meta tags, then the markup itself."""
    meta = _Meta()
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


def _from_json_ld(meta: _Meta, item: dict[str, Any]) -> None:
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


def _from_meta_tags(meta: _Meta, tree: Any) -> None:
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


def _from_markup(meta: _Meta, tree: Any) -> None:
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
        if re.search(r"related|read-?also|lire-?aussi|lesen-?sie", _class_id(e), re.I)
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


def _class_id(element: Any) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


# --- boilerplate and main text ------------------------------------------------------------


def _remove_boilerplate(tree: Any) -> None:
    """Drop widgets, menus and the site's header and footer before extraction."""
    doomed = [
        e
        for e in tree.iter()
        if isinstance(e.tag, str)
        and e.tag not in _KEEP_TAGS
        and (
            e.tag in _DROP_TAGS
            or e.get("role") in ("dialog", "navigation", "banner", "contentinfo")
            or _BOILERPLATE_RE.search(_class_id(e))
            or (e.tag in ("header", "footer") and not e.xpath("ancestor::article"))
        )
        and not e.xpath(".//article|.//main|.//h1")  # a wrapper "has-sidebar" holds the text
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _main_text(tree: Any, meta: _Meta, broken: bool) -> str:
    """The article's paragraphs and subheadings, blank-line separated, boilerplate out.

    When broken markup closed the ``<article>`` early (a stray ``</div>``) and little text
    is left, a second pass reads the page with the article's bounds removed.
    """
    body = _extract(tree, meta, recall=False)
    if len(body) < MIN_TEXT_CHARS and broken:
        for element in tree.xpath("//article"):
            element.drop_tag()
        body = max(body, _extract(tree, meta, recall=True), key=len)
    return body


def _extract(tree: Any, meta: _Meta, recall: bool) -> str:
    import trafilatura

    document = trafilatura.bare_extraction(
        copy.deepcopy(tree),  # trafilatura prunes the tree it is given
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        favor_recall=recall,
    )
    if document is None:
        return ""
    found = document if isinstance(document, dict) else document.as_dict()
    meta.offer("title", found.get("title"))
    meta.offer("author", found.get("author"))
    meta.offer("date", found.get("date"))
    meta.offer("url", found.get("url"))
    skip = {_key(meta.title), _key(meta.lead)}
    paragraphs = []
    for line in str(found.get("text") or "").splitlines():
        line = " ".join(line.split())
        if not line or _key(line) in skip:
            continue
        match = classify(line)
        if match is not None:
            if match.kind == "related" and match.title:
                meta.related.setdefault(match.title, "")
            continue
        paragraphs.append(line)
    return "\n\n".join(paragraphs)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
