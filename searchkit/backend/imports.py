"""Whoosh's import graph without two parts searchkit never uses: ~50 ms per process.

Opening an index and answering a first query should take well under 200 ms, and a
quarter of that went to modules Whoosh imports but never calls here:

- ``whoosh.compat`` re-exports ``urllib.request.urlretrieve`` (used nowhere in Whoosh),
  which pulls in http.client, email and friends (~30 ms);
- ``cached_property`` (for one property of ``whoosh.reading``) imports asyncio (~20 ms)
  only to tell coroutine functions apart;
- ``whoosh.query`` imports ``whoosh.lang.morph_en`` (English word variations, ~15 ms of
  regular expressions compiled at import) for a query type searchkit never builds.

:func:`install` (called by ``import searchkit``, which imports no Whoosh module itself)
puts a finder on ``sys.meta_path`` that, when one of those three modules is imported,
runs it with stand-ins in ``sys.modules`` for the duration of that import only: a later
``import urllib.request`` or ``import asyncio`` anywhere in the process gets the real
modules, and the stand-ins forward to them when called.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from searchkit.errors import WhooshVersionError

if TYPE_CHECKING:
    from importlib.abc import Loader as _Loader
    from importlib.abc import MetaPathFinder as _MetaPathFinder
else:  # (importing importlib.abc costs ~10 ms: it loads importlib.resources, tempfile, bz2)
    _Loader = _MetaPathFinder = object


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _iscoroutinefunction(function: Any) -> bool:
    import inspect  # (only when called: inspect costs ~5 ms of imports)

    return inspect.iscoroutinefunction(function)


def _ensure_future(*args: Any, **kwargs: Any) -> Any:
    import asyncio

    return asyncio.ensure_future(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(
        name, f"searchkit's stand-in for {name} (see searchkit.backend.imports)"
    )
    module.__dict__.update(attributes)
    return module


# (asyncio.iscoroutinefunction is inspect's since Python 3.11 dropped @asyncio.coroutine)
_STAND_INS: dict[str, dict[str, Callable[..., Any]]] = {
    "urllib.request": {"urlretrieve": _urlretrieve},
    "asyncio": {
        "iscoroutinefunction": _iscoroutinefunction,
        "ensure_future": _ensure_future,
    },
    "whoosh.lang.morph_en": {"variations": _variations},
}
_USERS = ("whoosh.compat", "cached_property", "whoosh.query")
#: The Whoosh release whose internals searchkit.backend was written and tested against.
PINNED_WHOOSH = (2, 7, 5)


@contextmanager
def _standing_in() -> Iterator[None]:
    placed = {}
    for name, attributes in _STAND_INS.items():
        if name not in sys.modules:
            placed[name] = sys.modules[name] = _stand_in(name, **attributes)
    try:
        yield
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class _LeanLoader(_Loader):
    """Runs a module's real loader with the stand-ins in place; checks Whoosh's version."""

    def __init__(self, real: _Loader) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        with _standing_in():
            self.real.exec_module(module)
        if module.__name__ == "whoosh":
            check_whoosh_version(PINNED_WHOOSH, module)


class _LeanFinder(_MetaPathFinder):
    """Finds the three modules of ``_USERS`` as usual, and loads them lean."""

    def find_spec(
        self, name: str, path: Any, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in _USERS and name != "whoosh":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _LeanLoader(spec.loader)
        return spec


def install() -> None:
    """Load Whoosh lean from now on (see module doc); costs nothing until Whoosh loads.

    A module of ``_USERS`` already imported stays as it is (its real dependencies then
    are imported too).
    """
    if not any(isinstance(finder, _LeanFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LeanFinder())


def check_whoosh_version(pinned: tuple[int, ...], whoosh: types.ModuleType | None = None) -> None:
    """Raise WhooshVersionError unless the installed Whoosh is the ``pinned`` release.

    Run as Whoosh is first imported (after :func:`install`), so that no index is read or
    written by a Whoosh whose files searchkit's fast paths might misread.
    """
    if whoosh is None:
        import whoosh as installed

        whoosh = installed

    found = tuple(getattr(whoosh, "__version__", ()))
    if found != pinned:
        raise WhooshVersionError(".".join(map(str, found)) or "unknown", ".".join(map(str, pinned)))
