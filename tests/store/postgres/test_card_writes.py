"""A card write on a team board is one statement (a server function: the version check,
the change, the log with its actor, the feed position and the notification), so a slow
link costs it one round trip; its refusals are the same as any write's."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from mtui.core.errors import ConflictError, NotFound, ReadOnlyError
from mtui.core.store import open_store, open_team
from tests.support.backends import Backend, action, add, column
from tests.support.pgcluster import PgServer


class Sent:
    """Counts the statements a store's connection sends (no pipelining on this path:
    one statement, one round trip)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[str] = []
        real = psycopg.Connection.execute

        def execute(conn, query, params=None, **kwargs):
            self.statements.append(str(query))
            return real(conn, query, params, **kwargs)

        monkeypatch.setattr(psycopg.Connection, "execute", execute)


def test_each_card_write_is_one_statement(pg: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    store = pg.open(actor="ana")
    card = add(store, "Launch post")
    doing = column(store, "Doing").id
    sent = Sent(monkeypatch)
    moved = store.tasks.update_task(card.id, {"status_id": doing, "position": 3.0},
                                    action_id=action(), expected_version=card.version)  # fmt: skip
    created = store.tasks.create_task({"title": "New", "status_id": doing, "position": 1.0},
                                      action_id=action())  # fmt: skip
    deleted = store.tasks.delete_task(created.id, action_id=action(),
                                      expected_version=created.version)  # fmt: skip
    restored = store.tasks.restore_task(created.id, action_id=action())
    assert len(sent.statements) == 4, sent.statements
    assert (moved.status_id, moved.version) == (doing, card.version + 1)
    assert deleted.deleted_at is not None and restored.deleted_at is None
    monkeypatch.undo()
    assert store.feed.position() == 5  # add, move, create, delete, restore
    assert [e.actor for e in store.tasks.events(task_id=card.id)] == ["ana"] * 3


def test_a_stale_or_missing_card_is_refused_and_takes_no_position(pg: Backend) -> None:
    store = pg.open()
    card = add(store, "Launch post")
    store.tasks.update_task(card.id, {"title": "Launch post v2"}, action_id=action())
    position = store.feed.position()
    with pytest.raises(ConflictError, match=r"changed elsewhere \(version 2, you had 1\)"):
        store.tasks.update_task(card.id, {"title": "mine"}, action_id=action(),
                                expected_version=card.version)  # fmt: skip
    with pytest.raises(ConflictError, match="changed elsewhere"):
        store.tasks.delete_task(card.id, action_id=action(), expected_version=1)
    with pytest.raises(NotFound, match="no task #999"):
        store.tasks.update_task(999, {"title": "x"}, action_id=action())
    assert store.tasks.get_task(card.id).title == "Launch post v2"
    assert store.feed.position() == position
    unchanged = store.tasks.update_task(card.id, {"title": "Launch post v2"}, action_id=action())
    assert unchanged.version == 2 and store.feed.position() == position  # nothing to write


def test_a_member_made_viewer_while_open_is_refused_by_the_server(
    pg_server: PgServer, pg: Backend
) -> None:
    name = f"editor_{uuid.uuid4().hex[:6]}"
    owner, team = open_team(pg.url, create=True)
    card = add(owner, "Plan the launch")
    team.add(name, "editor")
    url = pg_server.url(pg.url.rsplit("/", 1)[1]).replace(f"//{pg_server.user}@", f"//{name}@")
    editor = open_store(url)
    try:
        team.add(name, "viewer")  # after the editor opened the board
        position = owner.feed.position()
        with pytest.raises(ReadOnlyError, match="read-only: you are a viewer on this board"):
            editor.tasks.update_task(card.id, {"title": "hijacked"}, action_id=action(),
                                     expected_version=card.version)  # fmt: skip
        with pytest.raises(ReadOnlyError, match="you are a viewer"):
            editor.tasks.create_task({"title": "sneaky", "status_id": card.status_id,
                                      "position": 0.0}, action_id=action())  # fmt: skip
        assert owner.tasks.get_task(card.id).title == "Plan the launch"
        assert owner.feed.position() == position
    finally:
        editor.close()
        owner.close()
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{name}"')
            conn.execute(f'DROP ROLE "{name}"')
