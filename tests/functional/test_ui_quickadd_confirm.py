"""Quick-add says what it is unsure of before saving (issue 12 items 22 and 26).

The clock is frozen at Tuesday 2026-03-10 09:00 UTC (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from mtui.ui.app import MtuiApp
from mtui.ui.quickadd import QuickAddScreen
from mtui.ui.quickadd.input import QuickAddInput
from tests.support.ui import type_burst

pytestmark = pytest.mark.anyio

SIZE = (160, 45)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_quickadd(pilot) -> QuickAddInput:
    await pilot.press("a")
    assert isinstance(pilot.app.screen, QuickAddScreen)
    return pilot.app.screen.query_one(QuickAddInput)


async def test_preview_warns_about_a_due_date_more_than_a_year_away(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_burst(pilot, "Leap day post due:feb29 ")
        message = text_of(app, "#qa-message")
        assert "due date Tue 29 Feb 2028 is more than a year away" in message
        await pilot.press("enter")  # a warning, not an error: enter saves
    assert any(t.due == "2028-02-29" for t in demo_store.tasks.list_tasks())


async def test_ambiguous_status_prefix_is_an_error_naming_the_columns(demo_store):
    before = demo_store.tasks.count_tasks()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        await type_burst(pilot, "Write copy s:do ")
        assert "ambiguous (Doing, Done)" in text_of(app, "#qa-message")
        await pilot.press("enter")
        assert field.value == "Write copy s:do "
        assert "nothing saved" in text_of(app, "#qa-message")
    assert demo_store.tasks.count_tasks() == before


async def test_a_new_channel_is_confirmed_by_a_second_enter(demo_store):
    before = demo_store.tasks.count_tasks()
    channels = {c.name for c in demo_store.tasks.channels()}
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        await type_burst(pilot, "Send teaser #emial")
        assert "#emial (new)" in text_of(app, "#qa-preview")
        await pilot.press("enter")
        assert "new channel #emial — enter again to create" in text_of(app, "#qa-message")
        assert field.value == "Send teaser #emial" and demo_store.tasks.count_tasks() == before
        await pilot.press("backspace", "backspace", "backspace", "a", "i", "l")  # fix the typo
        await pilot.press("enter")  # #email exists: saved at once
        assert field.value == "" and demo_store.tasks.count_tasks() == before + 1
        await type_burst(pilot, "Send teaser #emial @zed")
        await pilot.press("enter")
        message = text_of(app, "#qa-message")
        assert "new channel #emial and new owner @zed — enter again" in message
        await pilot.press("enter")
        assert field.value == "" and demo_store.tasks.count_tasks() == before + 2
    assert {c.name for c in demo_store.tasks.channels()} - channels == {"emial"}


async def test_hash_number_and_quotes_stay_in_the_title(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_burst(pilot, 'Weekly newsletter #16: "Q4 plan" #email')
        assert text_of(app, "#qa-preview").startswith('Weekly newsletter #16: "Q4 plan"')
        await pilot.press("enter")
    titles = [t.title for t in demo_store.tasks.list_tasks()]
    assert 'Weekly newsletter #16: "Q4 plan"' in titles


async def test_at_me_is_you_never_a_new_owner(tmp_path):
    """Issue 14: ``@me`` is the store's actor; the preview names who that is, and the
    first enter saves (no "new owner @me" confirmation)."""
    from mtui.core.store import open_store

    store = open_store(tmp_path / "mine.db", actor="ana")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_burst(pilot, "Write the launch post @me")
        assert "@me (ana)" in text_of(app, "#qa-preview")
        await pilot.press("enter")
    assert [(t.title, t.owner) for t in store.tasks.list_tasks()] == [
        ("Write the launch post", "ana")
    ]
    store.close()
