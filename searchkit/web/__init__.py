"""The browser's way in: a search page and a JSON API over one index, read-only.

``create_app(index_dir)`` builds the Starlette application (pages in :mod:`.pages`, the
API in :mod:`.api`, one pool of searchers in :mod:`.pool`); ``serve`` runs it with uvicorn.
Starlette and uvicorn are the optional extra ``web`` (``pip install 'searchkit[web]'``).
Like the CLI, this layer is a client of the public API: it never imports Whoosh.
"""

from searchkit.web.app import create_app, serve

__all__ = ["create_app", "serve"]
