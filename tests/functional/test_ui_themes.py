"""Pilot tests: mtui's themes are registered, chosen from the palette and remembered."""

from __future__ import annotations

import pytest

from mtui.core.store import open_store
from mtui.ui.app import MtuiApp
from tests.support.palette import notices, run_from_palette

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
MTUI_THEMES = ("mtui-dark", "mtui-light", "mtui-high-contrast")


async def test_mtui_themes_are_registered_and_dark_is_the_default(store):
    app = MtuiApp(store)
    async with app.run_test(size=SIZE):
        assert set(MTUI_THEMES) <= set(app.available_themes)
        assert app.theme == "mtui-dark"
        assert app.current_theme.primary == "#7aa2f7"  # from themes/mtui-dark.toml
        assert store.settings.get_setting("theme") is None  # starting is not a choice


async def test_theme_from_palette_persists_after_restart(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "theme: mtui-light", "Theme: mtui-light")
        assert app.theme == "mtui-light"
        assert not app.current_theme.dark
    reopened = open_store(demo_store.admin.location)  # a new process on the same file
    try:
        again = MtuiApp(reopened)
        async with again.run_test(size=SIZE):
            assert again.theme == "mtui-light"
    finally:
        reopened.close()


async def test_textual_builtin_theme_works_and_is_remembered(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "theme: nord", "Theme: nord")
        assert app.theme == "nord"
        assert demo_store.settings.get_setting("theme") == "nord"


async def test_config_theme_wins_over_the_remembered_one(store, isolated_config):
    from mtui.core.config.user_config import reset_active_config

    store.settings.set_setting("theme", "mtui-light")
    (isolated_config / "config.toml").write_text('theme = "mtui-high-contrast"\n')
    reset_active_config()
    app = MtuiApp(store)
    async with app.run_test(size=SIZE):
        assert app.theme == "mtui-high-contrast"


async def test_unknown_remembered_theme_falls_back_to_the_default(store):
    store.settings.set_setting("theme", "deleted-theme")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE):
        assert app.theme == "mtui-dark"


async def test_a_broken_user_theme_file_is_reported_and_others_still_work(store, isolated_config):
    folder = isolated_config / "themes"
    folder.mkdir()
    (folder / "broken.toml").write_text('name = "broken"\nprimary = \n')
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#ff8800"\ndark = true\n')
    store.settings.set_setting("theme", "mine")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        assert any("broken.toml" in text for text in notices(app))
