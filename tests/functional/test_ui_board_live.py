"""Pilot tests: filter, WIP warnings, external changes, conflicts, panes and app keys."""

from __future__ import annotations

import pytest

from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.lookups import Lookups
from mtui.ui.app import MtuiApp
from tests.support.ui import board_text, select, status_id, type_burst

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
TITLE = "Write launch announcement email"


def _shown(app) -> list:
    return [t for column in app.board.model.columns for t in column.visible]


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("@ana", lambda t, lk: t.owner == "ana"),
        ("#email", lambda t, lk: lk.channel_name(t) == "email"),
        ("^positioning", lambda t, lk: lk.goal_slug(t) == "positioning"),
        ("c:webinars", lambda t, lk: lk.campaign_slug(t) == "webinars"),
        ("!1", lambda t, lk: t.priority == 1),
        ("+research", lambda t, lk: "research" in t.tags),
        ("due:overdue", lambda t, lk: t.due < "2026-03-10" and t.status_id != 5),
        ("due:<fri", lambda t, lk: t.due is not None and t.due < "2026-03-13"),
        ("due:>today", lambda t, lk: t.due is not None and t.due > "2026-03-10"),
        ("newsletter", lambda t, lk: "newsletter" in t.title.lower()),
    ],
)
async def test_filter_tokens_narrow_the_board(demo_store, text, check):
    app = MtuiApp(demo_store)
    lookups = Lookups.load(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        everything = len(_shown(app))
        await pilot.press("slash")
        await pilot.pause()
        await type_burst(pilot, text)
        shown = _shown(app)
        assert 0 < len(shown) < everything
        assert all(check(t, lookups) for t in shown)
        assert "of" in board_text(app)  # headers say "N of M" while filtered


async def test_filter_stays_visible_and_escape_clears_it(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        everything = len(_shown(app))
        await pilot.press("slash")
        await pilot.pause()
        await type_burst(pilot, "@tom")
        await pilot.press("enter")
        bar = app.query_one("#filter-bar")
        assert bar.display and bar.text == "@tom"  # still shown after enter
        assert app.focused is app.board
        assert all(t.owner == "tom" for t in _shown(app))
        await pilot.press("slash", "escape")
        assert len(_shown(app)) == everything
        assert not bar.display


async def test_bad_filter_token_is_reported(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await type_burst(pilot, "due:someday")
        status = app.query_one("#filter-status")
        assert "someday" in str(status.render())
        assert status.has_class("-error")


async def test_wip_limit_over_is_flagged(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE):
        doing = next(c for c in app.board.model.columns if c.status.name == "Doing")
        assert doing.over_limit
        header = board_text(app).splitlines()[0]
        limit = doing.status.wip_limit
        assert "⚠ Doing" in header and f"{len(doing.tasks)}/{limit}" in header
        assert "⚠ Backlog" not in header


async def test_wip_limit_within_is_plain(store):
    actions = TaskActions(store)
    actions.add({"title": "Only one", "status_id": status_id(store, "Doing")})
    app = MtuiApp(store)
    async with app.run_test(size=SIZE):
        header = board_text(app).splitlines()[0]
        limit = next(s.wip_limit for s in store.tasks.statuses() if s.name == "Doing")
        assert "Doing" in header and f"1/{limit}" in header and "⚠" not in header


async def test_external_change_appears_without_restart(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        other = open_store(demo_store.admin.location)
        TaskActions(other).add({"title": "Added by the CLI"})
        for _ in range(30):  # the poll runs every second; allow up to 3 s
            await pilot.pause(0.1)
            if any(t.title == "Added by the CLI" for t in _shown(app)):
                break
        assert "Added by the CLI" in board_text(app)
        other.close()


async def test_conflicting_move_is_reported_and_board_refreshed(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        other = open_store(demo_store.admin.location)
        TaskActions(other).edit(other.tasks.get_task(task.id), {"title": "Changed elsewhere"})
        # Mark done at once (no await in between), so no poll can refresh the stale copy.
        app.board.action_mark_done()
        await pilot.pause()
        kept = demo_store.tasks.get_task(task.id)
        assert kept.title == "Changed elsewhere"  # their edit is not lost
        assert kept.status_id == task.status_id  # and ours was not applied blindly
        assert any(n.severity == "error" for n in app._notifications)
        assert app.board.model.get(task.id).title == "Changed elsewhere"
        other.close()


async def test_pane_focus_keys_and_zoom(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert app.focused.id == "brief"
        await pilot.press("3")
        assert app.focused.id == "metrics"
        await pilot.press("2")
        assert app.focused is app.board
        await pilot.press("z")
        assert app.screen.maximized is app.board
        await pilot.press("z")
        assert app.screen.maximized is None
        await pilot.press("tab")
        assert app.focused.id == "metrics"


async def test_narrow_terminal_hides_brief_and_fits_columns(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.query_one("#brief").display
        assert app.board.virtual_size.width <= app.board.scrollable_content_region.width
        await pilot.press("1")  # asking for the hidden brief shows it
        assert app.query_one("#brief").display and app.focused.id == "brief"
        await pilot.press("2")
        assert not app.query_one("#brief").display


async def test_help_standup_and_campaign_screens_open_and_close(demo_store):
    from mtui.ui.campaigns.screen import CampaignScreen
    from mtui.ui.shell.help import HelpScreen
    from mtui.ui.standup.screen import StandupScreen

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        for key, screen_class in (("question_mark", HelpScreen), ("s", StandupScreen),
                                  ("C", CampaignScreen)):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_class)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.screen_stack[0], f"{screen_class.__name__} closes with escape"


async def test_q_quits(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert app._exit or not app.is_running


async def test_a_new_channel_shows_on_its_card_at_once(store):
    """Quick-add creates channels on first use; the board must learn the new name."""
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        assert "press a to add" in board_text(app)  # an empty board says how to start
        await pilot.press("a")
        await type_burst(pilot, "Record podcast #podcasts @ana")
        await pilot.press("enter", "enter", "escape")  # the first enter confirms the new names
        await pilot.pause()
        assert "#podcasts" in board_text(app)
        assert [c.name for c in store.tasks.channels()] == ["podcasts"]


async def test_an_external_change_while_a_modal_is_open_updates_the_board(demo_store):
    """The change poll runs on a timer, whatever screen is on top."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, "Set KPI targets for Q1 planning")
        await pilot.press("enter")
        assert app.screen is not app.screen_stack[0]
        other = TaskActions(open_store(demo_store.admin.location))
        other.edit(
            other.store.tasks.get_task(task.id), {"title": "Set KPI targets (edited elsewhere)"}
        )
        app.check_for_changes()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert "Set KPI targets (edited" in board_text(app)
