"""One exception hierarchy. Every message says what went wrong and how to fix it.

Library code raises these; only the CLI turns them into ``Error: ...`` lines and exit codes.
"""

from __future__ import annotations

#: The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class SearchkitError(Exception):
    """Base class of every error searchkit raises on purpose."""

    exit_code = 1


class CorpusError(SearchkitError):
    """An article file cannot be read or parsed."""


class IndexNotFoundError(SearchkitError):
    """There is no index at the given folder."""

    def __init__(self, index_dir: str) -> None:
        super().__init__(
            f"no index at {index_dir}; create it with: searchkit index corpus/ --index {index_dir}"
        )
        self.index_dir = index_dir


class IndexLockedError(SearchkitError):
    """Another process is writing to the index."""

    def __init__(self, index_dir: str, holder: str = "") -> None:
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"the index is being updated by another process{who}: wait for it to finish, "
            f"or run again with --wait SECONDS (index: {index_dir})"
        )
        self.index_dir = index_dir


class IndexVersionError(SearchkitError):
    """The index was written by another version of searchkit."""

    def __init__(self, index_dir: str, found: object, expected: object) -> None:
        super().__init__(
            f"the index at {index_dir} was built with schema version {found}, this searchkit "
            f"reads version {expected}: rebuild it with: searchkit index PATH --rebuild "
            f"--index {index_dir}"
        )
        self.index_dir = index_dir


class ArticleNotFoundError(SearchkitError):
    """No article has the given id."""

    def __init__(self, article_id: str, index_dir: str) -> None:
        super().__init__(
            f"no article with id '{article_id}' in {index_dir}; list ids with: "
            f"searchkit query WORDS --index {index_dir}"
        )
        self.article_id = article_id
        self.index_dir = index_dir


class QuerySyntaxError(SearchkitError):
    """A query cannot be understood, or is too long."""

    exit_code = 2

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class WorkerLostError(SearchkitError):
    """An indexing worker process died before handing back its segment (nothing is
    committed)."""


class WhooshVersionError(SearchkitError):
    """The installed Whoosh is not the release searchkit's index format is tested with."""

    def __init__(self, found: str, pinned: str) -> None:
        super().__init__(
            f"searchkit needs whoosh-reloaded {pinned}, but Whoosh {found} is installed: "
            f"run pip install 'whoosh-reloaded=={pinned}'"
        )


class ExportError(SearchkitError):
    """An export could not be written or sent (a missing optional extra, a server that
    cannot be reached or refuses the index)."""


class IndexCorruptError(SearchkitError):
    """The index's files are damaged or missing (truncated, garbled, deleted, unreadable)."""

    def __init__(self, index_dir: str, detail: str) -> None:
        super().__init__(
            f"the index at {index_dir} is damaged or unreadable ({detail}): rebuild it with: "
            f"searchkit index PATH --rebuild --index {index_dir}"
        )
        self.index_dir = index_dir


class IndexWriteError(SearchkitError):
    """The index folder cannot be written: disk full, no permission, an unsafe lock file."""

    def __init__(self, index_dir: str, detail: str) -> None:
        super().__init__(f"cannot write the index at {index_dir}: {detail}")
        self.index_dir = index_dir


class InvalidArgumentError(SearchkitError, ValueError):
    """An argument of an API call is out of range (a ``limit`` below 1, an unknown
    language): the CLI's usage errors, for Python callers."""

    exit_code = 2
