"""The brief's history: every version with its time, and what changed between two.

Highlighting a version compares it with the one before it. ``space`` pins a version as
the base, so the diff then runs from the pinned version to the highlighted one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mtui.core.model import Brief
from mtui.core.strategy import brief as briefs
from mtui.core.wording import count


def _when(stamp: str | None) -> str:
    if not stamp:
        return "?"
    import pendulum

    from mtui.core import clock

    moment = pendulum.parse(stamp)
    assert isinstance(moment, pendulum.DateTime)
    return moment.in_timezone(clock.local_tz()).format("YYYY-MM-DD HH:mm")


class BriefHistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    BriefHistoryScreen { align: center middle; }
    BriefHistoryScreen > Vertical {
        width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    BriefHistoryScreen #title { text-style: bold; color: $primary; }
    BriefHistoryScreen #hint { color: $text-muted; margin: 0 0 1 0; }
    BriefHistoryScreen OptionList { width: 34; height: 1fr; }
    BriefHistoryScreen #diff-scroll { width: 1fr; height: 1fr; padding: 0 0 0 2; }
    """
    BINDINGS = [
        Binding("escape,q,h", "close", "Close"),
        Binding("space", "pin", "Pin as base"),
    ]

    def __init__(self, versions: list[Brief]) -> None:
        super().__init__()
        self.versions = versions  # newest first, read by the opener off the event loop
        self.base: Brief | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Brief history · {count(len(self.versions), 'version')}", id="title")
            yield Static("↑↓ pick a version · space pins it as the base · esc closes", id="hint")
            with Horizontal():
                yield OptionList(*self._options(), id="versions")
                with VerticalScroll(id="diff-scroll"):
                    yield Static("", id="diff")

    def _options(self) -> list[Option]:
        return [
            Option(
                f"{'◆' if v is self.base else ' '} v{v.version}  {_when(v.updated_at)}",
                id=str(v.version),
            )
            for v in self.versions
        ]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.versions:
            options.highlighted = 0
        self._show_diff()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_diff()

    def highlighted(self) -> Brief | None:
        index = self.query_one(OptionList).highlighted
        return self.versions[index] if index is not None and self.versions else None

    def action_pin(self) -> None:
        chosen = self.highlighted()
        self.base = None if chosen is self.base else chosen
        options = self.query_one(OptionList)
        index = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = index
        self._show_diff()

    def _show_diff(self) -> None:
        self.query_one("#diff", Static).update(self.diff_text())

    def diff_text(self) -> str:
        """The diff shown for the current highlight and base, as content markup."""
        new = self.highlighted()
        if new is None:
            return "No versions yet: edit a brief section (e) to create the first one."
        if self.base is not None and self.base is not new:
            old = self.base
        else:
            older = [v for v in self.versions if v.version < new.version]
            old = older[0] if older else Brief()
        changes = briefs.diff_briefs(old, new)
        head = f"[b]v{old.version or '∅'} → v{new.version}[/b]  ({count(len(changes), 'field')} changed)"
        lines = [head, ""]
        for change in changes:
            lines.append(
                f"[b]{escape(briefs.label(change.field))}[/b] [$text-muted]({change.field}, {change.kind})[/]"
            )
            if change.old:
                lines.append(f"[$error]- {escape(change.old)}[/]")
            if change.new:
                lines.append(f"[$success]+ {escape(change.new)}[/]")
            lines.append("")
        return "\n".join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
