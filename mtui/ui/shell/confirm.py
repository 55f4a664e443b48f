"""Small modal prompts the board needs (a one-line answer, e.g. a blocked reason)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class PromptScreen(ModalScreen[str | None]):
    """Ask one question; dismiss with the answer, or None on esc.

    With ``required`` an empty answer shows an inline error and keeps the prompt open.
    """

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 70%; max-width: 80; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    PromptScreen .error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, *, value: str = "", required: bool = False) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(value=self.value, id="answer")
            yield Static("", classes="error", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = event.value.strip()
        if self.required and not answer:
            self.query_one("#error", Static).update("Please type an answer (esc cancels).")
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
