"""Messages panes and screens send to the app, so no pane reaches into another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mtui.core.model import Task


class FilterBoard(Message):
    """Ask the board to show only tasks matching ``query`` (filter-language text)."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query


class DataChanged(Message):
    """Something was written; panes should reload what they show.

    ``task_ids`` names the tasks touched when known (the board can then redraw cheaply).
    """

    def __init__(self, task_ids: list[int] | None = None) -> None:
        super().__init__()
        self.task_ids = task_ids or []


class TasksAdded(Message):
    """New tasks were created (quick-add): the board shows them at once, no re-read."""

    def __init__(self, tasks: list[Task]) -> None:
        super().__init__()
        self.tasks = tasks
