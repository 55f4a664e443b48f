"""The board's in-memory model: tasks grouped into columns, filtered, in display order.

It is pure Python (no Textual) so it can be tested directly, and it is updated from the
Task each action returns: a move touches two columns, never a reload of all tasks.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count as _counter
from operator import attrgetter, indexOf

from mtui.core.language.filter_index import TaskIndex
from mtui.core.model import Status, Task

Predicate = Callable[[Task], bool]

# The Done column shows the most recent work only; older cards are summarised in a line.
DONE_LIMIT = 30


def _open_key(task: Task) -> tuple[float, int]:
    return (task.position, task.id)


def _done_key(task: Task) -> tuple[str, int]:
    return (task.done_at or task.updated_at or "", task.id)


_ID = attrgetter("id")
_REVISIONS = _counter(1)  # unique across columns, so a new column never looks unchanged


def _find(tasks: list[Task], task_id: int) -> int | None:
    """Where ``task_id`` is in ``tasks`` (searched in C: a column holds 20,000 tasks on a
    100,000-task board, and a Python loop over them costs a frame's worth per key)."""
    try:
        return indexOf(map(_ID, tasks), task_id)
    except ValueError:
        return None


@dataclass
class Column:
    """One status with its tasks (``tasks``: sorted) and what is shown (``visible``).

    ``tasks`` holds every live task of the status, except right after start-up on a big
    board, when only the first page is loaded: ``total`` then says how many there are
    (the header and the "more" line use it) until the full read replaces the column.
    """

    status: Status
    tasks: list[Task] = field(default_factory=list)
    visible: list[Task] = field(default_factory=list)
    matched: int = 0  # tasks passing the filter (may exceed len(visible))
    total: int | None = None  # live tasks in the store while only a page is loaded
    # Column-wise views of ``tasks`` for the filter; dropped whenever ``tasks`` changes.
    _index: TaskIndex | None = field(default=None, repr=False, compare=False)
    # Changes whenever what the column shows may have changed: the board redraws a
    # column's lines only when its revision (or the cursor, scroll or size) moved.
    revision: int = field(default_factory=lambda: next(_REVISIONS), repr=False, compare=False)

    def touch(self) -> None:
        """Note a change to ``tasks`` or ``visible`` made in place."""
        self.revision = next(_REVISIONS)

    @property
    def count(self) -> int:
        """Live tasks in this column, loaded or not."""
        return len(self.tasks) if self.total is None else self.total

    @property
    def not_loaded(self) -> int:
        return 0 if self.total is None else max(self.total - len(self.tasks), 0)

    @property
    def hidden_older(self) -> int:
        """Matching cards left off the bounded Done column."""
        return self.matched - len(self.visible) if self.status.is_done else 0

    @property
    def hidden_below(self) -> int:
        """Matching cards of an open column not loaded yet (only right after start-up)."""
        return 0 if self.status.is_done else self.matched - len(self.visible)

    @property
    def over_limit(self) -> bool:
        limit = self.status.wip_limit
        return limit is not None and self.count > limit

    def index(self) -> TaskIndex:
        """The filter's view of ``tasks`` as they are now (built on first use)."""
        if self._index is None or self._index.tasks is not self.tasks:
            self._index = TaskIndex(self.tasks)
        return self._index

    def insert(self, task: Task) -> None:
        """Add ``task`` where sorting would put it (``tasks`` is kept sorted): a binary
        search instead of sorting 20,000 tasks again on every move. Like the stable sort
        after an append, it goes after any task with an equal key. The list is changed in
        place (a pointer shift, not a copy that touches every task); the filter index,
        which described the old contents, is dropped."""
        tasks = self.tasks
        if self.status.is_done:  # newest first
            key = _done_key(task)
            low, high = 0, len(tasks)
            while low < high:
                middle = (low + high) // 2
                if _done_key(tasks[middle]) >= key:
                    low = middle + 1
                else:
                    high = middle
        else:
            low = bisect_right(tasks, _open_key(task), key=_open_key)
        tasks.insert(low, task)
        self._index = None
        self.touch()

    def discard(self, task_id: int) -> None:
        """Take ``task_id`` out of ``tasks`` (in place; the filter index is dropped)."""
        where = _find(self.tasks, task_id)
        if where is not None:
            del self.tasks[where]
            self._index = None
            self.touch()

    def top_position(self) -> float | None:
        """The smallest position in the column (an open column is sorted by position)."""
        if not self.tasks:
            return None
        if self.status.is_done:
            return min(task.position for task in self.tasks)
        return self.tasks[0].position

    def sort(self) -> None:
        self._index = None  # tasks were added or reordered
        self.touch()
        if self.status.is_done:
            self.tasks.sort(key=_done_key, reverse=True)
        else:
            self.tasks.sort(key=_open_key)

    def refilter(self, predicate: Predicate | None) -> None:
        if predicate is None:
            matching = self.tasks
        else:
            # A compiled filter picks from the column's index in C loops (100,000 tasks
            # per keystroke); any other predicate is asked task by task.
            select = getattr(predicate, "select", None)
            if select is not None:
                matching = select(self.index())
            else:
                matching = [t for t in self.tasks if predicate(t)]
        # Unloaded tasks are counted as matching only when nothing filters them out.
        matched = len(matching) + (self.not_loaded if predicate is None else 0)
        visible = matching[:DONE_LIMIT] if self.status.is_done else matching
        # A keystroke that leaves the column as it was keeps its drawn lines (the lists
        # compare by identity first: no task is looked into). A change made in place to
        # ``tasks`` was noted by whoever made it.
        if matched != self.matched or visible != self.visible:
            self.touch()
        self.matched, self.visible = matched, visible


class _Places:
    """Task id → status id of every loaded task.

    A board's ids are dense (the database numbers them), so each id's column is one byte
    of an array indexed by id instead of a dict entry (~52 bytes): 5 MB less at 100,000
    tasks. An id far beyond the count, or a column past the 255th, goes in a dict.
    """

    __slots__ = ("_codes", "_count", "_numbers", "_sparse", "_statuses")

    def __init__(self, status_ids: Iterable[int] = ()) -> None:
        self._statuses = [0, *list(status_ids)[:255]]  # code → status id; 0: no task
        self._numbers = {status: code for code, status in enumerate(self._statuses) if code}
        self._codes = bytearray()
        self._sparse: dict[int, int] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def get(self, task_id: int) -> int | None:
        if 0 <= task_id < len(self._codes):
            code = self._codes[task_id]
            if code:
                return self._statuses[code]
        return self._sparse.get(task_id)

    def set(self, task_id: int, status_id: int) -> None:
        self.pop(task_id)
        self._count += 1
        code = self._numbers.get(status_id)
        codes = self._codes
        if code is not None and 0 <= task_id <= 4 * (self._count + 1024):
            if task_id >= len(codes):
                codes.extend(bytes(max(task_id + 1 - len(codes), len(codes) // 4)))
            codes[task_id] = code
        else:
            self._sparse[task_id] = status_id

    def pop(self, task_id: int) -> int | None:
        status_id = self.get(task_id)
        if status_id is not None:
            self._count -= 1
            if 0 <= task_id < len(self._codes) and self._codes[task_id]:
                self._codes[task_id] = 0
            else:
                del self._sparse[task_id]
        return status_id


class BoardModel:
    """Columns in status order plus an index task id → status id for O(1) look-ups."""

    def __init__(self) -> None:
        self.columns: list[Column] = []
        self.predicate: Predicate | None = None
        self._where = _Places()

    # Loading -----------------------------------------------------------------------
    def load(
        self,
        statuses: Iterable[Status],
        tasks: Iterable[Task],
        totals: dict[int, int] | None = None,
    ) -> None:
        """Replace everything (start-up, or another process changed the database).

        ``totals`` (status id → live tasks) marks ``tasks`` as a first page only."""
        self.columns = [
            Column(status, total=None if totals is None else totals.get(status.id, 0))
            for status in statuses
        ]
        by_status = {c.status.id: c for c in self.columns}
        self._where = _Places(column.status.id for column in self.columns)
        for task in tasks:
            column = by_status.get(task.status_id)
            if column is not None and task.deleted_at is None:
                column.tasks.append(task)
                self._where.set(task.id, task.status_id)
        for column in self.columns:
            column.sort()
            column.refilter(self.predicate)

    def prepare_filter(self) -> None:
        """Build every column's filter index now (in the full-read thread), so the
        first filter keystroke does not pay for lower-casing every title."""
        for column in self.columns:
            column.index().prepare()

    def set_filter(self, predicate: Predicate | None) -> None:
        self.predicate = predicate
        for column in self.columns:
            column.refilter(predicate)

    # Look-ups ----------------------------------------------------------------------
    def column_index(self, status_id: int) -> int | None:
        for index, column in enumerate(self.columns):
            if column.status.id == status_id:
                return index
        return None

    def locate(self, task_id: int) -> tuple[int, int] | None:
        """(column index, row in ``visible``) of a shown task, else None."""
        status_id = self._where.get(task_id)
        if status_id is None:
            return None
        col = self.column_index(status_id)
        if col is None:
            return None
        row = _find(self.columns[col].visible, task_id)  # 20,000 cards: searched in C
        return None if row is None else (col, row)

    def get(self, task_id: int) -> Task | None:
        status_id = self._where.get(task_id)
        col = self.column_index(status_id) if status_id is not None else None
        if col is None:
            return None
        tasks = self.columns[col].tasks
        where = _find(tasks, task_id)
        return None if where is None else tasks[where]

    @property
    def total(self) -> int:
        return len(self._where)

    # Updates -----------------------------------------------------------------------
    def upsert(self, task: Task) -> None:
        """Put the latest version of ``task`` where it belongs (or drop it if deleted)."""
        self.remove(task.id)
        if task.deleted_at is not None:
            return
        col = self.column_index(task.status_id)
        if col is None:
            return
        column = self.columns[col]
        column.insert(task)
        if column.total is not None:
            column.total += 1
        column.refilter(self.predicate)
        self._where.set(task.id, task.status_id)

    def swap(self, task: Task) -> bool:
        """Put ``task`` in the place of the copy shown, which must sort and show the same
        (the store's answer to a write the board already previewed): no column is copied,
        sorted or filtered again, and its filter index stays valid (it holds the list).
        False when ``task`` is not shown in its own column (then ``upsert`` it)."""
        if task.deleted_at is not None or self._where.get(task.id) != task.status_id:
            return False
        col = self.column_index(task.status_id)
        if col is None:
            return False
        column = self.columns[col]
        where = _find(column.tasks, task.id)
        if where is None or (
            column.status.is_done and _done_key(column.tasks[where]) != _done_key(task)
        ):
            return False
        column.tasks[where] = task
        column.touch()
        if column._index is not None:  # its last selection holds the old copy
            column._index.forget_selection()
        if column.visible is not column.tasks:
            shown = _find(column.visible, task.id)
            if shown is not None:
                column.visible[shown] = task
        return True

    def remove(self, task_id: int) -> None:
        status_id = self._where.pop(task_id)
        if status_id is None:
            return
        col = self.column_index(status_id)
        if col is None:
            return
        column = self.columns[col]
        column.discard(task_id)
        if column.total is not None:
            column.total -= 1
        column.refilter(self.predicate)

    def replace_column(self, status_id: int, tasks: list[Task]) -> None:
        """Swap in a freshly read column (after the store renumbered its positions)."""
        col = self.column_index(status_id)
        if col is None:
            return
        column = self.columns[col]
        for task in column.tasks:
            self._where.pop(task.id)
        column.tasks = [t for t in tasks if t.deleted_at is None]
        column.total = None
        for task in column.tasks:
            self._where.set(task.id, status_id)
        column.sort()
        column.refilter(self.predicate)
