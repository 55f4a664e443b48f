"""Walk the board (``w`` in the stand-up view): one card at a time, large.

Blocked cards first, then those in progress, then those due today, as a stand-up goes
through them. Each card can be moved, unblocked or marked done right there, through the
same TaskActions as the board (so ``u`` on the board undoes it afterwards).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from mtui.core import clock
from mtui.core.errors import MtuiError
from mtui.core.language.dates import humanize_due
from mtui.core.model import Task
from mtui.core.standup.format import age
from mtui.core.standup.report import Columns, StandupReport, entered_column
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.lookups import Lookups
from mtui.core.undo.describe import quoted
from mtui.ui.shell.messages import DataChanged


@dataclass(frozen=True, slots=True)
class Step:
    group: str
    task_id: int


def walk_steps(report: StandupReport) -> list[Step]:
    """Blocked, then in progress, then due today; each card once."""
    steps: list[Step] = []
    seen: set[int] = set()
    for group, lines in (("Blocked", report.blocked), ("In progress", report.in_progress),
                         ("Due today", report.due_today)):  # fmt: skip
        for line in lines:
            if line.task.id not in seen:
                seen.add(line.task.id)
                steps.append(Step(group, line.task.id))
    return steps


class WalkScreen(Screen):
    DEFAULT_CSS = """
    WalkScreen { align: center middle; }
    WalkScreen #walk-progress { dock: top; width: 100%; padding: 0 2; background: $boost; }
    WalkScreen #walk-card {
        width: 90; max-width: 95%; height: auto; padding: 1 3;
        border: thick $primary; background: $surface;
    }
    WalkScreen #walk-title { text-style: bold; color: $text; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("j,down,space", "step(1)", "Next"),
        Binding("k,up", "step(-1)", "Previous"),
        Binding("H,shift+left", "move(-1)", "← column"),
        Binding("L,shift+right", "move(1)", "column →"),
        Binding("x", "done", "Done"),
        Binding("u", "unblock", "Unblock"),
    ]

    def __init__(self, store: Store, actions: TaskActions, steps: list[Step]) -> None:
        super().__init__()
        self.store = store
        self.actions = actions
        self.steps = steps
        self.index = 0
        # Read and written through the app's background store (never on the event loop):
        # the card shown, when it entered its column, and the names it refers to.
        self.lookups: Lookups | None = None
        self.card: Task | None = None
        self.card_id: int | None = None  # the step ``card`` was read for
        self.entered: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="walk-progress")
        with Center(), Vertical(id="walk-card"):
            yield Static(id="walk-title")
            yield Static(id="walk-details")
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        self.load()

    @property
    def task_now(self) -> Task | None:
        """The current step's card as last read (None until read, or if deleted)."""
        return self.card if self.card_id == self.steps[self.index].task_id else None

    def load(self) -> None:
        """Read the current step's card (and the names, once) in the background."""
        task_id = self.steps[self.index].task_id
        need_lookups = self.lookups is None

        def job(store: Store) -> tuple[Lookups | None, Task | None, str | None]:
            lookups = Lookups.load(store) if need_lookups else None
            try:
                task = store.tasks.get_task(task_id)
            except MtuiError:
                return lookups, None, None
            entered = entered_column(store.tasks.events(task_id=task.id), task.status_id)
            return lookups, task, entered

        def done(result: tuple[Lookups | None, Task | None, str | None]) -> None:
            lookups, task, entered = result
            if lookups is not None:
                self.lookups = lookups
            if self.steps[self.index].task_id == task_id:  # not stepped on meanwhile
                self.card, self.card_id, self.entered = task, task_id, entered
                self.show()

        app: Any = self.app
        app.store_job(job, done)

    def show(self) -> None:
        step = self.steps[self.index]
        self.query_one("#walk-progress", Static).update(
            f"Walking the board · {step.group} · card {self.index + 1} of {len(self.steps)}"
        )
        title, details = (
            self.query_one("#walk-title", Static),
            self.query_one("#walk-details", Static),
        )
        if self.card_id != step.task_id or self.lookups is None:
            title.update("…")
            details.update("")
            return
        task = self.card
        title.update(Content(task.title if task else "(deleted)"))
        details.update(self.details(task) if task else "")

    def details(self, task: Task) -> Content:
        """Owner, goal, column with its age, due date and blocked reason."""
        now = clock.now()
        look = self.lookups
        assert look is not None
        column = look.status_name(task)
        entered = self.entered
        goals = [look.goals[g] for g in sorted(look.served_goal_ids(task)) if g in look.goals]
        lines: list[Content] = [
            Content.assemble(
                ("Owner    ", "$text-muted"),
                (f"@{task.owner}" if task.owner else "unassigned", "$accent"),
            ),
            Content.assemble(
                ("Goal     ", "$text-muted"),
                ", ".join(f"^{g.slug} {g.title}" for g in goals) or ("serves no goal", "$warning"),
            ),
            Content.assemble(
                ("Column   ", "$text-muted"),
                (column, "bold"),
                (f" for {age(entered or task.created_at, now)}", ""),
            ),
            Content.assemble(
                ("Age      ", "$text-muted"), f"created {age(task.created_at, now)} ago"
            ),
        ]
        if look.campaign_slug(task):
            lines.append(
                Content.assemble(("Campaign ", "$text-muted"), f"c:{look.campaign_slug(task)}")
            )
        if task.due:
            due = humanize_due(task.due, now)
            style = "$error" if "late" in due else "$warning" if due == "today" else ""
            lines.append(Content.assemble(("Due      ", "$text-muted"), (due, style)))
        if task.blocked_reason:
            lines.append(Content.assemble(("Blocked  ", "$error"), task.blocked_reason))
        return Content("\n").join(lines)

    # Keys ------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_step(self, delta: int) -> None:
        self.index = min(max(self.index + delta, 0), len(self.steps) - 1)
        self.show()
        if self.task_now is None:
            self.load()

    def _apply(self, change: Change, *, advance: bool = False) -> None:
        """Run ``change`` on the current card in the background store (one action in the
        app's undo history); say what it did, or that nothing changed."""
        if self.task_now is None:
            return
        task_id = self.steps[self.index].task_id
        history = self.actions.history

        def job(store: Store) -> tuple[bool, str]:
            task = store.tasks.get_task(task_id)
            return change(TaskActions(store, history), task)

        def done(result: tuple[bool, str]) -> None:
            changed, message = result
            if changed:
                self.app.post_message(DataChanged([task_id]))
            self.notify(message, timeout=2, markup=False)
            if changed and advance and self.index < len(self.steps) - 1:
                self.index += 1
            self.load()

        app: Any = self.app
        app.store_job(job, done, lambda _exc: self.load())

    def action_move(self, step: int) -> None:
        def move(actions: TaskActions, task: Task) -> tuple[bool, str]:
            moved = actions.move_by(task, step)
            if moved.version == task.version:
                edge = "last" if step > 0 else "first"
                return False, f"{quoted(task.title)} is already in the {edge} column"
            return True, "Moved"

        self._apply(move)

    def action_done(self) -> None:
        def finish(actions: TaskActions, task: Task) -> tuple[bool, str]:
            if actions.mark_done(task).version == task.version:
                return False, f"{quoted(task.title)} is already done"
            return True, "Marked done"

        self._apply(finish, advance=True)

    def action_unblock(self) -> None:
        self._apply(unblock)


Change = Callable[[TaskActions, Task], tuple[bool, str]]


def unblock(actions: TaskActions, task: Task) -> tuple[bool, str]:
    """Move a card out of Blocked (back in progress) or drop its blocked reason; a card
    that is not blocked is left alone, and the answer says so."""
    columns = Columns.of(actions.statuses())
    in_blocked = columns.blocked is not None and task.status_id == columns.blocked
    if not in_blocked and not task.blocked_reason:
        return False, f"{quoted(task.title)} is not blocked: nothing changed"
    if in_blocked and columns.doing is None:
        return False, "No column to move it back to: nothing changed"
    if in_blocked:
        assert columns.doing is not None
        actions.move_to(task, columns.doing)
        return True, "Unblocked: back in progress"
    actions.edit(task, {"blocked_reason": None})
    return True, "Unblocked"
