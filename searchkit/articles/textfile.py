"""The outlet's plain-text article format (see FORMAT.md), parsed into an :class:`Article`.

Layout, one paragraph a line, paragraphs usually separated by blank lines::

    keywords line          -> tags (optional)
    title                  -> title (required)
    lead                   -> lead (optional)
    body paragraphs        -> body, subheadings kept; "read also" lines -> related
    author                 -> author (a name alone, right before the sign-off)
    sign-off               -> removed
    caption / credit       -> caption, credit (after the sign-off)
    widgets                -> removed

Decisions (each part is found by position plus a cheap shape test, never by a model):

* Keywords: the first paragraph is a keywords line when it is short, has no sentence
  punctuation, no comma, colon, quote or apostrophe, and at least 3 in 4 of its words are
  capitalised -- *and* the next paragraph does not read like a lead (ends with a full stop
  or is long). Otherwise the first paragraph is the title and ``tags`` stays empty.
* Lead: the paragraph after the title when it ends like a sentence, has at most two
  sentences and 400 characters, and more text follows. Otherwise ``lead`` stays empty
  and that paragraph is body.
* Author: a short line of capitalised words right before the sign-off. Without a sign-off,
  the last body line when it looks like a name (and a name / sentence / name ending is
  read as author / caption / credit).
* A file with a title but no article text (only a title, or only boilerplate) is a
  failure: FORMAT.md says an article needs a title and some text.
* ``lang`` is set when the boilerplate cues found belong to exactly one edition
  (French or German); otherwise it stays ``""`` and the indexer detects it.
* Lines of one paragraph are joined when the next starts in lower case (a hard-wrapped
  paragraph); any other line is its own paragraph, as in the outlet's export, where the
  caption, credit and widgets follow each other without blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchkit.articles.boilerplate import Match, classify
from searchkit.models import Article, Problem

_MAX_LEAD_CHARS = 400
_MAX_NAME_CHARS = 60
_CLOSERS = "\"'»”’)]"
_NOT_IN_KEYWORDS = re.compile(r"[,;:'’«»\"“”„()?!.…]")
_SENTENCE_BREAK = re.compile(r"(\w*)([.!?…])(?:\s*[\"'»”’)\]])*\s+(?=[«„“\"(]?\s*(\w))")
# Lower-case words allowed inside a person's name.
_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "la", "le", "von", "van", "der", "den", "zu", "zur", "ten"}
    | {"al", "el", "ben", "bin", "ibn", "et", "und", "and", "y"}
)


@dataclass
class _Para:
    text: str
    match: Match | None = None


@dataclass
class _Parts:
    tags: tuple[str, ...] = ()
    title: str = ""
    lead: str = ""
    body: list[str] = field(default_factory=list)
    author: str = ""
    caption: str = ""
    credit: str = ""


def split_paragraphs(text: str) -> list[str]:
    """Split article text into paragraphs: one per line, hard-wrapped lines joined."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[str] = []
    previous_blank = True
    for raw in lines:
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        if not previous_blank and line[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous_blank = False
    return paragraphs


def parse_text(text: str, article_id: str, path: str = "") -> tuple[Article | None, list[Problem]]:
    """Parse one article in the outlet format; (None, [failure]) when it has no text."""
    paras = _titled_links([_Para(p, classify(p)) for p in split_paragraphs(text)])
    content = [p.text for p in paras if p.match is None]
    if not content:
        reason = "empty file (only blank lines)" if not paras else "only boilerplate, no article"
        return None, [Problem(path, reason)]
    parts = _Parts()
    start = _head(parts, content)
    signoff = next((i for i, p in enumerate(paras) if _kind(p) == "signoff"), None)
    if signoff is None:
        _tail_without_signoff(parts, content[start:])
    else:
        before = [p.text for p in paras[:signoff] if p.match is None]
        after = [p.text for p in paras[signoff + 1 :] if p.match is None]
        _tail_with_signoff(parts, before[start:], after)
    if not parts.body:
        return None, [Problem(path, _no_text_reason(parts))]
    return _article(parts, paras, article_id, path), []


def _titled_links(paras: list[_Para]) -> list[_Para]:
    """Give a "read also" cue without a title the next line as its title, and drop that line."""
    kept: list[_Para] = []
    for para in paras:
        previous = kept[-1].match if kept else None
        if previous and previous.kind == "related" and not previous.title and para.match is None:
            kept[-1] = _Para(kept[-1].text, Match("related", previous.langs, para.text))
            continue
        kept.append(para)
    return kept


def _kind(para: _Para) -> str:
    return para.match.kind if para.match else ""


def _head(parts: _Parts, content: list[str]) -> int:
    """Set tags and title from the first paragraphs; return the index after the title."""
    first = content[0]
    following = content[1] if len(content) > 1 else ""
    if following and looks_like_keywords(first) and not _reads_like_lead(following):
        parts.tags = tuple(first.split())
        parts.title = following
        return 2
    parts.title = first
    return 1


def _tail_with_signoff(parts: _Parts, body: list[str], after: list[str]) -> None:
    """The sign-off anchors the tail: author before it, caption and credit after it."""
    if len(body) > 1 and looks_like_name(body[-1]):
        parts.author = body.pop()
    _lead_and_body(parts, body)
    if len(after) > 1 and _short_line(after[-1]):
        parts.credit = after[-1]
        after = after[:-1]
    elif len(after) == 1 and looks_like_name(after[0]):
        parts.credit = after[0]
        after = []
    parts.caption = " ".join(after)


def _tail_without_signoff(parts: _Parts, rest: list[str]) -> None:
    """No sign-off: recognise a name / sentence / name ending, or a final name alone."""
    if (
        len(rest) > 3
        and looks_like_name(rest[-3])
        and ends_sentence(rest[-2])
        and looks_like_name(rest[-1])
    ):
        parts.author, parts.caption, parts.credit = rest[-3], rest[-2], rest[-1]
        rest = rest[:-3]
    elif len(rest) > 1 and looks_like_name(rest[-1]):
        parts.author = rest[-1]
        rest = rest[:-1]
    _lead_and_body(parts, rest)


def _lead_and_body(parts: _Parts, rest: list[str]) -> None:
    if len(rest) > 1 and looks_like_lead(rest[0]):
        parts.lead = rest[0]
        rest = rest[1:]
    parts.body = rest


def _no_text_reason(parts: _Parts) -> str:
    return (
        f"only a title ({parts.title[:60]!r}), no article text: not indexed; "
        "add the text below the title, after a blank line"
    )


def _article(parts: _Parts, paras: list[_Para], article_id: str, path: str) -> Article:
    related = tuple(dict.fromkeys(p.match.title for p in paras if p.match and p.match.title))
    return Article(
        id=article_id,
        title=parts.title,
        body="\n\n".join(parts.body),
        lang=infer_lang([p.match for p in paras if p.match]),
        lead=parts.lead,
        tags=parts.tags,
        author=parts.author,
        caption=parts.caption,
        credit=parts.credit,
        related=related,
        path=path,
    )


def infer_lang(matches: list[Match]) -> str:
    """The edition whose boilerplate cues were found, or "" when none or both."""
    found = {next(iter(m.langs)) for m in matches if len(m.langs) == 1}
    return found.pop() if len(found) == 1 else ""


def ends_sentence(text: str) -> bool:
    """True when text ends with a full stop (or ellipsis), closing quotes aside."""
    return text.rstrip(_CLOSERS + " ").endswith((".", "…"))


def looks_like_keywords(text: str) -> bool:
    """A line of capitalised words without sentence punctuation (the outlet's tag line)."""
    words = text.split()
    if not words or len(words) > 25 or len(text) > 250 or _NOT_IN_KEYWORDS.search(text):
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised * 4 >= len(words) * 3


def looks_like_name(text: str) -> bool:
    """A person's name alone on a line: short, capitalised words, no sentence punctuation."""
    if len(text) > _MAX_NAME_CHARS or text[-1] in ".!?:;…" or any(c.isdigit() for c in text):
        return False
    words = [w for w in re.split(r"[\s,]+", text) if any(c.isalpha() for c in w)]
    if not 0 < len(words) <= 6:
        return False
    return all(w[0].isupper() or _is_particle(w) for w in words)


def _is_particle(word: str) -> bool:
    lowered = word.lower().replace("’", "'")
    return lowered in _PARTICLES or (lowered.startswith("d'") and word[2:3].isupper())


def looks_like_lead(text: str) -> bool:
    """One or two sentences, ending like a sentence, not too long."""
    if len(text) > _MAX_LEAD_CHARS or not text.rstrip(_CLOSERS + " ").endswith(tuple(".!?…")):
        return False
    return sentence_count(text) <= 2


def sentence_count(text: str) -> int:
    """Sentences in text: breaks are end punctuation followed by a capitalised word.

    A full stop after a number ("des 20. Jahrhunderts", "am 3. Oktober"), one letter
    ("z. B.") or a capitalised pair ("M. Poutine", "Dr. Weber") is an ordinal or an
    abbreviation, not a break ("par an. Les" is one).
    """
    return 1 + sum(1 for m in _SENTENCE_BREAK.finditer(text) if _is_break(m))


def _is_break(match: re.Match[str]) -> bool:
    word, mark, following = match.groups()
    if not following.isupper():
        return False
    abbreviation = len(word) == 1 or (len(word) == 2 and word[0].isupper())
    return mark != "." or not (word.isdigit() or abbreviation)


def _reads_like_lead(text: str) -> bool:
    return ends_sentence(text) or len(text) > 250


def _short_line(text: str) -> bool:
    return len(text) <= 100 and not ends_sentence(text)
