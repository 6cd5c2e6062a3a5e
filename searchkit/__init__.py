"""searchkit: full-text search for a bilingual French/German news archive.

The public API, re-exported here so that it reads in one file::

    import searchkit
    report = searchkit.build_index(["corpus/"], "index")
    with searchkit.open_index("index") as searcher:
        for hit in searcher.search("base militaire").hits:
            print(hit.title, hit.snippet)
"""

from searchkit.errors import (
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

__version__ = "0.1.0"

__all__ = [
    "Article",
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
