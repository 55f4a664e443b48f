"""Issue 12 item 9: no silent databases.

Only the dashboard, ``demo``, ``add``, ``import`` and ``db migrate`` create a database,
and they say so on stderr. Everything else meets a missing file with exit 2 and one line,
and creates nothing: no file, no directory, no -wal/-shm.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui, sha256

NOT_CREATORS = [
    ("ls",),
    ("ls", "--json"),
    ("export",),
    ("brief",),
    ("brief", "edit", "--set", "mission=Grow"),
    ("goal", "ls"),
    ("goal", "add", "Signups"),
    ("campaign", "ls"),
    ("source", "ls", "--json"),
    ("metrics", "ls"),
    ("standup",),
    ("done", "1"),
    ("move", "1", "next"),
    ("add", "--dry-run", "Plan"),
    ("db", "check"),
    ("db", "backup", "COPY"),
]


def listing(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("args", NOT_CREATORS, ids=" ".join)
def test_a_command_that_does_not_create_meets_a_missing_file_with_exit_2(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    mistyped = tmp_path / "mtiu.db"
    before = listing(tmp_path)

    result = run_mtui(*(str(tmp_path / "copy.db") if a == "COPY" else a for a in args), db=mistyped)

    assert result.returncode == 2, result.stderr
    # One line on stderr, or with --json the error as JSON on stdout.
    said = json.loads(result.stdout)["error"] if "--json" in args else result.stderr
    assert said.strip().count("\n") == 0 and "no mtui database at" in said
    assert str(mistyped) in said
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    "args", [("add", "Plan Q1"), ("import", "board.csv"), ("db", "migrate")], ids=" ".join
)
def test_the_creators_create_and_say_so_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "board.csv").write_text("title,status\nPlan Q1,Backlog\n")
    db = tmp_path / "new.db"

    first = run_mtui(*(a if a != "board.csv" else str(tmp_path / a) for a in args), db=db)
    again = run_mtui("db", "migrate", db=db)

    assert first.returncode == 0, first.stderr
    assert f"mtui: created new database at {db}\n" in first.stderr
    assert again.returncode == 0 and "created" not in again.stderr
    assert open_store(db, create=False).tasks.count_tasks() == (0 if args[0] == "db" else 1)
    assert sorted(p.name for p in tmp_path.iterdir() if "creating" in p.name) == []


@pytest.mark.parametrize("args", [("add", "Post due:someday"), ("import", "bad.csv")], ids=" ".join)
def test_a_creator_given_bad_input_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    """A failed run changes nothing: the input is checked before the database is made."""
    (tmp_path / "bad.csv").write_text("title,priority\nPlan,7\n")
    db = tmp_path / "new.db"
    before = listing(tmp_path)

    result = run_mtui(*(str(tmp_path / a) if a == "bad.csv" else a for a in args), db=db)

    assert result.returncode == 2, result.stderr
    assert "created" not in result.stderr
    assert listing(tmp_path) == before


def test_demo_creates_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run_mtui("demo", "--no-open", "--db", str(db))
    assert result.returncode == 0 and f"created new database at {db}" in result.stderr


@pytest.mark.parametrize("args", [("add", "Plan"), ("db", "migrate"), ()], ids=repr)
def test_a_missing_directory_is_an_error_not_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    """The dashboard's fast path (no arguments) refuses it too, before Textual loads."""
    db = tmp_path / "typo" / "mtui.db"
    result = run_mtui(*args, db=db)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_the_default_location_is_created_with_its_directory(tmp_path: Path) -> None:
    """The platform data dir is mtui's own: its directory may be made."""
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    read = run_mtui("ls", env=env)
    assert read.returncode == 2 and not (tmp_path / "xdg").exists()

    added = run_mtui("add", "Plan", env=env)

    default = tmp_path / "xdg" / "mtui" / "mtui.db"
    assert added.returncode == 0, added.stderr
    assert f"created new database at {default}" in added.stderr
    assert run_mtui("ls", env=env).stdout.startswith("#1 Plan")


def test_db_backup_overwrites_only_with_force(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    assert run_mtui("add", "Plan Q1", db=db).returncode == 0
    target = tmp_path / "keep.db"
    target.write_bytes(b"something precious\n")
    before = sha256(target)

    refused = run_mtui("db", "backup", str(target), db=db)

    assert refused.returncode == 2 and "--force" in refused.stderr
    assert sha256(target) == before
    forced = run_mtui("db", "backup", "--force", str(target), db=db)
    assert forced.returncode == 0, forced.stderr
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT title FROM task").fetchall() == [("Plan Q1",)]
    copy.close()
    assert [p.name for p in tmp_path.iterdir() if "creating" in p.name] == []


def test_the_dashboard_creates_and_says_so(tmp_path: Path) -> None:
    """``mtui --db PATH`` (entry.py's fast path, no click): the screen itself is stubbed."""
    import os
    import subprocess
    import sys

    db = tmp_path / "board.db"
    script = (
        "import sys\nimport mtui.ui.app as app\napp.MtuiApp.run = lambda self: None\n"
        f"sys.argv = ['mtui', '--db', {str(db)!r}]\n"
        "from mtui.entry import run\nrun()\n"
    )
    env = {
        **os.environ,
        "MTUI_CONFIG_DIR": str(Path(__file__).parents[1] / "fixtures" / "no-config"),
    }
    env.pop("MTUI_DB", None)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"mtui: created new database at {db}\n"
    assert open_store(db, create=False).tasks.count_tasks() == 0
