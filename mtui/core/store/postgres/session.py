"""One PostgreSQL connection per handle, and the transaction discipline of every write.

Every write goes through ``PgSession.write()``: one transaction whose first statement is
``UPDATE board SET seq = seq + 1 … RETURNING seq``. That takes the board row's lock
until commit, so writers on one board run one after another and sequence order is
commit order (a reader of the change feed never sees N+1 committed while N is still
to come). The same transaction writes the activity rows, with the actor and that
sequence, and the board's one ``change_feed`` row. A transaction that changed nothing
is rolled back and takes no sequence number.

psycopg's exceptions never leave this package: ``translate()`` turns them into the
backend-neutral errors of ``mtui.core.errors`` by SQLSTATE, never by message wording,
and no message carries the URL's password.
"""

from __future__ import annotations

import functools
import inspect
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg

from mtui.core import clock
from mtui.core.errors import (
    ConflictError,
    CorruptError,
    DuplicateError,
    NotFound,
    ReadOnlyError,
    StoreError,
    UnavailableError,
    ValidationError,
)
from mtui.core.store.feed import MAX_LISTED_TASKS, TASKS

if TYPE_CHECKING:
    from mtui.core.store.postgres.url import ServerUrl

# As in SQLite: entries kept for readers that fall behind, pruned every PRUNE_EVERY.
FEED_KEEP = 20_000
PRUNE_EVERY = 1_000
CONNECT_TIMEOUT_S = 10
FEED_CHANNEL = "mtui_feed"  # NOTIFY channel; payload "<board id>:<seq>"
READ_ONLY_MESSAGE = "the board is read-only for you: nothing was saved"
VIEWER_MESSAGE = "read-only: you are a viewer on this board; nothing was saved"

T = TypeVar("T")


def _no_redaction(text: str) -> str:
    return text


def translate(
    exc: Exception, where: str = "the server", redact: Callable[[str], str] = _no_redaction
) -> Exception:
    """The backend-neutral error for a psycopg exception (by its SQLSTATE)."""
    state = getattr(exc, "sqlstate", None) or ""
    detail = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    # mtui's own, raised by the card-write functions (migrations/postgres/0005)
    if state == "MTCF1":
        return ConflictError(detail)
    if state == "MTNF1":
        return NotFound(detail)
    if state == "MTRO1":
        return ReadOnlyError(VIEWER_MESSAGE)
    if state == "MTGN1":
        return UnavailableError(f"the board at {where} no longer exists")
    if state == "23505":  # unique_violation
        return DuplicateError("that name is already taken; nothing was saved")
    if state == "23503":  # foreign_key_violation
        return ValidationError(
            "the change refers to a record that does not exist; nothing was saved"
        )
    if state.startswith(("23", "22")):  # other integrity and data exceptions
        return ValidationError(f"the change is not valid ({detail}); nothing was saved")
    if state in ("42501", "25006"):  # insufficient_privilege, read_only_sql_transaction
        return ReadOnlyError(READ_ONLY_MESSAGE)
    if state in ("40001", "40P01"):  # serialization_failure, deadlock_detected
        return ConflictError(
            "another client changed the board at the same moment; nothing was saved"
        )
    if state.startswith("XX"):  # data_corrupted, index_corrupted, internal_error
        return CorruptError(
            f"the server reports damaged data ({detail}); nothing was saved (run `mtui db check`)"
        )
    if (
        state.startswith(("08", "53", "57", "55"))  # connection, resources, shutdown, lock
        or isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))
    ):
        return UnavailableError(
            f"the team board at {where} is unavailable ({detail}); nothing was saved"
        )
    return StoreError(f"database error at {where}: {detail}")


def connect(
    conninfo: str,
    where: str,
    redact: Callable[[str], str] = _no_redaction,
    application_name: str = "mtui",
) -> psycopg.Connection:
    """An autocommit connection (transactions are explicit ``conn.transaction()`` blocks).
    ``application_name`` says in ``pg_stat_activity`` what it is for."""
    try:
        return psycopg.connect(
            conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=application_name,
        )
    except psycopg.Error as exc:
        raise translate(exc, where, redact) from None


BEGIN_SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def _end_transaction(conn: psycopg.Connection, command: str) -> None:
    """``ROLLBACK`` (or ``COMMIT``) an open transaction, if the connection still can."""
    if conn.broken or conn.closed:
        return
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        with suppress(psycopg.Error):
            conn.execute(command)


def run_pipelined(
    conn: psycopg.Connection, statements: Sequence[tuple[str, Sequence[Any]]], *, snapshot: bool
) -> list[list[tuple]]:
    """Send every statement before reading any answer (one round trip), in one
    repeatable-read snapshot when ``snapshot``; the rows of each, in order. The first
    failing statement's error is raised (the ones after it were not run)."""
    if not psycopg.Pipeline.is_supported():  # libpq before 14: one statement at a time
        if snapshot:
            conn.execute(BEGIN_SNAPSHOT)
        try:
            rows = [conn.execute(sql, list(params)).fetchall() for sql, params in statements]
        except BaseException:
            _end_transaction(conn, "ROLLBACK")
            raise
        if snapshot:
            conn.execute("COMMIT")
        return rows
    cursors = []
    try:
        with conn.pipeline():
            if snapshot:
                conn.execute(BEGIN_SNAPSHOT)
            for sql, params in statements:
                cursors.append(conn.execute(sql, list(params)))
            if snapshot:
                conn.execute("COMMIT")
    except BaseException:
        _end_transaction(conn, "ROLLBACK")  # a failed statement leaves the snapshot open
        raise
    return [cursor.fetchall() for cursor in cursors]


# admin_shutdown, crash_shutdown, cannot_connect_now: the server ended the session
_ENDED_BEFORE = ("57P01", "57P02", "57P03")


def _usable(conn: psycopg.Connection) -> bool:
    """Whether an idle connection still looks alive, without a round trip: a server that
    ended it while idle (a restart, an idle timeout) has already said so or closed the
    socket, which a zero-timeout poll of the socket sees."""
    import select

    if conn.closed or conn.broken:
        return False
    try:
        readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
        if not readable:
            return True
        conn.pgconn.consume_input()
    except (OSError, ValueError, psycopg.Error):
        return False
    return conn.pgconn.status == psycopg.pq.ConnStatus.OK


# Whether this connection's role owns mtui's tables (or is a superuser): it is not
# subject to row-level security, and may create boards and manage members.
OWNER_CHECK = (
    "(SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
    "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
    "FROM pg_class c WHERE c.oid = 'board'::regclass)"
)


def is_schema_owner(conn: psycopg.Connection) -> bool:
    row = conn.execute(f"SELECT {OWNER_CHECK}").fetchone()
    return bool(row and row[0])


def translating(cls: type[T]) -> type[T]:
    """Class decorator: every public method raises only backend-neutral errors."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        setattr(cls, name, _translating_function(member))
    return cls


def _translate_for(owner: Any, exc: psycopg.Error) -> Exception:
    session = getattr(owner, "session", None)
    if isinstance(session, PgSession):
        return session.translate(exc)
    return translate(exc)


def _translating_function(func: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(func):  # a streaming read: errors arrive as it runs

        @functools.wraps(func)
        def generator(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                yield from func(self, *args, **kwargs)
            except psycopg.Error as exc:
                raise _translate_for(self, exc) from None

        return generator

    @functools.wraps(func)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(self, *args, **kwargs)
        except psycopg.Error as exc:
            raise _translate_for(self, exc) from None

    return wrapper


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


class Tx:
    """One write transaction on one board: its sequence number, what it touched."""

    def __init__(self, conn: psycopg.Connection, seq: int, actor: str, board: int) -> None:
        self.conn = conn
        self.seq = seq
        self.actor = actor
        self.board = board
        self.at = clock.utc_stamp()
        self.topics: set[str] = set()
        self.task_ids: dict[int, None] = {}
        self.many_tasks = False
        self.action_id: str | None = None

    def execute(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor:
        return self.conn.execute(sql, list(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql, [list(r) for r in rows])

    def next_id(self, table: str) -> int:
        """One above the board's highest id in ``table``: safe, as this transaction holds
        the board row's lock (every writer on the board takes it first)."""
        return self.execute(
            f"SELECT coalesce(max(id), 0) + 1 FROM {table} WHERE board_id = %s", [self.board]
        ).fetchone()[0]  # type: ignore[index]

    def touch(self, topic: str, task_ids: Iterable[int] = ()) -> None:
        """Say what this transaction changed (its feed entry lists it)."""
        self.topics.add(topic)
        if topic == TASKS and not self.many_tasks:
            self.task_ids.update(dict.fromkeys(task_ids))
            if len(self.task_ids) > MAX_LISTED_TASKS:
                self.many_tasks = True
                self.task_ids.clear()

    def _action(self, action_id: str) -> None:
        if self.action_id is None:
            self.action_id = action_id

    def log_task(
        self,
        task_id: int,
        kind: str,
        action_id: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        undo_of: str | None = None,
        at: str | None = None,
    ) -> None:
        """One ``task_event`` row, and the task in this transaction's feed entry."""
        self._action(action_id)
        self.touch(TASKS, (task_id,))
        self.execute(
            "INSERT INTO task_event (board_id, task_id, at, kind, field, old, new, action_id, "
            "undo_of, seq, actor) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (self.board, task_id, at or self.at, kind, field, _json(old), _json(new), action_id,
             undo_of, self.seq, self.actor),
        )  # fmt: skip

    def log(
        self,
        topic: str,
        entity: str,
        entity_id: int | None,
        kind: str,
        action_id: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        undo_of: str | None = None,
    ) -> None:
        """One ``activity`` row (anything but a task)."""
        self._action(action_id)
        self.touch(topic)
        self.execute(
            "INSERT INTO activity (board_id, seq, at, actor, action_id, undo_of, entity, "
            "entity_id, kind, field, old, new) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (self.board, self.seq, self.at, self.actor, action_id, undo_of, entity, entity_id,
             kind, field, _json(old), _json(new)),
        )  # fmt: skip


class PgSession:
    """Owns one connection to one board. A broken connection is replaced on the next
    call (outside a transaction); until the server answers, calls raise UnavailableError."""

    def __init__(
        self,
        url: ServerUrl,
        conn: psycopg.Connection,
        board: int,
        *,
        actor: str,
        read_only: bool = False,
        read_only_reason: str | None = None,
    ) -> None:
        self.url = url
        self.read_only_reason = read_only_reason or READ_ONLY_MESSAGE
        self._conn = conn
        self.board = board
        self.actor = actor
        self.read_only = read_only
        self.lock = threading.RLock()
        self._tx: Tx | None = None
        self.closed = False

    def translate(self, exc: Exception) -> Exception:
        return translate(exc, self.url.display, self.url.redact)

    @property
    def conn(self) -> psycopg.Connection:
        if self.closed:
            raise StoreError(f"this handle on {self.url.location} is closed")
        if (self._conn.closed or self._conn.broken) and self._tx is None:
            with self.lock:
                if self._conn.closed or self._conn.broken:
                    self._conn = connect(self.url.conninfo, self.url.display, self.url.redact)
        return self._conn

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One transaction (or the one already open: nested writes join it)."""
        with self.lock:
            if self._tx is not None:
                # Each write in a batch is stamped with its own time (the demo replays
                # weeks of history in one transaction under a moving clock).
                self._tx.at = clock.utc_stamp()
                yield self._tx
                return
            if self.read_only:
                raise ReadOnlyError(self.read_only_reason)
            for attempt in (1, 2):
                conn = self.conn
                began = False
                try:
                    with conn.transaction() as pg_tx:
                        row = conn.execute(
                            "UPDATE board SET seq = seq + 1 WHERE id = %s RETURNING seq",
                            [self.board],
                        ).fetchone()
                        began = True
                        if row is None:
                            raise self._no_board_row(conn)
                        tx = self._tx = Tx(conn, row[0], self.actor, self.board)
                        try:
                            yield tx
                            if not tx.topics:
                                raise psycopg.Rollback(pg_tx)  # nothing changed: no seq taken
                            self._finish(tx)
                        finally:
                            self._tx = None
                    return
                except psycopg.Error as exc:
                    # A connection the server dropped while idle fails on the very first
                    # statement, before anything was sent that could have been committed:
                    # that one case is retried once on a new connection.
                    if attempt == 1 and not began and conn.broken:
                        continue
                    raise self.translate(exc) from None

    @property
    def in_write(self) -> bool:
        """Inside ``write()`` (a batch): writes join its transaction."""
        return self._tx is not None

    def one_trip(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        """A whole write as one statement (a server function doing the version check,
        the change, the log, the position and the feed entry): one round trip, its own
        transaction. Not inside a batch (``in_write``), which has its own transaction.

        Sent only on a connection that still looks alive (``_usable``): once sent, a
        failure may have come after the commit, so it is never sent twice."""
        with self.lock:
            if self.read_only:
                raise ReadOnlyError(self.read_only_reason)
            for attempt in (1, 2):
                conn = self.conn
                if not _usable(conn):
                    conn.close()
                    conn = self.conn  # a new one
                try:
                    return conn.execute(sql, list(params)).fetchall()
                except psycopg.Error as exc:
                    # The server said it ended the session before answering: the
                    # statement did not commit (a commit is answered before any later
                    # termination), so it is sent once more on a new connection.
                    if attempt == 1 and conn.broken and exc.sqlstate in _ENDED_BEFORE:
                        continue
                    raise self.translate(exc) from None
            raise AssertionError("unreachable")  # pragma: no cover

    def _no_board_row(self, conn: psycopg.Connection) -> StoreError:
        """The board row could not be updated: row-level security says this role may
        only read it (a viewer), or the board is gone."""
        visible = conn.execute("SELECT 1 FROM board WHERE id = %s", [self.board]).fetchone()
        if visible:
            return ReadOnlyError(VIEWER_MESSAGE)
        return UnavailableError(f"the board at {self.url.location} no longer exists")

    def _finish(self, tx: Tx) -> None:
        task_ids = None if tx.many_tasks else json.dumps(list(tx.task_ids))
        tx.execute(
            "INSERT INTO change_feed (board_id, seq, at, actor, action_id, topics, task_ids) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (self.board, tx.seq, tx.at, tx.actor, tx.action_id, ",".join(sorted(tx.topics)),
             task_ids),
        )  # fmt: skip
        if tx.seq % PRUNE_EVERY == 0:
            tx.execute(
                "DELETE FROM change_feed WHERE board_id = %s AND seq <= %s",
                [self.board, tx.seq - FEED_KEEP],
            )
        # Live updates: other clients' listeners wake at commit (NOTIFY is delivered
        # only if this transaction commits, and in commit order). The payload is the
        # board and the sequence only, never row data: NOTIFY ignores row-level
        # security, so a listener re-reads what it is allowed to see.
        tx.execute("SELECT pg_notify(%s, %s)", [FEED_CHANNEL, f"{self.board}:{tx.seq}"])

    @contextmanager
    def read(self) -> Iterator[psycopg.Connection]:
        """Several reads that see one state of the board (a repeatable-read snapshot).

        The snapshot's ``BEGIN`` carries its isolation level (one statement, not
        ``BEGIN`` then ``SET TRANSACTION``: over a slow link each is a round trip).
        Reads known in advance go in one round trip with ``read_many``."""
        with self.lock:
            if self._tx is not None:  # inside a write: already one state
                yield self._tx.conn
                return
            for attempt in (1, 2):
                conn = self.conn
                began = False
                try:
                    conn.execute(BEGIN_SNAPSHOT)
                    began = True
                    try:
                        yield conn
                    except BaseException:
                        _end_transaction(conn, "ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                    return
                except psycopg.Error as exc:
                    if attempt == 1 and not began and conn.broken:  # dropped while idle
                        continue
                    raise self.translate(exc) from None

    def read_many(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[tuple]]:
        """The rows of each statement, all read in one snapshot and one round trip
        (pipeline mode: the snapshot's BEGIN, the statements and its COMMIT are sent
        together, then the answers read)."""
        with self.lock:
            if self._tx is not None:  # inside a write: already one state
                conn = self._tx.conn
                return [conn.execute(sql, list(params)).fetchall() for sql, params in statements]
            for attempt in (1, 2):
                conn = self.conn
                try:
                    return run_pipelined(conn, statements, snapshot=True)
                except psycopg.Error as exc:
                    # Reading twice changes nothing: a connection the server dropped
                    # while idle is replaced once.
                    if attempt == 1 and conn.broken:
                        continue
                    raise self.translate(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self._conn.close()


class PgRepository:
    """Base of the repositories: they share their store's session (one connection)."""

    def __init__(self, session: PgSession) -> None:
        self.session = session

    @property
    def board(self) -> int:
        return self.session.board

    def query(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor:
        """A read on this handle's connection (inside a write, on its transaction).

        Outside a transaction, a read on a connection the server dropped while idle is
        tried once more on a new one: reading twice changes nothing. Under the session's
        lock: a worker thread sharing the session (``admin.worker_handle``) never reads
        inside another thread's transaction."""
        with self.session.lock:
            tx = self.session._tx
            if tx is not None:
                return tx.conn.execute(sql, list(params))
            conn = self.session.conn
            try:
                return conn.execute(sql, list(params))
            except psycopg.OperationalError:
                if not conn.broken:
                    raise
                return self.session.conn.execute(sql, list(params))

    def write(self) -> Any:
        return self.session.write()
