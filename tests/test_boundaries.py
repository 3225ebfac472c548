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
