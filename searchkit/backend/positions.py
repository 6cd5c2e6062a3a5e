"""The posting format of our text fields: Whoosh's ``Positions``, fed faster.

The bytes written are exactly those of ``whoosh.formats.Positions`` (a reader cannot tell
the difference); only the way they are produced changes. Whoosh builds them from one Token
object per word; our analyzers can hand over each word's terms as plain tuples
(``term_lists``), and most positions lists are one position long, whose encoding is
cached. This is the class pickled with the schema, so it lives here under a stable name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pickle import dumps
from typing import Any

from whoosh.formats import Positions
from whoosh.system import pack_uint

_ONE_POSITION: dict[int, bytes] = {}


def encode_positions(poslist: list[int]) -> bytes:
    """``Positions.encode``, with the one-position case cached."""
    if len(poslist) == 1:
        pos = poslist[0]
        value = _ONE_POSITION.get(pos)
        if value is None:
            value = _ONE_POSITION[pos] = pack_uint(1) + dumps([pos], 2)
        return value
    deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
    header: bytes = pack_uint(len(deltas))
    return header + dumps(deltas, 2)


class FastPositions(Positions):  # type: ignore[misc]  # Whoosh is untyped
    """Positions postings built from an analyzer's ``term_lists`` when it has one."""

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        term_lists = getattr(analyzer, "term_lists", None)
        if term_lists is None or kwargs.get("mode", "index") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: defaultdict[str, list[int]] = defaultdict(list)
        pos = 0
        for terms in term_lists(value, "index"):
            if terms:
                for term in terms:
                    poses[term].append(pos)
                pos += 1
        boost = self.field_boost
        for term, poslist in poses.items():
            yield term, len(poslist), len(poslist) * boost, encode_positions(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)
