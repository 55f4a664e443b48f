"""Snapshots of the stand-up view, walk mode and the campaign screen on the demo plan.

The clock is frozen (``MTUI_FROZEN_NOW`` via the ``demo_store`` fixture) and the screens
are hosted in a bare app, so the snapshots change only when these screens do.
"""

from __future__ import annotations

from mtui.ui.campaigns.screen import CampaignScreen
from mtui.ui.standup.screen import StandupScreen
from tests.support.hosts import ScreenHost, settle


def test_standup_view_demo(snap_compare, demo_store) -> None:
    app = ScreenHost(demo_store, lambda: StandupScreen(demo_store))
    assert snap_compare(app, terminal_size=(160, 50))


def test_walk_mode_demo(snap_compare, demo_store) -> None:
    app = ScreenHost(demo_store, lambda: StandupScreen(demo_store))
    assert snap_compare(app, terminal_size=(120, 30), press=["w"])


def test_campaign_screen_demo(snap_compare, demo_store) -> None:
    app = ScreenHost(demo_store, lambda: CampaignScreen(demo_store))
    assert snap_compare(app, terminal_size=(160, 30), run_before=settle)
