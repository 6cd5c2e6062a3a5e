"""Build ``data/lexicon_fr_de.tsv`` and ``data/lexicon_de_fr.tsv`` (format: lexicon.py).

Run by hand, never at search time; the output is committed. Deterministic.

What it reads:

* Debian ``dict-freedict-fra-deu`` and ``dict-freedict-deu-fra`` (FreeDict 2022.12.07,
  from Wiktionary, CC BY-SA 3.0): ``<dictd-dir>/freedict-{fra-deu,deu-fra}.{index,dict.dz}``,
  41,438 and 47,432 headwords. Install them anywhere (``apt-get download`` then
  ``dpkg-deb -x pkg.deb /tmp/fd`` will do); nothing of them is needed at run time.
* ``data/lexicon_extra.tsv``: our news vocabulary, listed first for its keys.

Each entry gives its senses in order (numbered senses, or the one line of translations),
annotations in parentheses dropped, explanations (more than four words) skipped. Entries
whose headwords share a key are merged, shortest headword first (réfugié before réfugiée),
lowercase headwords before others, proper nouns last; acronyms only give a key no
other headword gives (EAU, "VAE", is not eau). A translation also gives the reverse entry
when that key has fewer than four targets (fra-deu "barrage: Damm" adds "Damm: barrage"
after deu-fra's own senses).

Example::

    python -m searchkit.crosslingual.build_lexicon --dictd-dir /tmp/fd/usr/share/dictd
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from searchkit.crosslingual.dictd import entries, head_line
from searchkit.crosslingual.lexicon import MAX_TARGETS, key

DATA = Path(__file__).with_name("data")
_SENSE_RE = re.compile(r"^\d+\.\s+(.*)$")
_PARENS_RE = re.compile(r"\([^)]*\)|\[[^]]*\]|\{[^}]*\}|<[^>]*>")
_TRAILING_NUMBER_RE = re.compile(r"\s+\d+\.$")
MAX_TARGET_WORDS = 4
_HEADER = """\
# {src} -> {dst} lexicon, built by searchkit.crosslingual.build_lexicon from FreeDict
# (Wiktionary, CC BY-SA 3.0) and our supplement; see LICENSE-lexicon.txt.
# key <TAB> target|target (key: lexicon.normalize of each word; targets best first)
# longest: {longest}

"""

Entries = dict[str, list[str]]


def senses(entry: str) -> list[str]:
    """The translations of one dictd entry, in order, cleaned."""
    lines = entry.strip("\n").split("\n")[1:]
    numbered = [m[1] for line in lines if (m := _SENSE_RE.match(line.strip()))]
    chosen = numbered or lines[:1]
    out: list[str] = []
    for line in chosen:
        line = _TRAILING_NUMBER_RE.sub("", line.strip())
        for target in re.split(r"[,;]\s*", _PARENS_RE.sub("", line)):
            target = " ".join(target.split())
            if target and len(target.split()) <= MAX_TARGET_WORDS and target not in out:
                out.append(target)
    return out


def read_freedict(dictd_dir: str, name: str, src: str) -> Iterator[tuple[str, str, list[str]]]:
    """(key, headword, senses) of every entry, in merging order (see the module doc)."""
    found = []
    for entry in entries(dictd_dir, name):
        head, pos = head_line(entry)
        k = key(head, src)
        targets = senses(entry)
        if k and targets:
            found.append((pos == "pn", not head.islower(), len(head), head, k, targets))
    for *_, head, k, targets in sorted(found, key=lambda f: f[:4]):
        yield k, head, targets


def read_extra(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(French expressions, German expressions) of each line of the supplement."""
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fr, de = line.split("\t")
            yield _alternatives(fr), _alternatives(de)


def _alternatives(column: str) -> list[str]:
    return [s.strip() for s in column.split("|") if s.strip()]


def _add(table: Entries, k: str, targets: list[str], cap: int) -> None:
    found = table.setdefault(k, [])
    for target in targets:
        if len(found) >= cap:
            return
        if target not in found:
            found.append(target)


def build(dictd_dir: str, extra: Path) -> tuple[Entries, Entries]:
    """(fr -> de, de -> fr) tables: the supplement, then FreeDict, then reverse entries."""
    tables: dict[str, Entries] = {"fr": {}, "de": {}}
    for fr, de in read_extra(extra):
        for src, texts, targets in (("fr", fr, de), ("de", de, fr)):
            for text in texts:
                _add(tables[src], key(text, src), targets, max(MAX_TARGETS, len(targets)))
    forward = {
        "fr": list(read_freedict(dictd_dir, "fra-deu", "fr")),
        "de": list(read_freedict(dictd_dir, "deu-fra", "de")),
    }
    for src, found in forward.items():
        _add_entries(tables[src], found)
    for src, dst in (("fr", "de"), ("de", "fr")):
        for _, head, targets in forward[src]:
            for target_key in filter(None, (key(t, dst) for t in targets)):
                _add(tables[dst], target_key, [head], MAX_TARGETS)
    return tables["fr"], tables["de"]


def _add_entries(table: Entries, found: list[tuple[str, str, list[str]]]) -> None:
    for k, head, targets in found:
        if not _acronym(head):
            _add(table, k, targets, MAX_TARGETS)
    for k, head, targets in found:  # EAU (VAE) only where eau has no entry
        if _acronym(head) and k not in table:
            _add(table, k, targets, MAX_TARGETS)


def _acronym(head: str) -> bool:
    return len(head) > 1 and head.isupper()


def write(path: Path, table: Entries, src: str, dst: str) -> None:
    """One line a key, sorted; targets may not hold the separators."""
    rows = sorted(
        (k, "|".join(t.replace("|", "/").replace("\t", " ") for t in v))
        for k, v in table.items()
        if v
    )
    longest = max(k.count(" ") + 1 for k, _ in rows)
    header = _HEADER.format(src=src, dst=dst, longest=longest)
    path.write_text(header + "".join(f"{k}\t{v}\n" for k, v in rows), "utf-8")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, build both directions and write them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument(
        "--dictd-dir",
        default="/usr/share/dictd",
        help="where dict-freedict-fra-deu and dict-freedict-deu-fra put their files "
        "(default: %(default)s)",
    )
    parser.add_argument("--out-dir", default=str(DATA), help="default: %(default)s")
    args = parser.parse_args(argv)
    fr_de, de_fr = build(args.dictd_dir, DATA / "lexicon_extra.tsv")
    write(Path(args.out_dir, "lexicon_fr_de.tsv"), fr_de, "fr", "de")
    write(Path(args.out_dir, "lexicon_de_fr.tsv"), de_fr, "de", "fr")


if __name__ == "__main__":
    main()
