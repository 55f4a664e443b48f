"""``goal edit --current nan`` must not clear the value (issue 12 item 23i): nan and inf
are refused with exit 2 and one line, and the goal keeps its numbers."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import new_db, run_mtui

NOT_NUMBERS = ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    path = new_db(tmp_path_factory.mktemp("goal-numbers") / "m.db")
    added = run_mtui("goal", "add", "Signups", "--target", "100", "--current", "5", db=path)
    assert added.returncode == 0, added.stderr
    return path


def goal(db) -> dict:
    return json.loads(run_mtui("goal", "ls", "--json", db=db).stdout)[0]


@pytest.mark.parametrize("option", ["--current", "--target", "--baseline"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_goal_edit_refuses_non_finite_numbers(db, option, value) -> None:
    before = goal(db)
    result = run_mtui("goal", "edit", "signups", f"{option}={value}", db=db)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    assert value in result.stderr
    assert goal(db) == before
    assert (before["current"], before["target"]) == (5.0, 100.0)
