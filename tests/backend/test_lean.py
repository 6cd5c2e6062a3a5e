"""searchkit.backend.imports: Whoosh imported lean (no urllib.request, asyncio, morph_en)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from searchkit.backend import imports as _lean
from searchkit.errors import WhooshVersionError


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
    assert _run(code) == "searchkit.backend.imports ['go', 'goer'] False"


def test_importing_searchkit_loads_no_whoosh_module():
    code = "import sys, searchkit\nprint(sorted(m for m in sys.modules if m.startswith('whoosh')))"
    assert _run(code) == "[]"


def test_install_puts_one_finder_however_often_it_is_called():
    _lean.install()
    _lean.install()
    finders = [f for f in sys.meta_path if type(f).__name__ == "_LeanFinder"]
    assert len(finders) == 1


def test_another_whoosh_release_is_refused_with_what_to_install():
    with pytest.raises(WhooshVersionError) as caught:
        _lean.check_whoosh_version((2, 7, 4))
    assert str(caught.value) == (
        "searchkit needs whoosh-reloaded 2.7.4, but Whoosh 2.7.5 is installed: "
        "run pip install 'whoosh-reloaded==2.7.4'"
    )
    _lean.check_whoosh_version((2, 7, 5))  # the pinned release passes
