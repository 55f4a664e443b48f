"""Live updates in the TUI: the feed listener wakes the board, and a lost connection
shows a banner until the listener is back (then the board catches up)."""

from __future__ import annotations

import pytest

from mtui.core.errors import UnavailableError
from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.ui import app as app_module
from mtui.ui.app import MtuiApp
from mtui.ui.shell.live import ConnectionBanner

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


def _titles(app) -> set[str]:
    return {t.title for column in app.board.model.columns for t in column.visible}


async def _until(pilot, condition, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_the_listener_shows_another_clients_change_without_the_poll(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 3600)  # only the listener can do it
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        other = open_store(store.admin.location)
        await pilot.pause(0.3)  # the listener has read its starting position
        TaskActions(other).add({"title": "Added by a teammate"})
        assert await _until(pilot, lambda: "Added by a teammate" in _titles(app))
        other.close()


class FlakyListener:
    """The real listener, cut off for its first ``failures`` waits (as a server restart
    would); the real PostgreSQL cut-off is tested in tests/store/postgres/test_live.py."""

    def __init__(self, real, failures: int) -> None:
        self.real, self.failures = real, failures

    def wait(self, after: int, timeout: float) -> int:
        if self.failures:
            self.failures -= 1
            raise UnavailableError("lost the connection to the team board at db.example")
        return self.real.wait(after, timeout)

    def close(self) -> None:
        self.real.close()


async def test_a_lost_connection_shows_a_banner_then_catches_up(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 3600)
    real_listener = store.feed.listener
    monkeypatch.setattr(store.feed, "listener", lambda: FlakyListener(real_listener(), 2))
    other = open_store(store.admin.location)
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        banner = app.query_one(ConnectionBanner)
        assert await _until(pilot, lambda: banner.has_class("-shown"), 2)
        assert "lost the connection" in str(banner.render())
        TaskActions(other).add({"title": "Added while we were cut off"})
        # Backoff 0.5 s then 1 s; then the banner goes and the board catches up.
        assert await _until(pilot, lambda: not banner.has_class("-shown"), 5)
        assert await _until(pilot, lambda: "Added while we were cut off" in _titles(app))
        assert any("Reconnected" in n.message for n in app._notifications)
    other.close()


async def test_the_catch_up_poll_slows_while_the_listener_listens(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A safety net while the listener is healthy (every SAFETY_POLL_SECONDS), every
    POLL_SECONDS while it is cut off, and slow again once it is back."""
    real_listener = store.feed.listener
    flaky: list[FlakyListener] = []

    def listener():
        flaky.append(FlakyListener(real_listener(), 0))
        return flaky[-1]

    monkeypatch.setattr(store.feed, "listener", listener)
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        assert await _until(pilot, lambda: app.poll_seconds == app_module.SAFETY_POLL_SECONDS)
        assert app_module.SAFETY_POLL_SECONDS > app_module.POLL_SECONDS
        flaky[0].failures = 2  # the next two waits fail, as a lost server would
        other = open_store(store.admin.location)
        TaskActions(other).add({"title": "Ends the wait in progress"})
        other.close()
        assert await _until(pilot, lambda: app.poll_seconds == app_module.POLL_SECONDS, 8)
        assert await _until(pilot, lambda: app.poll_seconds == app_module.SAFETY_POLL_SECONDS, 8)
