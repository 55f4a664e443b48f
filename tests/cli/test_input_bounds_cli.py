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


INVALID = b"caf\xe9 launch"  # latin-1, not UTF-8


def _run_bytes(db: Path, *args: bytes, stdin: bytes | None = None):
    import os
    import subprocess

    from tests.support.cli import MTUI

    config = Path(__file__).resolve().parents[1] / "fixtures" / "no-config"
    env = {**os.environ, "MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin",
           "MTUI_CONFIG_DIR": str(config)}  # fmt: skip
    env.pop("MTUI_DB", None)
    command = [MTUI.encode(), b"--db", str(db).encode(), *args]
    done = subprocess.run(command, input=stdin, capture_output=True, env=env, timeout=60)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.mark.parametrize(
    "args",
    [
        [b"add", INVALID],
        [b"add", b"--dry-run", INVALID],
        [b"move", b"1", b"Do\xff"],
        [b"ls", b"--filter", INVALID],
        [b"goal", b"add", INVALID],
    ],
)
def test_invalid_utf8_in_argv_is_exit_2(db: Path, args: list[bytes]) -> None:
    before = open_store(db).tasks.count_tasks()
    assert_bad_input(_run_bytes(db, *args), "not valid UTF-8", "\\xe9" if INVALID in args else "")
    assert open_store(db).tasks.count_tasks() == before


def test_invalid_utf8_on_stdin_is_exit_2_and_saves_nothing(db: Path) -> None:
    before = open_store(db).tasks.count_tasks()
    result = _run_bytes(db, b"add", b"-", stdin=b"First #seo\n" + INVALID + b"\n")
    assert_bad_input(result, "stdin is not valid UTF-8 (line 2")
    assert open_store(db).tasks.count_tasks() == before
