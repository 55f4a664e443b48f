"""Snapshots of the dashboard in each of mtui's themes at 160×45 (frozen clock, demo plan).

Metric sources are removed (their live fetches finish at unpredictable moments); the
strip's own snapshots cover it. The theme is chosen the way a user's choice is kept:
the remembered setting in the database.
"""

from __future__ import annotations

import pytest

from mtui.ui.app import MtuiApp


@pytest.fixture
def board_store(demo_store):
    for source in demo_store.metrics.metric_sources():
        demo_store.metrics.delete_metric_source(source.id)
    return demo_store


@pytest.mark.parametrize("theme", ["mtui-dark", "mtui-light", "mtui-high-contrast"])
def test_dashboard_in_each_theme(board_store, snap_compare, theme):
    board_store.settings.set_setting("theme", theme)
    app = MtuiApp(board_store)

    async def check(pilot) -> None:
        assert pilot.app.theme == theme

    assert snap_compare(app, terminal_size=(160, 45), run_before=check)


def test_help_screen_snapshot(board_store, snap_compare):
    assert snap_compare(MtuiApp(board_store), terminal_size=(160, 45), press=["question_mark"])
