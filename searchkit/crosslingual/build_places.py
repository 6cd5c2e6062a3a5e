"""Build ``data/places.tsv`` from GeoNames (Debian) and CLDR (babel), plus our corrections.

Run by hand, never at search time; the output is committed. Deterministic: the same
inputs give the same file, rows sorted by id.

What it reads (install them anywhere but the project's environment):

* Debian ``libgeonames-common`` (GeoNames names as gettext catalogs, CC BY 4.0):
  ``<locale-dir>/{en,fr,de}/LC_MESSAGES/geonames.mo``, keyed by GeoNames id ("1528675")
  or admin code ("KG.04").
* Debian ``libgeonames0``: the same upstream's city list (every city of 15,000 people or
  more, with country code and admin code), embedded in ``libgeonames.so.0`` as a GResource;
  read through ctypes and GLib.
* ``babel`` (pip, BSD; CLDR data, Unicode licence): country names in fr, de and en. It
  must be importable when this runs (a scratch venv's site-packages on PYTHONPATH will
  do); searchkit itself never imports it.
* Debian ``dict-freedict-fra-deu`` and ``dict-freedict-deu-fra`` (``.index`` files only):
  their lowercase headwords are the common words that make a place name ambiguous.
* ``data/capitals.tsv`` and ``data/places_extra.tsv``: ours (see their headers).

Example, with the packages unpacked by ``dpkg-deb -x`` under /tmp/geo::

    python -m searchkit.crosslingual.build_places \\
        --locale-dir /tmp/geo/usr/share/locale \\
        --geonames-lib /tmp/geo/usr/lib/x86_64-linux-gnu/libgeonames.so.0 \\
        --dictd-dir /tmp/geo/usr/share/dictd
"""

from __future__ import annotations

import argparse
import ctypes
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

from searchkit.crosslingual.places import AMBIGUOUS, COLUMNS, LANGS, Place, key, write_table

DATA = Path(__file__).with_name("data")
#: Countries whose cities of 15,000 or more and regions the table holds; Xinjiang (CN.13) too.
REGION_COUNTRIES = ("KZ", "KG", "TJ", "UZ", "TM", "AF", "MN")
EXTRA_ADMIN = ("CN.13",)
_RESOURCE = b"/com/lomiri/geonames/cities.compiled"
# One city record: id, name, admin1 code, admin1 name, country code, country, timezone
# (then population and coordinates, binary). 24,361 records in libgeonames0 0.3.0.
_CITY_RE = re.compile(
    rb"(\d+)\0([^\0]+)\0([^\0]*)\0([^\0]*)\0([A-Z]{2})\0([^\0]*)\0([A-Za-z_]+/[^\0]*)\0"
)
_SUFFIX_RE = re.compile(r" (Province|Region|Oblysy|Oblast)$")


def read_cities(lib_path: str) -> list[tuple[str, str, str, str]]:
    """(geonames id, English name, admin1 code, country code) of every city of the library."""
    lib = ctypes.CDLL(lib_path)
    gio = ctypes.CDLL("libgio-2.0.so.0")
    lib.geonames_get_resource.restype = ctypes.c_void_p
    gio.g_resource_lookup_data.restype = ctypes.c_void_p
    gio.g_resource_lookup_data.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    gio.g_bytes_get_size.restype = ctypes.c_size_t
    gio.g_bytes_get_size.argtypes = [ctypes.c_void_p]
    gio.g_bytes_get_data.restype = ctypes.c_void_p
    gio.g_bytes_get_data.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    blob = gio.g_resource_lookup_data(lib.geonames_get_resource(), _RESOURCE, 0)
    data = ctypes.string_at(gio.g_bytes_get_data(blob, None), gio.g_bytes_get_size(blob))
    return [
        (m[1].decode(), m[2].decode(), m[3].decode(), m[5].decode())
        for m in _CITY_RE.finditer(data)
    ]


def read_catalogs(locale_dir: str) -> dict[str, dict[str, str]]:
    """GeoNames' names by language: {"fr": {"1528675": "Bichkek", ...}, ...}."""
    out = {}
    for lang in LANGS:
        path = Path(locale_dir, lang, "LC_MESSAGES", "geonames.mo")
        with path.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        out[lang] = {k: v for k, v in catalog.items() if isinstance(k, str) and k}
    return out


def countries() -> Iterator[Place]:
    """Every CLDR territory with a two-letter code, its names in fr, de and en."""
    from babel import Locale  # build-time only: not a dependency of searchkit

    names: dict[str, dict[str, str]] = {lang: dict(Locale(lang).territories) for lang in LANGS}
    for code in sorted(c for c in names["en"] if re.fullmatch(r"[A-Z]{2}", c)):
        if code in ("EU", "EZ", "UN", "QO", "ZZ"):  # unions and placeholders, not countries
            continue
        yield Place(code, "country", (*((names[lang][code],) for lang in LANGS), ()))


def _place(pid: str, kind: str, catalogs: dict[str, dict[str, str]], *other: str) -> Place:
    names = [catalogs[lang].get(pid) for lang in LANGS]
    cols = tuple((_SUFFIX_RE.sub("", n),) if n else () for n in names)
    return Place(pid, kind, (*cols, tuple(o for o in other if o)))


def geonames_places(
    cities: list[tuple[str, str, str, str]], catalogs: dict[str, dict[str, str]]
) -> Iterator[Place]:
    """Regions and cities of REGION_COUNTRIES (and Xinjiang), and the world's capitals."""
    for code in sorted(catalogs["en"]):
        if ("." in code and code.split(".")[0] in REGION_COUNTRIES) or code in EXTRA_ADMIN:
            yield _place(code, "region", catalogs)
    capitals = _capitals()
    for gid, name, admin, cc in cities:
        if (cc, name) in capitals:
            yield _place(gid, "capital", catalogs, name)
        elif cc in REGION_COUNTRIES or f"{cc}.{admin}" in EXTRA_ADMIN:
            yield _place(gid, "city", catalogs, name)


def _capitals() -> set[tuple[str, str]]:
    """(country code, GeoNames English name) of each capital, from data/capitals.tsv."""
    rows = (line.split("\t") for line in _lines(DATA / "capitals.tsv"))
    return {(cc, name) for cc, name in rows}


def _lines(path: Path) -> Iterator[str]:
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line


def merge_extra(places: dict[str, Place], path: Path) -> None:
    """Add the hand-written rows of ``path``; a row with a known id adds spellings to it."""
    for line in _lines(path):
        pid, kind, *cols = line.split("\t")
        cols += [""] * (len(COLUMNS) - len(cols))
        extra = tuple(tuple(s.strip() for s in c.split("|") if s.strip()) for c in cols)
        old = places.get(pid)
        if old is None:
            places[pid] = Place(pid, kind, extra)
        else:
            merged = tuple(_unique(a + b) for a, b in zip(old.columns, extra, strict=True))
            places[pid] = Place(pid, kind or old.kind, merged)


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, build the table and write it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument(
        "--locale-dir",
        default="/usr/share/locale",
        help="where libgeonames-common put geonames.mo (default: %(default)s)",
    )
    parser.add_argument(
        "--geonames-lib",
        default="/usr/lib/x86_64-linux-gnu/libgeonames.so.0",
        help="libgeonames0's shared library (default: %(default)s)",
    )
    parser.add_argument(
        "--dictd-dir",
        default="/usr/share/dictd",
        help="FreeDict fra-deu and deu-fra indexes, for the common words "
        "(Debian dict-freedict-fra-deu, dict-freedict-deu-fra)",
    )
    parser.add_argument("--out", default=str(DATA / "places.tsv"), help="default: %(default)s")
    args = parser.parse_args(argv)
    catalogs = read_catalogs(args.locale_dir)
    cities = read_cities(args.geonames_lib)
    places = {p.id: p for p in countries()}
    places.update((p.id, p) for p in geonames_places(cities, catalogs))
    merge_extra(places, DATA / "places_extra.tsv")
    # a name marked by hand (Mary*) is ambiguous in every row spelled so (the region too)
    marked = {key(n[:-1]) for p in places.values() for n in p.names if n.endswith(AMBIGUOUS)}
    ambiguous = _ambiguous_words(args.dictd_dir) | marked
    write_table(Path(args.out), sorted(places.values()), ambiguous)


def _ambiguous_words(dictd_dir: str) -> frozenset[str]:
    """Folded words that are also common French or German words: the stop words and the
    FreeDict headwords written lowercase that are no proper noun ("bar" the pub, not "Bar"
    the region). A place spelled so is only found capitalised."""
    from searchkit.analysis.filters import fold, load_words
    from searchkit.crosslingual.dictd import entries, head_line

    common = set(load_words("stop_fr.txt") | load_words("stop_de.txt"))
    for name in ("fra-deu", "deu-fra"):
        heads = (head_line(entry) for entry in entries(dictd_dir, name))
        common.update(fold(h) for h, pos in heads if h.isalpha() and h.islower() and pos != "pn")
    return frozenset(common)


if __name__ == "__main__":
    main()
