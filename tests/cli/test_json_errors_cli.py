"""With --json every outcome is JSON on stdout, errors included (issue 12 item 23f)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import run_mtui


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("add", "--json", ""), "nothing to add"),
        (("add", "--json", "   "), "nothing to add"),
        (("add", "--json"), "Missing argument 'TEXT...'. (see mtui add --help)"),
        (("ls", "--json", "--bogus"), "No such option '--bogus'. (see mtui ls --help)"),
    ],
)
def test_errors_with_json_are_json(tmp_path, args, error) -> None:
    result = run_mtui(*args, db=tmp_path / "m.db")
    assert result.returncode == 2
    assert json.loads(result.stdout) == {"error": error}
    assert result.stderr == ""


def test_a_refused_database_with_json_is_json(tmp_path) -> None:
    not_mtui = tmp_path / "notes.db"
    not_mtui.write_text("hello")
    result = run_mtui("add", "--json", "Launch", db=not_mtui)
    assert result.returncode == 2
    assert "not an SQLite database" in json.loads(result.stdout)["error"]
    assert not_mtui.read_text() == "hello"


def test_without_json_errors_stay_one_line_on_stderr(tmp_path) -> None:
    result = run_mtui("add", "", db=tmp_path / "m.db")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "mtui: nothing to add\n")
