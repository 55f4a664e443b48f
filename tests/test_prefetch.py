"""Tasks read on a second connection at start-up are used only while still current."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtui.core.prefetch import TaskPrefetch
from mtui.core.store import open_store
from mtui.core.tasks import TaskActions


def test_prefetched_tasks_are_used_when_nothing_changed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    actions = TaskActions(store)
    for title in ("one", "two", "three"):
        actions.add({"title": title})
    prefetch = TaskPrefetch(store)
    tasks = prefetch.take(store.log_mark())
    assert tasks is not None and sorted(t.title for t in tasks) == ["one", "three", "two"]
    assert prefetch.take(store.log_mark()) is None, "a prefetch is used once"


def test_a_write_after_the_prefetch_makes_it_stale(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    actions = TaskActions(store)
    task = actions.add({"title": "before"})
    prefetch = TaskPrefetch(store)
    prefetch._thread.join()
    TaskActions(open_store(store.location)).edit(task, {"title": "after"})  # another process
    assert prefetch.take(store.log_mark()) is None


@pytest.mark.anyio
async def test_the_dashboard_shows_prefetched_tasks(tmp_path: Path) -> None:
    from mtui.ui.app import MtuiApp
    from tests.ui_support import board_text

    store = open_store(tmp_path / "p.db")
    TaskActions(store).add({"title": "Prefetched launch email"})
    app = MtuiApp(store, prefetch=TaskPrefetch(store))
    async with app.run_test(size=(160, 45)):
        assert "Prefetched launch email" in board_text(app)
