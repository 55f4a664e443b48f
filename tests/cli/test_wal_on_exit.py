"""Issue 12, item 8: every write is in the database file itself once mtui exits.

A user copies ``mtui.db`` alone (a backup, another machine): SQLite's -wal file must
not hold the run's writes. Each connection is closed on exit (the last one checkpoints
and removes the -wal); ``immutable=1`` reads the main file and ignores any -wal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import run_mtui
from tests.support.terminal import Terminal, open_terminal


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def titles_in_file_alone(db: Path) -> list[str]:
    """The task titles the main file holds on its own (any -wal is not read)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM task ORDER BY id")]
    finally:
        conn.close()


def test_demo_dashboard_leaves_the_plan_in_the_file_after_q(tmp_path: Path, terminal) -> None:
    db = tmp_path / "demo.db"
    terminal.start("demo", "--db", str(db))
    terminal.wait_for("Board · little m")
    terminal.press("q")
    assert terminal.exit_status() == 0
    assert wal_bytes(db) == 0
    assert len(titles_in_file_alone(db)) > 20


def test_dashboard_quick_add_is_in_the_file_after_q(tmp_path: Path, terminal) -> None:
    db = tmp_path / "mtui.db"
    assert run_mtui("add", "First task", db=db).returncode == 0
    terminal.start("--db", str(db))
    terminal.wait_for("First task")
    terminal.press("a")
    terminal.wait_for("Quick add")
    terminal.type("Second task")
    terminal.press("Enter")
    terminal.wait_for("added #2")
    terminal.press("Escape")
    terminal.wait_until_gone("Quick add")
    terminal.press("q")
    assert terminal.exit_status() == 0
    assert wal_bytes(db) == 0
    assert titles_in_file_alone(db) == ["First task", "Second task"]


def test_cli_add_leaves_no_wal_content(tmp_path: Path) -> None:
    db = tmp_path / "mtui.db"
    for title in ("One", "Two"):
        assert run_mtui("add", title, db=db).returncode == 0
        assert wal_bytes(db) == 0
    assert titles_in_file_alone(db) == ["One", "Two"]
