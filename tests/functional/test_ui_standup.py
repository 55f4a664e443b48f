"""Pilot tests of the stand-up view (``s``), walk mode, and the campaign screen (``C``)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from mtui.ui.app import MtuiApp
from mtui.ui.campaigns.screen import CampaignScreen
from mtui.ui.standup.screen import StandupScreen
from mtui.ui.standup.walk import WalkScreen
from tests.support.ui import find, status_id

pytestmark = pytest.mark.anyio
SIZE = (160, 45)


async def test_marking_a_stand_up_moves_the_window(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, StandupScreen)
        assert screen.report.window.start.isoformat() == "2026-03-09T09:30:00+00:00"
        assert len(screen.report.done) == 4
        await pilot.press("n", "y")  # y: the confirmation
        assert demo_store.settings.standups()[-1] == "2026-03-10T09:00:00.000000Z"
        assert screen.report.window.start.isoformat() == "2026-03-10T09:00:00+00:00"
        assert screen.report.done == []


async def test_n_asks_first_and_records_nothing_when_declined(demo_store):
    """Issue 12, item 28: n used to record at once, and that morning's window was gone."""
    from mtui.ui.shell.confirm import ConfirmScreen

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        held = demo_store.settings.standups()
        await pilot.press("s")
        screen = app.screen
        for decline in ("n", "escape"):
            await pilot.press("n")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(decline)
            assert app.screen is screen
            assert demo_store.settings.standups() == held
            assert screen.report.window.start.isoformat() == "2026-03-09T09:30:00+00:00"
        await pilot.press("n")
        await pilot.click("#no")
        assert demo_store.settings.standups() == held


async def test_u_on_the_stand_up_view_undoes_recording_it_and_ctrl_r_redoes(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        held = demo_store.settings.standups()
        await pilot.press("s", "n", "y")
        screen = app.screen
        assert isinstance(screen, StandupScreen)
        assert len(demo_store.settings.standups()) == len(held) + 1
        assert screen.report.done == []
        await pilot.press("u")
        assert app.screen is screen
        assert demo_store.settings.standups() == held
        assert screen.report.window.start.isoformat() == "2026-03-09T09:30:00+00:00"
        assert len(screen.report.done) == 4  # the morning's "since last stand-up" is back
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Undone: recorded the stand-up") for m in messages), messages
        await pilot.press("ctrl+r")
        assert len(demo_store.settings.standups()) == len(held) + 1
        assert screen.report.done == []
        assert any(str(n.message).startswith("Redone: recorded the stand-up")
                   for n in app._notifications)  # fmt: skip


async def test_copy_puts_the_markdown_on_the_clipboard(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "c")
        assert app.clipboard.startswith("**Stand-up · Acme Analytics")
        assert "**Blocked (4)**" in app.clipboard


async def test_owner_filter(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "@", "t", "o", "m", "enter")
        report = app.screen.report
        assert report.owner == "tom"
        assert {line.owner for line in report.blocked + report.in_progress} == {"tom"}


async def test_walk_mode_marks_a_card_done(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "w")
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert [s.group for s in walk.steps[:4]] == ["Blocked"] * 4
        assert walk.steps[4].group == "In progress"
        first = walk.steps[0].task_id
        await pilot.press("u")  # unblock: back to Doing, reason cleared
        unblocked = demo_store.tasks.get_task(first)
        assert unblocked.status_id == status_id(demo_store, "Doing")
        assert unblocked.blocked_reason is None
        await pilot.press("x")  # done, and the walk moves on
        assert demo_store.tasks.get_task(first).status_id == status_id(demo_store, "Done")
        assert walk.index == 1
        await pilot.press("escape")
        assert isinstance(app.screen, StandupScreen)
        assert first in [line.task.id for line in app.screen.report.done]
        await pilot.press("escape")
        assert app.board.model.get(first).status_id == status_id(demo_store, "Done")


async def test_campaign_screen_counts_pacing_and_enter_filters(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        screen = app.screen
        assert isinstance(screen, CampaignScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        spring = [str(cell) for cell in table.get_row_at(0)]
        assert spring[4].split("\n") == ["2 backlog · 6 next · 4 doing", "2 blocked · 2 done"]
        assert spring[7] == "98%"  # paced on the demo sheet's ad spend (a live metric)
        assert spring[6] == "~$11.6k / $26k ⚠", "~: spend from a metric; ⚠: that value is stale"
        linkedin = [str(cell) for cell in table.get_row_at(1)]
        assert linkedin[7] == "160% over"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, CampaignScreen)
        assert app.query_one("FilterBar").text == "c:linkedin-tl"
        shown = {t.id for c in app.board.model.columns for t in c.visible}
        expected = {t.id for t in demo_store.tasks.list_tasks() if t.campaign_id ==
                    find(demo_store, "Weekly LinkedIn newsletter #15").campaign_id}  # fmt: skip
        assert shown == expected


async def test_a_blocked_card_without_reason_says_so(demo_store):
    """Issue 12 item 18: a card moved into Blocked without a reason is named as such."""
    from mtui.core.tasks.actions import TaskActions

    actions = TaskActions(demo_store)
    task = demo_store.tasks.list_tasks(status_ids=[status_id(demo_store, "Backlog")])[0]
    actions.move_to(task, status_id(demo_store, "Blocked"))
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        shown = "\n".join(str(w.render()) for w in app.screen.query("#standup-team Static"))
        blocked = [line for line in shown.splitlines() if task.title in line and "blocked" in line]
        assert blocked and "no reason given" in blocked[0]
