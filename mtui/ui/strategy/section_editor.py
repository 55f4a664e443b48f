"""Edit one section of the brief in a modal: a TextArea per field, prompts as hints.

Saving writes a new brief version (the store keeps every one); esc leaves the brief as
it was. The positioning section previews the composed statement as you type.
"""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from mtui.core.errors import MtuiError
from mtui.core.model import Brief
from mtui.core.store.contract import Store
from mtui.core.strategy import brief as briefs
from mtui.core.undo.history import new_action_id


class SectionEditor(ModalScreen[Brief | None]):
    """Dismisses with the saved Brief, or None when cancelled or unchanged."""

    DEFAULT_CSS = """
    SectionEditor { align: center middle; }
    SectionEditor > Vertical {
        width: 90%; max-width: 90; height: 90%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    SectionEditor #title { text-style: bold; color: $primary; margin: 0 0 1 0; }
    SectionEditor .field-label { margin: 0; }
    SectionEditor .hint { color: $text-muted; }
    SectionEditor TextArea { height: auto; min-height: 3; max-height: 8; margin: 0 0 1 0; }
    SectionEditor #preview { color: $text-muted; text-style: italic; margin: 0 0 1 0; }
    SectionEditor #error { color: $error; }
    SectionEditor #buttons { height: auto; align-horizontal: right; }
    SectionEditor Button { margin: 0 0 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, store: Store, section_key: str, brief: Brief) -> None:
        super().__init__()
        self.store = store
        self.section = briefs.section(section_key)
        self.brief = brief  # the latest version, read by the opener off the event loop

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.section.title} · ctrl+s saves a new version · esc cancels",
                         id="title")  # fmt: skip
            with VerticalScroll():
                for name in self.section.fields:
                    yield Label(f"[b]{briefs.label(name)}[/b]  [$text-muted]{briefs.prompt(name)}[/]",
                                classes="field-label")  # fmt: skip
                    area = TextArea(getattr(self.brief, name), id=f"f-{name}", soft_wrap=True,
                                    show_line_numbers=False, tab_behavior="focus")  # fmt: skip
                    yield area
                if self.section.key == "positioning":
                    yield Static("", id="preview")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._preview()

    def values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#f-{name}", TextArea).text.strip()
            for name in self.section.fields
        }

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._preview()

    def _preview(self) -> None:
        if self.section.key != "positioning":
            return
        draft = dataclasses.replace(self.brief, **cast(dict[str, Any], self.values()))
        statement = briefs.positioning_statement(draft) or "(fill in the fields to compose it)"
        self.query_one("#preview", Static).update(statement)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Save in the background as one undoable action; errors keep the text."""
        try:
            fields = briefs.clean_fields(self.values())
        except MtuiError as exc:  # keep the text; say what is wrong
            self.query_one("#error", Static).update(str(exc))
            return
        before = self.brief.version
        action = new_action_id()
        app: Any = self.app

        def done(saved: Brief) -> None:
            if saved.version == before:
                self.dismiss(None)
                return
            app.history.record(action)
            self.notify(f"Brief saved as version {saved.version}", timeout=2)
            self.dismiss(saved)

        def refused(exc: MtuiError) -> None:
            self.query_one("#error", Static).update(str(exc))

        app.store_job(
            lambda store: store.strategy.save_brief(fields, action_id=action), done, refused,
            quiet=True,
        )  # fmt: skip

    def action_cancel(self) -> None:
        self.dismiss(None)
