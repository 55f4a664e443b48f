"""Issue 12 item 7: read-only files and places, as an unprivileged user (uid 65534).

Reading works and leaves nothing behind; writing says why it cannot (exit 1, one line,
ReadOnlyError); creating in a read-only directory says so too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import sha256
from tests.support.unprivileged import NOBODY, nobody_dir, require_setpriv, run_mtui_as_nobody


@pytest.fixture
def place(tmp_path: Path):
    require_setpriv()
    with nobody_dir() as directory:
        yield directory


def _board(path: Path) -> None:
    store = open_store(path)
    store.tasks.create_task({"title": "Plan Q1", "status_id": 1, "position": 1.0}, action_id="a")
    store.session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def _snapshot(directory: Path) -> tuple[list[str], dict[str, str]]:
    names = sorted(p.name for p in directory.iterdir())
    return names, {name: sha256(directory / name) for name in names}


@pytest.mark.parametrize("where", ["read-only file", "read-only directory"])
def test_a_read_only_database_reads_and_refuses_writes_clearly(place: Path, where: str) -> None:
    db = place / "mtui.db"
    _board(db)
    if where == "read-only file":
        os.chown(place, NOBODY, NOBODY)  # nobody may write the directory, not the file
        db.chmod(0o444)
    else:
        os.chown(db, NOBODY, NOBODY)  # nobody may write the file, not the directory
    before = _snapshot(place)

    listed = run_mtui_as_nobody("ls", db=db)
    exported = run_mtui_as_nobody("export", db=db)
    added = run_mtui_as_nobody("add", "Launch", db=db)
    moved = run_mtui_as_nobody("move", "1", "next", db=db)

    assert listed.returncode == 0 and listed.stdout.startswith("#1 Plan Q1"), listed.stderr
    assert exported.returncode == 0 and "Plan Q1" in exported.stdout, exported.stderr
    for refused in (added, moved):
        assert refused.returncode == 1, refused.stderr
        assert refused.stderr.count("\n") == 1, refused.stderr
        assert "read-only" in refused.stderr and "nothing was saved" in refused.stderr
        assert str(db) in refused.stderr and "unexpected" not in refused.stderr
    assert _snapshot(place) == before  # no -wal/-shm left behind by a reader


def test_a_read_only_directory_refuses_a_new_database_clearly(place: Path) -> None:
    db = place / "mtui.db"
    created = run_mtui_as_nobody("add", "Plan", db=db)
    read = run_mtui_as_nobody("ls", db=db)
    assert created.returncode == 1 and created.stderr.count("\n") == 1, created.stderr
    assert "read-only" in created.stderr and "nothing was saved" in created.stderr
    assert read.returncode == 2 and "no mtui database" in read.stderr
    assert list(place.iterdir()) == []


def test_a_reader_in_a_read_only_directory_reads_through_an_existing_wal(place: Path) -> None:
    """While the owner has the board open (a -wal with unmerged commits), a reader who
    cannot write there still sees every commit."""
    db = place / "mtui.db"
    _board(db)
    owner = open_store(db)
    owner.tasks.create_task({"title": "Fresh", "status_id": 1, "position": 2.0}, action_id="b")
    assert (place / "mtui.db-wal").stat().st_size > 0
    try:
        listed = run_mtui_as_nobody("ls", db=db)
    finally:
        owner.close()
    assert listed.returncode == 0, listed.stderr
    assert "Fresh" in listed.stdout
