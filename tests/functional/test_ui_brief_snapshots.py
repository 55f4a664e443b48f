"""Snapshots of the brief pane on the demo plan with a frozen clock.

The pane is hosted in a small app laid out like the dashboard (a 32-column pane at
160×45; the whole screen at 80×24, where the dashboard zooms it with ``1``), so these
snapshots change only when the pane itself does, not when the board does.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static

from mtui.ui.strategy.brief_pane import BriefPane
from tests.support.hosts import StoreHost, settle


class PaneHost(StoreHost):
    CSS = """
    #brief { width: 32; height: 1fr; padding: 0 1; border: round $primary; }
    #rest { width: 1fr; height: 1fr; border: round $primary 40%; }
    Screen.-zoomed #brief { width: 1fr; }
    Screen.-zoomed #rest { display: none; }
    """

    def __init__(self, store, *, zoomed: bool) -> None:
        super().__init__(store)
        self.zoomed = zoomed

    def compose(self) -> ComposeResult:
        with Horizontal():
            pane = BriefPane(self.store, id="brief")
            pane.border_title = "Brief · Big M"
            yield pane
            yield Static("board", id="rest")
        yield Footer()

    def on_mount(self) -> None:
        self.screen.set_class(self.zoomed, "-zoomed")
        self.query_one(BriefPane).focus()


def test_brief_pane_demo_160x45(snap_compare, demo_store) -> None:
    app = PaneHost(demo_store, zoomed=False)
    assert snap_compare(app, terminal_size=(160, 45), press=["j", "j", "j"], run_before=settle)


def test_brief_pane_demo_80x24(snap_compare, demo_store) -> None:
    app = PaneHost(demo_store, zoomed=True)
    assert snap_compare(
        app, terminal_size=(80, 24), press=["j", "j", "j", "j", "j", "j"], run_before=settle
    )
