"""Pilot tests of the edit modal: every field, validation, undo, and conflicts."""

from __future__ import annotations

import pytest

from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.ui.app import MtuiApp
from mtui.ui.board.edit_modal import EditTaskScreen, read_form
from tests.support.ui import board_text, select

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
TITLE = "Write launch announcement email"


async def _type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector)
    field.value = text


async def test_enter_opens_modal_and_saves_fields(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditTaskScreen)
        await _type_into(pilot, "#title", "Write the launch email")
        await _type_into(pilot, "#due", "2026-03-20")
        await _type_into(pilot, "#owner", "@raj")
        await _type_into(pilot, "#tags", "+copy, launch")
        await _type_into(pilot, "#estimate", "1h30m")
        await _type_into(pilot, "#channel", "newsletter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EditTaskScreen)
        saved = demo_store.tasks.get_task(task.id)
        assert (saved.title, saved.due, saved.owner) == (
            "Write the launch email",
            "2026-03-20",
            "raj",
        )
        assert saved.tags == ["copy", "launch"]
        assert saved.estimate_minutes == 90
        assert any(
            c.name == "newsletter" and c.id == saved.channel_id for c in demo_store.tasks.channels()
        )
        assert "#newsletter" in board_text(app)
        fields = {e.field for e in demo_store.tasks.events(task_id=task.id) if e.kind == "changed"}
        assert {"title", "due", "owner", "tags", "estimate_minutes", "channel_id"} <= fields


async def test_invalid_input_shows_inline_errors_and_keeps_text(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        await _type_into(pilot, "#title", "   ")
        await _type_into(pilot, "#due", "someday")
        await _type_into(pilot, "#estimate", "lots")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditTaskScreen)  # still open
        assert "title" in str(screen.query_one("#title-error").render())
        assert "someday" in str(screen.query_one("#due-error").render())
        assert "estimate" in str(screen.query_one("#estimate-error").render())
        assert screen.query_one("#due").value == "someday"  # the input is kept
        assert demo_store.tasks.get_task(task.id).version == task.version  # nothing saved
        await pilot.press("escape")
        assert not isinstance(app.screen, EditTaskScreen)


async def test_undo_and_redo_an_edit(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        await _type_into(pilot, "#title", "Renamed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_store.tasks.get_task(task.id).title == "Renamed"
        await pilot.press("u")
        assert demo_store.tasks.get_task(task.id).title == TITLE
        assert TITLE.split()[0] in board_text(app)
        await pilot.press("ctrl+r")
        assert demo_store.tasks.get_task(task.id).title == "Renamed"


async def test_stale_modal_save_is_reported_not_lost(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        other = open_store(demo_store.admin.location)  # a second process, in effect
        TaskActions(other).edit(other.tasks.get_task(task.id), {"owner": "mia"})
        await _type_into(pilot, "#title", "Mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditTaskScreen)
        assert "changed this task meanwhile" in str(screen.query_one("#form-error").render())
        assert demo_store.tasks.get_task(task.id).owner == "mia"  # their edit stands
        await pilot.press("ctrl+s")  # now knowingly applied on top of theirs
        saved = demo_store.tasks.get_task(task.id)
        assert (saved.title, saved.owner) == ("Mine", "mia")
        other.close()


def test_read_form_only_reports_changed_fields(demo_store):
    from mtui.core import clock
    from mtui.core.tasks.lookups import Lookups
    from mtui.ui.board.edit_modal import form_values

    lookups = Lookups.load(demo_store)
    task = next(t for t in demo_store.tasks.list_tasks() if t.title == TITLE)
    values = form_values(task, lookups)
    assert read_form(task, values, lookups, clock.now()).changes == {}
    values["priority"] = "3"
    values["due"] = "+3d"
    values["estimate"] = "soon"
    result = read_form(task, values, lookups, clock.now())
    assert "estimate" in result.errors
    values["estimate"] = "45m"
    result = read_form(task, values, lookups, clock.now())
    assert result.changes == {"priority": 3, "due": "2026-03-13", "estimate_minutes": 45}
