"""Walk the board (``w`` in the stand-up view): one card at a time, large.

Blocked cards first, then those in progress, then those due today, as a stand-up goes
through them. Each card can be moved, unblocked or marked done right there, through the
same TaskActions as the board (so ``u`` on the board undoes it afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass

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
from mtui.ui.shell.error_notices import report_error
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
        self.lookups = Lookups.load(store)

    def compose(self) -> ComposeResult:
        yield Static(id="walk-progress")
        with Center(), Vertical(id="walk-card"):
            yield Static(id="walk-title")
            yield Static(id="walk-details")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    @property
    def task_now(self) -> Task | None:
        try:
            return self.store.tasks.get_task(self.steps[self.index].task_id)
        except MtuiError:
            return None

    def show(self) -> None:
        step = self.steps[self.index]
        task = self.task_now
        self.query_one("#walk-progress", Static).update(
            f"Walking the board · {step.group} · card {self.index + 1} of {len(self.steps)}"
        )
        self.query_one("#walk-title", Static).update(Content(task.title if task else "(deleted)"))
        details: Content | str = ""
        if task is not None:
            try:
                details = self.details(task)
            except MtuiError as exc:  # the card's history could not be read: say so
                report_error(self.app, exc)
        self.query_one("#walk-details", Static).update(details)

    def details(self, task: Task) -> Content:
        """Owner, goal, column with its age, due date and blocked reason."""
        now = clock.now()
        look = self.lookups
        column = look.status_name(task)
        entered = entered_column(self.store.tasks.events(task_id=task.id), task.status_id)
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

    def _apply(self, verb, message: str, *, advance: bool = False) -> None:
        task = self.task_now
        if task is None:
            return
        try:
            verb(task)
        except MtuiError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.app.post_message(DataChanged([task.id]))
        self.notify(message, timeout=2)
        if advance and self.index < len(self.steps) - 1:
            self.index += 1
        self.show()

    def action_move(self, step: int) -> None:
        self._apply(lambda t: self.actions.move_by(t, step), "Moved")

    def action_done(self) -> None:
        self._apply(self.actions.mark_done, "Marked done", advance=True)

    def action_unblock(self) -> None:
        doing = Columns.of(self.store.tasks.statuses()).doing
        if doing is None:
            return
        self._apply(lambda t: self.actions.move_to(t, doing), "Unblocked: back in progress")
