"""Pilot tests: a filter on the board, whoever set it, is visible and esc clears it."""

from __future__ import annotations

import pytest

from mtui.ui.app import MtuiApp
from mtui.ui.campaigns.screen import CampaignScreen

pytestmark = pytest.mark.anyio
SIZE = (160, 45)


def shown_ids(app) -> set[int]:
    return {t.id for c in app.board.model.columns for t in c.visible}


async def test_esc_on_the_board_clears_the_orphans_filter(demo_store):
    """Issue 12 item 23b: a filter set by the brief's ``o`` stayed on after esc."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        everything = shown_ids(app)
        await pilot.press("1", "o")
        assert app.board.filter_active and shown_ids(app) < everything
        await pilot.press("2", "escape")
        assert app.board.has_focus
        assert not app.board.filter_active and shown_ids(app) == everything
        assert app.query_one("FilterBar").text == ""


async def test_esc_on_the_board_clears_a_campaign_filter(demo_store):
    """Issue 12 item 23b: the same for a campaign's enter on the campaigns screen."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        everything = shown_ids(app)
        await pilot.press("C")
        assert isinstance(app.screen, CampaignScreen)
        await pilot.press("enter")
        assert app.board.filter_active and shown_ids(app) < everything
        assert app.board.has_focus
        await pilot.press("escape")
        assert not app.board.filter_active and shown_ids(app) == everything


async def test_a_zoomed_board_says_a_filter_is_on(demo_store):
    """Issue 12 item 23c: zoomed, the filter bar is hidden, so the border names the filter."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C", "enter", "z")
        assert app.screen.maximized is app.board
        assert not app.query_one("FilterBar").region  # hidden behind the zoomed board
        assert app.board.border_title == "Board · little m · filter: c:spring-launch (esc clears)"
        await pilot.press("escape", "escape")  # the first esc unzooms, the second clears
        assert app.board.border_title == "Board · little m"


async def test_j_and_k_move_on_the_campaigns_screen(demo_store):
    """Issue 12 item 23d: j/k did nothing there; they move like ↓/↑."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        table = app.screen.query_one("DataTable")
        assert table.cursor_row == 0
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("enter")
        assert app.query_one("FilterBar").text == "c:linkedin-tl"  # the second row


async def test_filter_status_counts_in_the_right_number(demo_store):
    """Issue 12 item 23g: the filter bar said "1 match" for one and "2 match" for two."""
    from textual.widgets import Static

    from tests.support.ui import type_burst

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        status = app.query_one("#filter-status", Static)
        await pilot.press("slash")
        await type_burst(pilot, "Write launch announcement")
        await pilot.pause()
        assert str(status.render()) == "1 match"
        await pilot.press("ctrl+u")
        await type_burst(pilot, "launch")
        await pilot.pause()
        matched = sum(c.matched for c in app.board.model.columns)
        assert matched > 1 and str(status.render()) == f"{matched} matches"


async def test_brief_history_says_1_field_changed(store):
    store.strategy.save_brief({"name": "Acme", "mission": "Numbers"})
    store.strategy.save_brief({"offer": "Free trial"})
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "h")
        assert "(1 field changed)" in app.screen.diff_text()
