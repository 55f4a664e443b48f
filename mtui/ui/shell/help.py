"""The help screen (``?``): every key, grouped by pane, generated from the bindings.

Nothing here is written by hand except a few descriptions for bindings that have none,
so a new or re-mapped key (config ``[keys]``) shows up here by itself. The quick-add
grammar is the quick-add screen's own text; the filter language is printed from its table
(``FILTER_TERMS`` in ``mtui.core.language.filter_query``).
"""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_WIDTH = 18

# Fuller wording for terse or missing descriptions (the footer needs them short).
_FALLBACK = {
    "cursor(-1, 0)": "Cursor left",
    "cursor(1, 0)": "Cursor right",
    "cursor(0, -1)": "Cursor up",
    "cursor(0, 1)": "Cursor down",
    "cursor(0, -10)": "Page up",
    "cursor(0, 10)": "Page down",
    "cursor(0, -1000000)": "First card",
    "cursor(0, 1000000)": "Last card",
    "move_card(-1)": "Move the card to the previous column",
    "move_card(1)": "Move the card to the next column",
    "reorder(-1)": "Move the card up its column",
    "reorder(1)": "Move the card down its column",
    "quit": "Quit (from any screen)",
    "quick_add": "Quick-add a task",
    "refresh_metrics": "Refresh metrics now",
    "zoom": "Zoom the focused pane, or back",
    "command_palette": "Command palette: jump to anything, run any action",
}


def _bindings(declared: list[BindingType]) -> list[Binding]:
    return [b for b in declared if isinstance(b, Binding) and not b.system]


def pane_bindings() -> list[tuple[str, list[Binding]]]:
    """(pane title, bindings) in the order panes appear on screen."""
    from mtui.ui.app import MtuiApp
    from mtui.ui.board import BoardView
    from mtui.ui.board.filter_bar import FilterInput
    from mtui.ui.metrics.strip import MetricsStrip
    from mtui.ui.strategy.brief_pane import BriefPane

    return [
        ("Anywhere", _bindings(MtuiApp.BINDINGS) + _bindings(App.BINDINGS)),
        ("Board (2)", _bindings(BoardView.BINDINGS)),
        ("Brief (1)", _bindings(BriefPane.BINDINGS)),
        ("Metrics (3)", _bindings(MetricsStrip.BINDINGS)),
        ("Filter bar (/)", _bindings(FilterInput.BINDINGS)),
    ]


def key_label(app: App, binding: Binding, overrides: dict[str, str]) -> str:
    """All keys of a binding as shown in the footer, after config overrides."""
    keys = overrides.get(binding.id or "", binding.key)
    return " ".join(app.get_key_display(replace(binding, key=k.strip())) for k in keys.split(","))


def describe(binding: Binding) -> str:
    return _FALLBACK.get(binding.action) or binding.description or binding.action


def section_text(app: App, bindings: list[Binding], overrides: dict[str, str]) -> Text:
    text = Text()
    for binding in bindings:
        text.append(key_label(app, binding, overrides).ljust(KEY_WIDTH), Style(bold=True))
        text.append(describe(binding) + "\n")
    text.rstrip()
    return text


def filter_language_text() -> Text:
    """The filter language, one line per term, from the parser's own table."""
    from mtui.core.language.filter_query import FILTER_RULES, FILTER_TERMS

    text = Text()
    width = max(len(doc.syntax) for doc in FILTER_TERMS) + 2
    meaning = max(len(doc.meaning) for doc in FILTER_TERMS) + 2
    for doc in FILTER_TERMS:
        text.append(doc.syntax.ljust(width), Style(bold=True))
        text.append(doc.meaning.ljust(meaning))
        text.append(doc.example + "\n", Style(dim=True))
    text.append("\n".join(FILTER_RULES))
    return text


class HelpScreen(ModalScreen[None]):
    """Keys by pane, then the quick-add grammar. ``?``, ``q`` or escape closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 100; max-width: 95%; height: 90%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    HelpScreen .pane-title { color: $primary; text-style: bold; margin: 1 0 0 0; }
    HelpScreen .keys { color: $foreground; }
    HelpScreen #grammar, HelpScreen #filter-language { color: $foreground; }
    HelpScreen #hint { color: $foreground-muted; margin: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        from mtui.ui.quickadd.help import grammar_text

        overrides: dict[str, str] = getattr(self.app, "key_overrides", {})
        with VerticalScroll() as scroll:
            scroll.border_title = "Help · keys"
            for index, (title, bindings) in enumerate(pane_bindings()):
                yield Static(title, classes="pane-title")
                yield Static(section_text(self.app, bindings, overrides), classes="keys",
                             id=f"keys-{index}")  # fmt: skip
            yield Static("Quick-add (a) language", classes="pane-title")
            yield Static(grammar_text(), id="grammar")
            yield Static(
                "Filter (/) language: the board and mtui ls --filter", classes="pane-title"
            )
            yield Static(filter_language_text(), id="filter-language")
            yield Static("ctrl+p finds any task, goal, campaign or action by name.", id="hint")

    def action_close(self) -> None:
        self.dismiss(None)
