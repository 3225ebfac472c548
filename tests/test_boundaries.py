"""The engine never loads Qt or pyqtgraph (DESIGN.md section 2)."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_no_gui():
    code = (
        "import sys, engine.cli, engine.training, engine.translate, engine.analysis\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 's2s_gui', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_import_linter_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports() == 0


# Frozen dataclasses the whole app may import for types (DESIGN.md section 2), the
# locator of the shipped resources, and the OpenMP policy the package sets before torch
# loads (neither imports torch or runs a model).
ENGINE_TYPES = {
    "engine",
    "engine.events",
    "engine.config",
    "engine.resources",
    "engine.cpu_threads",
}


def _engine_imports(path):
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "engine":
                names = [f"engine.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        yield from (n for n in names if n.split(".")[0] == "engine")


def test_only_the_gateway_imports_engine_runtime():
    """Every engine module but events and config, named in pyproject or not."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "s2s_gui"
    found = {
        f"{path.relative_to(root.parent)}: {name}"
        for path in root.rglob("*.py")
        if "gateway" not in path.relative_to(root).parts
        for name in _engine_imports(path)
        if name not in ENGINE_TYPES
    }
    assert found == set()
