"""The application: routes, error answers, security headers, and ``serve``.

Starlette and uvicorn rather than the standard library's ``http.server`` (documented as
"not recommended for production": no concurrency control, basic security checks only):
Starlette is small, typed and well kept; uvicorn serves it with h11, and answers
requests on a thread pool, each borrowing its own searcher (:mod:`searchkit.web.pool`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from searchkit.errors import ArticleNotFoundError, QuerySyntaxError, SearchkitError
from searchkit.web import api, pages
from searchkit.web.params import ParamError
from searchkit.web.pool import POOL_SIZE, SearcherPool

STATIC = Path(__file__).parent / "static"
#: Sent with every answer: scripts and styles from this server only (no inline script can
#: run, even if some text escaped escaping), no framing, no guessing of content types.
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def create_app(
    index_dir: str | os.PathLike[str] = "index", pool_size: int = POOL_SIZE
) -> Starlette:
    """The search site over ``index_dir``. Opens one searcher at once, so that a missing
    index (IndexNotFoundError) or one of another version is reported before serving."""
    pool = SearcherPool(Path(index_dir), pool_size)
    with pool.searcher():
        pass
    app = Starlette(
        routes=[
            Route("/", pages.search_page, name="search"),
            Route("/articles/{id:path}", pages.article_page, name="article"),
            Route("/api/search", api.search, name="api_search"),
            Route("/api/articles/{id:path}", api.article, name="api_article"),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={
            ParamError: error_response,
            SearchkitError: error_response,
        },
        middleware=[Middleware(SecurityHeaders)],
        lifespan=_closing(pool),
    )
    app.state.pool = pool
    return app


def _closing(pool: SearcherPool) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the pool's searchers are closed when the server stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            pool.close()

    return lifespan


def error_response(request: Request, exc: Exception) -> Response:
    """400 for a bad parameter or query, 404 for an unknown article, 500 otherwise: JSON
    under /api/, the page with the message elsewhere."""
    status = 500
    if isinstance(exc, ParamError | QuerySyntaxError):
        status = 400
    elif isinstance(exc, ArticleNotFoundError):
        status = 404
    if request.url.path.startswith("/api/"):
        body: dict[str, Any] = {"error": str(exc), "status": status}
        if isinstance(exc, QuerySyntaxError) and exc.position is not None:
            body["position"] = exc.position
        return JSONResponse(body, status_code=status)
    return pages.error_page(request, str(exc), status)


class SecurityHeaders:
    """Adds :data:`HEADERS` to every answer (a plain ASGI wrapper)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def serve(
    index_dir: str | os.PathLike[str] = "index", host: str = "127.0.0.1", port: int = 8000
) -> None:
    """Serve the site until Ctrl-C. Binds to 127.0.0.1 (this machine only) by default."""
    import uvicorn

    uvicorn.run(create_app(index_dir), host=host, port=port, log_level="info", server_header=False)
