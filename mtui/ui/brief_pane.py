"""The Big M pane: the brief and the goals. (Placeholder until the brief issue lands.)"""

from __future__ import annotations

from textual.widgets import Static

from mtui.core.store.base import Store


class BriefPane(Static, can_focus=True):
    """Shows the brief's name and mission and the goals; ``reload()`` re-reads the store."""

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        brief = self.store.brief()
        lines = [
            f"[b]{brief.name or 'Your brief'}[/b]",
            brief.mission or "Press e to write your mission.",
            "",
        ]
        lines += ["[b]Goals[/b]"] + [f"● {g.title}" for g in self.store.goals()]
        self.update("\n".join(lines))
