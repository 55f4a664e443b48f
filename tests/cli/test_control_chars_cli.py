"""Control characters: stripped where text enters, escaped where the CLI prints (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui

OSC_TITLE = "x \x1b]0;pwned\x07 launch"
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, seeded by the real CLI once per module (then copied per test)."""
    path = tmp_path_factory.mktemp("demo") / "controls.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "controls.db"
    shutil.copyfile(demo_file, path)
    return path


def _no_controls(text: str) -> bool:
    return not any(ch in text for ch in CONTROLS)


def test_quick_add_strips_nul_and_escapes_from_every_field(db: Path) -> None:
    line = "Launch\x00 \x1b[31mmail @an\x1ba #em\x07ail +co\x9bpy\n"
    added = run_mtui("add", "--json", "-", input=line, db=db)
    assert added.returncode == 0, added.stderr
    (task,) = json.loads(added.stdout)
    assert task["title"] == "Launch [31mmail"
    assert (task["owner"], task["channel"], task["tags"]) == ("ana", "email", ["copy"])
    stored = open_store(db).tasks.get_task(task["id"])
    assert _no_controls(stored.title) and _no_controls(stored.owner or "")


def test_argv_title_with_an_osc_sequence_is_stored_clean(db: Path) -> None:
    added = run_mtui("add", OSC_TITLE, db=db)
    assert added.returncode == 0 and _no_controls(added.stdout), added.stdout
    listed = run_mtui("ls", db=db).stdout
    assert "x ]0;pwned launch" in listed and _no_controls(listed)


def test_goal_and_campaign_text_is_stored_clean(db: Path) -> None:
    goal = run_mtui("goal", "add", "Grow\x1b]0;x\x07 reach", "--owner", "a\x1bna", "--json", db=db)
    assert goal.returncode == 0, goal.stderr
    assert json.loads(goal.stdout)["title"] == "Grow]0;x reach"
    assert json.loads(goal.stdout)["owner"] == "ana"
    brief = run_mtui("brief", "edit", "--set", "mission=Help\x1b[2J teams", db=db)
    assert brief.returncode == 0, brief.stderr
    assert open_store(db).strategy.brief().mission == "Help[2J teams"


def test_stored_control_characters_are_escaped_on_output(db: Path) -> None:
    """Older data (or another writer) may still hold them: printing never passes them on."""
    store = open_store(db)
    backlog = store.tasks.statuses()[0]
    store.tasks.create_task(
        {"title": OSC_TITLE + "\x9b2J", "status_id": backlog.id, "owner": "e\x1bve",
         "tags": ["t\x07ag"], "position": -1e9, "due": "2026-11-20"},
        action_id="test",
    )  # fmt: skip
    for args in (["ls"], ["ls", "--filter", "pwned"], ["standup", "--format", "md"],
                 ["standup", "--format", "text"]):  # fmt: skip
        out = run_mtui(*args, db=db)
        assert out.returncode == 0, out.stderr
        assert "\\x1b]0;pwned\\x07" in out.stdout, (args, out.stdout)
        assert _no_controls(out.stdout), args
    as_json = run_mtui("ls", "--json", "--filter", "pwned", db=db)
    assert _no_controls(as_json.stdout)
    assert json.loads(as_json.stdout)[0]["title"] == OSC_TITLE + "\x9b2J"
