"""Rows of the task table into Tasks, the same way for every backend.

Both backends select the task columns in the dataclass's field order, so a row becomes
a Task positionally; tags arrive as JSON text and are decoded only when there are some.

A board read (``list_tasks``) builds every task at once: 100,000 on a big board. The
values that repeat across tasks (owners, due days, notes, blocked reasons, positions,
the timestamps of tasks written together, as by an import) are then shared, one
object per distinct value, instead of one copy per task as the driver returns them,
and every task without tags shares one empty list. A field whose values turn out to be
mostly distinct (timestamps of tasks written one by one) stops being shared early: its
look-up table would cost more than it saves. Titles and uids are unique: left alone.

Sharing is invisible as long as tasks are never changed in place, which nothing does:
a change is a new Task (``dataclasses.replace``) with new values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields as dataclass_fields

from mtui.core.model import Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NAMES = [f.name for f in dataclass_fields(Task)]
_NOTES = _NAMES.index("notes")
_TAGS = _NAMES.index("tags")
# Fields whose values may repeat across tasks (immutable values: sharing is invisible).
_REPEATING = tuple(
    _NAMES.index(name)
    for name in (
        "notes", "owner", "due", "blocked_reason", "position",
        "created_at", "updated_at", "done_at",
    )
)  # fmt: skip
_FIRST_LOOK = 4096  # rows read before a field's sharing is judged (then at each doubling)


def tag_list(text: str) -> list[str]:
    """Stored tags (``json.dumps`` of a list of words) as a list. With no backslash
    nothing is escaped, so each tag is what lies between its quotes: read without the
    JSON parser when the text is exactly that form."""
    if text[:2] == '["' and text[-2:] == '"]' and "\\" not in text:
        words = text[2:-2].split('", "')
        if text.count('"') == 2 * len(words):  # no other quote: nothing else in there
            return words
    return json.loads(text)


def task_from_row(row: Iterable[Any]) -> Task:
    """One Task from a row in the dataclass's field order."""
    task = Task(*row)
    tags: Any = task.tags  # the stored JSON text until decoded here
    task.tags = tag_list(tags) if tags and tags != "[]" else []
    if task.notes is None:
        task.notes = ""
    return task


def tasks_from_rows(rows: Iterable[Iterable[Any]]) -> list[Task]:
    """Many Tasks, their repeating values shared (see the module docstring)."""
    # One table per field: a position 1.0 must not become another field's int 1.
    tables: dict[int, dict[Any, Any]] = {index: {} for index in _REPEATING}
    no_tags: list[str] = []
    tasks: list[Task] = []
    append = tasks.append
    read_tags = tag_list
    judge_at = _FIRST_LOOK
    for row in rows:
        values = list(row)
        for index, table in tables.items():
            value = values[index]
            if value is not None:
                values[index] = table.setdefault(value, value)
        if values[_NOTES] is None:
            values[_NOTES] = ""
        tags = values[_TAGS]
        values[_TAGS] = read_tags(tags) if tags and tags != "[]" else no_tags
        append(Task(*values))
        if len(tasks) == judge_at:
            judge_at *= 2
            for index in [i for i, table in tables.items() if len(table) > len(tasks) // 2]:
                del tables[index]  # mostly distinct values: stop sharing this field
    return tasks
