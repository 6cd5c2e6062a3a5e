"""The house rules of ARCHITECTURE.md, checked on the source: layers only look down, and
Whoosh's private parts are reached from searchkit.backend alone."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "searchkit"
#: Bottom to top: a module may import its own unit and the units before it, never after.
LAYERS = (
    "errors",
    "backend",
    "analysis",
    "models",
    "fields",
    "normalize",
    "crosslingual",
    "articles",
    "index",
    "query",
    "highlight",
    "search",
    "evaluation",
    "export",
    "__init__",
    "web",
    "cli",
    "__main__",
)
#: The Whoosh modules everything outside searchkit.backend may use: its public API.
PUBLIC_WHOOSH = {
    "whoosh.analysis",
    "whoosh.fields",
    "whoosh.index",
    "whoosh.query",
    "whoosh.writing",
    "whoosh.filedb.filestore",
    "whoosh.support.levenshtein",
}


def unit_of(module: str) -> str:
    """``index`` for ``searchkit.index.build``; ``__init__`` for ``searchkit`` itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[str]:
    """The modules ``path`` imports (``from searchkit import x`` as ``searchkit.x``)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in ("searchkit", "whoosh"):
                found += [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out.append((dotted.removesuffix(".__init__"), path))
    return out


def test_every_module_belongs_to_a_layer() -> None:
    units = {unit_of(name) for name, _ in modules()}
    assert units <= set(LAYERS), units - set(LAYERS)


def test_layers_only_look_down() -> None:
    upward = []
    for name, path in modules():
        mine = LAYERS.index(unit_of(name))
        for target in imports(path):
            if target.startswith("searchkit") and LAYERS.index(unit_of(target)) > mine:
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_only_the_backend_reaches_whoosh_internals() -> None:
    private = []
    for name, path in modules():
        if name.startswith("searchkit.backend"):
            continue
        for target in imports(path):
            if target.startswith("whoosh") and not any(
                target == public or target.startswith(public + ".") for public in PUBLIC_WHOOSH
            ):
                private.append(f"{name} -> {target}")
    assert private == []


def test_the_cli_and_the_web_never_import_whoosh() -> None:
    for name, path in modules():
        if name.startswith(("searchkit.cli", "searchkit.web")):
            assert not [t for t in imports(path) if t.startswith("whoosh")], name


def test_modules_stay_small() -> None:
    """STYLE: modules of 100-300 lines; the build scripts of data files excepted."""
    long = {
        name: n
        for name, path in modules()
        if (n := len(path.read_text("utf-8").splitlines())) > 320 and ".build_" not in name
    }
    assert long == {}
