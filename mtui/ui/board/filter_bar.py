"""The filter line: ``/`` opens it, every keystroke narrows the board, esc clears it.

It only posts ``FilterBoard`` messages; the app owns the parsing and the board, so a
future command palette or saved filter can drive the board the same way.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from mtui.ui.shell.messages import FilterBoard
from mtui.ui.textual_compat import FixedSizeInput


class FilterInput(FixedSizeInput, Input):
    BINDINGS = [Binding("escape", "clear_filter", "Clear filter")]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(FilterBoard(""))
        bar = self.parent
        if isinstance(bar, FilterBar):
            bar.close()


class FilterBar(Horizontal):
    """Shown while a filter is being typed or is active (so it is never invisible).

    Not docked: the footer is docked to the bottom and a second docked bar would lie
    under it; in the layout flow it takes the row above the footer.
    """

    DEFAULT_CSS = """
    FilterBar { height: 1; display: none; background: $boost; }
    FilterBar.-open { display: block; }
    FilterBar > Label { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    FilterBar > FilterInput, FilterBar > FilterInput:focus {
        width: 1fr; border: none; height: 1; padding: 0; background: $boost;
    }
    FilterBar > #filter-status { width: auto; max-width: 50%; padding: 0 1; color: $text-muted; }
    FilterBar > #filter-status.-error { color: $error; }
    """

    def compose(self) -> ComposeResult:
        yield Label("filter /")
        yield Static("", id="filter-status")

    _filter_input: FilterInput | None = None

    def on_mount(self) -> None:
        # The input (and its styles, the largest sheet on the dashboard) is mounted
        # after the first frame: the bar is hidden until "/" anyway.
        self.call_after_refresh(self._mount_input)

    def _mount_input(self) -> None:
        if self.is_attached:  # not when the app quit before its first frame
            self._ensure_input()

    def _ensure_input(self) -> FilterInput:
        """The input, mounted now if "/" came before the first frame was out."""
        if self._filter_input is None:
            self._filter_input = FilterInput(
                placeholder="text @owner #channel ^goal c:campaign !1 +tag due:<fri",
                id="filter-input",
            )
            self.mount(self._filter_input, before="#filter-status")
        return self._filter_input

    @property
    def input(self) -> FilterInput:
        return self._ensure_input()

    @property
    def text(self) -> str:
        return self._filter_input.value if self._filter_input is not None else ""

    def set_text(self, text: str) -> None:
        """Show a filter set elsewhere (palette, brief pane) without re-sending it."""
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self.set_class(bool(text), "-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()

    def close(self) -> None:
        """Hide when empty; an active filter stays visible."""
        if not self.text.strip():
            self.remove_class("-open")
        if self.screen.focused is self.input:
            board = self.screen.query("#board")
            (board.first().focus() if board else self.screen.focus_next())

    _status: str = ""

    def show_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#filter-status", Static)
        if text != self._status:
            # The status sizes itself to its text: a new width re-lays out the screen
            # (~15 ms: every pane is drawn again), so it is asked for only when the
            # width changes ("1,204 matches" → "1,187 matches" keeps it).
            same_width = "[" not in text + self._status and cell_len(text) == cell_len(self._status)
            status.update(text, layout=not same_width)
            self._status = text
        status.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(FilterBoard(event.value, from_bar=True))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
