"""Issue 12, item 29: at scale the stand-up report stays readable.

Each Markdown/text section lists at most ``LIST_LIMIT`` tasks, then says how many more
and names a command that really lists them (checked here by running it); JSON stays
complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import pytest

from mtui.core.standup.format import LIST_LIMIT
from mtui.core.store import open_store
from mtui.core.tasks.actions import new_action_id
from tests.support.cli import run_mtui

pytestmark = pytest.mark.slow
EXTRA_OVERDUE = 3000


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """The demo plus 3,000 overdue tasks, added in one bulk transaction (the CLI's clock)."""
    path = tmp_path_factory.mktemp("scale") / "big.db"
    assert run_mtui("demo", "--db", str(path), "--no-open").returncode == 0
    frozen = {"MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin"}
    with mock.patch.dict(os.environ, frozen):
        store = open_store(path)
        backlog = next(s.id for s in store.tasks.statuses() if s.name == "Backlog")
        rows = (
            {"title": f"Overdue thing {n}", "status_id": backlog, "position": 10_000.0 + n,
             "owner": "ana" if n % 2 else "raj", "due": "2026-11-20", "tags": []}
            for n in range(EXTRA_OVERDUE)
        )  # fmt: skip
        store.tasks.create_tasks(rows, action_id=new_action_id())
        # Due earlier today at a time: overdue for the report, and for due:overdue too.
        store.tasks.create_tasks(
            [{"title": "Morning post", "status_id": backlog, "position": 1.0,
              "due": "2026-11-26T08:00:00+01:00", "tags": []}],
            action_id=new_action_id(),
        )  # fmt: skip
        store.close()
    return path


def _section(text: str, title: str) -> list[str]:
    """The bullet lines of one Markdown section."""
    part = text.split(f"**{title} (", 1)[1].split("\n\n", 1)[0]
    return [line for line in part.splitlines()[1:] if line.startswith("- ")]


def _ls_count(db: Path, filter_text: str) -> int:
    listed = run_mtui("ls", "--filter", filter_text, "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    return len(json.loads(listed.stdout))


def test_markdown_caps_each_list_and_names_a_command_that_lists_the_rest(big_db):
    full = json.loads(run_mtui("standup", "--format", "json", db=big_db).stdout)
    overdue, added = len(full["overdue"]), len(full["added"])
    assert overdue >= EXTRA_OVERDUE and added >= EXTRA_OVERDUE  # JSON stays complete

    result = run_mtui("standup", "--format", "md", db=big_db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.encode()) < 40_000, "a readable report, not every task"
    lines = _section(result.stdout, "Overdue")
    assert len(lines) == LIST_LIMIT + 1
    assert lines[-1] == (
        f"- … and {overdue - LIST_LIMIT:,} more overdue (`mtui ls --filter 'due:overdue'`)"
    )
    assert f"**Overdue ({overdue})**" in result.stdout
    # The named command lists exactly the tasks the report counts.
    assert _ls_count(big_db, "due:overdue") == overdue
    added_lines = _section(result.stdout, "Added")
    assert added_lines[-1] == (
        f"- … and {added - LIST_LIMIT:,} more added (`mtui standup --format json`)"
    )


def test_text_and_owner_filter_name_the_same_kind_of_command(big_db):
    full = json.loads(run_mtui("standup", "--owner", "ana", "--format", "json", db=big_db).stdout)
    overdue = len(full["overdue"])
    assert overdue > LIST_LIMIT
    result = run_mtui("standup", "--owner", "ana", "--format", "text", db=big_db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.encode()) < 40_000
    more = f"… and {overdue - LIST_LIMIT:,} more overdue (mtui ls --filter 'due:overdue @ana')"
    assert more in result.stdout
    assert _ls_count(big_db, "due:overdue @ana") == overdue
    assert "more added (mtui standup --format json --owner ana)" in result.stdout


def test_a_short_report_has_no_more_lines(tmp_path):
    db = tmp_path / "demo.db"
    assert run_mtui("demo", "--db", str(db), "--no-open").returncode == 0
    result = run_mtui("standup", db=db)
    assert result.returncode == 0, result.stderr
    assert "more overdue" not in result.stdout and "… and" not in result.stdout
