"""Board writes run off the event loop; a write the store refuses is put back, with a notice.

Issue 13 (writes off the event loop) and issue 12 items 1 (storage errors become notices)
and 17 (one undo stack that says what it undid).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.ui.app import MtuiApp
from tests.support.ui import select, status_id

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
TITLE = "Write launch announcement email"  # in Doing


def notices(app: MtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


class ThreadRecorder:
    """A Store whose every repository call notes the thread that made it."""

    def __init__(self, store: Any, calls: list[tuple[str, str]]) -> None:
        self._store, self._calls = store, calls

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if name in ("tasks", "strategy", "metrics", "settings", "activity", "feed"):
            return _RepoRecorder(value, name, self._calls)
        if name == "admin":
            return _AdminRecorder(value, self._calls)
        return value


class _RepoRecorder:
    def __init__(self, repo: Any, name: str, calls: list[tuple[str, str]]) -> None:
        self._repo, self._name, self._calls = repo, name, calls

    def __getattr__(self, method: str) -> Any:
        target = getattr(self._repo, method)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append((threading.current_thread().name, f"{self._name}.{method}"))
            return target(*args, **kwargs)

        return call


class _AdminRecorder:
    def __init__(self, admin: Any, calls: list[tuple[str, str]]) -> None:
        self._admin, self._calls = admin, calls

    def __getattr__(self, name: str) -> Any:
        if name in ("new_handle", "worker_handle"):
            return lambda: ThreadRecorder(getattr(self._admin, name)(), self._calls)
        return getattr(self._admin, name)


async def test_the_ui_thread_runs_no_store_call_during_a_move(demo_store):
    calls: list[tuple[str, str]] = []
    app = MtuiApp(ThreadRecorder(demo_store, calls))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        task = select(app, demo_store, TITLE)
        calls.clear()
        ui_thread = threading.current_thread().name
        await pilot.press("H", "J", "K", "x")
        assert calls, "the moves reached the store"
        on_ui = [c for c in calls if c[0] == ui_thread]
        assert on_ui == [], on_ui
        assert demo_store.tasks.get_task(task.id).status_id == status_id(demo_store, "Done")


async def test_a_stale_write_is_refused_put_back_and_explained(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        other = open_store(demo_store.admin.location)  # another client, a moment earlier
        TaskActions(other).edit(other.tasks.get_task(task.id), {"title": "Renamed elsewhere"})
        other.close()
        await pilot.press("x")  # the board still holds the old version of the card
        saved = demo_store.tasks.get_task(task.id)
        assert saved.status_id == task.status_id, "the stale move was not applied"
        shown = app.board.model.get(task.id)
        assert shown is not None and shown.title == "Renamed elsewhere"
        assert shown.status_id == task.status_id, "the card went back where the store has it"
        assert any("changed elsewhere" in n for n in notices(app))
        assert app.is_running


async def test_a_read_only_database_keeps_the_app_running_with_a_notice(demo_store, tmp_path):
    path = demo_store.admin.location
    demo_store.close()
    read_only = open_store(path, read_only=True)
    app = MtuiApp(read_only)
    try:
        async with app.run_test(size=SIZE) as pilot:
            task = select(app, read_only, TITLE)
            await pilot.press("x")
            assert app.is_running
            assert any("read-only" in n and "nothing was saved" in n for n in notices(app))
            shown = app.board.model.get(task.id)
            assert shown is not None and shown.status_id == task.status_id
            assert read_only.tasks.get_task(task.id).status_id == task.status_id
    finally:
        read_only.close()


async def test_undo_after_a_brief_edit_reverts_the_brief_and_says_so(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("x")  # a task change first
        before = demo_store.strategy.brief()
        await pilot.press("1", "e")  # the brief's first section
        from mtui.ui.strategy.section_editor import SectionEditor

        assert isinstance(app.screen, SectionEditor)
        await pilot.press("end", *" Co", "ctrl+s")
        assert demo_store.strategy.brief().name == before.name + " Co"
        await pilot.press("2", "u")
        assert demo_store.strategy.brief().name == before.name, "undo reverted the brief"
        assert demo_store.tasks.get_task(task.id).status_id == status_id(demo_store, "Done")
        assert any(n.startswith("Undone: edited the brief (name)") for n in notices(app))
        await pilot.press("u")  # then the task change, and the toast names it
        assert demo_store.tasks.get_task(task.id).status_id == task.status_id
        assert f"Undone: moved '{TITLE}' Done → Doing" in notices(app)
        await pilot.press("ctrl+r")
        assert demo_store.tasks.get_task(task.id).status_id == status_id(demo_store, "Done")
        assert f"Redone: moved '{TITLE}' Doing → Done" in notices(app)


async def test_goal_edits_and_a_stand_up_are_undone_in_order(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        held = len(demo_store.settings.standups())
        await pilot.press("s", "n", "y")  # y: the confirmation
        assert len(demo_store.settings.standups()) == held + 1
        await pilot.press("escape")
        goal = demo_store.strategy.goals()[0]
        from mtui.ui.strategy.forms import GoalForm

        await app.push_screen(GoalForm(demo_store, editing=goal))
        await pilot.pause()
        field = app.screen.query_one("#f-target")
        field.value = "4321"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert demo_store.strategy.goals()[0].target == 4321
        await pilot.press("u")
        assert demo_store.strategy.goals()[0].target == goal.target
        assert any(n.startswith(f"Undone: edited goal {goal.slug} (target)") for n in notices(app))
        await pilot.press("u")
        assert len(demo_store.settings.standups()) == held
        assert any(n.startswith("Undone: recorded the stand-up") for n in notices(app))


async def test_the_stand_up_view_reads_and_records_off_the_event_loop(demo_store):
    """Issue 12, item 28 (and issue 13): opening the stand-up view, recording a stand-up
    and undoing it make no store call on the UI thread."""
    calls: list[tuple[str, str]] = []
    app = MtuiApp(ThreadRecorder(demo_store, calls))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        calls.clear()
        ui_thread = threading.current_thread().name
        held = len(demo_store.settings.standups())
        await pilot.press("s", "n", "y")
        assert len(demo_store.settings.standups()) == held + 1
        await pilot.press("u")
        assert len(demo_store.settings.standups()) == held
        assert any(c[1] == "settings.mark_standup" for c in calls)
        on_ui = [c for c in calls if c[0] == ui_thread]
        assert on_ui == [], on_ui


async def test_walk_mode_reads_and_writes_off_the_event_loop(demo_store):
    """Walking the board (w in the stand-up view) reads each card and saves each change on
    the background store; the change still goes into the app's one undo history."""
    calls: list[tuple[str, str]] = []
    app = MtuiApp(ThreadRecorder(demo_store, calls))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        await pilot.press("s")
        calls.clear()
        ui_thread = threading.current_thread().name
        await pilot.press("w")
        walk = app.screen
        first = walk.steps[0].task_id  # type: ignore[attr-defined]
        assert walk.task_now is not None and walk.task_now.id == first  # type: ignore[attr-defined]
        await pilot.press("x", "j", "k")
        assert demo_store.tasks.get_task(first).status_id == status_id(demo_store, "Done")
        assert any(c[1] == "tasks.update_task" for c in calls), calls
        on_ui = [c for c in calls if c[0] == ui_thread]
        assert on_ui == [], on_ui
        await pilot.press("escape", "escape")
        await pilot.press("u")  # undone from the board, like any other change
        assert demo_store.tasks.get_task(first).status_id != status_id(demo_store, "Done")
