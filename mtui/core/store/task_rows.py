"""Rows of the task table into Tasks, the same way for every backend.

Both backends select the task columns in the dataclass's field order, so a row becomes
a Task positionally; tags arrive as JSON text and are decoded only when there are some.

A board read (``list_tasks``) builds every task at once: 100,000 on a big board. The
values that repeat across tasks (owners, due days, notes, blocked reasons, positions,
the timestamps of tasks written together) are then shared, one object per distinct
value, instead of one copy per task as the driver returns them, and every task without
tags shares one empty list: at 100,000 demo tasks ~35 MB less for the board's model.
Titles and uids are unique: they are left alone.

Sharing is invisible as long as tasks are never changed in place, which nothing does:
a change is a new Task (``dataclasses.replace``) with new values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields as dataclass_fields
from typing import Any

from mtui.core.model import Task

_NAMES = [f.name for f in dataclass_fields(Task)]
_NOTES = _NAMES.index("notes")
_TAGS = _NAMES.index("tags")
_POSITION = _NAMES.index("position")
# Texts that repeat across tasks; strings are immutable, so sharing one is invisible.
_REPEATING = tuple(
    _NAMES.index(name)
    for name in ("owner", "due", "blocked_reason", "created_at", "updated_at", "done_at")
)


def task_from_row(row: Iterable[Any]) -> Task:
    """One Task from a row in the dataclass's field order."""
    task = Task(*row)
    tags: Any = task.tags  # the stored JSON text until decoded here
    task.tags = json.loads(tags) if tags and tags != "[]" else []
    if task.notes is None:
        task.notes = ""
    return task


def tasks_from_rows(rows: Iterable[Iterable[Any]]) -> list[Task]:
    """Many Tasks, their repeating texts shared (see the module docstring)."""
    shared: dict[Any, Any] = {}
    share = shared.setdefault
    positions: dict[float, float] = {}  # apart: 1.0 must not become a shared int 1
    share_position = positions.setdefault
    no_tags: list[str] = []
    repeating = _REPEATING
    tasks: list[Task] = []
    append = tasks.append
    loads = json.loads
    for row in rows:
        values = list(row)
        for index in repeating:
            value = values[index]
            if value is not None:
                values[index] = share(value, value)
        notes = values[_NOTES]
        values[_NOTES] = share(notes, notes) if notes else ""
        tags = values[_TAGS]
        values[_TAGS] = loads(tags) if tags and tags != "[]" else no_tags
        position = values[_POSITION]
        values[_POSITION] = share_position(position, position)
        append(Task(*values))
    return tasks
