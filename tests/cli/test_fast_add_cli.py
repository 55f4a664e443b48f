"""Issue 16: ``mtui add`` without click (``mtui.cli.fast_add``) says and saves exactly
what the click command does: the same stdout, stderr, exit code and board, for good
lines, bad ones, every option, stdin, a new database and a bad config file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import MTUI, new_db

ROOT = Path(__file__).resolve().parents[2]
CLICK = "import sys; sys.argv[0] = 'mtui'; from mtui.cli import main; main()"

CASES = {
    "plain": ["add", "Write launch email #email @ana !1 +copy est:30m due:fri"],
    "words": ["add", "Write", "launch", "email", "-", "#email", "due:tomorrow"],
    "json": ["add", "--json", "Write launch email #email due:eom"],
    "json after text": ["add", "Write launch email", "--json"],
    "dry run": ["add", "--dry-run", "Write launch email #emial @newbie due:+2w"],
    "dry run json": ["add", "--dry-run", "--json", "Write launch email due:dec3 !2"],
    "new names": ["add", "Write launch email #podcast @newbie"],
    "bad token": ["add", "Write launch email !9"],
    "bad token json": ["add", "--json", "Write launch email due:someday"],
    "no title": ["add", "#email due:fri"],
    "unknown goal": ["add", "Write launch email ^signupz"],
    "unknown goal json": ["add", "--json", "Write launch email c:nope"],
    "far away": ["add", "Leap day post due:feb29"],
    "a time": ["add", 'Call Ana due:"fri 15:00"'],
    "controls": ["add", "Bad\x1b[31m title\x07 #email"],
    "empty": ["add", ""],
    "stdin": ["add", "-"],
    "stdin json": ["add", "--json", "-"],
    "board on a file": ["--board", "team", "add", "x"],
    "repeated flag": ["add", "--json", "--json", "x"],
}
STDIN = "First from stdin #email\n\n  \nSecond @ana due:mon\n"


def run_once(argv: list[str], db: Path, env: dict[str, str], *, click: bool) -> tuple:
    command = [sys.executable, "-c", CLICK] if click else [MTUI]
    result = subprocess.run([*command, "--db", str(db), *argv], capture_output=True, text=True,
                            input=STDIN, env=env, timeout=60)  # fmt: skip
    board = subprocess.run([MTUI, "--db", str(db), "ls"], capture_output=True, text=True,
                           env=env, timeout=60).stdout if db.exists() else None  # fmt: skip
    return result.returncode, result.stdout, result.stderr, board


def same_paths(outcome: tuple, old: Path, new: Path) -> tuple:
    """``outcome`` with one database's path written as the other's."""
    return tuple(o.replace(str(old), str(new)) if isinstance(o, str) else o for o in outcome)


def run(argv: list[str], db: Path, env: dict[str, str], *, click: bool) -> tuple:
    """Exit code, stdout, stderr and the board after (``mtui ls``); random uids hidden."""
    return tuple(
        UID.sub('"uid": "…"', part) if isinstance(part, str) else part
        for part in run_once(argv, db, env, click=click)
    )


UID = re.compile(r'"uid": "[0-9a-f]{32}"')


def environment(tmp_path: Path, config: str | None = None) -> dict[str, str]:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    if config is not None:
        (folder / "config.toml").write_text(config, encoding="utf-8")
    env = {**os.environ, "MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin",
           "MTUI_CONFIG_DIR": str(folder), "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    env.pop("MTUI_DB", None)
    return env


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "board.db"
    new_db(path)
    env = environment(path.parent)
    subprocess.run([MTUI, "--db", str(path), "add", "Seed #email @ana"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_fast_add_and_click_agree(tmp_path: Path, board: Path, name: str) -> None:
    env = environment(tmp_path)
    fast_db, click_db = tmp_path / "fast.db", tmp_path / "click.db"
    shutil.copy(board, fast_db)
    shutil.copy(board, click_db)
    fast = run(CASES[name], fast_db, env, click=False)
    slow = run(CASES[name], click_db, env, click=True)
    assert fast == same_paths(slow, click_db, fast_db)


def test_they_agree_on_a_new_database_and_a_bad_config(tmp_path: Path) -> None:
    env = environment(tmp_path, config='theme = 3\nweek_start = "someday"\nnope = 1\n')
    fast_db, click_db = tmp_path / "fast.db", tmp_path / "click.db"
    fast = run(["add", "--json", "First #email"], fast_db, env, click=False)
    slow = run(["add", "--json", "First #email"], click_db, env, click=True)
    assert "created new database" in fast[2] and "(using the default)" in fast[2]
    assert fast == same_paths(slow, click_db, fast_db)


def test_the_fast_path_is_the_one_taken(tmp_path: Path, board: Path) -> None:
    """The comparison above compares two paths: a plain add runs without click."""
    from mtui.cli.fast_add import plain_add

    assert plain_add(["--db", "x.db", "add", "--json", "Write", "it"]) is not None
    for args in (["add", "--help"], ["add"], ["add", "--", "x"], ["add", "-x", "y"],
                 ["--db", "a", "--db", "b", "add", "x"], ["--version"], ["ls"],
                 ["add", "--dry", "x"], ["--db=", "add", "x"], ["add", "x\udcff"]):  # fmt: skip
        assert plain_add(args) is None, args
