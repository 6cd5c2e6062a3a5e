"""A sorted ``key <TAB> value`` table looked up in place, parsed only when used a lot.

A query looks up a few dozen keys of the lexicon; parsing a whole direction into a dict
(1.7-1.9 MB, ~30-50 ms a direction on the shared 2-core machine) cost more than the rest
of a query. :class:`SortedTable` binary-searches the file's bytes instead (~20 probes,
~15 us a lookup, nothing built), and turns into a dict after :data:`PARSE_AFTER` lookups,
when a bulk user (linking twins at index time: millions of lookups) makes the parse pay.
The answers are the same either way: the rows are sorted by key (``build_lexicon.write``
sorts them), and UTF-8 bytes sort as the text's code points do.
"""

from __future__ import annotations

from collections.abc import Iterator

#: Lookups answered by binary search before the table is parsed into a dict.
PARSE_AFTER = 2000


class SortedTable:
    """``key -> value`` over ``data[start:]``: sorted lines ``key\\tvalue\\n``, keys unique."""

    def __init__(self, data: bytes, start: int = 0) -> None:
        self.data, self.start = data, start
        self.lookups = 0
        self.parsed: dict[str, str] | None = None

    def get(self, key: str) -> str | None:
        """The value of ``key``, None when the table lacks it."""
        if self.parsed is not None:
            return self.parsed.get(key)
        self.lookups += 1
        if self.lookups > PARSE_AFTER:
            self.parsed = self._parse()
            return self.parsed.get(key)
        return self._search(key.encode("utf-8"))

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        """The keys, in order (the table parsed, its lookups unchanged)."""
        return iter(self.parsed if self.parsed is not None else self._parse())

    def _search(self, wanted: bytes) -> str | None:
        data = self.data
        low, high = self.start, len(data)  # low is a line start; so is high, or the end
        while low < high:
            line = max(data.rfind(b"\n", low, (low + high) // 2) + 1, low)
            end = data.find(b"\n", line)
            end = len(data) if end < 0 else end
            tab = data.find(b"\t", line, end)
            found = data[line : tab if tab >= 0 else end]
            if found == wanted:
                return data[tab + 1 : end].decode("utf-8") if tab >= 0 else ""
            if found < wanted:
                low = end + 1
            else:
                high = line
        return None

    def _parse(self) -> dict[str, str]:
        # keys and values alternate once tabs are newlines: one C-level split
        text = self.data[self.start :].decode("utf-8")
        fields = iter(text.replace("\t", "\n").split("\n"))
        return dict(zip(fields, fields, strict=False))  # the final "" has no partner
