"""The one home of how filter values are normalised: tags, authors and dates.

The index stores tags and authors folded (no accents, lower case) and dates as naive UTC
datetimes; the query parser, the API's filters and the facets must spell them the same
way, or a filter would silently find nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from searchkit.analysis import fold
from searchkit.errors import QuerySyntaxError

_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def tag_value(tag: str) -> str:
    """A tag as the ``tag`` field stores it: folded, lower case, no commas."""
    return fold(tag).replace(",", " ").strip().lower()


def author_value(name: str) -> str:
    """An author's name as the ``author`` field stores it: folded, lower case."""
    return fold(name).strip()


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 day or timestamp as a naive UTC datetime, or None when it isn't one.

    A timestamp whose time zone would move it out of the years 1-9999 is not one either.
    """
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment


def canonical_date(raw: str) -> str | None:
    """An ISO 8601 day or timestamp in canonical form, or None when it is not one."""
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        pass
    if parse_date(raw) is None:
        return None
    return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()


def date_bounds(value: str, where: str, pos: int | None = None) -> tuple[datetime, datetime]:
    """The first and last moment of a year, month or day written in ISO 8601.

    ``where`` starts the error message (``date: at character 6``, ``since``).
    """
    match = _DAY.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(g) if g else 0 for g in match.groups())
        first = datetime(year, month or 1, day or 1)
    except (ValueError, OverflowError):
        raise QuerySyntaxError(
            f"{where}: '{value}' is not a date; write 2019, 2019-05 or 2019-05-17", pos
        ) from None
    return first, _last_moment(first, month, day)


def _last_moment(first: datetime, month: int, day: int) -> datetime:
    """The last moment of the day, month or year that starts at ``first``."""
    try:
        if day:
            after = first + timedelta(days=1)
        elif month:
            after = datetime(first.year + (month == 12), month % 12 + 1, 1)
        else:
            after = datetime(first.year + 1, 1, 1)
    except (ValueError, OverflowError):  # the end of year 9999: as far as dates go
        return datetime.max
    return after - timedelta(microseconds=1)


def day_bound(value: str | date | None, where: str, end: int) -> datetime | None:
    """``since`` (end=0) or ``until`` (end=1) as the first or last moment of that day."""
    if value is None:
        return None
    text = value.isoformat()[:10] if isinstance(value, date) else value
    return date_bounds(text, where)[end]
