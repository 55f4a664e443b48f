"""Task actions shared by the CLI and the TUI: each is one user action, one transaction.

The board's keys map onto these methods one to one. Each action is recorded in the
session's undo history (``mtui.core.undo``), which reverts it from the activity log.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from mtui.core.errors import NotFound, ValidationError
from mtui.core.language.clean import strip_controls
from mtui.core.model import TASK_FIELDS, Status, Task
from mtui.core.tasks import plans
from mtui.core.undo.history import UndoHistory, new_action_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mtui.core.store.contract import Store  # annotations only: no Protocols at start-up

_ONE_LINE_TEXT = ("title", "owner", "blocked_reason")


def clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields with control characters stripped from every text (issue 12: NUL and
    terminal escapes never reach the store); empty optional names become None."""
    out = dict(fields)
    for key in _ONE_LINE_TEXT:
        if isinstance(out.get(key), str):
            cleaned = strip_controls(out[key]).strip()
            out[key] = cleaned if cleaned or key == "title" else None
    if isinstance(out.get("notes"), str):
        out["notes"] = strip_controls(out["notes"], multiline=True)
    if isinstance(out.get("tags"), list | tuple):
        tags = [strip_controls(t).strip() if isinstance(t, str) else t for t in out["tags"]]
        out["tags"] = [t for t in tags if t != ""]
    return out


def validate_fields(fields: Mapping[str, Any]) -> None:
    """Reject values the store must never hold, with a message naming the field."""
    if "title" in fields and not str(fields["title"] or "").strip():
        raise ValidationError("a task needs a title")
    priority = fields.get("priority")
    if priority is not None and (isinstance(priority, bool) or priority not in (1, 2, 3)):
        raise ValidationError("priority must be 1 (high), 2 (med), 3 (low) or empty")
    estimate = fields.get("estimate_minutes")
    from mtui.core.language.quickadd import MAX_ESTIMATE_MINUTES  # the one bound (imports too)

    if estimate is not None and (
        isinstance(estimate, bool)
        or not isinstance(estimate, int)
        or not 0 <= estimate <= MAX_ESTIMATE_MINUTES
    ):
        raise ValidationError(f"estimate must be whole minutes from 0 to {MAX_ESTIMATE_MINUTES:,}")
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(f"unknown task field(s): {', '.join(sorted(unknown))}")


class TaskActions:
    """The verbs of the board; every action goes into the session's undo ``history``.
    (A plain class: every ``mtui add`` builds one, and a dataclass costs start-up.)"""

    def __init__(self, store: Store, history: UndoHistory | None = None) -> None:
        self.store = store
        self.history = history if history is not None else UndoHistory()

    # Lookups -------------------------------------------------------------------------
    def statuses(self) -> list[Status]:
        return self.store.tasks.statuses()

    def status_named(self, name: str, statuses: list[Status] | None = None) -> Status:
        """Resolve a column as quick-add's ``s:`` does: exact name, else unambiguous prefix."""
        from mtui.core.language.resolve import ResolveError, resolve_status

        try:
            return resolve_status(name, statuses or self.store.tasks.statuses())
        except ResolveError as exc:
            raise ValidationError(exc.message) from None

    def default_status(self, statuses: list[Status] | None = None) -> Status:
        """The config's ``default_column`` if it names a column, else the first column."""
        from mtui.core.config.user_config import active_config

        statuses = statuses or self.store.tasks.statuses()
        wanted = active_config().default_column
        if wanted:
            try:
                return self.status_named(wanted, statuses)
            except ValidationError:
                pass
        return statuses[0]

    def done_status(self) -> Status:
        return plans.done_column(self.store.tasks.statuses())

    def _record(self, action_id: str) -> str:
        return self.history.record(action_id)

    # Create --------------------------------------------------------------------------
    def add(self, fields: Mapping[str, Any], *, channel: str | None = None) -> Task:
        """Create a task at the top of its column (where the user will look for it)."""
        return self.add_many([(fields, channel)])[0]

    def add_many(self, items: Iterable[tuple[Mapping[str, Any], str | None]]) -> list[Task]:
        """Create several tasks as one action: one transaction, one undo step."""
        action = new_action_id()
        created: list[Task] = []
        default: Status | None = None  # the column list is read once per action
        with self.store.batch():
            for fields, channel in items:
                row = clean_fields(fields)
                if "status_id" not in row:
                    default = default or self.default_status()
                    row["status_id"] = default.id
                validate_fields(row)
                channel = strip_controls(channel).strip() if channel else None
                if channel:
                    row["channel_id"] = self.store.tasks.ensure_channel(channel, action_id=action)
                top = self.store.tasks.column_edge_position(row["status_id"], top=True)
                row["position"] = plans.top_position(top)
                created.append(self.store.tasks.create_task(row, action_id=action))
        if created:
            self._record(action)
        return created

    # Change --------------------------------------------------------------------------
    def edit(self, task: Task, changes: Mapping[str, Any]) -> Task:
        """Save field changes, refusing if someone else changed the task meanwhile."""
        changes = clean_fields(changes)
        validate_fields(changes)
        action = new_action_id()
        updated = self.store.tasks.update_task(
            task.id, changes, action_id=action, expected_version=task.version
        )
        if updated.version != task.version:
            self._record(action)
        return updated

    def move_to(self, task: Task, status_id: int, statuses: list[Status] | None = None) -> Task:
        """Move to a column; ``statuses`` when the caller already read the column list
        (one read per action: over a network every round trip counts)."""
        statuses = statuses or self.store.tasks.statuses()
        target = next((s for s in statuses if s.id == status_id), None)
        if target is None:
            raise NotFound(f"no column #{status_id}")
        top = self.store.tasks.column_edge_position(status_id, top=True)
        changes = plans.move_changes(task, target, top)
        return self.edit(task, changes) if changes else task

    def move_by(self, task: Task, step: int) -> Task:
        """Move a card to the previous (-1) or next (+1) column; stays put at the edges."""
        statuses = self.store.tasks.statuses()
        target = plans.step_column(statuses, task, step)
        return self.move_to(task, target.id, statuses)

    def reorder(self, task: Task, column: list[Task], step: int) -> Task:
        """Move a card up (-1) or down (+1) within ``column`` (the board's display order)."""
        if all(t.id != task.id for t in column):
            raise NotFound(f"task #{task.id} is not in that column")
        position = plans.reorder_position(column, task, step)
        if position is None:
            return task
        if math.isnan(position):  # float precision ran out between neighbours
            self.store.tasks.renumber_column(task.status_id)
            fresh = self.store.tasks.list_tasks(status_ids=[task.status_id])
            return self.reorder(next(t for t in fresh if t.id == task.id), fresh, step)
        return self.edit(task, {"position": position})

    def mark_done(self, task: Task) -> Task:
        statuses = self.store.tasks.statuses()
        return self.move_to(task, plans.done_column(statuses).id, statuses)

    def mark_blocked(self, task: Task, reason: str) -> Task:
        reason = strip_controls(reason).strip()
        if not reason:
            raise ValidationError("say what blocks the task")
        blocked = plans.blocked_column(self.store.tasks.statuses())
        top = self.store.tasks.column_edge_position(blocked.id, top=True) if blocked else None
        return self.edit(task, plans.block_changes(task, reason, blocked, top))

    def delete(self, task: Task) -> Task:
        action = new_action_id()
        deleted = self.store.tasks.delete_task(
            task.id, action_id=action, expected_version=task.version
        )
        self._record(action)
        return deleted

    def restore(self, task_id: int) -> Task:
        action = new_action_id()
        restored = self.store.tasks.restore_task(task_id, action_id=action)
        self._record(action)
        return restored

    # Undo and redo -------------------------------------------------------------------
    def undo(self) -> list[int]:
        """Undo the session's last action (any kind); the tasks it touched."""
        return self.history.undo(self.store).task_ids

    def redo(self) -> list[int]:
        return self.history.redo(self.store).task_ids
