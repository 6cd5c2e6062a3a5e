"""searchkit._lean: Whoosh imported without urllib.request, asyncio and morph_en, harmlessly."""

from __future__ import annotations

import subprocess
import sys

from searchkit import _lean


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_opening_an_index_imports_none_of_the_three(tmp_path):
    code = (
        "import sys, searchkit\n"
        f"searchkit.build_index([], {str(tmp_path / 'ix')!r})\n"
        f"searchkit.open_index({str(tmp_path / 'ix')!r}).search('base militaire')\n"
        "print(sorted(m for m in ('asyncio', 'urllib.request', 'whoosh.lang.morph_en')"
        " if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_the_real_modules_come_back_when_imported_later():
    code = (
        "import searchkit, sys\n"
        "import asyncio, urllib.request\n"
        "from whoosh.lang.morph_en import variations\n"
        "print(hasattr(asyncio, 'run'), hasattr(urllib.request, 'urlopen'),"
        " sorted(variations('base'))[:2])"
    )
    assert _run(code) == "True True ['base', 'based']"


def test_stand_ins_forward_to_the_real_functions():
    code = (
        "import searchkit, whoosh.compat, whoosh.query.terms, cached_property\n"
        "print(whoosh.compat.urlretrieve.__module__,"
        " sorted(whoosh.query.terms.variations('go'))[:2],"
        " cached_property.asyncio.iscoroutinefunction(print))"
    )
    assert _run(code) == "searchkit._lean ['go', 'goer'] False"


def test_prepare_is_idempotent():
    import whoosh.compat

    _lean.prepare()
    _lean.prepare()
    assert "urlretrieve" in vars(whoosh.compat)
