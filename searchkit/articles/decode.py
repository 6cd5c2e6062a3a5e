"""Bytes to text for article files: UTF-8 first, then the legacy encodings people still save.

Archive files come from many editors over many years. UTF-8 (with or without a BOM) is
the format; Windows-1252 and Latin-1 are what a French or German Windows editor writes.
Those are decoded with a warning rather than refused, because refusing would drop
otherwise good articles, and guessing wrong would index mojibake silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Below this share of control characters a cp1252 decoding is taken for text; above it the
# bytes are most likely an image, an archive or a document format, not an article.
_MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # not tab, newlines, form feed


class NotText(ValueError):
    """The bytes are binary (NUL bytes, control characters), not an article."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding used, and a warning when it was not UTF-8."""

    text: str
    encoding: str
    warning: str = ""


def decode(data: bytes) -> Decoded:
    """Decode article bytes; raise NotText for binary data.

    Order: a UTF-16 BOM (UTF-16 text has NUL bytes, so this comes before the binary check),
    then UTF-8 with the BOM stripped, then cp1252, then Latin-1 (which never fails).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotText("binary file, not an article") from exc
        return Decoded(_checked(text), "utf-16", "decoded as UTF-16: re-save it as UTF-8")
    if b"\x00" in data:
        raise NotText("binary file, not an article")
    try:
        return Decoded(_checked(data.decode("utf-8-sig")), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue  # cp1252 leaves five bytes undefined; Latin-1 maps every byte
        return Decoded(_checked(text), encoding, f"decoded as {encoding}: re-save it as UTF-8")
    raise AssertionError("unreachable: latin-1 decodes any bytes")


def _checked(text: str) -> str:
    """Return text unless control characters show it is binary data."""
    if not text:
        return text
    controls = len(_CONTROLS.findall(text))
    if controls / len(text) > _MAX_CONTROL_SHARE:
        raise NotText("binary file, not an article")
    return text
