"""The change feed: every committed write, in commit order, for other clients to follow.

Guarantees every backend gives (the contract suite in ``tests/store/contract/`` checks them):

- Every write transaction that changes anything gets exactly one ``FeedEntry``, whose
  ``seq`` is taken from a per-board counter bumped *inside* that transaction. Writers
  serialise on the counter, so sequence order is commit order: a reader never sees
  ``seq`` N+1 committed while N is still to come.
- ``changes(after=N)`` returns the entries with ``seq > N`` in ``seq`` order. A reader
  that remembers the ``position`` of each batch and asks again from there sees every
  later change exactly once, whatever the writers' clocks or ids say.
- Old entries may be pruned. A reader whose position is older than what is kept gets
  ``gap=True`` and must read everything again (it cannot tell what it missed).
- Entries carry ids and topics only, never row data: a reader re-reads the rows it is
  allowed to see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What a write touched (``topics``), re-exported: readers import them from here.
from mtui.core.store.topics import (  # noqa: F401
    MAX_LISTED_TASKS,
    METRICS,
    NAMES,
    SETTINGS,
    STANDUPS,
    STRATEGY,
    TASKS,
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One committed write transaction."""

    seq: int
    at: str
    actor: str | None
    action_id: str | None
    topics: frozenset[str]
    task_ids: tuple[int, ...] | None = ()  # None: more than MAX_LISTED_TASKS

    @property
    def many_tasks(self) -> bool:
        return self.task_ids is None


@dataclass(frozen=True, slots=True)
class FeedBatch:
    """What ``changes(after=N)`` returns; ``position`` is where to ask next time."""

    position: int
    entries: list[FeedEntry] = field(default_factory=list)
    gap: bool = False

    @property
    def topics(self) -> frozenset[str]:
        return frozenset().union(*(e.topics for e in self.entries))

    def task_ids(self) -> list[int] | None:
        """Tasks to re-read, in first-seen order; None when the batch says "many"."""
        seen: dict[int, None] = {}
        for entry in self.entries:
            if entry.task_ids is None:
                return None
            seen.update(dict.fromkeys(entry.task_ids))
        return list(seen)


class PollingListener:
    """A ``FeedListener`` for backends without notifications (SQLite): it reads the
    feed's position on its own handle every ``interval`` seconds. On a local file that
    read is a page from the OS cache (microseconds), so 20 reads a second cost nothing
    and another process's commit shows within ``interval``."""

    def __init__(self, open_handle: Callable[[], Any], interval: float = 0.05) -> None:
        self._open_handle = open_handle
        self._handle: Any = None
        self.interval = interval
        self._stop = threading.Event()
        self._busy = threading.Lock()  # held by a wait; the handle is only used under it

    def wait(self, after: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        with self._busy:
            while not self._stop.is_set():
                if self._handle is None:
                    self._handle = self._open_handle()
                position: int = self._handle.feed.position()
                left = deadline - time.monotonic()
                if position != after or left <= 0:
                    return position
                self._stop.wait(min(self.interval, left))
            self._close_handle()
            return after

    def close(self) -> None:
        """Stop (from any thread): a ``wait`` in progress returns within ``interval``
        and closes the handle; with none in progress it is closed now."""
        self._stop.set()
        if self._busy.acquire(blocking=False):
            try:
                self._close_handle()
            finally:
                self._busy.release()

    def _close_handle(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
