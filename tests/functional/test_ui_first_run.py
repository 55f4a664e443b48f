"""A new user on an empty database follows each on-screen hint (issue 12, item 16).

The dashboard opens with the board focused; every hint must work from there, keys
taken literally from the hint's own words.
"""

from __future__ import annotations

import re

import pytest

from mtui.ui.app import MtuiApp
from mtui.ui.quickadd import QuickAddScreen
from mtui.ui.strategy.brief_pane import BriefPane
from mtui.ui.strategy.forms import GoalForm
from mtui.ui.strategy.section_editor import SectionEditor
from tests.support.ui import board_text

pytestmark = pytest.mark.anyio


def hint(app: MtuiApp, selector: str) -> str:
    return str(app.query_one(BriefPane).query_one(selector).render())


def keys_in(text: str) -> list[str]:
    """The keys a hint tells the user to press, in order ("press 1, then …")."""
    names = {"↑↓": "down", "↑": "up", "↓": "down"}
    found = re.findall(r"press (\S+?)[,.]?(?:\s|$)|with (↑↓)|then (\w)\b", text)
    return [names.get(key, key) for group in found for key in group if key]


@pytest.mark.parametrize("size", [(160, 45), (100, 40)])  # wide, and narrow (brief hidden)
async def test_brief_hint_works_from_the_board(store, size) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.focused is app.board
        intro = hint(app, "#intro")
        assert intro.startswith("Start here")
        keys = keys_in(intro)
        assert keys[0] == "1", f"the hint must name the key that reaches the brief: {intro!r}"
        await pilot.press(*keys)
        assert isinstance(app.screen, SectionEditor), (intro, keys)


async def test_goal_hint_works_from_the_board(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        text = hint(app, "#no-goals")
        assert "No goals yet" in text
        keys = keys_in(text)
        assert keys and keys[-1] == "g", text
        await pilot.press(*keys)
        assert isinstance(app.screen, GoalForm), (text, keys)


async def test_hints_drop_the_focus_key_once_in_the_brief(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert keys_in(hint(app, "#intro"))[0] == "down"
        assert keys_in(hint(app, "#no-goals")) == ["g"]
        await pilot.press("g")
        assert isinstance(app.screen, GoalForm)


async def test_board_hint_works_from_the_board(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert "press a to add" in board_text(app)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAddScreen)


async def test_a_new_goal_with_a_target_but_no_value_says_so(store):
    """Found as a new user: a goal with a target and no current value read "no target"."""
    store.strategy.save_goal({"title": "Grow trial signups", "slug": "grow", "target": 2000})
    app = MtuiApp(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        from mtui.ui.strategy.brief_pane import GoalItem

        shown = " ".join(str(item.render()) for item in app.query(GoalItem))
        assert "no value yet" in shown and "no target" not in shown
