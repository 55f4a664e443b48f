"""Issue 12, item 1: a store that fails is a notice on screen, never a crash.

The failures are real where they can be: a second connection holding SQLite's write
lock (``BEGIN EXCLUSIVE``), so the app's write waits out its busy timeout and is refused
as "busy"; a database file whose task table is damaged. Where a failure cannot be made
real in a test (a defect in the code), one store method is replaced.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mtui.core.errors import ReadOnlyError
from mtui.core.store import open_store
from mtui.core.store.sqlite import opening
from mtui.ui.app import MtuiApp
from mtui.ui.standup.screen import StandupScreen
from tests.support.ui import select, status_id

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
TITLE = "Write launch announcement email"  # in Doing


def notices(app: MtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's background connections wait 50 ms for a lock, not 5 s."""
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_MS", 50)


@contextmanager
def write_locked(path: str | Path) -> Iterator[None]:
    """Another program holds the database's write lock meanwhile."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_board_write_on_a_locked_database_is_put_back_with_a_notice(
    demo_store, short_busy_wait
):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        task = select(app, demo_store, TITLE)
        with write_locked(demo_store.admin.location):
            await pilot.press("x")
        assert app.is_running
        assert any("busy" in n for n in notices(app)), notices(app)
        shown = app.board.model.get(task.id)
        assert shown is not None and shown.status_id == task.status_id, "the card went back"
        assert demo_store.tasks.get_task(task.id).status_id == status_id(demo_store, "Doing")


async def test_marking_a_stand_up_on_a_locked_database_is_a_notice(demo_store, short_busy_wait):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        held = demo_store.settings.standups()
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, StandupScreen)
        window = screen.report.window
        with write_locked(demo_store.admin.location):
            await pilot.press("n", "y")  # asked first, then confirmed
        assert app.is_running and app.screen is screen
        assert any("busy" in n for n in notices(app)), notices(app)
        assert demo_store.settings.standups() == held
        assert screen.report.window == window, "the report still starts where it did"
        await pilot.press("n", "y")  # the lock is gone: now it is recorded
        assert len(demo_store.settings.standups()) == len(held) + 1


async def test_an_unexpected_error_in_a_write_is_a_notice_not_a_crash(demo_store, monkeypatch):
    from mtui.core.store.sqlite.settings import SqliteSettings

    def broken(self, held_at, *, action_id=None):
        raise RuntimeError("disk gremlin")

    monkeypatch.setattr(SqliteSettings, "mark_standup", broken)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "n", "y")
        assert app.is_running
        assert "unexpected error: RuntimeError: disk gremlin; nothing was saved" in notices(app)


async def test_a_refusal_from_any_key_action_is_a_notice(demo_store, monkeypatch):
    def refused(self) -> None:
        raise ReadOnlyError("the database is read-only: nothing was saved")

    monkeypatch.setattr(MtuiApp, "action_zoom", refused)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        assert app.is_running
        assert "the database is read-only: nothing was saved" in notices(app)


async def test_quick_add_on_a_store_it_cannot_read_closes_with_a_notice(demo_store, monkeypatch):
    from mtui.core.errors import CorruptError
    from mtui.core.store.sqlite.strategy import SqliteStrategy

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()

        def damaged(self, *args, **kwargs):
            raise CorruptError("the database file is damaged; nothing was saved")

        monkeypatch.setattr(SqliteStrategy, "goals", damaged)
        await pilot.press("a")
        assert app.is_running
        assert len(app.screen_stack) == 1, "quick-add closed: no names to check a line against"
        assert "the database file is damaged; nothing was saved" in notices(app)


async def test_walk_mode_shows_the_card_when_its_history_cannot_be_read(demo_store, monkeypatch):
    from mtui.core.errors import UnavailableError
    from mtui.core.store.sqlite.tasks import SqliteTasks
    from mtui.ui.standup.walk import WalkScreen

    def unreadable(self, *args, **kwargs):
        raise UnavailableError("the database is busy (another program holds its lock); try again")

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        monkeypatch.setattr(SqliteTasks, "events", unreadable)
        await pilot.press("w")
        assert app.is_running and isinstance(app.screen, WalkScreen)
        assert any("busy" in n for n in notices(app)), notices(app)
        await pilot.press("j")  # the next card: still walking
        assert app.screen.index == 1


async def test_metric_sources_that_cannot_be_read_are_a_notice(demo_store, monkeypatch):
    from mtui.core.errors import UnavailableError
    from mtui.core.store.sqlite.metrics import SqliteMetrics

    def unreadable(self, *args, **kwargs):
        raise UnavailableError("the database file could not be read or written (disk I/O error)")

    monkeypatch.setattr(SqliteMetrics, "metric_sources", unreadable)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # poll every source now
        for _ in range(50):
            if notices(app):
                break
            await pilot.pause(0.05)
        assert app.is_running
        shown = [n for n in notices(app) if "could not be read" in n]
        assert len(shown) == 1, notices(app)  # said once, not on every poll


def damage_task_table(path: Path) -> None:
    """Overwrite the first page of the ``task`` table with garbage (the schema stays
    readable, so the file opens; reading the board fails)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * page_size)


async def test_a_damaged_file_ends_the_app_with_status_1_and_one_line(
    tmp_path, frozen_clock, demo_template
):
    path = tmp_path / "damaged.db"
    shutil.copyfile(demo_template, path)
    damage_task_table(path)
    store = open_store(path)
    app = MtuiApp(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
    finally:
        store.close()
    assert app.return_code == 1
    assert not app.is_running
