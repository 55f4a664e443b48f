"""Task actions shared by the CLI and the TUI: each is one user action, one transaction.

The board's keys map onto these methods one to one. Undo and redo are driven by the
activity log: an action's events are read back and applied in reverse, as a new action
marked ``undo_of`` the one it reverts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mtui.core.errors import ConflictError, NotFound, ValidationError
from mtui.core.model import TASK_FIELDS, Status, Task
from mtui.core.store.contract import Store

# Below this gap between neighbours a column's positions are spread out again.
_MIN_GAP = 1e-6


def new_action_id() -> str:
    return uuid.uuid4().hex


def validate_fields(fields: Mapping[str, Any]) -> None:
    """Reject values the store must never hold, with a message naming the field."""
    if "title" in fields and not str(fields["title"] or "").strip():
        raise ValidationError("a task needs a title")
    priority = fields.get("priority")
    if priority is not None and priority not in (1, 2, 3):
        raise ValidationError("priority must be 1 (high), 2 (med), 3 (low) or empty")
    estimate = fields.get("estimate_minutes")
    if estimate is not None and (not isinstance(estimate, int) or estimate < 0):
        raise ValidationError("estimate must be a whole number of minutes")
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(f"unknown task field(s): {', '.join(sorted(unknown))}")


@dataclass
class TaskActions:
    """The verbs of the board. Keeps the session's undo and redo stacks of action ids."""

    store: Store
    undo_stack: list[str] = field(default_factory=list)
    redo_stack: list[str] = field(default_factory=list)

    # Lookups -------------------------------------------------------------------------
    def statuses(self) -> list[Status]:
        return self.store.tasks.statuses()

    def status_named(self, name: str) -> Status:
        """Resolve a column as quick-add's ``s:`` does: exact name, else unambiguous prefix."""
        from mtui.core.language.resolve import ResolveError, resolve_status

        try:
            return resolve_status(name, self.store.tasks.statuses())
        except ResolveError as exc:
            raise ValidationError(exc.message) from None

    def default_status(self) -> Status:
        """The config's ``default_column`` if it names a column, else the first column."""
        from mtui.core.config.user_config import active_config

        wanted = active_config().default_column
        if wanted:
            try:
                return self.status_named(wanted)
            except ValidationError:
                pass
        return self.store.tasks.statuses()[0]

    def done_status(self) -> Status:
        statuses = self.store.tasks.statuses()
        return next((s for s in statuses if s.is_done), statuses[-1])

    def _record(self, action_id: str) -> str:
        self.undo_stack.append(action_id)
        self.redo_stack.clear()
        return action_id

    # Create --------------------------------------------------------------------------
    def add(self, fields: Mapping[str, Any], *, channel: str | None = None) -> Task:
        """Create a task at the top of its column (where the user will look for it)."""
        fields = dict(fields)
        fields.setdefault("status_id", self.default_status().id)
        validate_fields(fields)
        if channel:
            fields["channel_id"] = self.store.tasks.ensure_channel(channel)
        top = self.store.tasks.column_edge_position(fields["status_id"], top=True)
        fields["position"] = (top - 1.0) if top is not None else 0.0
        action = new_action_id()
        task = self.store.tasks.create_task(fields, action_id=action)
        self._record(action)
        return task

    # Change --------------------------------------------------------------------------
    def edit(self, task: Task, changes: Mapping[str, Any]) -> Task:
        """Save field changes, refusing if someone else changed the task meanwhile."""
        validate_fields(changes)
        action = new_action_id()
        updated = self.store.tasks.update_task(
            task.id, changes, action_id=action, expected_version=task.version
        )
        if updated.version != task.version:
            self._record(action)
        return updated

    def move_to(self, task: Task, status_id: int) -> Task:
        if status_id == task.status_id:
            return task
        top = self.store.tasks.column_edge_position(status_id, top=True)
        position = (top - 1.0) if top is not None else 0.0
        changes: dict[str, Any] = {"status_id": status_id, "position": position}
        if task.blocked_reason and not self._is_blocked_column(status_id):
            changes["blocked_reason"] = None
        return self.edit(task, changes)

    def move_by(self, task: Task, step: int) -> Task:
        """Move a card to the previous (-1) or next (+1) column; stays put at the edges."""
        statuses = self.store.tasks.statuses()
        index = next(i for i, s in enumerate(statuses) if s.id == task.status_id)
        target = min(max(index + step, 0), len(statuses) - 1)
        return self.move_to(task, statuses[target].id)

    def reorder(self, task: Task, column: list[Task], step: int) -> Task:
        """Move a card up (-1) or down (+1) within ``column`` (the board's display order)."""
        index = next((i for i, t in enumerate(column) if t.id == task.id), None)
        if index is None:
            raise NotFound(f"task #{task.id} is not in that column")
        target = index + step
        if target < 0 or target >= len(column):
            return task
        neighbour = column[target]
        beyond_index = target + step
        if 0 <= beyond_index < len(column):
            position = (neighbour.position + column[beyond_index].position) / 2
            if abs(position - neighbour.position) < _MIN_GAP:
                self.store.tasks.renumber_column(task.status_id)
                return self.reorder(
                    self.store.tasks.get_task(task.id), self._column(task.status_id), step
                )
        else:
            position = neighbour.position + step
        return self.edit(task, {"position": position})

    def _column(self, status_id: int) -> list[Task]:
        return self.store.tasks.list_tasks(status_ids=[status_id])

    def _is_blocked_column(self, status_id: int) -> bool:
        return any(
            s.id == status_id and s.name.lower() == "blocked" for s in self.store.tasks.statuses()
        )

    def mark_done(self, task: Task) -> Task:
        return self.move_to(task, self.done_status().id)

    def mark_blocked(self, task: Task, reason: str) -> Task:
        reason = reason.strip()
        if not reason:
            raise ValidationError("say what blocks the task")
        blocked = next(
            (s for s in self.store.tasks.statuses() if s.name.lower() == "blocked"), None
        )
        changes: dict[str, Any] = {"blocked_reason": reason}
        if blocked and task.status_id != blocked.id:
            top = self.store.tasks.column_edge_position(blocked.id, top=True)
            changes.update(status_id=blocked.id, position=(top - 1.0) if top is not None else 0.0)
        return self.edit(task, changes)

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
    def revert(self, action_id: str) -> tuple[str, list[int]]:
        """Apply the inverse of ``action_id`` as a new action; return it and the tasks touched.

        Refuses (ConflictError) when a field no longer holds the value the action wrote,
        because another edit came after it and reverting would silently lose that edit.
        """
        events = self.store.tasks.events(action_id=action_id)
        if not events:
            raise NotFound("nothing to undo")
        inverse = new_action_id()
        touched: list[int] = []
        by_task: dict[int, dict[str, Any]] = {}
        for event in reversed(events):
            if event.kind in ("changed", "moved"):
                by_task.setdefault(event.task_id, {})[event.field] = (event.new, event.old)
        for event in reversed(events):
            task_id = event.task_id
            if task_id in touched and event.kind in ("changed", "moved"):
                continue
            if event.kind == "created" or event.kind == "restored":
                self.store.tasks.delete_task(task_id, action_id=inverse, undo_of=action_id)
            elif event.kind == "deleted":
                self.store.tasks.restore_task(task_id, action_id=inverse, undo_of=action_id)
            else:
                current = self.store.tasks.get_task(task_id).fields()
                pairs = by_task[task_id]
                stale = [name for name, (new, _old) in pairs.items() if current[name] != new]
                if stale:
                    raise ConflictError(
                        f"task #{task_id} was changed again since ({', '.join(stale)}); not undone"
                    )
                self.store.tasks.update_task(
                    task_id, {name: old for name, (_new, old) in pairs.items()},
                    action_id=inverse, undo_of=action_id,
                )  # fmt: skip
            touched.append(task_id)
        return inverse, touched

    def undo(self) -> list[int]:
        if not self.undo_stack:
            raise NotFound("nothing to undo")
        action = self.undo_stack[-1]
        inverse, touched = self.revert(action)
        self.undo_stack.pop()
        self.redo_stack.append(inverse)
        return touched

    def redo(self) -> list[int]:
        if not self.redo_stack:
            raise NotFound("nothing to redo")
        action = self.redo_stack[-1]
        inverse, touched = self.revert(action)
        self.redo_stack.pop()
        self.undo_stack.append(inverse)
        return touched
