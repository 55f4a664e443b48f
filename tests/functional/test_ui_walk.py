"""Pilot tests of walk mode (``w`` in the stand-up view): its keys say what they did and
read and write through the app's background store, never on the event loop."""

from __future__ import annotations

import threading

import pytest

from mtui.core.tasks.actions import TaskActions
from mtui.ui.app import MtuiApp
from mtui.ui.standup.walk import WalkScreen
from tests.support.ui import status_id

pytestmark = pytest.mark.anyio
SIZE = (160, 45)


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_walk(pilot) -> WalkScreen:
    await pilot.press("s", "w")
    walk = pilot.app.screen
    assert isinstance(walk, WalkScreen)
    return walk


async def test_unblock_on_a_card_that_is_not_blocked_changes_nothing(demo_store):
    """Issue 12 item 18: ``u`` on an in-progress card toasted "Unblocked" although
    nothing changed."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(pilot)
        walk.index = next(i for i, s in enumerate(walk.steps) if s.group == "In progress")
        await pilot.press("j", "k")  # show it (and read it)
        task = demo_store.tasks.get_task(walk.steps[walk.index].task_id)
        assert task.status_id == status_id(demo_store, "Doing") and not task.blocked_reason
        events_before = len(demo_store.tasks.events(task_id=task.id))
        undo_before = len(app.history.undo_stack)
        await pilot.press("u")
        assert messages(app)[-1] == f"'{task.title}' is not blocked: nothing changed"
        assert not any(m.startswith("Unblocked") for m in messages(app))
        after = demo_store.tasks.get_task(task.id)
        assert after.version == task.version
        assert len(demo_store.tasks.events(task_id=task.id)) == events_before
        assert len(app.history.undo_stack) == undo_before


async def test_walk_reads_and_writes_off_the_event_loop(demo_store, monkeypatch):
    threads: list[threading.Thread] = []
    for name in ("edit", "statuses"):
        original = getattr(TaskActions, name)

        def recording(self, *args, _original=original, **kwargs):
            threads.append(threading.current_thread())
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(TaskActions, name, recording)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_walk(pilot)
        first = walk.steps[0].task_id
        get_task = demo_store.tasks.get_task

        def recording_get(*args, **kwargs):
            threads.append(threading.current_thread())
            return get_task(*args, **kwargs)

        monkeypatch.setattr(demo_store.tasks, "get_task", recording_get)
        threads.clear()
        await pilot.press("u", "x")
        assert threads and threading.main_thread() not in threads, "store call on the loop"
        monkeypatch.undo()
        assert demo_store.tasks.get_task(first).status_id == status_id(demo_store, "Done")
        walk_said = [m for m in messages(app) if not m.startswith("demo-")]  # not the metrics
        assert walk_said[-2:] == ["Unblocked: back in progress", "Marked done"]
        assert walk.index == 1
