"""Opening database files: create, migrate with a backup, refuse what isn't ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from mtui.core.errors import DatabaseRefused
from mtui.core.store import open_store
from mtui.core.store.sqlite.opening import known_migrations, schema_module
from tests.support.cli import run_mtui, sha256


def test_new_database_gets_full_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    tables = set(Database(store.session.conn).table_names())
    assert {"brief", "goal", "campaign", "channel", "status", "task", "task_event",
            "metric_source", "metric_snapshot", "standup", "setting"} <= tables  # fmt: skip
    assert store.session.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.session.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.session.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert [s.name for s in store.tasks.statuses()] == [
        "Backlog",
        "Next",
        "Doing",
        "Blocked",
        "Done",
    ]
    assert not list(tmp_path.glob("*.bak-*")), "a brand-new file needs no backup"


def test_database_at_previous_migration_is_migrated_with_backup_and_data_intact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    previous, latest = known_migrations()[-2], known_migrations()[-1]
    db = Database(path)
    schema_module().migrations.apply(db, stop_before=latest)
    db["task"].insert({"title": "Keep me", "status_id": 1, "position": 1.0,
                       "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})  # fmt: skip
    db.close()
    before = sha256(path)

    store = open_store(path)

    assert [t.title for t in store.tasks.list_tasks()] == ["Keep me"]
    applied = [
        r[0] for r in store.session.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")
    ]
    assert applied[-2:] == [previous, latest]
    backups = list(tmp_path.glob("old.db.bak-*"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("SELECT title FROM task").fetchone() == ("Keep me",)
    assert sha256(path) != before


def _mtui_file(path: Path, tasks: int = 0) -> None:
    """A real mtui database, checkpointed and closed (no -wal/-shm left)."""
    store = open_store(path)
    with store.batch():
        for n in range(tasks):
            store.tasks.create_task({"title": f"task {n} " + "x" * 60, "status_id": 1,
                                     "position": float(n)}, action_id=f"a{n}")  # fmt: skip
    store.session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


BAD_FILES = ["not_sqlite", "foreign_sqlite", "newer_mtui", "empty", "no_tables", "truncated"]


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_are_refused_and_left_untouched(tmp_path: Path, kind: str) -> None:
    """Issue 12 item 9: refused files stay byte-identical, and nothing appears next to
    them (no -wal/-shm), whichever command or entry point met them."""
    path = tmp_path / f"{kind}.db"
    if kind == "not_sqlite":
        path.write_bytes(b"name,owner\nLaunch,ana\n" * 50)
    elif kind == "foreign_sqlite":
        Database(path)["invoices"].insert({"id": 1, "total": 9.5})
    elif kind == "empty":
        path.touch()
    elif kind == "no_tables":
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 7")  # a valid SQLite file without a table
        conn.close()
    elif kind == "truncated":
        _mtui_file(path, tasks=300)
        with path.open("r+b") as handle:
            handle.truncate(4096 + 100)  # page 1 and a sliver of page 2
    else:
        store = open_store(path)
        store.session.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('mtui', '9999_from_the_future', '2030-01-01')"
        )
        store.session.conn.commit()
        store.session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    before = sha256(path)
    listing = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseRefused) as refused:
        open_store(path)
    result = run_mtui("ls", db=path)
    dashboard = run_mtui(db=path)  # the dashboard's fast path (no click) refuses it the same way
    for writer in (("add", "Plan"), ("db", "migrate"), ("import", str(tmp_path / "none.json"))):
        if writer[0] == "import":
            (tmp_path / "none.json").write_text("[]")
        refused_write = run_mtui(*writer, db=path)
        assert refused_write.returncode == 2, (writer, refused_write.stderr)
        (tmp_path / "none.json").unlink(missing_ok=True)

    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    assert dashboard.returncode == 2 and dashboard.stderr == result.stderr
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "untouched" in result.stderr
    assert "Traceback" not in result.stderr
    expected = {
        "not_sqlite": "not an SQLite",
        "foreign_sqlite": "not an mtui",
        "newer_mtui": "newer mtui",
        "empty": "empty file",
        "no_tables": "holds no tables",
        "truncated": "could not be read",
    }
    assert expected[kind] in str(refused.value)
    assert not list(tmp_path.glob("*.bak-*"))


def test_db_path_follows_option_then_env(tmp_path: Path) -> None:
    assert run_mtui("db", "path", db=tmp_path / "a.db").stdout.strip() == str(tmp_path / "a.db")
    from_env = run_mtui("db", "path", env={"MTUI_DB": str(tmp_path / "env.db")})
    assert from_env.stdout.strip() == str(tmp_path / "env.db")
    default = run_mtui("db", "path", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert default.stdout.strip().endswith("mtui.db") and str(tmp_path / "xdg") in default.stdout


def test_db_check_backup_and_migrate_commands(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    assert run_mtui("add", "Plan Q1", db=db).returncode == 0
    assert run_mtui("db", "check", db=db).stdout.strip() == "ok"
    assert run_mtui("db", "migrate", db=db).stdout.strip() == "up to date"
    copy = tmp_path / "copy.db"
    assert run_mtui("db", "backup", str(copy), db=db).returncode == 0
    assert [t.title for t in open_store(copy).tasks.list_tasks()] == ["Plan Q1"]


def test_static_migration_list_matches_the_loaded_migrations() -> None:
    """Opening reads migration names without importing sqlite-utils; they must agree."""
    loaded = [m.name for m in schema_module().migrations._migrations]
    assert known_migrations() == loaded and len(loaded) >= 3


def test_opening_an_up_to_date_database_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_store(tmp_path / "ready.db").close()
    script = (
        "import sys\nfrom mtui.core.store import open_store\n"
        f"open_store({str(tmp_path / 'ready.db')!r}).tasks.list_tasks()\n"
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_creation_clears_what_a_killed_creation_left_and_nothing_else(tmp_path: Path) -> None:
    """Issue 12 item 6: a temporary file of a dead process is removed; one a running
    process is still building is left alone; neither is ever opened as the database."""
    import os

    dead = tmp_path / ".board.db.creating-999999999"  # above any pid_max: no such process
    dead_journal = tmp_path / ".board.db.creating-999999999-journal"
    running = tmp_path / f".board.db.creating-{os.getppid()}"
    for leftover in (dead, dead_journal, running):
        leftover.write_bytes(b"half a database")

    store = open_store(tmp_path / "board.db")

    assert store.tasks.count_tasks() == 0
    assert not dead.exists() and not dead_journal.exists()
    assert running.read_bytes() == b"half a database"
