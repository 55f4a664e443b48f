"""Live updates on PostgreSQL: ``NOTIFY`` at commit, with the board and sequence only,
and a listener that survives its connection being killed."""

from __future__ import annotations

import threading

import psycopg
import pytest

from mtui.core.errors import UnavailableError
from mtui.core.store.postgres.session import FEED_CHANNEL
from tests.support.backends import Backend, add


def test_a_notification_carries_the_board_and_sequence_never_row_data(pg: Backend) -> None:
    """NOTIFY ignores row-level security: anyone listening on the server would read a
    payload, so it must name nothing but the board and the position."""
    store = pg.open()
    with psycopg.connect(pg.url, autocommit=True) as spy:
        spy.execute(f"LISTEN {FEED_CHANNEL}")
        add(store, "Secret launch of Project Falcon", owner="ana", notes="budget 40k")
        notes = list(spy.notifies(timeout=5, stop_after=1))
    board = store.session.board  # type: ignore[attr-defined]
    assert [n.payload for n in notes] == [f"{board}:{store.feed.position()}"]
    assert "Falcon" not in notes[0].payload and "ana" not in notes[0].payload


def test_a_rolled_back_write_notifies_nobody(pg: Backend) -> None:
    store = pg.open()
    with psycopg.connect(pg.url, autocommit=True) as spy:
        spy.execute(f"LISTEN {FEED_CHANNEL}")
        with pytest.raises(RuntimeError), store.batch():
            add(store, "never committed")
            raise RuntimeError("the user's batch failed")
        assert list(spy.notifies(timeout=0.5, stop_after=1)) == []


def test_a_listener_whose_connection_is_killed_reconnects_and_misses_nothing(
    pg: Backend,
) -> None:
    store = pg.open()
    listener = store.feed.listener()
    try:
        position = listener.wait(-1, 0)
        pid = listener._conn.info.backend_pid  # type: ignore[attr-defined]
        with psycopg.connect(pg.url, autocommit=True) as killer:
            killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        add(store, "while the listener was cut off")
        with pytest.raises(UnavailableError, match="lost the connection"):
            listener.wait(position, timeout=2)
        # The next wait reconnects, and its first read of the position catches up.
        assert listener.wait(position, timeout=5) == position + 1
        batch = store.feed.changes(position)
        assert [e.seq for e in batch.entries] == [position + 1] and not batch.gap
        # And it is live again.
        timer = threading.Timer(0.2, lambda: add(pg.handle(store), "after"))
        timer.start()
        assert listener.wait(position + 1, timeout=20) == position + 2
        timer.join()
    finally:
        listener.close()
