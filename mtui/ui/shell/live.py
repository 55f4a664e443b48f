"""Other clients' changes, live: a listener thread wakes the board's catch-up.

The store's feed listener (``store.feed.listener()``: ``LISTEN`` on PostgreSQL, a fast
position read on SQLite) blocks on its own connection in a thread worker, so the event
loop never waits on it. When it wakes, the app runs its ordinary catch-up
(``check_for_changes``), which reads "everything after my position" from the change
feed: the wake-up only says *when*, the feed says *what*, so a missed notification
costs time, never data. The app's catch-up poll stays as the safety net: every 10 s
while the listener listens, every second while it cannot (``pace_catch_up``).

When the listener loses the database (a server restart, a dropped network), a banner
says so, the thread retries with backoff, and on reconnecting the board catches up by
sequence, with no gap and nothing read twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from mtui.core.errors import MtuiError
from mtui.core.store.contract import FeedListener, Store

LISTEN_TIMEOUT_S = 5.0  # a wait also re-reads the position when it ends (safety)
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # between reconnection attempts
LIVE_GROUP = "live"
logger = logging.getLogger("mtui.ui")


class ConnectionBanner(Static):
    """One line across the top while the database cannot be reached."""

    DEFAULT_CSS = """
    ConnectionBanner { display: none; height: 1; background: $warning; color: $text; padding: 0 1; }
    ConnectionBanner.-shown { display: block; }
    """


class LiveUpdates:
    """Mixed into the app (which has ``store``, ``check_for_changes`` and a banner)."""

    store: Store
    _listener: FeedListener | None = None
    _live_stop: threading.Event | None = None

    def start_live_updates(self) -> None:
        app: Any = self
        self._live_stop = threading.Event()
        app.run_worker(
            self._listen, thread=True, group=LIVE_GROUP, name="feed-listener", exit_on_error=False
        )

    def stop_live_updates(self) -> None:
        """Ends the listener thread within a fraction of a second (it closes its own
        connection), so quitting never waits for a listen timeout."""
        if self._live_stop is not None:
            self._live_stop.set()
        if self._listener is not None:
            self._listener.close()

    def _listen(self) -> None:
        stop = self._live_stop
        assert stop is not None
        # Made here, not on the loop: a backend may do I/O to set it up.
        listener = self._listener = self.store.feed.listener()
        position: int | None = None
        failures = 0
        while not stop.is_set():
            try:
                now = listener.wait(-1 if position is None else position, LISTEN_TIMEOUT_S)
            except MtuiError as exc:
                failures += 1
                logger.warning("live updates: %s", exc)
                self._on_loop(self.connection_lost, str(exc))
                if failures == 1:
                    self._on_loop(self._listening, False)
                if stop.wait(BACKOFF_S[min(failures, len(BACKOFF_S)) - 1]):
                    return
                continue
            except Exception:  # a defect: live updates stop, the 1 s poll carries on
                logger.exception("live updates stopped")
                self._on_loop(self._listening, False)
                listener.close()
                return
            if stop.is_set():
                return
            if failures:
                failures = 0
                self._on_loop(self.connection_back)
                self._on_loop(self._listening, True)
            elif position is None:
                self._on_loop(self._listening, True)
            elif now != position:
                self._on_loop(self.check_for_changes)
            position = now

    def _on_loop(self, callback: Callable[..., Any], *args: Any) -> None:
        app: Any = self
        with contextlib.suppress(RuntimeError):  # the app is shutting down
            app.call_from_thread(callback, *args)

    # On the event loop -------------------------------------------------------------
    def _banner(self) -> ConnectionBanner | None:
        app: Any = self
        if not app.is_running or not app.screen_stack:
            return None
        return next(iter(app.screen_stack[0].query(ConnectionBanner)), None)

    def connection_lost(self, message: str) -> None:
        banner = self._banner()
        if banner is not None:
            banner.update(
                f"⚠ {message}. Reconnecting… Your board is shown as last read; "
                "changes cannot be saved until the database is back."
            )
            banner.add_class("-shown")

    def connection_back(self) -> None:
        banner = self._banner()
        if banner is not None and banner.has_class("-shown"):
            banner.remove_class("-shown")
            app: Any = self
            app.notify("Reconnected: the board is up to date again", timeout=3)
        self.check_for_changes()

    def _listening(self, listening: bool) -> None:
        app: Any = self
        if app.is_running:
            self.pace_catch_up(listening=listening)

    def check_for_changes(self) -> None:  # the app's catch-up
        raise NotImplementedError

    def pace_catch_up(self, *, listening: bool) -> None:  # the app's catch-up poll
        raise NotImplementedError
