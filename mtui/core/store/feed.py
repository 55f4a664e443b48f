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

from dataclasses import dataclass, field

# What a write touched. A reader reloads only what its entries name.
TASKS = "tasks"  # task rows (``task_ids`` lists which, or None when too many to list)
NAMES = "names"  # columns and channels: how tasks are shown
STRATEGY = "strategy"  # brief, goals, campaigns
METRICS = "metrics"  # metric sources, fetch results
STANDUPS = "standups"
SETTINGS = "settings"

# Above this many tasks in one transaction (imports), the entry says "many" (None).
MAX_LISTED_TASKS = 500


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
