"""searchkit: full-text search for a bilingual French/German news archive.

The public API, re-exported here so that it reads in one file::

    import searchkit
    report = searchkit.build_index(["corpus/"], "index")
    with searchkit.open_index("index") as searcher:
        for hit in searcher.search("base militaire").hits:
            print(hit.title, hit.snippet)

Names are imported on first use, so that ``import searchkit`` (and ``searchkit --help``)
does not pay for Whoosh and the analyzers until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from searchkit import _lean

__version__ = "0.1.0"

_lean.prepare()  # before any module of ours imports Whoosh: see searchkit/_lean.py

_EXPORTS = {
    "Article": "searchkit.models",
    "Hit": "searchkit.models",
    "IndexReport": "searchkit.models",
    "Problem": "searchkit.models",
    "SearchResults": "searchkit.models",
    "ArticleNotFoundError": "searchkit.errors",
    "CorpusError": "searchkit.errors",
    "IndexLockedError": "searchkit.errors",
    "IndexNotFoundError": "searchkit.errors",
    "IndexVersionError": "searchkit.errors",
    "QuerySyntaxError": "searchkit.errors",
    "SearchkitError": "searchkit.errors",
    "build_index": "searchkit.indexer",
    "Searcher": "searchkit.search",
    "open_index": "searchkit.search",
    "EvalReport": "searchkit.evaluate",
    "evaluate": "searchkit.evaluate",
    "detect_language": "searchkit.language",
}

__all__ = [
    "Article",
    "ArticleNotFoundError",
    "CorpusError",
    "EvalReport",
    "Hit",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport",
    "IndexVersionError",
    "Problem",
    "QuerySyntaxError",
    "SearchResults",
    "Searcher",
    "SearchkitError",
    "__version__",
    "build_index",
    "detect_language",
    "evaluate",
    "open_index",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from searchkit.errors import (
        ArticleNotFoundError,
        CorpusError,
        IndexLockedError,
        IndexNotFoundError,
        IndexVersionError,
        QuerySyntaxError,
        SearchkitError,
    )
    from searchkit.evaluate import EvalReport, evaluate
    from searchkit.indexer import build_index
    from searchkit.language import detect_language
    from searchkit.models import Article, Hit, IndexReport, Problem, SearchResults
    from searchkit.search import Searcher, open_index
