"""Bad input on the command line: exit 2 with one line, nothing saved (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui

HUGE = "9" * 309


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "inputs.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


def assert_bad_input(result, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtui: "), result.stderr
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["add", f"Plan est:{HUGE}h"],
        ["add", f"Plan est:1h{HUGE}m"],
        ["add", f"Plan est:{'9' * 5000}m"],
        ["add", "--dry-run", f"Plan est:{HUGE}h"],
        ["add", "Plan due:+9999y"],
        ["add", "Plan due:0001-01-01"],
        ["goal", "edit", "signups", "--target", "1e999"],
        ["goal", "edit", "signups", "--current", "inf"],
        ["goal", "edit", "signups", "--due", "9999-01-01"],
        ["campaign", "edit", "spring-launch", "--budget", HUGE],
    ],
)
def test_numbers_out_of_range_are_exit_2(db: Path, args: list[str]) -> None:
    before = open_store(db).tasks.count_tasks()
    result = run_mtui(*args, db=db)
    if "--dry-run" in args or args[0] == "add":
        assert result.returncode == 2 and "Overflow" not in result.stderr, result.stderr
        assert "out of range" in result.stderr, result.stderr
    else:
        assert_bad_input(result)
    assert open_store(db).tasks.count_tasks() == before


@pytest.mark.parametrize(
    "task_id",
    ["99999999999999999999999", "9" * 5000, "9223372036854775808"],
    ids=["23", "5000", "2**63"],
)
def test_an_id_too_large_for_any_task_is_not_found(db: Path, task_id: str) -> None:
    for command in (["move", task_id, "Doing"], ["done", task_id], ["rm", task_id]):
        assert_bad_input(run_mtui(*command, db=db), "no task #")


def test_a_non_numeric_id_is_one_line(db: Path) -> None:
    assert_bad_input(run_mtui("move", "abc", "Doing", db=db), "not a task id", "mtui move --help")
