"""The mtui Textual application (a shell until the board lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from mtui.core.store.base import Store


class MtuiApp(App):
    TITLE = "mtui"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, store: Store, *, demo_metrics: bool = False) -> None:
        super().__init__()
        self.store = store
        self.demo_metrics = demo_metrics

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.store.count_tasks()} tasks in {self.store.location}", id="summary")
        yield Footer()
