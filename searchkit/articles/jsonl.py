"""JSON Lines articles (FORMAT.md section 2): one JSON object a line, read as a stream.

Decisions:

* ``id`` and ``body`` are required non-empty strings; a line without them, a line that is
  not JSON, or not an object is reported with its line number and skipped.
* The same ``id`` twice in one file: the first line wins, the later one is reported and
  skipped (the first is what a reader of the file sees first; "last wins" would make a
  stray copy at the end silently replace an article).
* ``date`` must be ISO 8601, a day or a timestamp; it is normalised (``20190212`` ->
  ``2019-02-12``). An invalid date is a warning and the date is dropped, the article kept.
* ``tags`` is a list or a comma-separated string; ``related`` a list or one title.
* A known field of the wrong type is a warning and is ignored; unknown fields are kept in
  ``Article.extra`` and returned with hits.
* The file is read line by line (memory is bounded by the longest line, at most
  ``MAX_LINE_BYTES``), and hashed as it is read, so the hash is of the parsed bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any, Protocol

from searchkit.fields import LANGUAGES
from searchkit.models import Article, Problem
from searchkit.normalize import canonical_date

MAX_LINE_BYTES = 16 * 1024 * 1024
#: Nesting kept in an unknown field. Stored documents are pickled, and pickling recurses:
#: a field nested 494 levels deep aborted a whole run with RecursionError (issue 15).
MAX_DEPTH = 64
_CHUNK = 1024 * 1024
_TEXT_FIELDS = ("title", "lead", "author", "url", "caption", "credit")
_STAMP = "2019-02-12T10:30:00Z"
_KNOWN = frozenset({"id", "body", "lang", "date", "tags", "related", *_TEXT_FIELDS})


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...


class _Record:
    """Field checks for one line; collects its warnings."""

    def __init__(self, data: dict[str, Any], path: str, line: int) -> None:
        self.data, self.path, self.line = data, path, line
        self.warnings: list[Problem] = []

    def warn(self, reason: str) -> None:
        self.warnings.append(Problem(self.path, reason, line=self.line, warning=True))

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self.warn(f'"{name}" should be a string, got {_json_type(value)}: ignored')
        return ""

    def strings(self, name: str, split_commas: bool) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            items: list[Any] = value.split(",") if split_commas else [value]
        elif isinstance(value, list):
            items = value
        else:
            self.warn(f'"{name}" should be a list of strings, got {_json_type(value)}: ignored')
            return ()
        if not all(isinstance(item, str | int | float) for item in items):
            self.warn(f'"{name}" has items that are not strings: those are ignored')
        kept = (str(i).strip() for i in items if isinstance(i, str | int | float))
        return tuple(dict.fromkeys(i for i in kept if i))

    def lang(self) -> str:
        lang = self.text("lang").lower()
        if lang and lang not in LANGUAGES:
            self.warn(f'unknown "lang" {lang!r} (searchkit knows fr, de): detected from the text')
            return ""
        return lang

    def extra(self) -> dict[str, Any]:
        """The fields searchkit does not know, kept; one nested too deeply is dropped."""
        kept = {}
        for name, value in self.data.items():
            if name in _KNOWN:
                continue
            if _depth(value) > MAX_DEPTH:
                self.warn(f'"{name}" is nested more than {MAX_DEPTH} levels deep: ignored')
                continue
            kept[name] = value
        return kept

    def date(self) -> str:
        raw = self.text("date")
        if not raw:
            return ""
        normalised = canonical_date(raw)
        if normalised is None:
            self.warn(f'"date" {raw!r} is not ISO 8601 (like 2019-02-12 or {_STAMP}): dropped')
            return ""
        return normalised


def read_jsonl(
    stream: IO[bytes], path: str, hasher: _Hasher
) -> tuple[list[Article], list[Problem]]:
    """Parse a JSONL stream; every bad line becomes a Problem with its number, never an error."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in iter_jsonl(stream, path, hasher):
        if isinstance(item, Article):
            articles.append(item)
        else:
            problems.append(item)
    return articles, problems


def iter_jsonl(stream: IO[bytes], path: str, hasher: _Hasher) -> Iterator[Article | Problem]:
    """:func:`read_jsonl` one item at a time, so a large feed is never held in memory."""
    first_line: dict[str, int] = {}
    recoded = False
    for number, raw in _lines(stream, hasher):
        if raw is None:
            yield Problem(path, f"line longer than {_human(MAX_LINE_BYTES)}: skipped", number)
            continue
        text, encoding = _decode_line(raw, first=number == 1)
        if encoding and not recoded:
            recoded = True  # one warning per file: a legacy file would otherwise warn per line
            reason = f"decoded as {encoding} from this line on: re-save the file as UTF-8"
            yield Problem(path, reason, number, warning=True)
        if not text.strip():
            continue
        article, line_problems = parse_line(text, path, number)
        yield from line_problems
        if article is None:
            continue
        if article.id in first_line:
            first = first_line[article.id]
            reason = f"duplicate id {article.id!r} (first on line {first}, which wins): skipped"
            yield Problem(path, reason, number)
            continue
        first_line[article.id] = number
        yield article


def parse_line(text: str, path: str, line: int) -> tuple[Article | None, list[Problem]]:
    """One JSONL line to an Article, with its warnings; (None, [failure]) when unusable."""
    try:
        data = json.loads(text.strip())
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON ({exc.msg}, column {exc.colno}): skipped"
        return None, [Problem(path, reason, line)]
    except RecursionError:
        return None, [Problem(path, "not valid JSON (nested too deeply): skipped", line)]
    if not isinstance(data, dict):
        return None, [Problem(path, f"not a JSON object (got {_json_type(data)}): skipped", line)]
    bad = [_required(data, name) for name in ("id", "body")]
    if any(bad):
        reason = "; ".join(b for b in bad if b)
        return None, [Problem(path, f"{reason}: skipped", line)]
    return _article(_Record(data, path, line))


def _required(data: dict[str, Any], name: str) -> str:
    """What is wrong with a required field, or "" when it is a non-empty string."""
    value = data.get(name)
    if name not in data or value is None:
        return f'"{name}" is missing (required)'
    if not isinstance(value, str):
        return f'"{name}" must be a string, got {_json_type(value)}'
    return "" if value.strip() else f'"{name}" is empty'


def _article(record: _Record) -> tuple[Article, list[Problem]]:
    data = record.data
    article = Article(
        id=data["id"].strip(),
        title=record.text("title"),
        body=data["body"].strip(),
        lang=record.lang(),
        lead=record.text("lead"),
        tags=record.strings("tags", split_commas=True),
        author=record.text("author"),
        date=record.date(),
        url=record.text("url"),
        caption=record.text("caption"),
        credit=record.text("credit"),
        related=record.strings("related", split_commas=False),
        path=record.path,
        extra=record.extra(),
    )
    return article, record.warnings


def _lines(stream: IO[bytes], hasher: _Hasher) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line over MAX_LINE_BYTES, which is hashed but not kept."""
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        hasher.update(raw)
        number += 1
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield number, raw
            continue
        while (more := stream.readline(_CHUNK)) and not more.endswith(b"\n"):
            hasher.update(more)
        hasher.update(more)
        yield number, None


def _decode_line(raw: bytes, first: bool) -> tuple[str, str]:
    """(text, legacy encoding used or "")."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (0 for a string or number), without
    recursion; stops counting past MAX_DEPTH."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list) and level <= MAX_DEPTH:
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in _children(item))
    return deepest


def _children(item: dict[str, Any] | list[Any]) -> list[Any]:
    return list(item.values()) if isinstance(item, dict) else item


def _human(size: int) -> str:
    return f"{size / 2**20:g} MB" if size >= 2**20 else f"{size} bytes"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
