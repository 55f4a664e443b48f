"""Issue 16: ``mtui standup`` without click (``mtui.cli.fast_standup``) prints exactly
what the click command does: the same stdout, stderr and exit code, for every format,
window and owner, a stand-up marked, bad input and a bad config file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import MTUI, run_mtui

pytestmark = pytest.mark.slow

CLICK = "import sys; sys.argv[0] = 'mtui'; from mtui.cli import main; main()"

CASES = {
    "md": ["standup"],
    "text": ["standup", "--format", "text"],
    "json": ["standup", "--format=json"],
    "since and owner": ["standup", "--since", "monday", "--owner=@ana"],
    "since a date": ["standup", "--since=2026-11-20", "--format", "text"],
    "bad since": ["standup", "--since", "someday"],
    "mark": ["standup", "--mark", "--since", "3d"],
    "board on a file": ["--board", "team", "standup"],
}


def environment(tmp_path: Path, config: str | None = None) -> dict[str, str]:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    if config is not None:
        (folder / "config.toml").write_text(config, encoding="utf-8")
    env = {**os.environ, "MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin",
           "MTUI_CONFIG_DIR": str(folder), "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    env.pop("MTUI_DB", None)
    return env


def run(argv: list[str], db: Path, env: dict[str, str], *, click: bool) -> tuple:
    command = [sys.executable, "-c", CLICK] if click else [MTUI]
    result = subprocess.run([*command, "--db", str(db), *argv], capture_output=True, text=True,
                            env=env, timeout=60)  # fmt: skip
    after = subprocess.run([MTUI, "--db", str(db), "standup", "--format", "json"],
                           capture_output=True, text=True, env=env, timeout=60).stdout  # fmt: skip
    return result.returncode, result.stdout, result.stderr, after


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "demo.db"
    assert run_mtui("demo", "--db", str(path), "--no-open").returncode == 0
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_fast_standup_and_click_agree(tmp_path: Path, board: Path, name: str) -> None:
    env = environment(tmp_path)
    fast_db, click_db = tmp_path / "fast.db", tmp_path / "click.db"
    shutil.copy(board, fast_db)
    shutil.copy(board, click_db)
    fast = run(CASES[name], fast_db, env, click=False)
    slow = run(CASES[name], click_db, env, click=True)
    assert fast == slow


def test_they_agree_on_a_missing_database_and_a_bad_config(tmp_path: Path) -> None:
    env = environment(tmp_path, config='theme = 3\nweek_start = "someday"\n')
    fast = run(["standup"], tmp_path / "none.db", env, click=False)
    slow = run(["standup"], tmp_path / "none.db", env, click=True)
    assert fast[0] == 2 and "(using the default)" in fast[2]
    assert fast == slow


def test_the_fast_path_is_the_one_taken() -> None:
    """The comparisons above compare two paths: a plain standup runs without click."""
    from mtui.cli.fast_standup import plain_standup

    request = plain_standup(["--db", "x.db", "standup", "--since=3d", "--owner", "ana",
                             "--format", "text", "--mark"])  # fmt: skip
    assert request is not None
    assert (request.since, request.owner, request.fmt, request.mark) == ("3d", "ana", "text", True)
    for args in (["standup", "--help"], ["standup", "--format", "html"], ["standup", "x"],
                 ["standup", "--since"], ["standup", "--since", "-3d"], ["standup", "--mark=1"],
                 ["standup", "--owner", "a", "--owner", "b"], ["standup", "--mark", "--mark"],
                 ["standup", "--since="], ["standup", "--owner", "x\udcff"], ["ls"],
                 ["--db", "a", "--db", "b", "standup"], ["standup", "--sin", "3d"]):  # fmt: skip
        assert plain_standup(args) is None, args
