"""Team access enforced by the server: viewers read, editors write, non-members see
nothing, even through hand-written SQL on the app's own connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from mtui.core.errors import DatabaseRefused, ReadOnlyError
from mtui.core.store import open_store, open_team
from tests.support.backends import Backend, add
from tests.support.pgcluster import PgServer


@pytest.fixture
def roles(pg_server: PgServer, pg: Backend) -> Iterator[dict[str, str]]:
    """URLs for a viewer, an editor and a stranger (a member of no board)."""
    suffix = uuid.uuid4().hex[:6]
    names = {kind: f"{kind}_{suffix}" for kind in ("viewer", "editor", "stranger")}
    dbname = pg.url.rsplit("/", 1)[1]
    yield {k: pg_server.url(dbname).replace(f"//{pg_server.user}@", f"//{n}@")
           for k, n in names.items()}  # fmt: skip
    with psycopg.connect(pg.url, autocommit=True) as conn:
        for name in names.values():
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone():
                conn.execute(f'DROP OWNED BY "{name}"')
                conn.execute(f'DROP ROLE "{name}"')


def _role(url: str) -> str:
    return url.split("//", 1)[1].split("@", 1)[0]


def test_viewers_read_editors_write_strangers_see_nothing(pg: Backend, roles) -> None:
    owner, team = open_team(pg.url, create=True)
    add(owner, "Plan the launch")
    sql = team.add(_role(roles["viewer"]), "viewer")
    assert any("CREATE ROLE" in s for s in sql)
    team.add(_role(roles["editor"]), "editor")
    team.init()  # again: safe
    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{_role(roles["stranger"])}" LOGIN IN ROLE mtui_member')
    assert {(m.role, m.access) for m in team.members()} == {
        (_role(roles["viewer"]), "viewer"),
        (_role(roles["editor"]), "editor"),
    }

    editor = open_store(roles["editor"])
    add(editor, "Written by the editor")
    assert editor.actor == _role(roles["editor"])

    viewer = open_store(roles["viewer"])
    assert {t.title for t in viewer.tasks.list_tasks()} == {
        "Plan the launch",
        "Written by the editor",
    }
    with pytest.raises(ReadOnlyError, match="you are a viewer"):
        add(viewer, "not allowed")

    with pytest.raises(DatabaseRefused, match="member"):
        open_store(roles["stranger"])
    editor.close()
    viewer.close()
    owner.close()


def test_the_server_refuses_a_viewers_hand_written_sql(pg: Backend, roles) -> None:
    owner, team = open_team(pg.url, create=True)
    task = add(owner, "Plan the launch")
    team.add(_role(roles["viewer"]), "viewer")
    with psycopg.connect(roles["viewer"], autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO task (board_id, id, title, status_id, position, created_at, "
                "updated_at) SELECT board_id, 99, 'sneaky', status_id, 0, 'x', 'x' FROM task"
            )
        changed = conn.execute("UPDATE task SET title = 'hijacked'").rowcount
        deleted = conn.execute("DELETE FROM task").rowcount
        bumped = conn.execute("UPDATE board SET seq = seq + 1").rowcount
    assert (changed, deleted, bumped) == (0, 0, 0)
    assert owner.tasks.get_task(task.id).title == "Plan the launch"
    owner.close()


def test_members_never_own_the_tables_and_removal_takes_effect(pg: Backend, roles) -> None:
    owner, team = open_team(pg.url, create=True)
    add(owner, "Plan the launch")
    editor = _role(roles["editor"])
    team.add(editor, "editor")
    with psycopg.connect(pg.url, autocommit=True) as conn:
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables "
                                             "WHERE schemaname = 'public'")}  # fmt: skip
        unprotected = [r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN information_schema.columns i "
            "ON i.table_name = c.relname AND i.column_name = 'board_id' "
            "AND i.table_schema = 'public' WHERE c.relkind = 'r' AND NOT c.relrowsecurity"
        )]  # fmt: skip
    assert editor not in owners
    assert unprotected == []  # every board table is behind row-level security
    team.remove(editor)
    with pytest.raises(DatabaseRefused):
        open_store(roles["editor"])
    kinds = [e.field for e in owner.activity.activity(entity="member")] if hasattr(
        owner.activity, "activity") else None  # fmt: skip
    owner.close()
    assert kinds is None or editor in kinds
