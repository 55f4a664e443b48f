"""Pilot tests: the command palette jumps to tasks, goals and campaigns and runs actions."""

from __future__ import annotations

import pytest

from mtui.ui.board.filter_bar import FilterBar
from mtui.ui.shell.palette import action_commands
from mtui.ui.strategy.brief_pane import BriefPane, GoalItem
from tests.support.palette import notices, palette_options, run_from_palette
from tests.support.ui import find

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
TITLE = "Write launch announcement email"


def app_for(store):
    from mtui.ui.app import MtuiApp

    return MtuiApp(store)


async def test_jump_to_a_task_selects_it_on_the_board(demo_store):
    task = find(demo_store, TITLE)
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        assert app.board.selected.id != task.id
        await pilot.press("1")  # start from another pane: the jump focuses the board
        await run_from_palette(pilot, "launch announcement", TITLE)
        assert app.board.selected.id == task.id
        assert app.board.has_focus


async def test_jump_clears_a_filter_that_hides_the_task(demo_store):
    task = find(demo_store, TITLE)
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zzz-nothing")
        await pilot.press("enter")
        await pilot.pause()
        assert app.board.filter_active
        await run_from_palette(pilot, "launch announcement", TITLE)
        assert not app.board.filter_active
        assert app.board.selected.id == task.id


async def test_jump_to_a_goal_selects_it_and_filters_the_board(demo_store):
    goal = demo_store.strategy.goals()[0]
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, f"goal {goal.title[:12]}", f"^{goal.slug}")
        chosen = app.query_one(BriefPane).selected_item
        assert isinstance(chosen, GoalItem) and chosen.goal.slug == goal.slug
        assert app.query_one(FilterBar).text == f"^{goal.slug}"
        shown = [t for c in app.board.model.columns for t in c.visible]
        assert shown and all(t.goal_id == goal.id or t.campaign_id for t in shown)


async def test_jump_to_a_campaign_filters_the_board(demo_store):
    campaign = demo_store.strategy.campaigns()[0]
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, f"campaign {campaign.name}", f"c:{campaign.slug}")
        assert app.query_one(FilterBar).text == f"c:{campaign.slug}"
        shown = [t for c in app.board.model.columns for t in c.visible]
        assert shown and {t.campaign_id for t in shown} == {campaign.id}


async def test_filter_by_owner_from_the_palette(demo_store):
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "filter: owner @ana", "Filter: owner @ana")
        shown = [t for c in app.board.model.columns for t in c.visible]
        assert shown and {t.owner for t in shown} == {"ana"}


async def test_actions_run_from_the_palette(demo_store):
    from mtui.ui.shell.help import HelpScreen

    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "help", "Help")
        assert isinstance(app.screen, HelpScreen)


async def test_discover_lists_the_main_actions(demo_store):
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        prompts = await palette_options(pilot, "", "Add task")
        for title in ("Stand-up", "Refresh metrics", "Undo", "Change theme"):
            assert any(title in prompt for prompt in prompts)


async def test_every_action_has_a_command(demo_store):
    app = app_for(demo_store)
    async with app.run_test(size=SIZE):
        titles = {
            title for title, _help, _run in action_commands(app, demo_store.tasks.recent_names())
        }
    wanted = {"Add task", "Stand-up", "Campaign status", "Filter the board", "Refresh metrics",
              "Undo", "Redo", "Zoom pane", "Help", "Change theme", "Theme: mtui-light",
              "Filter: owner @ana", "Filter: channel #email"}  # fmt: skip
    assert wanted <= titles


async def _screenshot_from_palette(pilot) -> None:
    await run_from_palette(pilot, "Screenshot", "Screenshot")
    for _ in range(50):  # the palette closes, then the screen is saved from a thread
        await pilot.pause(0.05)
        if any(n.startswith("Screenshot") for n in notices(pilot.app)):
            return


async def test_screenshot_is_saved_in_the_current_folder(demo_store, tmp_path, monkeypatch):
    """Issue 12 item 23e: the palette's Screenshot said "Failed to save screenshot"."""
    monkeypatch.chdir(tmp_path)
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await _screenshot_from_palette(pilot)
        saved = list(tmp_path.glob("mtui_*.svg"))
        assert len(saved) == 1 and "<svg" in saved[0].read_text(encoding="utf-8")
        assert f"Screenshot saved to {saved[0]}" in notices(app)
        assert "Board · little m" in saved[0].read_text(encoding="utf-8").replace("&#160;", " ")


async def test_screenshot_falls_back_to_the_data_folder(demo_store, tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # a folder nothing can be written to, even as root
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = app_for(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await _screenshot_from_palette(pilot)
        saved = list((tmp_path / "data" / "mtui").glob("mtui_*.svg"))
        assert len(saved) == 1
        assert f"Screenshot saved to {saved[0]}" in notices(app)
