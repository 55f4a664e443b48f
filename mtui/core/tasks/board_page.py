"""What the board reads from the store: a first page for the first frame, then all of it.

Reading 10,000 tasks is the largest piece of mtui's own start-up work, so the first
frame is drawn from a page of each column (plus every column's true size for the
headers) and the rest is read on a second connection in a background thread.

Both reads carry the activity log's high-water mark taken in the same read
transaction: the full read is used only if the log has not moved since (the user, or
another process, may have written in between); otherwise the board reads again.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtui.core.model import Task

# Cards read per column for the first frame: more than any terminal shows at once.
FIRST_PAGE = 60


@dataclass(frozen=True)
class TaskSnapshot:
    """Every live task, and the highest task_event id when they were read."""

    tasks: list[Task]
    log_mark: int


@dataclass(frozen=True)
class BoardPage:
    """The first ``per_status`` cards of each column in display order, each column's
    live task count, and the log mark they were read at."""

    tasks: list[Task]
    counts: dict[int, int]
    log_mark: int
    per_status: int

    @property
    def complete(self) -> bool:
        """True when no column has more tasks than the page holds (small boards)."""
        return all(count <= self.per_status for count in self.counts.values())
