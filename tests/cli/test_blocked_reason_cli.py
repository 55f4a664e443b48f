"""Blocked from the command line takes a reason like ``b`` does; the stand-up names a
missing one (issue 12 item 18)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, seeded by the real CLI once per module (then copied per test)."""
    path = tmp_path_factory.mktemp("demo") / "blocked.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "blocked.db"
    shutil.copyfile(demo_file, path)
    return path


def _open_task_id(db: Path) -> int:
    tasks = json.loads(run_mtui("ls", "--status", "Backlog", "--json", db=db).stdout)
    return tasks[0]["id"]


def test_move_into_blocked_with_a_reason_stores_it_as_b_does(db: Path) -> None:
    task_id = _open_task_id(db)
    moved = run_mtui("move", str(task_id), "blocked", "--reason", "waiting on legal", db=db)
    assert moved.returncode == 0, moved.stderr
    assert "[Blocked]" in moved.stdout and "waiting on legal" in moved.stdout
    task = open_store(db).tasks.get_task(task_id)
    assert task.blocked_reason == "waiting on legal"
    md = run_mtui("standup", "--format", "md", db=db).stdout
    assert "— waiting on legal" in md
    back = run_mtui("move", str(task_id), "Next", db=db)
    assert back.returncode == 0 and open_store(db).tasks.get_task(task_id).blocked_reason is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["Doing", "--reason", "x"], "--reason is for moving into Blocked"),
     (["blocked", "--reason", "  "], "say what blocks the task")],
)  # fmt: skip
def test_a_reason_that_cannot_apply_is_exit_2(db: Path, args: list[str], needle: str) -> None:
    task_id = _open_task_id(db)
    before = open_store(db).tasks.get_task(task_id)
    result = run_mtui("move", str(task_id), *args, db=db)
    assert result.returncode == 2 and needle in result.stderr
    assert open_store(db).tasks.get_task(task_id).version == before.version


def test_stand_up_says_no_reason_given(db: Path) -> None:
    task_id = _open_task_id(db)
    assert run_mtui("move", str(task_id), "blocked", db=db).returncode == 0
    title = open_store(db).tasks.get_task(task_id).title
    for fmt in ("md", "text"):
        out = run_mtui("standup", "--format", fmt, db=db).stdout
        (line,) = [line for line in out.splitlines() if title in line and "blocked" in line]
        assert "no reason given" in line, (fmt, line)
    report = json.loads(run_mtui("standup", "--format", "json", db=db).stdout)
    assert [b["reason"] for b in report["blocked"] if b["id"] == task_id] == [None]
