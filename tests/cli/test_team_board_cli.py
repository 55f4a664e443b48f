"""The installed ``mtui`` on a team board: ``--db postgresql://…`` and ``--board NAME``."""

from __future__ import annotations

import json
import socket

import psycopg
import pytest

from mtui.core.store.postgres.migrate import MIGRATIONS_TABLE
from tests.support.cli import run_mtui
from tests.support.pgcluster import PgServer

pytestmark = pytest.mark.slow


@pytest.fixture
def url(pg_server: PgServer, pg_url: str) -> str:
    """This test's database, with a password in the URL (trust auth ignores it)."""
    return pg_url.replace(f"//{pg_server.user}@", f"//{pg_server.user}:hunter2@")


def assert_quiet(result, code: int = 0) -> None:
    everything = result.stdout + result.stderr
    assert "hunter2" not in everything and "Traceback" not in everything
    assert result.returncode == code, everything


def test_tasks_on_a_team_board_and_its_boards_apart(url: str) -> None:
    assert_quiet(run_mtui("--db", url, "add", "Write the launch post"))
    assert_quiet(run_mtui("--db", url, "--board", "growth", "add", "Growth only"))
    listed = run_mtui("--db", url, "ls")
    assert_quiet(listed)
    assert "Write the launch post" in listed.stdout and "Growth only" not in listed.stdout
    growth = run_mtui("ls", env={"MTUI_DB": url + "?board=growth"})
    assert_quiet(growth)
    assert "Growth only" in growth.stdout and "launch post" not in growth.stdout


def test_a_board_is_never_made_silently_or_by_a_typo(url: str, pg_url: str) -> None:
    """Only the commands that create a file create a board (``add``, the dashboard,
    ``team init``…), and they say so; ``ls`` or ``team add`` on a misspelt board name
    is a one-line refusal that creates nothing."""
    added = run_mtui("--db", url, "add", "First task")
    assert_quiet(added)
    assert "created new board on" in added.stderr and "'main'" in added.stderr
    again = run_mtui("--db", url, "add", "Second task")
    assert_quiet(again)
    assert "created" not in again.stderr
    for args in (["ls"], ["team", "add", "ana", "--role", "editor"], ["standup"]):
        refused = run_mtui("--db", url, "--board", "mian", *args)
        assert_quiet(refused, 2)
        assert "no board named 'mian'" in refused.stderr and "team init" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    with psycopg.connect(pg_url) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM board ORDER BY name")]
    assert names == ["main"]
    initialised = run_mtui("--db", url, "--board", "mian", "team", "init")
    assert_quiet(initialised)
    assert_quiet(run_mtui("--db", url, "--board", "mian", "ls"))


def test_db_commands_on_a_server(url: str) -> None:
    shown = run_mtui("--db", url, "--board", "growth", "db", "path")
    assert_quiet(shown)
    assert shown.stdout.strip().endswith("?board=growth") and "postgres@" in shown.stdout
    assert_quiet(run_mtui("--db", url, "add", "x"))
    migrated = run_mtui("--db", url, "db", "migrate")
    assert_quiet(migrated)
    assert migrated.stdout.strip() == "up to date"
    checked = run_mtui("--db", url, "db", "check")
    assert_quiet(checked)
    assert checked.stdout.strip() == "ok"
    backup = run_mtui("--db", url, "db", "backup", "board.dump")
    assert_quiet(backup, 1)
    assert "pg_dump" in backup.stderr and len(backup.stderr.strip().splitlines()) == 1


def test_a_newer_server_schema_is_exit_2_and_nothing_changes(url: str, pg_url: str) -> None:
    assert_quiet(run_mtui("--db", url, "add", "kept"))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name) VALUES ('9999_from_the_future')")
        before = conn.execute("SELECT seq FROM board").fetchall()
    for args in (("add", "refused"), ("ls",), ("db", "migrate")):
        result = run_mtui("--db", url, *args)
        assert_quiet(result, 2)
        assert "newer mtui schema" in result.stderr and len(result.stderr.splitlines()) == 1
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT seq FROM board").fetchall() == before
        titles = [r[0] for r in conn.execute("SELECT title FROM task")]
    assert titles == ["kept"]


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_mtui("--db", f"postgresql://ana:hunter2@127.0.0.1:{port}/db", "ls")
    assert_quiet(result, 1)
    assert "unavailable" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_mtui_web_passes_a_team_board_by_environment_not_argv(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from mtui.cli.base import CliContext
    from mtui.cli.web import _dashboard_command

    monkeypatch.delenv("MTUI_DB", raising=False)
    url = "postgresql://ana:hunter2@db.example/team"
    command = _dashboard_command(CliContext(url, "growth"), "python")
    assert command == "python -m mtui --board growth" and "hunter2" not in command
    import os

    assert os.environ["MTUI_DB"] == url
    local = _dashboard_command(CliContext(str(tmp_path / "x.db")), "python")
    assert local == f"python -m mtui --db {tmp_path / 'x.db'}"


def test_team_commands_manage_who_may_do_what(url: str, pg_server: PgServer, tmp_path) -> None:
    role = f"ana_{socket.gethostname()[:4].lower()}_{id(url) % 10000}".replace("-", "_")
    init = run_mtui("--db", url, "team", "init")
    assert_quiet(init)
    assert "CREATE ROLE" in init.stdout or "GRANT" in init.stdout
    added = run_mtui("--db", url, "team", "add", role, "--role", "viewer")
    assert_quiet(added)
    assert f'CREATE ROLE "{role}" LOGIN' in added.stdout
    listed = run_mtui("--db", url, "team", "ls", "--json")
    assert_quiet(listed)
    assert json.loads(listed.stdout) == [{"role": role, "access": "viewer"}]
    as_viewer = pg_server.url(url.rsplit("/", 1)[1]).replace(f"//{pg_server.user}@", f"//{role}@")
    assert_quiet(run_mtui("--db", as_viewer, "ls"))
    refused = run_mtui("--db", as_viewer, "add", "Not allowed")
    assert refused.returncode == 1 and "you are a viewer" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert_quiet(run_mtui("--db", url, "team", "rm", role))
    assert json.loads(run_mtui("--db", url, "team", "ls", "--json").stdout) == []
    local = run_mtui("team", "ls", db=tmp_path / "solo.db")
    assert local.returncode == 2 and "PostgreSQL" in local.stderr
    with psycopg.connect(pg_server.url(url.rsplit("/", 1)[1]), autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE "{role}"')


def test_the_demo_fills_an_empty_team_board_and_never_a_used_one(url: str) -> None:
    made = run_mtui("--db", url, "--board", "demo", "demo", "--no-open")
    assert_quiet(made)
    assert made.stdout.strip().endswith("?board=demo")
    listed = run_mtui("--db", url, "--board", "demo", "ls")
    assert_quiet(listed)
    assert "Set KPI targets for Q1" in listed.stdout
    again = run_mtui("--db", url, "--board", "demo", "demo", "--no-open")
    assert_quiet(again, code=2)
    assert "not empty; the demo only fills an empty board" in again.stderr
    assert "Set KPI targets" not in run_mtui("--db", url, "ls").stdout  # "main" untouched
