"""Background events worth a notification: a metric source failing, another process's
task changes merged into the board.

Both run only when the database changed (the app's ``PRAGMA data_version`` poll), never
per key press: the source watch reads the sources, and the task notice counts among the
activity-log entries the board has just caught up with (no query of its own).
"""

from __future__ import annotations

from collections.abc import Iterable

from mtui.core.model import TaskEvent
from mtui.core.store.contract import Store


class SourceWatch:
    """Remembers each source's last status; reports sources that just started failing."""

    def __init__(self) -> None:
        self._status: dict[int, str | None] = {}

    def check(self, store: Store) -> list[str]:
        messages = []
        for source in store.metric_sources():
            before = self._status.get(source.id, "ok")
            self._status[source.id] = source.last_status
            if source.last_status == "error" and before != "error":
                error = (source.last_error or "failed").splitlines()[0][:120]
                messages.append(f"{source.name}: {error} (last good value kept)")
        return messages


def changed_elsewhere(events: Iterable[TaskEvent], own_actions: set[str]) -> int:
    """How many tasks other processes changed among ``events`` (the board's catch-up):
    this session's own writes (its undo/redo action ids) need no notice."""
    return len({e.task_id for e in events if e.action_id not in own_actions})
