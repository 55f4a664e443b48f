"""Ambiguity and surprises are said, not guessed (issue 12 item 22)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui

DEC_1 = {"MTUI_FROZEN_NOW": "2026-12-01T10:00:00"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ambiguity") / "ambiguity.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


def one_line_exit_2(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize("prefix", ["d", "do", "D"])
def test_move_to_an_ambiguous_prefix_lists_the_candidates(db: Path, prefix: str) -> None:
    before = open_store(db).tasks.get_task(1)
    err = one_line_exit_2(run_mtui("move", "1", prefix, db=db))
    assert "ambiguous" in err and "Doing" in err and "Done" in err
    assert len(err.strip().splitlines()) == 1
    assert open_store(db).tasks.get_task(1).version == before.version


def test_quick_add_status_prefix_must_be_unambiguous(db: Path) -> None:
    before = open_store(db).tasks.count_tasks()
    for dry_run in ([], ["--dry-run"]):
        err = one_line_exit_2(run_mtui("add", *dry_run, "Write copy s:do", db=db))
        assert "ambiguous (Doing, Done)" in err
    assert open_store(db).tasks.count_tasks() == before


@pytest.mark.parametrize("line", ["Post s:foo", "Post ^nosuchgoal", "Post c:nosuchcampaign"])
def test_dry_run_validates_exactly_like_the_real_add(db: Path, line: str) -> None:
    before = open_store(db).tasks.count_tasks()
    real = run_mtui("add", line, db=db)
    dry = run_mtui("add", "--dry-run", line, db=db)
    assert (real.returncode, dry.returncode) == (2, 2), (real.stderr, dry.stderr)
    assert real.stderr == dry.stderr
    dry_json = run_mtui("add", "--dry-run", "--json", line, db=db)
    assert dry_json.returncode == 2 and "error" in json.loads(dry_json.stdout)
    assert open_store(db).tasks.count_tasks() == before


def test_a_due_date_more_than_a_year_away_is_warned_about(db: Path) -> None:
    dry = run_mtui("add", "--dry-run", "--json", "Leap day post due:feb29", db=db, env=DEC_1)
    assert dry.returncode == 0 and json.loads(dry.stdout)["due"] == "2028-02-29"
    assert "warning: due date Tue 29 Feb 2028 is more than a year away" in dry.stderr
    near = run_mtui("add", "--dry-run", "Post due:fri", db=db, env=DEC_1)
    assert near.returncode == 0 and "warning" not in near.stderr


@pytest.mark.parametrize(
    ("text", "needle"),
    [("due:<blorp", "can't read date"), ("due:<", "date after the operator"),
     ("@", "empty owner"), ("!9", "unknown priority"), ("launch est:2h", "estimates")],
)  # fmt: skip
def test_filter_errors_are_errors_on_the_command_line(db: Path, text: str, needle: str) -> None:
    result = run_mtui("ls", "--filter", text, db=db)
    err = one_line_exit_2(result)
    assert needle in err and len(err.strip().splitlines()) == 1 and result.stdout == ""


def test_a_new_channel_or_owner_is_reported(db: Path) -> None:
    added = run_mtui("add", "--json", "Send teaser #emial @r", db=db)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)[0]["channel"] == "emial"  # stdout stays one JSON document
    assert "new channel #emial created" in added.stderr
    assert "new owner @r created" in added.stderr
    again = run_mtui("add", "Send teaser #Emial @ana", db=db)
    assert again.returncode == 0 and "new " not in again.stderr  # both exist now
    dry = run_mtui("add", "--dry-run", "Post #tiktok", db=db)
    assert dry.returncode == 0 and "new channel #tiktok would be created" in dry.stderr
    assert "tiktok" not in {c.name for c in open_store(db).tasks.channels()}


@pytest.mark.parametrize(
    ("line", "title"),
    [("Weekly newsletter #16", "Weekly newsletter #16"),
     ('Review "Q4 plan" deck', 'Review "Q4 plan" deck'),
     ('Quote "#email tips" verbatim', "Quote #email tips verbatim")],
)  # fmt: skip
def test_numbers_and_quotes_stay_title_text(db: Path, line: str, title: str) -> None:
    added = run_mtui("add", "--dry-run", "--json", line, db=db)
    assert added.returncode == 0, added.stderr
    assert (json.loads(added.stdout)["title"], json.loads(added.stdout)["channel"]) == (title, None)
