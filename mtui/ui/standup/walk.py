"""Walk the board (``w`` in the stand-up view): one card at a time, large.

Blocked cards first, then those in progress, then those due today, as a stand-up goes
through them. Each card can be moved, unblocked or marked done right there, through the
same TaskActions as the board (so ``u`` on the board undoes it afterwards). Cards are read
and changed on the app's background store (``store_job``), never on the event loop.
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
        self.actions = actions  # its undo history records the walk's changes
        self.steps = steps
        self.index = 0
        self.lookups: Lookups | None = None  # read with the first card
        self.current: Task | None = None  # the card on screen, as last read
        self._reads = 0  # the latest read asked for; older answers are dropped
        self._drawn = 0  # the read on screen: keys act only on an up-to-date card
        self._busy = False  # a change is being saved

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
        return self.current

    def show(self) -> None:
        """Read the current card (and the names, the first time) in the background,
        then draw it."""
        self._reads += 1
        read, step, lookups = self._reads, self.steps[self.index], self.lookups

        def job(store: Store) -> tuple[Lookups, Task | None, str | None]:
            names = lookups or Lookups.load(store)
            try:
                task = store.tasks.get_task(step.task_id)
            except MtuiError:
                return names, None, None
            return names, task, entered_column(store.tasks.events(task_id=task.id), task.status_id)

        def shown(result: tuple[Lookups, Task | None, str | None]) -> None:
            self.lookups, task, entered = result
            if read == self._reads and self.is_attached:
                self._drawn = read
                self._draw(step, task, entered)

        app: Any = self.app  # MtuiApp, or a test host with the same store jobs
        app.store_job(job, shown)

    def _draw(self, step: Step, task: Task | None, entered: str | None) -> None:
        self.current = task
        self.query_one("#walk-progress", Static).update(
            f"Walking the board · {step.group} · card {self.index + 1} of {len(self.steps)}"
        )
        self.query_one("#walk-title", Static).update(Content(task.title if task else "(deleted)"))
        self.query_one("#walk-details", Static).update(self.details(task, entered) if task else "")

    def details(self, task: Task, entered: str | None = None) -> Content:
        """Owner, goal, column with its age (``entered``: when it entered the column),
        due date and blocked reason."""
        now = clock.now()
        look = self.lookups
        assert look is not None  # read with the card
        column = look.status_name(task)
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

    def _apply(
        self,
        verb: Callable[[TaskActions, Task], Task | None],
        message: str,
        *,
        advance: bool = False,
    ) -> None:
        """Run ``verb`` on the card in the background (recorded in the app's undo
        history); then say so and show the card (or the next one) as the store has it."""
        task = self.current
        if task is None or self._busy or self._drawn != self._reads:
            return  # nothing shown yet, or the card on screen is about to change
        self._busy = True
        history = self.actions.history

        def job(store: Store) -> Task | None:
            return verb(TaskActions(store, history), task)

        def done(saved: Task | None) -> None:
            self._busy = False
            if saved is None:
                return
            self.app.post_message(DataChanged([task.id]))
            self.notify(message, timeout=2)
            if advance and self.index < len(self.steps) - 1:
                self.index += 1
            self.show()

        app: Any = self.app

        def refused(_error: MtuiError) -> None:  # the app's notice says why
            self._busy = False
            self.show()

        app.store_job(job, done, refused)

    def action_move(self, step: int) -> None:
        self._apply(lambda actions, t: actions.move_by(t, step), "Moved")

    def action_done(self) -> None:
        self._apply(lambda actions, t: actions.mark_done(t), "Marked done", advance=True)

    def action_unblock(self) -> None:
        def unblock(actions: TaskActions, task: Task) -> Task | None:
            doing = Columns.of(actions.store.tasks.statuses()).doing
            return None if doing is None else actions.move_to(task, doing)

        self._apply(unblock, "Unblocked: back in progress")
