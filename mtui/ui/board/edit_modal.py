"""The edit modal: every field of a task, validated, with errors shown next to the field.

Reading the form (``read_form``) is a plain function so validation is testable without
a screen. Bad input keeps the modal open with the text as typed. A conflicting save
(another process changed the card) is reported inline; the form keeps the user's
values and takes the new version, so saving again overwrites knowingly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import pendulum
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from mtui.core import clock
from mtui.core.errors import ConflictError, MtuiError
from mtui.core.language.dates import DateError, parse_when
from mtui.core.language.quickadd import format_estimate, parse_estimate
from mtui.core.model import Status, Task
from mtui.core.tasks.lookups import Lookups
from mtui.ui.textual_compat import (
    ScreenPaintHooks,
    css_generation,
    dirty_widgets,
    repaint_pending,
)

NONE = ""  # the Select value meaning "no value"
_TAG_SPLIT = re.compile(r"[\s,]+")


@dataclass
class FormResult:
    changes: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None  # a channel name to create/resolve before saving
    errors: dict[str, str] = field(default_factory=dict)


def read_form(
    task: Task, values: dict[str, str], lookups: Lookups, now: pendulum.DateTime
) -> FormResult:
    """Turn the form's text into task changes (only what differs) or field errors."""
    result = FormResult()
    wanted: dict[str, Any] = {}
    title = values["title"].strip()
    if not title:
        result.errors["title"] = "A task needs a title."
    wanted["title"] = title
    wanted["notes"] = values["notes"]
    wanted["status_id"] = int(values["status_id"])
    wanted["priority"] = int(values["priority"]) if values["priority"] else None
    wanted["owner"] = values["owner"].strip().lstrip("@") or None
    wanted["campaign_id"] = int(values["campaign_id"]) if values["campaign_id"] else None
    wanted["goal_id"] = int(values["goal_id"]) if values["goal_id"] else None
    wanted["tags"] = [t.lstrip("+") for t in _TAG_SPLIT.split(values["tags"]) if t.lstrip("+")]
    wanted["blocked_reason"] = values["blocked_reason"].strip() or None
    due = values["due"].strip()
    if not due:
        wanted["due"] = None
    elif due == (task.due or ""):
        wanted["due"] = task.due
    else:
        try:
            wanted["due"] = parse_when(due, now).iso
        except DateError as exc:
            result.errors["due"] = exc.message
    estimate = values["estimate"].strip()
    try:
        wanted["estimate_minutes"] = parse_estimate(estimate) if estimate else None
    except ValueError as exc:
        result.errors["estimate"] = str(exc)
    channel = values["channel"].strip().lstrip("#")
    current_channel = lookups.channel_name(task) or ""
    if channel.lower() != current_channel.lower():
        if channel:
            result.channel = channel
        else:
            wanted["channel_id"] = None
    current = task.fields()
    result.changes = {k: v for k, v in wanted.items() if k in current and current[k] != v}
    return result


def form_values(task: Task, lookups: Lookups) -> dict[str, str]:
    """The task as the form's text, the inverse of ``read_form``."""
    return {
        "title": task.title,
        "notes": task.notes,
        "status_id": str(task.status_id),
        "priority": str(task.priority or ""),
        "owner": task.owner or "",
        "due": task.due or "",
        "channel": lookups.channel_name(task) or "",
        "campaign_id": str(task.campaign_id or ""),
        "goal_id": str(task.goal_id or ""),
        "tags": " ".join(task.tags),
        "estimate": format_estimate(task.estimate_minutes) if task.estimate_minutes else "",
        "blocked_reason": task.blocked_reason or "",
    }


# save(task, changes, new channel, reply): the board saves in the background and calls
# reply(saved, None), or reply(the store's version or None, why) when the store refuses.
Reply = Callable[[Task | None, MtuiError | None], None]
SaveFn = Callable[[Task, dict[str, Any], str | None, Reply], None]


class EditTaskScreen(ScreenPaintHooks, ModalScreen[Task | None]):
    """Edit every field of one task. ctrl+s (or enter in a line) saves, esc cancels.

    The backdrop is opaque: a translucent one re-composed and dimmed the whole
    dashboard on every open (~20 ms at 160×45), most of it hidden behind the form.
    """

    DEFAULT_CSS = """
    EditTaskScreen { align: center middle; background: $background; }
    EditTaskScreen > Vertical {
        width: 90%; max-width: 96; height: 90%; max-height: 40;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    EditTaskScreen VerticalScroll { height: 1fr; }
    EditTaskScreen .row { height: auto; }
    EditTaskScreen .row > Label { width: 12; padding: 1 1 0 0; text-align: right; }
    EditTaskScreen .row > Input, EditTaskScreen .row > Select { width: 1fr; }
    EditTaskScreen .error { color: $error; height: auto; padding-left: 12; }
    EditTaskScreen .error { display: none; }
    EditTaskScreen .error.-shown { display: block; }
    EditTaskScreen TextArea { height: 6; }
    EditTaskScreen #buttons { height: auto; align-horizontal: right; }
    EditTaskScreen #form-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        # Notes: the user's own editor (only when one is set) and the links in them.
        # Not ctrl+e: inputs and the text area use it for "end of line".
        Binding("ctrl+g", "notes_in_editor", "Notes in $EDITOR"),
        Binding("ctrl+o", "open_link", "Open link"),
    ]

    # Focus the title, not the first focusable container: focusing the VerticalScroll
    # restyles every field under it (``:focus-within``) on each open and close.
    AUTO_FOCUS = "#title"

    def __init__(
        self,
        task: Task,
        lookups: Lookups,
        statuses: Sequence[Status],
        save: SaveFn,
        *,
        focus: str = "title",
    ) -> None:
        super().__init__()
        self.save = save
        self.saving = False
        self._options: dict[str, list[tuple[str, str]]] = {}
        self._form_error = ""
        self._styled_for = -1  # the app's CSS generation this screen was last styled for
        self.edit(task, lookups, statuses, focus=focus)

    def edit(
        self, task: Task, lookups: Lookups, statuses: Sequence[Status], *, focus: str = "title"
    ) -> None:
        """(Re)target the form at ``task``.

        The screen is built once and kept (see ``BoardCommands.action_edit_task``):
        composing and styling its widgets costs far more than refilling their values.
        """
        self.original = task  # what the form started from: changes are diffed against it
        self.editing = task  # the version the next save expects (refreshed after a conflict)
        self.saving = False
        self.lookups = lookups
        self.statuses = statuses
        self.focus_field = focus  # "notes" when opened with e (no $EDITOR set)
        if self.is_mounted:
            self._fill()

    def restyle_on_resume(self) -> bool:
        """Restyle the kept screen only if the app's CSS changed (e.g. a new theme).

        Textual restyles every widget of a resumed screen, which for this form costs
        more than everything else about opening it.
        """
        generation = css_generation(self.app)
        unchanged = self._styled_for == generation
        self._styled_for = generation
        return not unchanged

    def skip_compositor_refresh(self) -> bool:
        """Paint once per frame on open, not twice.

        A resumed screen asks for a full repaint, and refilling the form asks for a
        layout: Textual's update tick then paints the laid-out regions and, right
        after, the whole screen again. With the full repaint pending, the first paint
        is skipped (the full one covers it).
        """
        return repaint_pending(self) and self.is_current

    def refresh(self, *regions: Region, **kwargs: bool) -> Self:
        """Skip the repaint a background screen asks for when only its own backdrop moved.

        ``push_screen`` refreshes the screen below, which then asks this one to redraw
        those regions, re-rendering the whole form and its backdrop (~35 ms) for an
        unchanged picture. A change to any widget below still comes through.
        """
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if regions and below is not None and dirty_widgets(below) == {below}:
            return self
        return super().refresh(*regions, **kwargs)

    def _select_options(self) -> dict[str, list[tuple[str, str]]]:
        none = [("—", NONE)]
        return {
            "status_id": [(s.name, str(s.id)) for s in self.statuses],
            "priority": [*none, ("1 high", "1"), ("2 med", "2"), ("3 low", "3")],
            "campaign_id": [
                *none, *((c.name, str(c.id)) for c in self.lookups.campaigns.values())
            ],
            "goal_id": [*none, *((g.title, str(g.id)) for g in self.lookups.goals.values())],
        }  # fmt: skip

    def _fill(self) -> None:
        """Put the task's values into the existing widgets and clear old errors."""
        values = form_values(self.editing, self.lookups)
        self.query_one("#heading", Label).update(self._heading())
        for name in ("title", "owner", "due", "channel", "tags", "estimate", "blocked_reason"):
            self.query_one(f"#{name}", Input).value = values[name]
        for name, options in self._select_options().items():
            select = self.query_one(f"#{name}", Select)
            if options != self._options.get(name):
                select.set_options(options)
                self._options[name] = options
            select.value = values[name]
        self.query_one("#notes", TextArea).load_text(values["notes"])
        self._show_notes_extras(values["notes"])
        self._show_errors({})
        self._set_form_error("")
        self.query_one(VerticalScroll).scroll_home(animate=False)
        self._focus_first()

    def _focus_first(self) -> None:
        self.set_focus(self.query_one(f"#{self.focus_field}"))
        if self.focus_field == "notes":  # the notes and their links end the form
            scroll = self.query_one(VerticalScroll)
            self.call_after_refresh(lambda: scroll.scroll_end(animate=False))

    def on_mount(self) -> None:
        if self.focus_field != "title":  # AUTO_FOCUS takes the title otherwise
            self._focus_first()

    def _heading(self) -> str:
        return f"[b]Edit task #{self.editing.id}[/b]  ctrl+s save · esc cancel"

    def compose(self) -> ComposeResult:
        values = form_values(self.editing, self.lookups)
        self._options = options = self._select_options()

        def select(name: str) -> Select:
            return Select(options[name], value=values[name], allow_blank=False, id=name)

        with Vertical():
            yield Label(self._heading(), id="heading")
            with VerticalScroll(can_focus=False):
                yield from self._row("title", "Title", Input(values["title"], id="title"))
                yield from self._row("status_id", "Column", select("status_id"))
                yield from self._row("priority", "Priority", select("priority"))
                yield from self._row("owner", "Owner", Input(values["owner"], id="owner"))
                yield from self._row("due", "Due", Input(
                    values["due"], placeholder="fri, +3d, 2026-12-03, tomorrow 9am", id="due"
                ))  # fmt: skip
                yield from self._row("channel", "Channel", Input(values["channel"], id="channel"))
                yield from self._row("campaign_id", "Campaign", select("campaign_id"))
                yield from self._row("goal_id", "Goal", select("goal_id"))
                yield from self._row("tags", "Tags", Input(values["tags"], id="tags"))
                yield from self._row("estimate", "Estimate", Input(
                    values["estimate"], placeholder="30m, 2h, 1h30m", id="estimate"
                ))  # fmt: skip
                yield from self._row("blocked_reason", "Blocked by", Input(
                    values["blocked_reason"], id="blocked_reason"
                ))  # fmt: skip
                yield from self._notes(values["notes"])
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    # Notes: the text area, the links in it, and $EDITOR for those who set one ----
    def _notes(self, notes: str) -> ComposeResult:
        from mtui.ui.board.notes import NotesLinks

        yield Label(_notes_label(), id="notes-label")
        yield TextArea(notes, id="notes", soft_wrap=True)
        links = NotesLinks(id="notes-links")
        links.show_links(notes)
        yield links

    def _show_notes_extras(self, notes: str) -> None:
        from mtui.ui.board.notes import NotesLinks

        self.query_one("#notes-label", Label).update(_notes_label())
        self.query_one("#notes-links", NotesLinks).show_links(notes)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "notes":
            from mtui.ui.board.notes import NotesLinks

            links = self.query_one("#notes-links", NotesLinks)
            if links.show_links(event.text_area.text) and links.links and event.text_area.has_focus:
                self.call_after_refresh(lambda: links.scroll_visible(animate=False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "notes_in_editor":
            from mtui.ui.board.notes import user_editor

            return user_editor() is not None
        if action == "open_link":
            from mtui.ui.board.notes import NotesLinks

            return bool(self.query_one("#notes-links", NotesLinks).links)
        return super().check_action(action, parameters)

    def action_notes_in_editor(self) -> None:
        """Edit the notes field in $VISUAL/$EDITOR; the text comes back into the form
        and is saved with the rest (ctrl+s), as one change."""
        from mtui.ui.board.notes import edit_in_editor

        area = self.query_one("#notes", TextArea)
        text = edit_in_editor(self.app, area.text)
        if text is not None and text != area.text:
            area.load_text(text)
            self._show_notes_extras(text)
        area.focus()

    def action_open_link(self) -> None:
        """Open the link under the notes' cursor, or the first link."""
        from mtui.core.language.links import find_links
        from mtui.ui.board.notes import NotesLinks

        area = self.query_one("#notes", TextArea)
        row, column = area.cursor_location
        line = area.document.get_line(row) if area.has_focus else ""
        here = next((url for url in find_links(line) if _spans(line, url, column)), None)
        links = self.query_one("#notes-links", NotesLinks).links
        url = here or (links[0] if links else None)
        if url is not None:
            self.app.open_url(url)
            self.app.notify(f"Opening {url}", timeout=3)

    @staticmethod
    def _row(name: str, label: str, widget) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(label)
            yield widget
        yield Static("", classes="error", id=f"{name}-error")

    def _values(self) -> dict[str, str]:
        values = {}
        for name in ("title", "owner", "due", "channel", "tags", "estimate", "blocked_reason"):
            values[name] = self.query_one(f"#{name}", Input).value
        for name in ("status_id", "priority", "campaign_id", "goal_id"):
            value = self.query_one(f"#{name}", Select).value
            values[name] = value if isinstance(value, str) else NONE
        values["notes"] = self.query_one("#notes", TextArea).text
        return values

    def _set_form_error(self, text: str) -> None:
        """Update the form-wide message (only when it changes: an update relayouts)."""
        if text != self._form_error:
            self._form_error = text
            self.query_one("#form-error", Static).update(text)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for widget in self.query(".error").results(Static):
            name = (widget.id or "").removesuffix("-error")
            message = errors.get(name, "")
            if message or widget.has_class("-shown"):  # untouched fields cost no relayout
                widget.update(message)
                widget.set_class(bool(message), "-shown")

    def action_save(self) -> None:
        result = read_form(self.original, self._values(), self.lookups, clock.now())
        self._show_errors(result.errors)
        if result.errors:
            self._set_form_error("Fix the fields marked in red; nothing was saved.")
            return
        if not result.changes and not result.channel:
            self.dismiss(None)
            return
        if self.saving:
            return
        self.saving = True
        self._set_form_error("Saving…")
        self.save(self.editing, result.changes, result.channel, self._saved)

    def _saved(self, saved: Task | None, error: MtuiError | None) -> None:
        """The store's answer to a save (on the event loop)."""
        self.saving = False
        if error is None:
            self._set_form_error("")
            if self.is_current:
                self.dismiss(saved)
            return
        if isinstance(error, ConflictError):
            if saved is None or saved.deleted_at is not None:
                self._set_form_error("This task was deleted elsewhere; nothing was saved.")
                return
            self.editing = saved
            self._set_form_error(
                "Someone else changed this task meanwhile; the board shows their version. "
                "Your changes are kept: ctrl+s applies them on top of theirs, esc drops them."
            )
            return
        self._set_form_error(str(error))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _notes_label() -> str:
    """ "Notes", plus the ctrl+g hint when the user has an editor set."""
    from mtui.ui.board.notes import editor_name

    editor = editor_name()
    return f"Notes  [dim](ctrl+g: edit in {escape(editor)})[/]" if editor else "Notes"


def _spans(line: str, url: str, column: int) -> bool:
    """Whether ``url`` occurs in ``line`` across ``column`` (a cursor position)."""
    start = line.find(url)
    while start != -1:
        if start <= column <= start + len(url):
            return True
        start = line.find(url, start + 1)
    return False
