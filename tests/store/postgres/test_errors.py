"""psycopg's errors become mtui's, by SQLSTATE; no message ever shows a password."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors as pg_errors

from mtui.core.errors import (
    ConflictError,
    CorruptError,
    DuplicateError,
    MtuiError,
    ReadOnlyError,
    StoreError,
    UnavailableError,
    ValidationError,
)
from mtui.core.store import open_store
from mtui.core.store.postgres.session import translate
from tests.support.backends import Backend, action, add
from tests.support.pgcluster import PgServer


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (pg_errors.UniqueViolation, DuplicateError),
        (pg_errors.ForeignKeyViolation, ValidationError),
        (pg_errors.CheckViolation, ValidationError),
        (pg_errors.InvalidTextRepresentation, ValidationError),
        (pg_errors.InsufficientPrivilege, ReadOnlyError),
        (pg_errors.ReadOnlySqlTransaction, ReadOnlyError),
        (pg_errors.SerializationFailure, ConflictError),
        (pg_errors.DeadlockDetected, ConflictError),
        (pg_errors.DataCorrupted, CorruptError),
        (pg_errors.IndexCorrupted, CorruptError),
        (pg_errors.AdminShutdown, UnavailableError),
        (pg_errors.ConnectionFailure, UnavailableError),
        (pg_errors.TooManyConnections, UnavailableError),
        (pg_errors.LockNotAvailable, UnavailableError),
        (psycopg.OperationalError, UnavailableError),
        (psycopg.InterfaceError, UnavailableError),
        (pg_errors.UndefinedTable, StoreError),
    ],
)
def test_translation_by_sqlstate(error: type[Exception], expected: type[MtuiError]) -> None:
    translated = translate(error("postgresql://ana:hunter2@h/db said no"), "h/db",
                           lambda text: text.replace("hunter2", "***"))  # fmt: skip
    assert type(translated) is expected
    assert "hunter2" not in str(translated)


def test_a_missing_reference_is_a_validation_error_on_both(store) -> None:
    with pytest.raises(ValidationError):
        store.tasks.create_task({"title": "x", "status_id": 999, "position": 1.0},
                                action_id=action())  # fmt: skip
    assert store.tasks.count_tasks() == 0 and store.feed.position() == 0


@pytest.fixture
def viewer(pg_server: PgServer, pg: Backend) -> Iterator[str]:
    """A viewer of the board: reads its tables, writes none (``mtui team add``)."""
    from mtui.core.store import open_team

    role = f"viewer_{uuid.uuid4().hex[:8]}"
    owner, team = open_team(pg.url, create=True)  # the owner creates the board first
    team.add(role, "viewer")
    owner.close()
    dbname = pg.url.rsplit("/", 1)[1]
    yield pg_server.url(dbname).replace(f"//{pg_server.user}@", f"//{role}@")
    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


def test_a_role_without_write_rights_reads_and_is_refused_writes(pg: Backend, viewer: str) -> None:
    owner = pg.open()
    add(owner, "visible")
    reader = open_store(viewer)
    try:
        assert reader.actor.startswith("viewer_")  # the database role is the actor
        assert [t.title for t in reader.tasks.list_tasks()] == ["visible"]
        with pytest.raises(ReadOnlyError, match="read-only"):
            add(reader, "not allowed")
        with pytest.raises(ReadOnlyError):
            reader.settings.set_setting("k", "v")
    finally:
        reader.close()
    assert owner.tasks.count_tasks() == 1 and owner.feed.position() == 2  # member, task


def test_a_read_only_server_session_is_refused_writes(pg: Backend) -> None:
    store = pg.open()
    store.session.conn.execute("SET default_transaction_read_only = on")  # type: ignore[attr-defined]
    with pytest.raises(ReadOnlyError):
        add(store, "x")


def test_an_unreachable_server_is_unavailable_and_the_password_never_shown(
    pg_server: PgServer,
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://ana:hunter2@127.0.0.1:{port}/nowhere?connect_timeout=2"
    with pytest.raises(UnavailableError) as refused:
        open_store(url)
    assert "hunter2" not in str(refused.value)
    assert f"127.0.0.1:{port}/nowhere" in str(refused.value)


def test_a_password_in_the_url_is_used_but_never_echoed(pg_server: PgServer, pg: Backend) -> None:
    with_password = pg.url.replace(f"//{pg_server.user}@", f"//{pg_server.user}:hunter2@")
    store = open_store(with_password)
    try:
        add(store, "x")
        assert "hunter2" not in store.admin.location
        assert store.admin.location.endswith("?board=main")
        with pytest.raises(StoreError) as refused:
            store.admin.backup("/tmp/x.dump")
        assert "pg_dump" in str(refused.value) and "hunter2" not in str(refused.value)
        other = store.admin.new_handle()  # the password is kept in memory for more handles
        assert other.tasks.count_tasks() == 1
        other.close()
        stored = "".join(
            str(row)
            for table in ("change_feed", "task_event", "activity", "board", "setting")
            for row in store.session.conn.execute(f"SELECT * FROM {table}")  # type: ignore[attr-defined]
        )
        assert "hunter2" not in stored
    finally:
        store.close()


def _kill(pg: Backend, store) -> None:
    """Terminate ``store``'s server connection, as a restart or an idle timeout would."""
    pid = store.session.conn.info.backend_pid
    with psycopg.connect(pg.url, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_dropped_while_idle_is_replaced_unnoticed(pg: Backend) -> None:
    store = pg.open()
    add(store, "before")
    _kill(pg, store)
    assert [t.title for t in store.tasks.list_tasks()] == ["before"]  # a read: tried again
    _kill(pg, store)
    add(store, "after")  # a write whose first statement failed: nothing sent, tried again
    assert [t.title for t in store.tasks.list_tasks()] == ["before", "after"]
    _kill(pg, store)
    assert store.feed.changes(0).position == 2  # a snapshot read, too
    _kill(pg, store)
    store.settings.set_setting("k", "v")  # a write is the first call after the drop
    assert store.settings.get_setting("k") == "v" and store.feed.position() == 3


def test_a_connection_lost_inside_a_write_saves_nothing_and_says_so(pg: Backend) -> None:
    store = pg.open()
    add(store, "before")
    with pytest.raises(UnavailableError, match="unavailable"), store.batch():
        add(store, "lost")
        _kill(pg, store)
        add(store, "also lost")
    add(store, "after")  # the next call has a new connection
    assert [t.title for t in store.tasks.list_tasks()] == ["before", "after"]
    assert [e.seq for e in store.feed.changes(0).entries] == [1, 2]  # no gap, no duplicate
