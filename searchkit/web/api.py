"""The JSON API: ``GET /api/search`` answers what ``searchkit query --json`` prints;
``GET /api/articles/{id}`` what ``searchkit show --json`` prints. Errors are JSON too
(:func:`searchkit.web.app.error_response`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from searchkit.web.params import ParamError, read_params
from searchkit.web.pool import SearcherPool


def search(request: Request) -> JSONResponse:
    """``/api/search?q=...``: the ``--json`` document of ``searchkit query``."""
    params = read_params(request.query_params, request.query_params.getlist("tag"))
    if not params.q:
        raise ParamError("the query is empty: give some words to search for in q=")
    pool: SearcherPool = request.app.state.pool
    with pool.searcher() as searcher:
        results = searcher.search(params.q, **params.search_options())
    return JSONResponse(results.to_dict())


def article(request: Request) -> JSONResponse:
    """``/api/articles/{id}``: the whole article, with its twin; 404 for an unknown id."""
    pool: SearcherPool = request.app.state.pool
    with pool.searcher() as searcher:
        found = searcher.article(request.path_params["id"])
    return JSONResponse(found.to_dict())
