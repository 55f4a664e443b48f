"""One SQLite connection and the transaction discipline every repository shares.

Every write goes through ``SqliteSession.write()``: one ``BEGIN IMMEDIATE``
transaction that first bumps the board's change counter (so sequence order is commit
order), collects what the writes touched, logs them with the actor and that sequence,
and commits one change-feed entry with them. A transaction that changed nothing is
rolled back and takes no sequence number.

SQLite's exceptions never leave this package: ``translated()`` turns them into the
backend-neutral errors of ``mtui.core.errors`` by SQLite's error *codes*, not by the
wording of its messages.
"""

from __future__ import annotations

import _thread  # threading's own locks, without importing threading on every add
import functools
import inspect
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mtui.core import clock
from mtui.core.errors import (
    CorruptError,
    DuplicateError,
    ReadOnlyError,
    StoreError,
    UnavailableError,
    ValidationError,
)
from mtui.core.store.topics import MAX_LISTED_TASKS, TASKS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

# Feed entries kept for readers that fall behind (older ones are pruned; such a reader
# gets ``gap=True`` and reloads). Pruning runs every PRUNE_EVERY sequence numbers.
FEED_KEEP = 20_000
PRUNE_EVERY = 1_000
READ_ONLY_MESSAGE = "the database is read-only: nothing was saved"


def translate(exc: sqlite3.Error) -> Exception:
    """The backend-neutral error for an SQLite exception (by its error code)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        return DuplicateError("that name is already taken; nothing was saved")
    if name.startswith("SQLITE_CONSTRAINT"):
        what = "refers to a record that does not exist" if "FOREIGNKEY" in name else "is not valid"
        return ValidationError(f"the change {what}; nothing was saved")
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_PERM":
        return ReadOnlyError(READ_ONLY_MESSAGE)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return CorruptError("the database file is damaged; nothing was saved (run `mtui db check`)")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return UnavailableError("the database is busy (another program holds its lock); try again")
    if name == "SQLITE_FULL":
        return UnavailableError("the disk is full: nothing was saved")
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return UnavailableError(f"the database file could not be read or written ({exc})")
    return StoreError(f"database error: {exc}")


@contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc) from exc


def translating(cls: type[T]) -> type[T]:
    """Class decorator: every public method raises only backend-neutral errors."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        setattr(cls, name, _translating_function(member))
    return cls


def _translating_function(func: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def generator(*args: Any, **kwargs: Any) -> Any:
            with translated():
                yield from func(*args, **kwargs)

        return generator

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    return wrapper


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


class Tx:
    """One write transaction: its sequence number, and what it touched and logged."""

    def __init__(self, conn: sqlite3.Connection, seq: int, actor: str) -> None:
        self.conn = conn
        self.seq = seq
        self.actor = actor
        self.at = clock.utc_stamp()
        self.topics: set[str] = set()
        self.task_ids: dict[int, None] = {}
        self.many_tasks = False
        self.action_id: str | None = None

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, tuple(params))

    def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        row_id = self.conn.execute(sql, tuple(params)).lastrowid
        assert row_id is not None
        return row_id

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, (tuple(row) for row in rows))

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
        self.conn.execute(
            "INSERT INTO task_event (task_id, at, kind, field, old, new, action_id, undo_of, "
            "seq, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (task_id, at or self.at, kind, field, _json(old), _json(new), action_id, undo_of,
             self.seq, self.actor),
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
        self.conn.execute(
            "INSERT INTO activity (seq, at, actor, action_id, undo_of, entity, entity_id, kind, "
            "field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.seq, self.at, self.actor, action_id, undo_of, entity, entity_id, kind, field,
             _json(old), _json(new)),
        )  # fmt: skip


class SqliteSession:
    """Owns the connection. ``BEGIN IMMEDIATE`` takes the write lock up front, so two
    processes never deadlock upgrading a read lock, and the busy timeout makes the
    second writer wait its turn."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        actor: str,
        read_only: bool = False,
        file_read_only: bool = False,
    ) -> None:
        self.conn = conn
        self.path = path
        self.actor = actor
        self.read_only = read_only
        # True when the file (or its directory) cannot be written, not just this handle.
        self.file_read_only = file_read_only
        self.lock = _thread.RLock()  # what threading.RLock() returns
        self._tx: Tx | None = None
        self._checked = False
        # The file's fingerprint when this handle verified it, and when it was checked.
        self._verified: tuple[str | None, float] | None = None

    def _refuse_read_only(self) -> ReadOnlyError:
        if not self.file_read_only:
            return ReadOnlyError(READ_ONLY_MESSAGE)  # opened read-only on purpose
        if not os.access(self.path, os.W_OK):
            return ReadOnlyError(f"the database file {self.path} is read-only: nothing was saved")
        return ReadOnlyError(
            f"the database {self.path} is in a read-only directory: nothing was saved"
        )

    def _check_before_first_write(self) -> None:
        """Once per handle, before its first write: a damaged file is refused
        (CorruptError) instead of written into. ``PRAGMA quick_check`` reads the whole
        file (about 10 ms for 10,000 tasks), so read-only commands never pay it, the
        dashboard pays it on its store thread, not before its first frame, and a file
        that mtui verified and left unchanged since is not read again (``verified``)."""
        if self._checked:
            return
        from mtui.core.store.sqlite import verified

        current = verified.fingerprint(self.path)
        when = verified.verified_at(self.path, current)
        if when is None:
            from mtui.core.store.sqlite.opening import quick_check

            try:
                with translated():
                    quick_check(self.conn, self.path)
            except CorruptError:
                verified.forget(self.path)
                raise
            when = time.time()
        self._verified = (current, when)
        self._checked = True

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
                raise self._refuse_read_only()
            self._check_before_first_write()
            conn = self.conn
            with translated():
                conn.execute("BEGIN IMMEDIATE")
            try:
                with translated():
                    seq = conn.execute(
                        "UPDATE board SET seq = seq + 1 WHERE id = 1 RETURNING seq"
                    ).fetchall()[0][0]
                tx = self._tx = Tx(conn, seq, self.actor)
                try:
                    yield tx
                    with translated():
                        self._finish(tx)
                finally:
                    self._tx = None
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise

    def _finish(self, tx: Tx) -> None:
        if not tx.topics:
            self.conn.rollback()  # nothing changed: no sequence number taken
            return
        task_ids = None if tx.many_tasks else json.dumps(list(tx.task_ids))
        self.conn.execute(
            "INSERT INTO change_feed (seq, at, actor, action_id, topics, task_ids) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (tx.seq, tx.at, tx.actor, tx.action_id, ",".join(sorted(tx.topics)), task_ids),
        )
        if tx.seq % PRUNE_EVERY == 0:
            self.conn.execute("DELETE FROM change_feed WHERE seq <= ?", (tx.seq - FEED_KEEP,))
        self.conn.commit()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the database (WAL keeps writers going)."""
        with self.lock:
            if self.conn.in_transaction:  # inside a write: already one state
                yield self.conn
                return
            with translated():
                self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.rollback()

    def close(self) -> None:
        """Close the connection (again is a no-op). When it is the last one open on the
        file, SQLite checkpoints the -wal into the file and removes it.

        A handle that verified the file remembers it as verified when nothing has
        changed the file itself since (its writes are still in the -wal): the file as
        its closing checkpoint leaves it is then known good (``verified``)."""
        with self.lock:
            checked, self._verified = self._verified, None
            unchanged = False
            if checked is not None:
                from mtui.core.store.sqlite import verified

                unchanged = checked[0] is not None and verified.fingerprint(self.path) == checked[0]
            self.conn.close()
            if unchanged and checked is not None:
                verified.remember(self.path, verified.fingerprint(self.path), checked[1])


class SqliteRepository:
    """Base of the repositories: they share their store's session (one connection)."""

    def __init__(self, session: SqliteSession) -> None:
        self.session = session

    @property
    def conn(self) -> sqlite3.Connection:
        return self.session.conn

    def write(self) -> Any:
        return self.session.write()


def chunks(items: Iterable[T], size: int = 500) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (SQLite bounds a statement's parameters)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
