"""``mtui brief``, ``mtui goal`` and ``mtui campaign`` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.support.cli import new_db, run_mtui

pytestmark = pytest.mark.slow


def ok(*args: str, db: Path, **kw) -> object:
    result = run_mtui(*args, db=db, **kw)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args else result.stdout


def test_brief_set_show_history_and_diff(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    assert ok("brief", "--json", db=db)["version"] == 0
    ok("brief", "edit", "--set", "name=Acme", "--set", "pos_for=indie founders",
       "--set", "pos_category=analytics tool", db=db)  # fmt: skip
    saved = ok("brief", "edit", "--set", "name=Acme Analytics", "--json", db=db)
    assert saved["version"] == 2
    assert (
        saved["positioning_statement"] == "For indie founders, Acme Analytics is an analytics tool."
    )
    history = ok("brief", "history", "--json", db=db)
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changed"] == ["name"]
    diff = ok("brief", "diff", "1", "2", "--json", db=db)
    assert diff == [{"field": "name", "kind": "changed", "old": "Acme", "new": "Acme Analytics"}]
    bad = run_mtui("brief", "edit", "--set", "slogan=x", db=db)
    assert bad.returncode == 2 and "unknown brief field 'slogan'" in bad.stderr


def test_brief_edit_in_editor_saves_a_version(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('mission:', 'mission: Numbers for founders', 1))\n"
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""}
    out = ok("brief", "edit", db=db, env={**env, "PATH": os.environ["PATH"]})
    assert "saved brief version 1" in out
    assert ok("brief", "--json", db=db)["mission"] == "Numbers for founders"


def test_goal_add_ls_edit_with_computed_status(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    # Frozen "now" is 2026-11-26: 56 of 92 days elapsed (~61%).
    added = ok("goal", "add", "Grow signups", "--slug", "signups", "--stage", "attract",
               "--baseline", "0", "--target", "1000", "--current", "200", "--start",
               "2026-10-01", "--due", "2026-12-31", "--owner", "ana", "--json", db=db)  # fmt: skip
    assert added["slug"] == "signups" and added["status"] == "off track"
    assert added["progress"] == 0.2 and added["without_execution"] is True
    ok("goal", "add", "Newsletter subscribers", "--parent", "signups", "--target", "50", db=db)
    ok("add", "Launch email ^signups s:doing", db=db)
    ok("add", "Random idea", db=db)
    edited = ok("goal", "edit", "signups", "--current", "450", "--json", db=db)
    assert edited["status"] == "at risk" and edited["current"] == 450.0
    goals = ok("goal", "ls", "--json", db=db)
    assert [g["slug"] for g in goals] == ["signups", "newsletter-subscribers"]
    assert goals[0]["tactics"] == {"Doing": 1} and goals[0]["tactics_summary"] == "1 doing"
    assert goals[0]["without_execution"] is False
    assert goals[1]["parent"] == "signups"
    override = ok("goal", "edit", "signups", "--status", "achieved", "--json", db=db)
    assert override["status"] == "achieved" and override["status_override"] == "achieved"
    assert "⚠ strategy without execution" in ok("goal", "ls", db=db)
    orphans = ok("ls", "--orphans", "--json", db=db)
    assert [t["title"] for t in orphans] == ["Random idea"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["goal", "add", "X", "--stage", "grow"], "unknown stage 'grow'"),
        (["goal", "add", "X", "--unit", "kg"], "unknown unit 'kg'"),
        (["goal", "add", "X", "--due", "someday"], "bad due date"),
        (["goal", "add", "X", "--parent", "ghost"], "unknown parent goal 'ghost'"),
        (["goal", "add", "Taken"], "a goal with slug 'taken' already exists"),
        (["goal", "edit", "ghost", "--current", "1"], "no goal 'ghost'"),
        (["campaign", "add", "C", "--goal", "ghost"], "no goal 'ghost'"),
        (["campaign", "add", "C", "--start", "2026-12-10", "--end", "2026-12-01"],
         "end date 2026-12-01 is before start date"),
        (["campaign", "add", "C", "--status", "running"], "unknown status 'running'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    db = new_db(tmp_path / "m.db")
    ok("goal", "add", "Taken", db=db)
    result = run_mtui(*args, db=db)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_campaign_add_ls_edit_and_its_tactics_serve_its_goals(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    ok("goal", "add", "Signups", db=db)
    ok("goal", "add", "MQLs", db=db)
    made = ok("campaign", "add", "Spring launch", "--goal", "signups,mqls", "--budget",
              "12,000", "--spend", "500", "--start", "2026-12-01", "--end", "2026-12-31",
              "--colour", "#e0719e", "--owner", "@ana", "--utm", "spring", "--json", db=db)  # fmt: skip
    assert made["slug"] == "spring-launch" and made["goals"] == ["signups", "mqls"]
    assert (made["budget"], made["spend"], made["owner"]) == (12000.0, 500.0, "ana")
    edited = ok("campaign", "edit", "spring-launch", "--spend", "900", "--status", "active",
                "--goal", "mqls", "--json", db=db)  # fmt: skip
    assert edited["spend"] == 900.0 and edited["status"] == "active" and edited["goals"] == ["mqls"]
    listed = ok("campaign", "ls", "--json", db=db)
    assert [c["slug"] for c in listed] == ["spring-launch"]
    ok("add", "Launch email c:spring-launch", db=db)
    goals = {g["slug"]: g for g in ok("goal", "ls", "--json", db=db)}
    assert goals["mqls"]["open_tactics"] == 1 and goals["signups"]["open_tactics"] == 0
    assert ok("ls", "--orphans", "--json", db=db) == []
