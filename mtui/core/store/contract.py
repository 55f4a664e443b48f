"""The store contract: what mtui needs from a place that keeps a board.

The CLI, the TUI and the core talk only to these protocols; a backend (``sqlite/`` for a
local file, a server database for a team) implements all of them and passes one
contract suite (``tests/store/contract/``). Nothing outside a backend writes SQL or knows which
backend it talks to.

Conventions every backend keeps:

- Every write method is one committed transaction. It records what it changed in the
  activity log (``task_event`` for tasks, ``activity`` for everything else) within that
  transaction, with the store's actor and the caller's ``action_id`` (which groups the
  events of one user action so undo can revert it as a whole), and gets one entry in the
  change feed (``feed.py`` states its guarantees).
- ``batch()`` joins several writes into one transaction (imports, the demo); nested
  writes join the outer one.
- Errors are the backend-neutral ones of ``mtui.core.errors``: ``NotFound``,
  ``ConflictError`` (a stale ``expected_version``), ``DuplicateError``,
  ``ReadOnlyError``, ``UnavailableError``, ``CorruptError``. A backend never lets its
  driver's exceptions out.
- Orderings that matter are columns (positions, times, sequence numbers), never ids.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from mtui.core.model import (
    ActivityEvent,
    Brief,
    Campaign,
    Channel,
    Goal,
    MetricLatest,
    MetricSnapshot,
    MetricSource,
    Status,
    Task,
    TaskEvent,
)
from mtui.core.store.feed import FeedBatch

# A task's id, column, owner and due (``task_keys``, ``due_keys``): enough to count a
# list's tasks, filter them by owner or due date and order them, without the rest.
TaskKey = tuple[int, int, str | None, str | None]


@dataclass(frozen=True)
class TaskSnapshot:
    """Every live task, and the feed position they were read at (one read transaction)."""

    tasks: list[Task]
    position: int


@dataclass(frozen=True)
class BoardPage:
    """The first ``per_status`` cards of each column in display order, each column's
    live task count, and the feed position they were read at."""

    tasks: list[Task]
    counts: dict[int, int]
    position: int
    per_status: int

    @property
    def complete(self) -> bool:
        """True when no column has more tasks than the page holds (small boards)."""
        return all(count <= self.per_status for count in self.counts.values())


@dataclass(frozen=True)
class BoardStart:
    """What a board's first frame shows, read in one snapshot (one round trip to a
    server): the columns, the names cards show, and the first page of each column."""

    statuses: list[Status]
    channels: list[Channel]
    goals: list[Goal]
    campaigns: list[Campaign]
    page: BoardPage


class TaskRepository(Protocol):
    """Tasks, the board's columns and channels, and the tasks' activity log."""

    def statuses(self) -> list[Status]:
        """The columns in board order (position)."""
        ...

    def set_wip_limit(
        self, status_id: int, limit: int | None, *, action_id: str | None = None
    ) -> None: ...
    def channels(self) -> list[Channel]: ...
    def ensure_channel(self, name: str, *, action_id: str | None = None) -> int:
        """The channel's id, creating it (case-insensitively unique) if new."""
        ...

    def get_task(self, task_id: int, *, include_deleted: bool = False) -> Task: ...
    def get_tasks(self, task_ids: Iterable[int]) -> list[Task]:
        """The named tasks that exist, deleted ones included (a feed reader's re-read)."""
        ...

    def list_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
    ) -> list[Task]:
        """Tasks by column, then position, then id."""
        ...

    def iter_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[list[Task]]:
        """What ``list_tasks`` returns, in lists of at most ``batch_size``, for readers
        that stream (``mtui ls --json``, export): one read of one state of the board
        that never holds every task in memory (a cursor; a server-side cursor on a
        server). The read ends when the iterator is exhausted or closed; the store's
        other reads may be called between batches."""
        ...

    def task_keys(self, status_ids: Iterable[int]) -> list[TaskKey]:
        """The keys of the live tasks in these columns, in no order: what a list capped
        to its first few tasks needs to count, filter and order them all without
        reading every task (then ``get_tasks`` for the few it shows)."""
        ...

    def due_keys(self, day: str) -> list[TaskKey]:
        """The keys of the live tasks in open columns (not a done one) that may be due
        on or before ``day`` (an ISO date), in no order:
        each one whose due is written as a date or time on or before that day
        (``2026-12-04``, ``2026-12-04T18:00:00+01:00``), and each one whose due is
        written some other way (an ISO week date, the basic format…), for the caller to
        judge. An index range, not every task: the stand-up's overdue list."""
        ...

    def count_tasks(self) -> int: ...
    def task_snapshot(self, *, for_board: bool = False) -> TaskSnapshot:
        """Every live task (by column, then position, then id) and the feed position,
        in one read transaction. ``for_board``: without what a board never shows, each
        task's ``uid`` (None) and ``created_at`` (empty): at 100,000 tasks ~8 MB of
        unique strings each, kept as long as the board is open."""
        ...

    def board_page(self, statuses: Iterable[Status], per_status: int) -> BoardPage:
        """The first cards of each column (open columns by position, done columns newest
        first), every column's count and the feed position, in one read transaction."""
        ...

    def board_start(self, per_status: int) -> BoardStart:
        """The columns, channels, goals, campaigns and ``board_page(columns,
        per_status)``, in one read transaction (on a server, one round trip)."""
        ...

    def recent_names(self) -> dict[str, list[str]]:
        """``owner``/``channel``/``goal``/``campaign`` → names, most recently used first."""
        ...

    def owner_in_use(self, name: str) -> bool:
        """Whether a live task is owned by ``name``, compared casefolded (``Ana`` is
        ``ana``): one indexed lookup when the name is written as stored."""
        ...

    def column_edge_position(self, status_id: int, *, top: bool) -> float | None: ...
    def task_alignment_counts(
        self, *, with_campaign: bool = False
    ) -> list[tuple[int | None, int | None, int, int]]:
        """Live tasks counted per (goal_id, campaign_id, status_id): one aggregate query
        (``with_campaign``: only tasks in a campaign, an index range)."""
        ...

    def create_task(self, fields: Mapping[str, Any], *, action_id: str) -> Task: ...
    def create_tasks(
        self,
        rows: Iterable[Mapping[str, Any]],
        *,
        action_id: str,
        keep_ids: bool = False,
        log_created: bool = True,
    ) -> list[int]:
        """Bulk insert in one transaction, one 'created' event per task (unless
        ``log_created`` is False); the new ids in the order of ``rows``."""
        ...

    def update_task(
        self,
        task_id: int,
        changes: Mapping[str, Any],
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task:
        """Apply ``changes``; refuse (ConflictError) if the task's version is not
        ``expected_version``. Each changed field is one event; the version goes up by one.
        No change at all writes nothing and returns the task as it is."""
        ...

    def delete_task(
        self,
        task_id: int,
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task:
        """Soft delete (``deleted_at``): undoable, and history keeps the task."""
        ...

    def restore_task(self, task_id: int, *, action_id: str, undo_of: str | None = None) -> Task: ...
    def renumber_column(self, status_id: int) -> None:
        """Spread positions 1, 2, 3… when reorders exhaust float precision (not logged)."""
        ...

    def events(
        self,
        *,
        task_id: int | None = None,
        action_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        task_ids: Iterable[int] | None = None,
        fields: Iterable[str | None] | None = None,
    ) -> list[TaskEvent]:
        """Task activity-log entries in commit order (then in the order written);
        ``task_ids``: only these tasks' entries; ``fields``: only entries changing one
        of these fields (None among them: also the entries of no one field, a task's
        creation, deletion or restoring)."""
        ...


class StrategyRepository(Protocol):
    """Big M: the versioned brief, goals and campaigns."""

    def brief(self) -> Brief: ...
    def brief_versions(self) -> list[Brief]:
        """Every version, newest first."""
        ...

    def save_brief(self, fields: Mapping[str, str], *, action_id: str | None = None) -> Brief:
        """A new version with ``fields`` changed; unchanged input writes nothing."""
        ...

    def goals(self) -> list[Goal]: ...
    def save_goal(
        self, fields: Mapping[str, Any], goal_id: int | None = None, *, action_id: str | None = None
    ) -> Goal:
        """Create (``goal_id`` None) or change a goal; DuplicateError on a taken slug."""
        ...

    def campaigns(self) -> list[Campaign]: ...
    def save_campaign(
        self,
        fields: Mapping[str, Any],
        campaign_id: int | None = None,
        *,
        action_id: str | None = None,
    ) -> Campaign: ...


class MetricsRepository(Protocol):
    """Metric sources (never their secrets), fetch results and history."""

    def metric_sources(self) -> list[MetricSource]: ...
    def save_metric_source(
        self,
        fields: Mapping[str, Any],
        source_id: int | None = None,
        *,
        action_id: str | None = None,
    ) -> MetricSource: ...
    def delete_metric_source(self, source_id: int, *, action_id: str | None = None) -> None: ...
    def record_fetch(
        self,
        source_id: int,
        *,
        fetched_at: str,
        values: Mapping[str, float] | None,
        error: str | None,
        period: str | None = None,
        partial: Collection[str] = (),
    ) -> None:
        """Store one fetch: a snapshot per value read, and the source's status.

        ``partial`` names the keys whose value is a lower bound (a list read only to a
        page limit); ``latest_metrics`` reports it with the newest value."""
        ...

    def claim_poll(self, seen: Mapping[int, str | None], *, at: str) -> list[int]:
        """Claim due sources for this client to poll, so that twenty open boards do not
        fetch one source twenty times. ``seen`` maps each source id to the
        ``last_fetch_at`` the caller read; a claim sets it to ``at`` only where it is
        still that value (compare-and-set), so of several clients claiming at once
        exactly one wins each source; returns the ids won. A claim is a coordination
        mark, not a user's change: it takes no feed position and no activity row (the
        fetch it leads to does). A read-only handle claims nothing."""
        ...

    def snapshots(
        self,
        source_id: int,
        metric_key: str,
        *,
        since: str | None = None,
        until: str | None = None,
    ) -> list[MetricSnapshot]: ...
    def latest_snapshots(self) -> list[MetricSnapshot]: ...
    def latest_metrics(self) -> list[MetricLatest]:
        """Every metric's newest and previous value, by source, then first seen."""
        ...

    def metric_points(
        self,
        source_id: int,
        metric_key: str,
        *,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, float]]:
        """``(fetched_at, value)`` oldest first: the cheap path for sparklines."""
        ...

    def metric_daily(
        self,
        source_id: int,
        metric_key: str,
        *,
        since_day: str | None = None,
        buckets: int | None = None,
    ) -> list[tuple[str, float, float, float, int]]:
        """Per-day ``(day, mean, min, max, count)`` rollup for long-range history."""
        ...

    def metric_value_at(
        self, source_id: int, metric_key: str, at: str
    ) -> tuple[str, float] | None: ...


class SettingsRepository(Protocol):
    """Small per-board records: preferences, and when stand-ups were held."""

    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str, *, action_id: str | None = None) -> None: ...
    def mark_standup(self, held_at: str, *, action_id: str | None = None) -> None: ...
    def standups(self) -> list[str]:
        """When stand-ups were held, oldest first."""
        ...


class ActivityLog(Protocol):
    """The activity log of everything that is not a task (tasks: ``TaskRepository.events``)."""

    def events(
        self,
        *,
        action_id: str | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        since: str | None = None,
    ) -> list[ActivityEvent]:
        """Entries in commit order (then in the order written)."""
        ...

    def revert(self, event: ActivityEvent, *, action_id: str, undo_of: str) -> None:
        """Write ``event``'s inverse (undo): restore the old value, re-create what was
        deleted, delete what was created. ConflictError if the value was changed since."""
        ...


class ChangeFeed(Protocol):
    """Committed writes in commit order; see ``mtui.core.store.feed`` for the guarantees."""

    def position(self) -> int:
        """The sequence number of the newest committed write (0 on a new board)."""
        ...

    def changes(self, after: int, *, limit: int = 1000) -> FeedBatch: ...

    def listener(self) -> FeedListener:
        """A dedicated waiter for new commits (a live board's background thread owns it:
        it has its own connection, so waiting never holds the store's)."""
        ...


class FeedListener(Protocol):
    """Wakes a reader when the feed moves, so other clients' changes show in well under
    a second without polling the whole feed. A wake-up says only *that* something was
    committed; the reader still asks ``changes(after=…)`` for *what*."""

    def wait(self, after: int, timeout: float) -> int:
        """Block until the feed's position passes ``after`` or ``timeout`` seconds pass;
        return the position then (``after`` or less when nothing was committed).
        UnavailableError when the database cannot be reached: the caller backs off and
        calls again, which reconnects."""
        ...

    def close(self) -> None: ...


class TeamMember(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def access(self) -> str:  # viewer, editor or admin
        ...


class TeamAdmin(Protocol):
    """Members of a team board (``mtui team``); only server backends have members. Each
    change returns the SQL it ran, for the admin to read."""

    def init(self) -> list[str]: ...
    def add(self, role: str, access: str) -> list[str]: ...
    def remove(self, role: str) -> list[str]: ...
    def members(self) -> Sequence[TeamMember]: ...


class StoreAdmin(Protocol):
    """What only a backend can do with its whole database."""

    @property
    def location(self) -> str:
        """Where the data lives, safe to show (a path, or a URL without its password)."""
        ...

    @property
    def read_only(self) -> bool: ...
    def new_handle(self) -> Store:
        """Another handle on the same data, for a worker thread."""
        ...

    def worker_handle(self) -> Store:
        """A handle for one of this process's worker threads (the TUI's background store,
        its metric polling, its full read). A local file gives it a connection of its
        own (``new_handle``); a server gives it one sharing this handle's connection,
        the threads' calls taking turns: a team server's connections serve the whole
        team, so a dashboard holds one, and its feed listener's. Closing it leaves this
        handle open."""
        ...

    def backup(self, target: str, *, overwrite: bool = False) -> None:
        """A consistent copy at ``target``, never half-written; an existing ``target`` is
        refused unless ``overwrite`` (refused with the right tool's command where the
        backend cannot copy itself)."""
        ...

    def integrity_check(self) -> list[str]:
        """Problems found (empty when healthy); never raises on a damaged database."""
        ...


class TransferRepository(Protocol):
    """What a full export reads and a restore writes (``mtui.core.transfer``); the
    writes are meant to run inside one ``Store.batch()``."""

    def settings(self) -> dict[str, str]: ...
    def add_status(
        self,
        name: str,
        position: int,
        wip_limit: int | None,
        is_done: bool,
        *,
        action_id: str | None = None,
    ) -> int: ...
    def add_brief_version(
        self,
        fields: Mapping[str, str],
        updated_at: str,
        version: int | None,
        *,
        action_id: str | None = None,
    ) -> int:
        """A brief version as exported; it keeps its number when that number is free."""
        ...

    def add_task_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Restored task history (``task_id``, ``at``, ``kind``, ``field``, ``old``,
        ``new``, ``action_id``, ``undo_of``, ``actor``), in the current transaction."""
        ...


class Store(Protocol):
    """One board's data: small repositories, the change feed and the admin part."""

    @property
    def tasks(self) -> TaskRepository: ...
    @property
    def strategy(self) -> StrategyRepository: ...
    @property
    def metrics(self) -> MetricsRepository: ...
    @property
    def settings(self) -> SettingsRepository: ...
    @property
    def activity(self) -> ActivityLog: ...
    @property
    def feed(self) -> ChangeFeed: ...
    @property
    def admin(self) -> StoreAdmin: ...
    @property
    def transfer(self) -> TransferRepository: ...
    @property
    def actor(self) -> str:
        """Who this handle's changes are recorded as."""
        ...

    def batch(self) -> AbstractContextManager[object]:
        """Several writes that commit together; nested writes join it."""
        ...

    def close(self) -> None: ...
