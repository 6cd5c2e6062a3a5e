"""The HTML pages: the search page and the article page, in French or German.

Templates are Jinja2 with autoescaping on: every article text (titles, snippets, tags,
author names) is escaped wherever it is written; the highlighted snippet is built here from
escaped pieces and ``<mark>`` (:func:`highlighted`). Links to outside sites are kept
only when they are http(s).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from searchkit.models import Hit
from searchkit.search.searcher import Searcher
from searchkit.web import i18n
from searchkit.web.params import SearchParams, read_params
from searchkit.web.pool import SearcherPool

#: Hits a page; similar articles on an article page.
PAGE_SIZE = 10
SIMILAR = 5

ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("searchkit.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def highlighted(snippet: str, spans: tuple[tuple[int, int], ...]) -> Markup:
    """The snippet escaped, its matched words in ``<mark>``."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or end > len(snippet):
            continue  # overlapping or stale spans never garble the text
        out += [escape(snippet[cursor:start]), Markup("<mark>"), escape(snippet[start:end])]
        out.append(Markup("</mark>"))
        cursor = end
    out.append(escape(snippet[cursor:]))
    return Markup("").join(out)


def article_href(article_id: str) -> str:
    """The article page's path (ids hold slashes: ``fr/rogun-barrage``)."""
    return "/articles/" + quote(article_id, safe="/")


def outside(url: str) -> str:
    """``url`` when it is an http(s) link, else empty (never a ``javascript:`` link)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def link(params: SearchParams, **change: Any) -> str:
    """The search page's URL for ``params`` with ``change`` (back to page 1 unless given)."""
    values: dict[str, Any] = {
        "q": params.q,
        "lang": params.lang,
        "tag": list(params.tags),
        "author": params.author,
        "since": params.since,
        "until": params.until,
        "sort": None if params.sort == "relevance" else params.sort,
        "no_translate": "1" if params.no_translate else None,
        "page": None,
    }
    values.update(change)
    pairs = [(k, v) for k, v in values.items() if v not in (None, "", [])]
    return "/?" + urlencode(pairs, doseq=True)


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    ui = i18n.negotiate(request.headers.get("accept-language", ""))
    texts = i18n.TEXTS[ui]
    html = ENV.get_template(template).render(
        ui=ui,
        t=texts,
        day=lambda iso: i18n.long_date(iso, ui),
        lang_name=lambda code: texts.get(f"lang_{code}", code),
        article_href=article_href,
        highlighted=highlighted,
        outside=outside,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept-Language"})


def search_page(request: Request) -> HTMLResponse:
    """``/?q=...``: the form, and when there is a query or a filter, the results."""
    params = read_params(request.query_params, request.query_params.getlist("tag"))
    params = dataclasses.replace(params, limit=PAGE_SIZE, facets=True)
    results, twins = None, {}
    if params.q or params.filtered():
        pool: SearcherPool = request.app.state.pool
        with pool.searcher() as searcher:
            results = searcher.search(params.q, **params.search_options())
            twins = _twin_titles(searcher, results.hits)
    pages = math.ceil(results.total / PAGE_SIZE) if results else 0
    return _render(
        request,
        "search.html",
        params=params,
        results=results,
        twins=twins,
        pages=pages,
        link=lambda **change: link(params, **change),
    )


def _twin_titles(searcher: Searcher, hits: tuple[Hit, ...]) -> dict[str, str]:
    """The title of each hit's twin, for the "also in German" links."""
    titles = {}
    for hit in hits:
        for twin in hit.translations:
            titles[twin] = searcher.article(twin).title or twin
    return titles


def article_page(request: Request) -> HTMLResponse:
    """``/articles/{id}``: the whole article, its twin and the articles like it."""
    pool: SearcherPool = request.app.state.pool
    with pool.searcher() as searcher:
        article = searcher.article(request.path_params["id"])
        similar = searcher.similar(article.id, limit=SIMILAR)
        twins = {twin: searcher.article(twin) for twin in article.translations}
    return _render(
        request,
        "article.html",
        article=article,
        similar=similar,
        twins=twins,
        params=SearchParams(),
        link=lambda **change: link(SearchParams(), **change),
    )


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    """The search page (its form filled in) with the error instead of results."""
    return _render(
        request,
        "error.html",
        status=status,
        message=message,
        query=request.query_params.get("q", ""),
    )
