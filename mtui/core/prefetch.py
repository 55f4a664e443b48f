"""Read the board's tasks on a second connection while the UI is still starting.

Reading 10,000 tasks is the largest piece of mtui's own start-up work. The dashboard's
entry point starts it in a thread before importing Textual, so the two overlap; SQLite
releases the GIL while it steps through rows.

The read is exact: it happens in one read transaction together with the activity log's
high-water mark, and the board uses it only if the log has not moved since (another
process may have written in between); otherwise it reads again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from mtui.core.model import Task
from mtui.core.store.base import Store


@dataclass(frozen=True)
class TaskSnapshot:
    tasks: list[Task]
    log_mark: int  # highest task_event id when the tasks were read


class TaskPrefetch:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._result: TaskSnapshot | None = None
        self._thread = threading.Thread(target=self._read, name="mtui-prefetch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            other = self._store.reopen()
            try:
                self._result = other.task_snapshot()
            finally:
                other.close()
        except Exception:  # the board simply reads the tasks itself
            self._result = None

    def take(self, current_log_mark: int) -> list[Task] | None:
        """The prefetched tasks if still current, else None (read them normally)."""
        self._thread.join()
        result, self._result = self._result, None
        if result is None or result.log_mark != current_log_mark:
            return None
        return result.tasks
