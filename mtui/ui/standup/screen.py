"""The stand-up view (``s``): the report full screen, for the whole team to read.

``n`` records the stand-up (the next window starts now) once confirmed, and ``u`` undoes
that like any other change; ``c`` copies the Markdown for chat, ``w`` walks the board card
by card, ``@`` shows one owner's tasks. The report is read, and the stand-up recorded, on
the app's background store (``store_job``): the event loop never waits on the store.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from mtui.core import clock
from mtui.core.standup.format import (
    LIST_LIMIT,
    heading,
    sections,
    to_markdown,
    window_phrase,
)
from mtui.core.standup.report import StandupReport, standup_report
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.undo.history import new_action_id
from mtui.ui.standup.report_view import SCREEN_SEPARATOR, section_widgets

TEAM_SECTIONS = ("done", "started", "added", "blocked", "overdue", "due_today", "in_progress")


class StandupScreen(Screen):
    """Built by the app with the store only; walk mode reuses the app's TaskActions."""

    DEFAULT_CSS = """
    StandupScreen { layout: vertical; }
    StandupScreen #standup-head { height: auto; padding: 0 2; background: $boost; }
    StandupScreen #standup-body { height: 1fr; }
    StandupScreen .standup-col { width: 1fr; height: 1fr; padding: 0 2; }
    StandupScreen #standup-plan { border-left: vkey $primary 30%; }
    StandupScreen #owner-input { display: none; margin: 0 2; }
    StandupScreen .report-title { margin-top: 1; }
    StandupScreen .report-row { height: auto; }
    StandupScreen .report-bullet { width: 4; padding-left: 2; color: $text-muted; }
    StandupScreen .report-item { width: 1fr; }
    StandupScreen #owner-input.-open { display: block; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("n", "mark", "Stand-up held now"),
        Binding("u", "app.undo", "Undo"),
        Binding("c", "copy", "Copy Markdown"),
        Binding("w", "walk", "Walk the board"),
        Binding("at", "owner", "@owner"),
    ]

    def __init__(self, store: Store, *, owner: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.owner = owner
        self.report: StandupReport | None = None
        self._reads = 0  # the latest report asked for; older answers are dropped

    def compose(self) -> ComposeResult:
        yield Static(id="standup-head")
        yield Input(placeholder="@owner (empty for everyone)", id="owner-input")
        with Horizontal(id="standup-body"):
            yield VerticalScroll(classes="standup-col", id="standup-team")
            yield VerticalScroll(classes="standup-col", id="standup-plan")
        yield Footer()

    def on_mount(self) -> None:
        self.recompute()
        self.query_one("#standup-team").focus()

    def recompute(self) -> None:
        """Read the report again in the background, then redraw (after marking, walking,
        filtering or an undo)."""
        self._reads += 1
        read, owner = self._reads, self.owner

        def shown(report: StandupReport) -> None:
            if read == self._reads and self.is_attached:
                self._show(report)

        app: Any = self.app  # MtuiApp, or a test host with the same store jobs
        app.store_job(lambda store: standup_report(store, owner=owner), shown)

    def history_replayed(self) -> None:
        """The app undid or redid something (maybe this stand-up): read the report again."""
        self.recompute()

    def _show(self, report: StandupReport) -> None:
        self.report = report
        # At most LIST_LIMIT tasks a section, as in chat: a mount per item would stall
        # the screen on a big board; the last line names the command that lists them all.
        parts = sections(report, sep=SCREEN_SEPARATOR, limit=LIST_LIMIT)
        self.query_one("#standup-head", Static).update(
            Content.assemble(
                (heading(report), "bold"), "\n", (window_phrase(report), "$text-muted")
            )
        )
        team = [s for s in parts if s.key in TEAM_SECTIONS]
        plan = [s for s in parts if s.key not in TEAM_SECTIONS]
        for column_id, chosen in (("#standup-team", team), ("#standup-plan", plan)):
            column = self.query_one(column_id, VerticalScroll)
            column.remove_children()
            column.mount_all([w for section in chosen for w in section_widgets(section)])

    @property
    def actions(self) -> TaskActions:
        """The app's TaskActions (one undo history), or a fresh one outside the app."""
        return getattr(self.app, "task_actions", None) or TaskActions(self.store)

    # Keys ------------------------------------------------------------------------
    def action_close(self) -> None:
        input_ = self.query_one("#owner-input", Input)
        if input_.has_class("-open"):
            input_.remove_class("-open")
            self.query_one("#standup-team").focus()
            return
        self.dismiss()

    def action_mark(self) -> None:
        """Ask first: recording starts the next "since last stand-up" window now."""
        from mtui.ui.shell.confirm import ConfirmScreen

        detail = "The next report starts from now"
        if self.report is not None:
            detail += f"; this one: {window_phrase(self.report)}"
        confirm = ConfirmScreen(
            "Record the stand-up as held now?", f"{detail}. u undoes it.", yes="Record"
        )
        self.app.push_screen(confirm, self._mark_if_confirmed)

    def _mark_if_confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        action, held_at = new_action_id(), clock.utc_stamp()

        def recorded(_none: None) -> None:
            history = getattr(self.app, "history", None)
            if history is not None:
                history.record(action)  # u undoes it, like any other change
            self.recompute()
            self.notify("Stand-up recorded: the next report starts from now (u undoes it).")

        app: Any = self.app
        app.store_job(
            lambda store: store.settings.mark_standup(held_at, action_id=action), recorded
        )

    def action_copy(self) -> None:
        if self.report is not None:
            self.app.copy_to_clipboard(to_markdown(self.report))
            self.notify("Report copied as Markdown.")

    def action_walk(self) -> None:
        from mtui.ui.standup.walk import WalkScreen, walk_steps

        if self.report is None:
            return
        steps = walk_steps(self.report)
        if not steps:
            self.notify("Nothing blocked, in progress or due today.")
            return
        self.app.push_screen(WalkScreen(self.store, self.actions, steps),
                             lambda _result: self.recompute())  # fmt: skip

    def action_owner(self) -> None:
        input_ = self.query_one("#owner-input", Input)
        input_.value = f"@{self.owner}" if self.owner else "@"
        input_.add_class("-open")
        input_.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.owner = event.value.strip().lstrip("@").strip() or None
        event.input.remove_class("-open")
        self.query_one("#standup-team").focus()
        self.recompute()
