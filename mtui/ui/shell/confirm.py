"""Small modal prompts: a one-line answer (e.g. a blocked reason), or a yes/no question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


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


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question about something that changes data: ``y`` or enter says yes
    (the focused button decides enter), ``n`` or esc says no."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 70%; max-width: 72; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ConfirmScreen .detail { color: $text-muted; margin-top: 1; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    AUTO_FOCUS = "#yes"

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.question}[/b]")
            if self.detail:
                yield Static(self.detail, classes="detail")
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
