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
import re
from typing import Any
from urllib.parse import urljoin

from searchkit.articles.boilerplate import classify
from searchkit.articles.decode import NotText, decode
from searchkit.articles.html_meta import PageMeta, class_id, read_metadata
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


def _urls(meta: PageMeta) -> list[str]:
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
            or _BOILERPLATE_RE.search(class_id(e))
            or (e.tag in ("header", "footer") and not e.xpath("ancestor::article"))
        )
        and not e.xpath(".//article|.//main|.//h1")  # a wrapper "has-sidebar" holds the text
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _main_text(tree: Any, meta: PageMeta, broken: bool) -> str:
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


def _extract(tree: Any, meta: PageMeta, recall: bool) -> str:
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
