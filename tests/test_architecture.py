"""The package's shape, which import-linter's contracts (``make lint``) cannot see: imports
inside functions, module length, and one definition of each name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from bnpaper.claims.registry import SEAM

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bnpaper"
MODULES = sorted(PACKAGE.rglob("*.py"))

LAZY_ALLOWED = ("jax", "flax")
"""Heavy optional dependencies that may be imported inside a function (JAX takes seconds to
import and only the chapters that train need it), each with a comment saying why."""

MAX_LINES = 420
"""A module a reader can hold in mind: about 400 lines."""

PROTOCOL = SEAM
"""Names every claims module defines by design (registry.ClaimModule: the registry and the
breakers call them by name)."""


def _name(path: Path, root: Path = PACKAGE.parent) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def misplaced_imports(path: Path) -> list[str]:
    """Imports inside a function, unless of a heavy optional dependency with a comment."""
    lines = path.read_text().splitlines()
    offenders = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                names = ([a.name for a in inner.names] if isinstance(inner, ast.Import)
                         else [inner.module or ""])
                heavy = all(n.split(".")[0] in LAZY_ALLOWED for n in names)
                line, above = lines[inner.lineno - 1], lines[inner.lineno - 2]
                if not (heavy and ("#" in line or above.strip().startswith("#"))):
                    offenders.append(f"line {inner.lineno}: {line.strip()}")
    return offenders


def defined_twice(paths: list[Path], root: Path = PACKAGE.parent) -> dict[str, list[str]]:
    """Public top-level functions and classes defined in more than one module."""
    where = defaultdict(list)
    for path in paths:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                if not (node.name in PROTOCOL and "claims" in path.parts):
                    where[node.name].append(_name(path, root))
    return {name: mods for name, mods in where.items() if len(mods) > 1}


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_sit_at_the_top_except_a_heavy_optional_dependency_with_a_reason(path):
    assert not misplaced_imports(path)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_a_module_is_short_enough_to_read(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_each_public_name_is_defined_once_in_the_package():
    assert not defined_twice(MODULES)


def test_the_checks_catch_a_lazy_import_and_a_name_defined_twice(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("def angle():\n    import numpy\n    return numpy\n")
    b.write_text("def angle():\n    # JAX is heavy: imported on first use\n    import jax\n")
    assert misplaced_imports(a) == ["line 2: import numpy"]
    assert misplaced_imports(b) == []
    assert defined_twice([a, b], tmp_path) == {"angle": ["a", "b"]}
