"""Terminal text: dates a reader reads, paragraphs wrapped to the terminal's width with
their indent, matched words marked without breaking the wrapping."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from typing import Any

#: Where a hit's lines start, under its number.
INDENT = "     "
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(iso: str) -> str:
    """``2022-07-04T09:30:00+06:00`` as ``4 Jul 2022`` (the article's own day); a text that
    is no ISO date as it is."""
    try:
        moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def long_date(iso: str) -> str:
    """``4 Jul 2022, 09:30 (UTC+06:00)`` when the article gives a time, else as short_date."""
    try:
        moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso
    if "T" not in iso and " " not in iso.strip():
        return short_date(iso)
    zone = f" (UTC{moment:%z})" if moment.tzinfo else ""
    zone = zone[:-3] + ":" + zone[-3:] if zone else ""
    return f"{short_date(iso)}, {moment:%H:%M}{zone}"


def terminal_width() -> int | None:
    """The width to wrap to: the terminal's when stdout is one, ``$COLUMNS`` when set;
    None (no wrapping, one line a paragraph) when piped."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def use_color() -> bool:
    """Colour on a terminal, unless ``$NO_COLOR`` is set to anything (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def wrap_marked(
    text: str,
    spans: tuple[tuple[int, int], ...],
    wrap: Callable[[str], str],
    width: int | None,
    indent: str,
) -> list[str]:
    """``text`` as lines of at most ``width`` columns (None: one line) after ``indent``,
    the characters of each ``(start, end)`` span passed through ``wrap`` (colour)."""
    if not text:
        return []
    if width is None:
        pieces = [(0, text)]
    else:
        room = max(width - len(indent), 20)
        pieces, cursor = [], 0
        for line in textwrap.wrap(
            text, room, break_long_words=False, break_on_hyphens=False, expand_tabs=False
        ):
            start = text.index(line, cursor)
            pieces.append((start, line))
            cursor = start + len(line)
    lines = []
    for start, line in pieces:
        end = start + len(line)
        inside = tuple(
            (max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start
        )
        lines.append(indent + _mark(line, inside, wrap))
    return lines


def _mark(text: str, spans: tuple[tuple[int, int], ...], wrap: Callable[[str], str]) -> str:
    return marked(text, spans, wrap, safe)


def marked(
    text: str,
    spans: tuple[tuple[int, int], ...],
    wrap: Callable[[str], str],
    plain: Callable[[str], str],
) -> str:
    """``text`` through ``plain`` (escaping), the substring of each ``(start, end)`` span
    then through ``wrap`` (colour, ``<mark>``)."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or end > len(text):
            continue  # overlapping or stale spans never garble the text
        out += [plain(text[cursor:start]), wrap(plain(text[start:end]))]
        cursor = end
    out.append(plain(text[cursor:]))
    return "".join(out)


#: What a terminal would obey rather than show: C0 controls but tab and newline (ESC
#: starts colour, title and hyperlink sequences; CR and backspace overwrite), DEL, C1
#: (U+009B is a one-character CSI), bidi overrides and isolates (text that reads
#: backwards), and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: In JSON, C0 is escaped by json.dumps; these are not.
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``\\x1b``).

    Everything printed that comes from an article or a file name goes through this.
    """
    return _UNSAFE.sub(_escape, text)


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON for the terminal: like json.dumps, with DEL, C1 and bidi controls escaped
    (as ``\\u`` escapes: the same string for a JSON reader)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
