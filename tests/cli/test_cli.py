"""The CLI through the installed ``mtui`` entry point, run as a subprocess."""

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
    path = tmp_path_factory.mktemp("demo") / "cli.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    shutil.copyfile(demo_file, path)
    return path


def test_add_ls_move_done_rm_restore(db: Path) -> None:
    added = run_mtui("add", "--json", "Launch", "email", "#email", "@ana", "due:fri", "!1", "^signups",
                     "c:spring-launch", "+copy", "est:2h", db=db)  # fmt: skip
    assert added.returncode == 0, added.stderr
    (task,) = json.loads(added.stdout)
    assert (task["title"], task["owner"], task["channel"], task["goal"], task["campaign"]) == (
        "Launch email", "ana", "email", "signups", "spring-launch")  # fmt: skip
    assert (task["due"], task["priority"], task["tags"], task["estimate_minutes"]) == (
        "2026-11-27",
        1,
        ["copy"],
        120,
    )

    listed = json.loads(run_mtui("ls", "--status", "backlog", "--json", db=db).stdout)
    assert listed[0]["id"] == task["id"] and all(t["status"] == "Backlog" for t in listed)

    moved = run_mtui("move", str(task["id"]), "doi", db=db)
    assert moved.returncode == 0 and "[Doing]" in moved.stdout
    assert "[Done]" in run_mtui("done", str(task["id"]), db=db).stdout
    assert "restore" in run_mtui("rm", str(task["id"]), db=db).stdout
    assert task["id"] not in [t["id"] for t in json.loads(run_mtui("ls", "--json", db=db).stdout)]
    assert run_mtui("restore", str(task["id"]), db=db).returncode == 0

    kinds = [e.kind for e in open_store(db).tasks.events(task_id=task["id"])]
    assert kinds == ["created", "moved", "moved", "moved", "moved", "deleted", "restored"]


def test_dry_run_json_matches_the_spec_and_saves_nothing(db: Path) -> None:
    before = open_store(db).tasks.count_tasks()
    result = run_mtui("add", "--dry-run", "--json", "Post #linkedin @raj s:next", db=db)
    assert json.loads(result.stdout) == {
        "title": "Post", "status": "next", "priority": None, "owner": "raj", "channel": "linkedin",
        "campaign": None, "goal": None, "due": None, "tags": [], "estimate_minutes": None}  # fmt: skip
    assert open_store(db).tasks.count_tasks() == before


def test_bad_input_exits_2_with_one_line_and_saves_nothing(db: Path) -> None:
    before = open_store(db).tasks.count_tasks()
    parse_error = run_mtui("add", "--dry-run", "--json", "Post due:someday", db=db)
    assert parse_error.returncode == 2
    payload = json.loads(parse_error.stdout)
    assert set(payload) == {"error", "position"} and payload["position"] == 5
    unknown_goal = run_mtui("add", "Post ^signup", db=db)
    assert unknown_goal.returncode == 2 and "did you mean ^signups" in unknown_goal.stderr
    assert run_mtui("move", "999999", "done", db=db).returncode == 2
    assert run_mtui("move", "1", "nowhere", db=db).returncode == 2
    assert open_store(db).tasks.count_tasks() == before


def test_add_from_stdin_is_all_or_nothing(db: Path) -> None:
    before = open_store(db).tasks.count_tasks()
    bad = run_mtui("add", "-", input="First #seo\nSecond ^nope\n", db=db)
    assert bad.returncode == 2 and "line 2" in bad.stderr
    assert open_store(db).tasks.count_tasks() == before
    good = run_mtui("add", "-", input="First #seo\n\nSecond @ana\n", db=db)
    assert good.returncode == 0 and good.stdout.count("\n") == 2
    assert open_store(db).tasks.count_tasks() == before + 2


def test_export_import_round_trip_via_cli(db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "tasks.csv"
    assert run_mtui("export", "--format", "csv", "-o", str(exported), db=db).returncode == 0
    fresh = tmp_path / "fresh.db"
    imported = run_mtui("import", str(exported), db=fresh)
    assert imported.returncode == 0, imported.stderr
    # CSV carries the tasks (every field, not their history); JSON is the full backup.
    assert (
        run_mtui("export", "--format", "csv", db=fresh).stdout
        == run_mtui("export", "--format", "csv", db=db).stdout
    )


def test_ls_orphans_lists_only_tasks_serving_no_goal(db: Path) -> None:
    orphans = json.loads(run_mtui("ls", "--orphans", "--json", db=db).stdout)
    assert orphans and all(t["goal"] is None and t["campaign"] is None for t in orphans)
    assert all(t["status"] != "Done" for t in orphans)


def test_ls_filter_uses_the_board_filter_language(db: Path) -> None:
    tasks = json.loads(run_mtui("ls", "--filter", "@ana #email", "--json", db=db).stdout)
    assert tasks and all(t["owner"] == "ana" and t["channel"] == "email" for t in tasks)
    overdue = json.loads(run_mtui("ls", "--filter", "due:overdue", "--json", db=db).stdout)
    assert overdue and all(t["due"] < "2026-11-26" and t["status"] != "Done" for t in overdue)


def test_ls_due_terms_never_list_done_cards(db: Path) -> None:
    """Issue 12, item 27: finished work is never late, whatever the due: comparison."""
    store = open_store(db)
    done = [t for t in store.tasks.list_tasks() if t.done_at and t.due and t.due < "2026-11-26"]
    store.close()
    assert done  # the demo has finished work that was due in the past

    def listed(text: str) -> list[dict]:
        result = run_mtui("ls", "--filter", text, "--json", db=db)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    before_today = listed("due:<today")
    assert before_today and all(t["status"] != "Done" for t in before_today)
    assert before_today == listed("due:overdue")
    for text in ("due:<=today", "due:any", "due:>=2000-01-01"):
        assert all(t["status"] != "Done" for t in listed(text)), text
    finished = {t["id"] for t in listed("s:done -due:<today")}
    assert {t.id for t in done} <= finished  # the negation keeps them


def test_only_the_bare_dashboard_takes_the_fast_path() -> None:
    from mtui.entry import dashboard_db_option

    assert dashboard_db_option([]) == (True, None)
    assert dashboard_db_option(["--db", "x.db"]) == (True, "x.db")
    assert dashboard_db_option(["--db=x.db"]) == (True, "x.db")
    for args in (
        ["ls"],
        ["--db", "x.db", "ls"],
        ["--db"],
        ["--db", "--help"],
        ["--help"],
        ["--version"],
    ):
        assert dashboard_db_option(args) == (False, None), args
