"""The quick-add input: tokens coloured as you type, tab completes, multi-line paste.

Colours come from the theme through component classes (``quickadd--owner`` …), read
back as rich styles whenever the CSS changes, so a theme switch recolours the tokens.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from mtui.core.language.quickadd import FIELD_KINDS
from mtui.ui.quickadd.completion import plain_tokens
from mtui.ui.textual_compat import PasteHook

STYLE_KINDS = (*FIELD_KINDS, "error", "pending")


class TokenHighlighter(Highlighter):
    """Styles each token of the quick-add language; ``problems`` marks extra bad spans
    (unknown goal/campaign/status) that only the screen, with the database, can know."""

    def __init__(self) -> None:
        self.styles: dict[str, Style] = {}
        self.problems: list[tuple[int, int, bool]] = []  # (start, end, pending)
        self._problem_text = ""  # the text ``problems`` were found in

    def set_problems(self, text: str, problems: list[tuple[int, int, bool]]) -> None:
        self._problem_text, self.problems = text, problems

    def highlight(self, text: Text) -> None:
        if not self.styles:
            return
        known = text.plain == self._problem_text  # problems (pending or not) cover errors
        for token in plain_tokens(text.plain):
            style = self.styles.get(token.kind)
            if style is not None and not (known and token.kind == "error"):
                text.stylize(style, token.start, token.end)
        if not known:
            return
        for start, end, pending in self.problems:
            text.stylize(self.styles["pending" if pending else "error"], start, end)


class QuickAddInput(PasteHook, Input):
    """One line of quick-add text. Tab and ↑/↓ drive the completion list."""

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False),
        Binding("down", "choose(1)", show=False),
        Binding("up", "choose(-1)", show=False),
    ]

    COMPONENT_CLASSES = {f"quickadd--{kind}" for kind in STYLE_KINDS}

    DEFAULT_CSS = """
    QuickAddInput > .quickadd--owner { color: $accent; text-style: bold; }
    QuickAddInput > .quickadd--channel { color: $primary; text-style: bold; }
    QuickAddInput > .quickadd--priority { color: $warning; text-style: bold; }
    QuickAddInput > .quickadd--goal { color: $success; text-style: bold; }
    QuickAddInput > .quickadd--campaign { color: $success; text-style: bold; }
    QuickAddInput > .quickadd--due { color: $secondary; text-style: bold; }
    QuickAddInput > .quickadd--status { color: $primary; text-style: bold italic; }
    QuickAddInput > .quickadd--tag { color: $text-muted; text-style: bold; }
    QuickAddInput > .quickadd--estimate { color: $text-muted; text-style: bold; }
    QuickAddInput > .quickadd--error { color: $error; background: $error 20%; text-style: bold underline; }
    QuickAddInput > .quickadd--pending { color: $text-muted; text-style: italic; }
    """

    class Complete(Message):
        """Tab was pressed: accept the highlighted completion."""

    class Choose(Message):
        """↑/↓ was pressed: move the completion highlight by ``step``."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class PastedLines(Message):
        """Several non-blank lines were pasted: each is a task to create."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def __init__(self, **kwargs) -> None:
        self.token_highlighter = TokenHighlighter()
        super().__init__(highlighter=self.token_highlighter, **kwargs)

    def kind_styles(self) -> dict[str, Style]:
        """Rich style per token kind, from the theme (also used for preview chips)."""
        return {kind: self.get_component_rich_style(f"quickadd--{kind}") for kind in STYLE_KINDS}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:  # component styles exist only once mounted
            self.token_highlighter.styles = self.kind_styles()

    def on_mount(self) -> None:
        self.token_highlighter.styles = self.kind_styles()

    def action_complete(self) -> None:
        """Tab never moves focus away from here; the screen decides what it completes."""
        self.post_message(self.Complete())

    def action_choose(self, step: int) -> None:
        self.post_message(self.Choose(step))

    def handle_paste(self, text: str) -> bool:
        """A paste of several lines becomes several tasks; one line is typed in as usual
        (trimmed). True when handled here, so Textual inserts nothing itself."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            self.post_message(self.PastedLines(lines))
            return True
        if lines and lines[0] != text:
            self.insert_text_at_cursor(lines[0])
            return True
        return False
