"""The change feed on PostgreSQL: ``board.seq`` and one ``change_feed`` row per write."""

from __future__ import annotations

import json
import threading
import time

import psycopg

from mtui.core.errors import UnavailableError
from mtui.core.store.feed import FeedBatch, FeedEntry
from mtui.core.store.postgres.session import (
    FEED_CHANNEL,
    PgRepository,
    PgSession,
    connect,
    translating,
)

_POSITION = "SELECT seq FROM board WHERE id = %s"
LISTENER_NAME = "mtui listener"  # its application_name in pg_stat_activity


@translating
class PgFeed(PgRepository):
    def position(self) -> int:
        return self.query(_POSITION, [self.board]).fetchone()[0]  # type: ignore[index]

    def changes(self, after: int, *, limit: int = 1000) -> FeedBatch:
        rows, ((position, oldest),) = self.session.read_many(  # one round trip
            [
                ("SELECT seq, at, actor, action_id, topics, task_ids FROM change_feed "
                 "WHERE board_id = %s AND seq > %s ORDER BY seq LIMIT %s", [self.board, after, limit]),
                (f"SELECT ({_POSITION}), (SELECT min(seq) FROM change_feed WHERE board_id = %s)",
                 [self.board, self.board]),
            ]
        )  # fmt: skip
        entries = [
            FeedEntry(seq, at, actor, action_id, frozenset(topics.split(",")),
                      None if task_ids is None else tuple(json.loads(task_ids)))
            for seq, at, actor, action_id, topics, task_ids in rows
        ]  # fmt: skip
        # A reader ahead of the board (a restored dump), or behind what is kept (pruned
        # entries): it cannot know what changed and must read everything.
        if after > position or (after < position and (oldest is None or oldest > after + 1)):
            return FeedBatch(position, [], gap=True)
        return FeedBatch(entries[-1].seq if entries else position, entries)

    def listener(self) -> PgListener:
        return PgListener(self.session)


class PgListener:
    """``LISTEN`` on a dedicated connection: a commit on the board wakes ``wait`` at once.

    Notifications can be missed (the connection drops between two waits, or a
    notification arrives while nobody listens), so every wait also reads the board's
    position once, when it starts: a missed wake-up costs at most one ``timeout``, and
    the caller's catch-up by sequence is what guarantees no gap.
    """

    STOP_CHECK_S = 0.25  # how soon a ``close()`` from another thread ends a ``wait``

    def __init__(self, session: PgSession) -> None:
        self.session = session
        self._conn: psycopg.Connection | None = None
        self._stop = threading.Event()
        self._busy = threading.Lock()  # held by a wait; the connection is used under it

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            url = self.session.url
            conn = connect(url.conninfo, url.display, url.redact, LISTENER_NAME)
            conn.execute(f"LISTEN {FEED_CHANNEL}")
            self._conn = conn
        return self._conn

    def wait(self, after: int, timeout: float) -> int:
        with self._busy:
            return self._wait(after, time.monotonic() + timeout)

    def _wait(self, after: int, deadline: float) -> int:
        if self._stop.is_set():
            self._close_connection()
            return after
        try:
            conn = self._connection()
            position = self._position(conn)
            while position <= after and not self._stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                for note in conn.notifies(timeout=min(left, self.STOP_CHECK_S), stop_after=1):
                    board, _, seq = note.payload.partition(":")
                    if board == str(self.session.board) and seq.isdigit():
                        position = max(position, int(seq))
        except psycopg.Error as exc:
            self._close_connection()
            raise UnavailableError(
                f"lost the connection to the team board at {self.session.url.display} "
                f"({self.session.url.redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)})"
            ) from None
        if self._stop.is_set():
            self._close_connection()
        return position

    def _position(self, conn: psycopg.Connection) -> int:
        row = conn.execute(_POSITION, [self.session.board]).fetchone()
        if row is None:
            raise UnavailableError(f"the board at {self.session.url.location} no longer exists")
        return int(row[0])

    def close(self) -> None:
        """Stop (from any thread): a ``wait`` in progress returns within
        ``STOP_CHECK_S`` and closes the connection; with none in progress it is closed now."""
        self._stop.set()
        if self._busy.acquire(blocking=False):
            try:
                self._close_connection()
            finally:
                self._busy.release()

    def _close_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
