"""Read FreeDict dictionaries in dictd format (build time only).

Debian's ``dict-freedict-fra-deu`` and ``dict-freedict-deu-fra`` install
``/usr/share/dictd/freedict-{fra-deu,deu-fra}.{index,dict.dz}``: the index lists
``headword <TAB> offset <TAB> length`` (base64 numbers, headwords lowercased), the
``.dict.dz`` is gzip-compatible and holds the entries, each starting with a line
``headword /ipa/ <pos, gender>`` as written (``Bar /baʁ/ <pn>``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64.index(char)
    return value


def entries(dictd_dir: str | Path, name: str) -> Iterator[str]:
    """The text of every entry of ``freedict-<name>`` in index order, each entry once."""
    base = Path(dictd_dir, f"freedict-{name}")
    data = gzip.decompress(base.with_suffix(".dict.dz").read_bytes())
    seen: set[int] = set()
    for line in base.with_suffix(".index").read_text("utf-8").splitlines():
        head, offset, length = line.split("\t")
        start = _number(offset)
        if head.startswith("00database") or start in seen:
            continue  # the metadata entries, and entries listed under two headwords
        seen.add(start)
        yield data[start : start + _number(length)].decode("utf-8")


def head_line(entry: str) -> tuple[str, str]:
    """(headword as written, part of speech) of an entry: ``("Bar", "pn")``."""
    first = entry.split("\n", 1)[0]
    pos = first.rsplit("<", 1)[1].split(">")[0] if "<" in first else ""
    head = first.split(" /", 1)[0].split(" <", 1)[0].strip()
    return head, pos.split(",")[0].strip()
