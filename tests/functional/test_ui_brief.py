"""The brief pane in the real app (Pilot): edit a section, add a goal, filter the board
to a goal's tactics or to orphans, and read the brief's history."""

from __future__ import annotations

import pytest

from mtui.core.strategy.goals import orphan_tasks
from mtui.core.tasks.lookups import Lookups
from mtui.ui.app import MtuiApp
from mtui.ui.strategy.brief_pane import BriefPane, GoalItem
from mtui.ui.strategy.forms import GoalForm
from mtui.ui.strategy.history import BriefHistoryScreen
from mtui.ui.strategy.section_editor import SectionEditor
from tests.support.ui import type_burst

SIZE = (160, 45)
pytestmark = pytest.mark.anyio


def shown_task_ids(app: MtuiApp) -> set[int]:
    return {t.id for c in app.board.model.columns for t in c.visible}


def matched(app: MtuiApp) -> int:
    return sum(c.matched for c in app.board.model.columns)


async def test_editing_a_brief_section_saves_a_new_version(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        pane = app.query_one(BriefPane)
        assert app.focused is pane
        await pilot.press("e")
        assert isinstance(app.screen, SectionEditor) and app.screen.section.key == "brand"
        await type_burst(pilot, "Acme")
        await pilot.press("tab", *"Numbers for founders")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SectionEditor)
        saved = store.strategy.brief()
        assert (saved.version, saved.name, saved.mission) == (1, "Acme", "Numbers for founders")
        assert "Acme" in str(pane.query_one("SectionItem").render())
        # Positioning: the editor previews the composed statement as you type.
        await pilot.press("down", "down", "down", "e")
        assert app.screen.section.key == "positioning"
        await type_burst(pilot, "founders")
        await pilot.press("tab")
        await type_burst(pilot, "need numbers")
        preview = str(app.screen.query_one("#preview").render())
        assert preview.startswith("For founders who need numbers, Acme is a")
        await pilot.press("escape")
        assert store.strategy.brief().version == 1, "esc must not save"


async def test_adding_a_goal_with_an_inline_error_first(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "g")
        form = app.screen
        assert isinstance(form, GoalForm)
        await type_burst(pilot, "Grow signups")
        await pilot.press("tab", "tab")
        await type_burst(pilot, "grow")
        await pilot.press("enter")
        error = form.query_one("#e-stage")
        assert "unknown stage 'grow'" in str(error.render()) and error.has_class("-shown")
        assert store.strategy.goals() == [], "nothing is saved while the input is bad"
        assert app.focused is form.query_one("#f-stage"), "the bad field gets the focus"
        assert form.query_one("#f-title").value == "Grow signups", "typed input is kept"
        await pilot.press("ctrl+u", *"att", "tab", "tab", "tab", "tab", *"100", "tab",
                          *"1000", "tab", *"250", "enter")  # fmt: skip
        await pilot.pause()
        [goal] = store.strategy.goals()
        assert (goal.slug, goal.stage, goal.baseline, goal.target, goal.current) == (
            "grow-signups", "attract", 100.0, 1000.0, 250.0)  # fmt: skip
        items = app.query_one(BriefPane).query(GoalItem)
        assert [i.goal.slug for i in items] == ["grow-signups"]
        assert "250/1,000" in str(items.first().render())
        assert "no open tactics" in str(items.first().render())


async def test_enter_on_a_goal_filters_the_board_to_its_tactics(demo_store) -> None:
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        pane = app.query_one(BriefPane)
        pane.select_goal("mqls")
        await pilot.press("enter")
        await pilot.pause()
        names = Lookups.load(demo_store)
        mqls = next(g.id for g in demo_store.strategy.goals() if g.slug == "mqls")
        serving = {t.id for t in demo_store.tasks.list_tasks() if mqls in names.served_goal_ids(t)}
        assert app.query_one("FilterBar").text == "^mqls"
        assert matched(app) == len(serving) > 0
        assert shown_task_ids(app) <= serving
        assert shown_task_ids(app) & serving, "the board shows the goal's tactics"


async def test_o_filters_the_board_to_orphan_tactics(demo_store) -> None:
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        pane = app.query_one(BriefPane)
        statuses = demo_store.tasks.statuses()
        orphans = orphan_tasks(demo_store.tasks.list_tasks(), demo_store.strategy.campaigns(),
                               {s.id for s in statuses if s.is_done})  # fmt: skip
        assert pane.orphans == len(orphans) > 0
        assert f"⚠ {len(orphans)} orphan tactics" in str(pane.query_one("#orphans").render())
        await pilot.press("o")
        await pilot.pause()
        assert matched(app) == len(orphans)
        assert shown_task_ids(app) == {t.id for t in orphans}


async def test_history_lists_versions_and_diffs_two_of_them(store) -> None:
    store.strategy.save_brief({"name": "Acme", "mission": "Numbers"})
    store.strategy.save_brief({"mission": "Numbers that matter"})
    store.strategy.save_brief({"offer": "Free trial"})
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "h")
        screen = app.screen
        assert isinstance(screen, BriefHistoryScreen)
        options = screen.query_one("OptionList")
        assert options.option_count == 3
        diff = screen.diff_text()
        assert "v2 → v3" in diff and "Free trial" in diff and "Numbers that matter" not in diff
        await pilot.press("down", "down", "space", "up", "up")  # pin v1, look at v3
        diff = screen.diff_text()
        assert "v1 → v3" in diff
        assert "- Numbers" in diff and "+ Numbers that matter" in diff and "+ Free trial" in diff
        await pilot.press("escape")
        assert not isinstance(app.screen, BriefHistoryScreen)


async def test_empty_database_guides_the_user(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        pane = app.query_one(BriefPane)
        intro = str(pane.query_one("#intro").render())
        assert "press e to fill it in" in intro
        first = " ".join(str(pane.query("SectionItem").first().render()).split())
        assert "What is the product or brand called?" in first
        assert "Why does it exist" in first, "the selected section shows every prompt"
        assert "No goals yet: press g" in str(pane.query_one("#no-goals").render())


async def test_a_goal_whose_source_fails_shows_its_kpi_as_stale(store) -> None:
    """Item 23: the last good number stays, marked stale with its age."""
    source = store.metrics.save_metric_source({
        "name": "Site", "kind": "json", "url": "https://stats.example/x",
        "selectors": {"signups": "signups"}, "interval_seconds": 300,
    })  # fmt: skip
    store.strategy.save_goal({"title": "Grow signups", "slug": "signups", "target": 500,
                              "kpi_metric": "site.signups"})  # fmt: skip
    # 2026-03-10T09:00 is "now" (frozen): the value is from 06:00, the failure from 08:59.
    store.metrics.record_fetch(source.id, fetched_at="2026-03-10T06:00:00Z",
                               values={"signups": 321}, error=None)  # fmt: skip
    store.metrics.record_fetch(source.id, fetched_at="2026-03-10T08:59:00Z", values={},
                               error="HTTP 503 Service Unavailable")  # fmt: skip
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        pane = app.query_one(BriefPane)
        for _ in range(100):
            if pane.query(GoalItem):
                break
            await pilot.pause(0.05)
        text = str(pane.query_one(GoalItem).render())
        assert "321" in text, text
        assert "⚠ stale · 3h ago" in text, text


def test_a_fresh_kpi_has_no_stale_marker(store) -> None:
    from mtui.core import clock
    from mtui.core.metrics.values import kpi_ages

    source = store.metrics.save_metric_source({
        "name": "Site", "kind": "json", "url": "https://stats.example/x",
        "selectors": {"signups": "signups"}, "interval_seconds": 300,
    })  # fmt: skip
    goal = store.strategy.save_goal({"title": "G", "slug": "g", "kpi_metric": "site.signups"})
    store.metrics.record_fetch(source.id, fetched_at="2026-03-10T08:58:00Z",
                               values={"signups": 1}, error=None)  # fmt: skip
    [age] = kpi_ages(store, [goal], clock.now()).values()
    assert not age.stale and age.text(clock.now()) == "as of 2m ago"
