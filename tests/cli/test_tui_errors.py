"""Issue 12, item 1: the real ``mtui`` in a terminal, on a database it cannot write.

The app must keep running and say why nothing was saved; an error that does end it
exits non-zero with one line, never a traceback with its local variables.

A file mode does not stop root, so the read-only file is made so for real: as root the
app runs as uid 65534 (``setpriv``) on a 0444 file when that user can run this Python,
else the file is made immutable (``chattr +i``), which stops root too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.terminal import Terminal, open_terminal

SETPRIV = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def nobody_can_run_mtui() -> bool:
    if shutil.which("setpriv") is None:
        return False
    check = [*SETPRIV, sys.executable, "-c", "import mtui, textual"]
    return subprocess.run(check, capture_output=True).returncode == 0


@pytest.fixture
def read_only_db(demo_template: Path) -> Iterator[tuple[Path, list[str]]]:
    """A copy of the demo plan mtui cannot write, and the command prefix to run it with."""
    folder = Path(tempfile.mkdtemp(prefix="mtui-ro-"))
    db = folder / "mtui.db"
    shutil.copyfile(demo_template, db)
    immutable = False
    prefix: list[str] = []
    if os.geteuid() != 0:
        db.chmod(0o444)
    elif nobody_can_run_mtui():
        folder.chmod(0o777)  # SQLite makes its -shm beside the file
        db.chmod(0o444)
        prefix = SETPRIV
    else:
        done = subprocess.run(["chattr", "+i", str(db)], capture_output=True)
        if done.returncode != 0:
            shutil.rmtree(folder)
            pytest.skip("no way to make a file read-only for root here (setpriv, chattr)")
        immutable = True
    try:
        yield db, prefix
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        shutil.rmtree(folder)


def test_writes_to_a_read_only_database_are_notices_and_the_app_keeps_running(
    read_only_db, terminal
) -> None:
    db, prefix = read_only_db
    terminal.start("--db", str(db), prefix=prefix)
    terminal.wait_for("Board · little m")
    terminal.press("x")  # done, on the card under the cursor
    terminal.wait_for("Not saved")  # "the database file … is read-only: nothing was saved"
    assert "read-only" in terminal.screen()
    assert not terminal.exited()
    terminal.press("s")
    terminal.wait_for("Stand-up held now")
    terminal.press("n")  # record the stand-up (asked first): a second notice
    terminal.wait_for("Record the stand-up")
    terminal.press("y")
    terminal.wait_for("Not saved", count=2)
    assert not terminal.exited()
    terminal.press("Escape")
    terminal.wait_until_gone("Stand-up held now")
    terminal.press("q")
    assert terminal.exit_status() == 0
    assert "locals" not in terminal.screen()


def test_an_error_that_ends_the_app_exits_1_with_one_line(
    tmp_path: Path, demo_template: Path, terminal
) -> None:
    db = tmp_path / "damaged.db"
    shutil.copyfile(demo_template, db)
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    conn.close()
    with db.open("r+b") as file:  # the task table's first page becomes garbage
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * page_size)
    terminal.start("--db", str(db))
    assert terminal.exit_status() == 1
    shown = terminal.screen()
    assert "mtui: the database file is damaged" in shown
    assert "locals" not in shown and "Traceback" not in shown
