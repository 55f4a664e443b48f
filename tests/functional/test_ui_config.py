"""Pilot tests: the config file in the TUI: problems shown, defaults kept, keys remapped."""

from __future__ import annotations

import pytest

from mtui.core.config.user_config import reset_active_config
from mtui.ui.app import MtuiApp
from tests.support.palette import notices

pytestmark = pytest.mark.anyio

SIZE = (160, 45)


def write_config(folder, text: str) -> None:
    (folder / "config.toml").write_text(text)
    reset_active_config()


async def test_invalid_config_starts_with_defaults_and_shows_the_error(demo_store, isolated_config):
    write_config(isolated_config, 'theme = "mtui-light"\n\nweek_start = [broken\n')
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "mtui-dark"  # the file's theme is not used: defaults
        assert app.board.model.total > 0  # the dashboard is up
        text = next(t for t in notices(app) if t.startswith("config:"))
        assert "config: file (line 3): not valid TOML" in text
        await pilot.press("a")  # default keys work
        assert type(app.screen).__name__ == "QuickAddScreen"


async def test_a_bad_value_names_the_key_and_line_and_keeps_the_rest(demo_store, isolated_config):
    write_config(isolated_config, 'theme = "mtui-light"\nweek_start = "tuesday"\n')
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "mtui-light"
        assert "config: week_start (line 2): must be monday or sunday" in notices(app)


async def test_unknown_theme_in_config_is_reported(store, isolated_config):
    write_config(isolated_config, 'theme = "no-such-theme"\n')
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "mtui-dark"
        assert any("unknown theme 'no-such-theme'" in t for t in notices(app))


async def test_key_overrides_remap_the_main_actions(demo_store, isolated_config):
    write_config(isolated_config, '[keys]\nquick_add = "n"\nstandup = "ctrl+s"\n')
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert len(app.screen_stack) == 1  # a is no longer quick-add
        await pilot.press("n")
        assert type(app.screen).__name__ == "QuickAddScreen"
        await pilot.press("escape")
        while len(app.screen_stack) > 1:  # the modal closes on a later frame
            await pilot.pause()
        await pilot.press("ctrl+s")
        assert type(app.screen).__name__ == "StandupScreen"


async def test_every_overridable_action_has_a_binding_id():
    from mtui.core.config.user_config import KEY_ACTIONS

    ids = {b.id for b in MtuiApp.BINDINGS if b.id}
    assert ids == KEY_ACTIONS
