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

from searchkit.backend import imports as _imports

__version__ = "0.1.0"

_imports.install()  # before any module imports Whoosh: see searchkit/backend/imports.py

#: The public names and the module each lives in: the one list of the API.
_EXPORTS = {
    "Article": "searchkit.models",
    "Hit": "searchkit.models",
    "IndexReport": "searchkit.models",
    "IndexStats": "searchkit.models",
    "Problem": "searchkit.models",
    "SearchResults": "searchkit.models",
    "ArticleNotFoundError": "searchkit.errors",
    "CorpusError": "searchkit.errors",
    "IndexCorruptError": "searchkit.errors",
    "IndexLockedError": "searchkit.errors",
    "IndexNotFoundError": "searchkit.errors",
    "IndexVersionError": "searchkit.errors",
    "IndexWriteError": "searchkit.errors",
    "InvalidArgumentError": "searchkit.errors",
    "QuerySyntaxError": "searchkit.errors",
    "SearchkitError": "searchkit.errors",
    "WhooshVersionError": "searchkit.errors",
    "WorkerLostError": "searchkit.errors",
    "build_index": "searchkit.index.build",
    "Searcher": "searchkit.search.searcher",
    "open_index": "searchkit.search.searcher",
    "EvalReport": "searchkit.evaluation.run",
    "evaluate": "searchkit.evaluation.run",
    "detect_language": "searchkit.articles.language",
    "ExportError": "searchkit.errors",
    "export_jsonl": "searchkit.export",
    "export_opensearch": "searchkit.export",
    "upload_opensearch": "searchkit.export",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


# The imports below are the re-exports type checkers see (__all__ is built at run time):
# mypy: implicit-reexport
if TYPE_CHECKING:  # for type checkers and IDEs only; tests check this matches _EXPORTS
    from searchkit.articles.language import detect_language
    from searchkit.errors import (
        ArticleNotFoundError,
        CorpusError,
        ExportError,
        IndexCorruptError,
        IndexLockedError,
        IndexNotFoundError,
        IndexVersionError,
        IndexWriteError,
        InvalidArgumentError,
        QuerySyntaxError,
        SearchkitError,
        WhooshVersionError,
        WorkerLostError,
    )
    from searchkit.evaluation.run import EvalReport, evaluate
    from searchkit.export import export_jsonl, export_opensearch, upload_opensearch
    from searchkit.index.build import build_index
    from searchkit.models import Article, Hit, IndexReport, IndexStats, Problem, SearchResults
    from searchkit.search.searcher import Searcher, open_index
