"""Background events worth a notification: a metric source failing, another process's
task changes merged into the board.

Both run only when the change feed moved, never per key press: the source watch reads
the sources, and the task notice counts among the feed entries the board has just
caught up with (no query of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mtui.core.model import MetricSource
from mtui.core.store.feed import TASKS, FeedBatch


class SourceWatch:
    """Remembers each source's last status; reports sources that just started failing."""

    def __init__(self) -> None:
        self._status: dict[int, str | None] = {}

    def check(self, sources: Iterable[MetricSource]) -> list[str]:
        messages = []
        for source in sources:
            before = self._status.get(source.id, "ok")
            self._status[source.id] = source.last_status
            if source.last_status == "error" and before != "error":
                error = (source.last_error or "failed").splitlines()[0][:120]
                messages.append(f"{source.name}: {error} (last good value kept)")
        return messages


def changed_elsewhere(batch: FeedBatch, is_mine: Callable[[str | None], bool]) -> int:
    """How many tasks others changed in ``batch`` (the board's catch-up): this
    session's own writes (``is_mine`` action ids) need no notice. An entry too big to
    list its tasks (an import) counts as one."""
    tasks: set[int] = set()
    many = 0
    for entry in batch.entries:
        if TASKS not in entry.topics or is_mine(entry.action_id):
            continue
        if entry.task_ids is None:
            many += 1
        else:
            tasks.update(entry.task_ids)
    return len(tasks) + many
