"""The package's folders show the build's flow, and each part imports only the parts before it.

LAYERS is the order, declared once: a module may import its own layer and the layers listed
before it, never one after. Every import counts, wherever it is written (inside a function, or
under `if TYPE_CHECKING:`): an import that only annotations need is still a dependency. Every
module of gongshi/ belongs to a layer, so a new top-level module or sub-package has to be
placed here first; and no two modules import each other, directly or round a longer circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongshi"

# (layer, its top-level modules and sub-packages), from the bottom up.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"codes", "findings", "fsproblems", "lastuse", "process", "urls"})),
    ("files", frozenset({"files"})),
    ("zh", frozenset({"zh"})),
    ("load", frozenset({"load"})),
    ("check", frozenset({"check"})),
    ("site", frozenset({"site"})),
    ("pipeline", frozenset({"pipeline"})),
    ("staff", frozenset({"staff"})),
    ("commands", frozenset({"cli", "serve", "launcher", "__main__", "argparse_zh", "livereload_adapter"})),
)
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = ["gongshi", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> dict[str, int]:
    """The gongshi modules (or packages) `name` imports, each with the line of its first import."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from gongshi.x import y`: y may be a module of package x, or a name in module x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        for target in targets:
            if target == "gongshi" or target.startswith("gongshi."):
                found.setdefault(target, node.lineno)
    found.pop(name, None)
    return found


def layer_of(name: str) -> int | None:
    """The rank of a module's layer (None for the package's own __init__)."""
    parts = name.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 else None


def test_every_module_sits_in_a_declared_layer():
    placed = {name.split(".")[1] for name in MODULES if name != "gongshi"}
    assert placed - set(RANK) == set(), "add the new module or sub-package to LAYERS, in its place in the flow"
    assert set(RANK) - placed == set(), "LAYERS names a module or sub-package that is gone"
    # A sub-package's name is a folder, a module's is a file: the same word must not be both.
    for name in RANK:
        assert (PACKAGE / name).is_dir() != (PACKAGE / f"{name}.py").is_file(), name


@pytest.mark.parametrize("name", [name for name in MODULES if name != "gongshi"])
def test_a_module_imports_only_its_own_layer_and_those_below(name):
    own = layer_of(name)
    assert own is not None
    for target, line in imports(name).items():
        rank = layer_of(target)
        assert rank is not None, f"{MODULES[name]}:{line}: imports the package gongshi itself"
        assert rank <= own, (f"{MODULES[name]}:{line}: {name} ({LAYERS[own][0]}) imports {target}, "
                             f"which sits above it ({LAYERS[rank][0]})")


def test_no_modules_import_each_other_in_a_circle():
    graph = {name: [t for t in imports(name) if t in MODULES] for name in MODULES}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            circle = trail[trail.index(name):] + [name]
            pytest.fail("import circle: " + " -> ".join(circle))
        if name in done:
            return
        for target in graph[name]:
            visit(target, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])


def test_the_checker_sees_what_it_must():
    """The rules above hold because they read real imports: a few the package is known to have."""
    assert "gongshi.findings" in imports("gongshi.files.yamlfile")
    assert "gongshi.files.quick" in imports("gongshi.load.loader")  # `from ..files import quick`
    assert "gongshi.zh.workdays" in imports("gongshi.load.model")  # under `if TYPE_CHECKING:`
    assert "gongshi.serve" in imports("gongshi.cli")  # inside a function
    assert layer_of("gongshi.site.pages") > layer_of("gongshi.check.checks") > layer_of("gongshi.load.loader")
