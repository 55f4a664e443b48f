"""The import-linter contracts of ``pyproject.toml`` hold (the core has no Textual and
no UI or CLI, the layers go cli → ui → core, only the SQLite backend imports sqlite3 or
sqlite_utils, and nothing outside ``mtui.core.store`` imports a backend module)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    # A dev dependency: missing, the test fails (CI must not pass without the check).
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
