"""The query string of a search, read and checked: the CLI's options, by the same names.

``q``, ``lang`` (fr|de), ``limit`` (1-1000), ``page`` (from 1), ``tag`` (repeatable),
``author``, ``since`` / ``until`` (YYYY-MM-DD), ``facets`` and ``no_translate`` (1, true,
yes or on), ``sort`` (relevance|date). A value out of range is a :class:`ParamError`
(400); a malformed query or date is the library's QuerySyntaxError (400 too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.search.searcher import SORTS

MAX_LIMIT = 1000
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


class ParamError(ValueError):
    """A query-string parameter the API cannot take (HTTP 400)."""


@dataclass(frozen=True)
class SearchParams:
    """One search's options, as :meth:`searchkit.Searcher.search` takes them."""

    q: str = ""
    lang: str | None = None
    limit: int = 10
    page: int = 1
    tags: tuple[str, ...] = ()
    author: str | None = None
    since: str | None = None
    until: str | None = None
    facets: bool = False
    no_translate: bool = False
    sort: str = "relevance"

    def search_options(self) -> dict[str, Any]:
        """Keyword arguments for ``Searcher.search`` (the text aside)."""
        return {
            "lang": self.lang,
            "limit": self.limit,
            "offset": (self.page - 1) * self.limit,
            "tag": list(self.tags) or None,
            "author": self.author,
            "since": self.since,
            "until": self.until,
            "facets": self.facets,
            "translate": not self.no_translate,
            "sort": self.sort,
        }

    def filtered(self) -> bool:
        """True when any filter narrows the search."""
        return bool(self.lang or self.tags or self.author or self.since or self.until)


def read_params(
    get: Mapping[str, str], get_list: Sequence[str], *, facets: bool = False
) -> SearchParams:
    """A search's options from the query string (``get``: one value a name; ``get_list``:
    the ``tag`` values). ``facets`` is the default of the ``facets`` parameter."""
    lang = get.get("lang") or None
    if lang not in (None, "fr", "de"):
        raise ParamError(f"lang must be fr or de, not '{lang}'")
    sort = get.get("sort") or "relevance"
    if sort not in SORTS:
        raise ParamError(f"sort must be one of {', '.join(SORTS)}, not '{sort}'")
    return SearchParams(
        q=get.get("q", "").strip(),
        lang=lang,
        limit=_number(get, "limit", 10, 1, MAX_LIMIT),
        page=_number(get, "page", 1, 1, 10**6),
        tags=tuple(t for t in get_list if t.strip()),
        author=get.get("author") or None,
        since=get.get("since") or None,
        until=get.get("until") or None,
        facets=_flag(get, "facets", facets),
        no_translate=_flag(get, "no_translate", False),
        sort=sort,
    )


def _number(get: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = get.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(f"{name} must be a whole number, not '{raw}'") from None
    if not low <= value <= high:
        raise ParamError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _flag(get: Mapping[str, str], name: str, default: bool) -> bool:
    if name not in get:
        return default
    raw = get[name].strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ParamError(f"{name} must be true or false, not '{get[name]}'")
