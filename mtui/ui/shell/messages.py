"""Messages panes and screens send to the app, so no pane reaches into another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mtui.core.model import Task


class FilterBoard(Message):
    """Ask the board to show only tasks matching ``query`` (filter-language text).

    ``from_bar`` marks the filter bar's own messages: the bar already shows its text
    (and may show more by the time the message is handled), so it is never written back.
    """

    def __init__(self, query: str, *, from_bar: bool = False) -> None:
        super().__init__()
        self.query = query
        self.from_bar = from_bar


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
