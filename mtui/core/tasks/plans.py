"""What a board action will change, worked out without the store.

The board plans a move from what it holds in memory, shows the result at once
(``preview``) and sends the very same changes to the store from a worker; the CLI plans
from what it reads. One set of rules for both, so the card the user sees is the card
the store saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from mtui.core import clock
from mtui.core.model import TASK_FIELDS, Status, Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Below this gap between neighbours a column's positions are spread out again.
MIN_GAP = 1e-6
BLOCKED = "blocked"


def top_position(top: float | None) -> float:
    """The position that puts a card above a column whose top card is at ``top``."""
    return (top - 1.0) if top is not None else 0.0


def is_blocked_column(status: Status) -> bool:
    return status.name.lower() == BLOCKED


def blocked_column(statuses: Sequence[Status]) -> Status | None:
    return next((s for s in statuses if is_blocked_column(s)), None)


def done_column(statuses: Sequence[Status]) -> Status:
    return next((s for s in statuses if s.is_done), statuses[-1])


def step_column(statuses: Sequence[Status], task: Task, step: int) -> Status:
    """The column ``step`` places left (-1) or right (+1) of the task's; edges stay."""
    index = next((i for i, s in enumerate(statuses) if s.id == task.status_id), 0)
    return statuses[min(max(index + step, 0), len(statuses) - 1)]


def move_changes(task: Task, target: Status, column_top: float | None) -> dict[str, Any]:
    """Changes that move ``task`` to the top of ``target`` ({} when it is already there).

    Leaving the Blocked column drops the blocked reason, which no longer holds.
    """
    if target.id == task.status_id:
        return {}
    changes: dict[str, Any] = {"status_id": target.id, "position": top_position(column_top)}
    if task.blocked_reason and not is_blocked_column(target):
        changes["blocked_reason"] = None
    return changes


def block_changes(
    task: Task, reason: str, blocked: Status | None, column_top: float | None
) -> dict[str, Any]:
    """Changes that mark ``task`` blocked for ``reason`` (moving it to Blocked, if any)."""
    changes: dict[str, Any] = {"blocked_reason": reason.strip()}
    if blocked is not None and task.status_id != blocked.id:
        changes.update(status_id=blocked.id, position=top_position(column_top))
    return changes


def reorder_position(column: Sequence[Task], task: Task, step: int) -> float | None:
    """The new position for moving ``task`` up (-1) or down (+1) in ``column`` (display
    order); None when it cannot move, ``nan`` when the column must be renumbered first."""
    index = next((i for i, t in enumerate(column) if t.id == task.id), None)
    if index is None:
        return None
    target = index + step
    if target < 0 or target >= len(column):
        return None
    neighbour = column[target]
    beyond = target + step
    if 0 <= beyond < len(column):
        position = (neighbour.position + column[beyond].position) / 2
        if abs(position - neighbour.position) < MIN_GAP:
            return float("nan")
        return position
    return neighbour.position + step


def preview(task: Task, changes: Mapping[str, Any], statuses: Sequence[Status]) -> Task:
    """The task as the store will return it after ``changes`` (one version later).

    Kept in step with ``SqliteTasks.update_task``: moving into a done column stamps
    ``done_at``, moving out clears it.
    """
    real = {k: v for k, v in changes.items() if k in TASK_FIELDS and getattr(task, k) != v}
    if not real:
        return task
    now = clock.utc_stamp()
    extra: dict[str, Any] = {"updated_at": now, "version": task.version + 1}
    if "status_id" in real:
        done = {s.id for s in statuses if s.is_done}
        if real["status_id"] in done and task.status_id not in done:
            extra["done_at"] = now
        elif task.status_id in done and real["status_id"] not in done:
            extra["done_at"] = None
    return replace(task, **real, **extra)
