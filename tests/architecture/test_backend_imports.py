"""Each backend's driver is loaded only by that backend, and only when it is opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_opening_a_local_file_never_imports_psycopg(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from mtui.core.store import open_store\n"
        f"store = open_store({str(tmp_path / 'x.db')!r})\n"
        "store.tasks.statuses(); store.close()\n"
        "import mtui.cli, mtui.entry\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'psycopg_pool')"
        " or m.startswith('mtui.core.store.postgres')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={"MTUI_CONFIG_DIR": str(tmp_path)})  # fmt: skip
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("driver", ["psycopg", "psycopg_pool", "sqlite3", "sqlite_utils"])
def test_drivers_are_imported_only_inside_their_backend(driver: str) -> None:
    home = {"psycopg": "postgres", "psycopg_pool": "postgres", "sqlite3": "sqlite",
            "sqlite_utils": "sqlite"}[driver]  # fmt: skip
    offenders = []
    for path in (ROOT / "mtui").rglob("*.py"):
        if f"core/store/{home}/" in path.as_posix():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.strip().split()
            if words[:2] in (["import", driver], ["from", driver]) or (
                words[:1] in (["import"], ["from"]) and len(words) > 1
                and words[1].startswith(f"{driver}.")
            ):  # fmt: skip
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
