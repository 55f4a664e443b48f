"""Pilot tests: background events become notifications; empty panes say what to do."""

from __future__ import annotations

import pytest

from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.ui.app import MtuiApp
from tests.support.palette import notices
from tests.support.ui import find

pytestmark = pytest.mark.anyio

SIZE = (160, 45)


async def test_a_task_changed_by_another_process_is_announced(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        other = open_store(demo_store.admin.location)  # another process's connection
        try:
            task = find(other, "Write launch announcement email")
            TaskActions(other).edit(task, {"title": "Launch email, rewritten elsewhere"})
        finally:
            other.close()
        app.check_for_changes()
        await pilot.pause()
        assert "1 task changed elsewhere; board updated" in notices(app)
        assert app.board.model.get(task.id).title == "Launch email, rewritten elsewhere"


async def test_own_changes_are_not_announced(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")  # mark done on this connection
        other = open_store(demo_store.admin.location)
        other.settings.set_setting("poke", "1")  # move data_version without touching tasks
        other.close()
        app.check_for_changes()
        await pilot.pause()
        assert not any("changed elsewhere" in t for t in notices(app))


async def test_a_failing_source_is_announced_once(store):
    store.metrics.save_metric_source(
        {"name": "plausible", "kind": "json", "url": "http://127.0.0.1:9/x"}
    )
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        failing: list[str] = []
        for _ in range(200):  # the strip polls in a worker; wait for its result
            await pilot.pause(0.05)
            failing = [t for t in notices(app) if t.startswith("plausible:")]
            if failing:
                break
        assert len(failing) == 1 and failing[0].endswith("(last good value kept)")
        assert store.metrics.metric_sources()[0].last_status == "error"
        app.check_for_changes()  # still failing: no second notice
        assert len([t for t in notices(app) if t.startswith("plausible:")]) == 1


def test_source_watch_reports_only_new_failures(store):
    from mtui.ui.shell.notices import SourceWatch

    source = store.metrics.save_metric_source({"name": "ga", "kind": "json", "url": "http://x"})
    watch = SourceWatch()
    assert watch.check(store.metrics.metric_sources()) == []
    store.metrics.record_fetch(
        source.id, fetched_at="2026-03-10T09:00:00Z", values=None, error="HTTP 503"
    )
    assert watch.check(store.metrics.metric_sources()) == ["ga: HTTP 503 (last good value kept)"]
    assert watch.check(store.metrics.metric_sources()) == []
    store.metrics.record_fetch(
        source.id, fetched_at="2026-03-10T09:05:00Z", values={"v": 1}, error=None
    )
    assert watch.check(store.metrics.metric_sources()) == []
    store.metrics.record_fetch(
        source.id, fetched_at="2026-03-10T09:10:00Z", values=None, error="timeout"
    )
    assert watch.check(store.metrics.metric_sources()) == ["ga: timeout (last good value kept)"]


async def test_empty_database_panes_say_what_to_do(store):
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        metrics = str(app.query_one("#metrics").render())
        assert "mtui source add" in metrics
        brief = "\n".join(str(s.content) for s in app.query_one("#brief").query("Static"))
        assert "g to add one" in brief
        assert "press e to fill it in" in brief
