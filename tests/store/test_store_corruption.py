"""Issue 12 item 5: a damaged file is reported by ``mtui db check`` and never written.

A real mtui database with 500 tasks gets garbage written over pages in its
middle, as a bad disk or a half-copied file would leave it.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from mtui.core.errors import CorruptError
from mtui.core.store import open_store
from mtui.core.store.sqlite.opening import integrity_findings
from mtui.core.wording import count
from tests.support.cli import run_mtui, sha256


def _damaged(tmp_path: Path, pages: int = 4) -> Path:
    path = tmp_path / "damaged.db"
    store = open_store(path)
    with store.batch():
        for n in range(500):
            store.tasks.create_task({"title": f"task {n} " + "x" * 80, "status_id": 1,
                                     "position": float(n)}, action_id=f"a{n}")  # fmt: skip
    store.session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    middle = len(data) // size // 4  # task pages no write below touches
    rng = random.Random(5)
    for page in range(middle, middle + pages):
        for offset in range(0, size, 7):
            data[page * size + offset] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return path


def test_db_check_prints_what_integrity_check_found(tmp_path: Path) -> None:
    path = _damaged(tmp_path)

    result = run_mtui("db", "check", db=path)

    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert any(line.startswith("Page ") for line in lines), lines  # SQLite's own findings
    assert lines[-1].startswith(f"mtui: {count(len(lines) - 1, 'problem')} found")


def test_findings_are_capped(tmp_path: Path) -> None:
    conn = sqlite3.connect(_damaged(tmp_path, pages=20))
    assert len(integrity_findings(conn, limit=3)) <= 4  # three, and where the check stopped
    conn.close()


WRITES = [
    ("add", "Plan"),
    ("db", "migrate"),
    ("done", "1"),
    ("brief", "edit", "--set", "mission=Grow"),
]


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_writes_to_a_damaged_file_are_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = _damaged(tmp_path)
    before = sha256(path)

    result = run_mtui(*args, db=path)

    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "damaged" in result.stderr and "mtui db check" in result.stderr
    assert sha256(path) == before


def test_the_store_refuses_its_first_write_on_a_damaged_file(tmp_path: Path) -> None:
    store = open_store(_damaged(tmp_path))
    with pytest.raises(CorruptError, match="mtui db check"):
        store.tasks.create_task({"title": "x", "status_id": 1, "position": 0.0}, action_id="a")
