"""The metrics strip: one card per metric. (Placeholder until the metrics issue lands.)"""

from __future__ import annotations

from textual.widgets import Static

from mtui.core.store.base import Store


class MetricsStrip(Static, can_focus=True):
    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        sources = self.store.metric_sources()
        self.update(
            f"{len(sources)} metric sources"
            if sources
            else "No metric sources yet: mtui source add"
        )
