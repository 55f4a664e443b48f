"""The repository interface every storage backend implements.

The CLI, the TUI and the services talk only to this interface. sqlite-utils is the
local backend (``SqliteStore``); a team backend on a server database can implement the
same methods later without any change above this layer.

Conventions: every write method is one committed transaction and records its changes in
the activity log (``task_event``) within that transaction. ``action_id`` groups the
events of one user action, so undo can revert it as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from mtui.core.model import (
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
from mtui.core.tasks.board_page import BoardPage, TaskSnapshot


class Store(Protocol):
    """What mtui needs from a place that keeps its data."""

    location: str

    def close(self) -> None: ...

    def batch(self) -> AbstractContextManager[object]:
        """Several writes that commit together (bulk seeding); nested writes join it."""
        ...

    def change_token(self) -> int:
        """A number that changes whenever another connection commits (cheap to poll)."""
        ...

    # Board columns, channels ------------------------------------------------------
    def statuses(self) -> list[Status]: ...
    def set_wip_limit(self, status_id: int, limit: int | None) -> None: ...
    def channels(self) -> list[Channel]: ...
    def ensure_channel(self, name: str) -> int: ...

    # Tasks -----------------------------------------------------------------------
    def get_task(self, task_id: int, *, include_deleted: bool = False) -> Task: ...
    def list_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
    ) -> list[Task]: ...
    def count_tasks(self) -> int: ...
    def log_mark(self) -> int: ...
    def task_snapshot(self) -> TaskSnapshot: ...
    def board_page(self, statuses: Iterable[Status], per_status: int) -> BoardPage: ...
    def recent_names(self) -> dict[str, list[str]]:
        """``owner``/``channel``/``goal``/``campaign`` → names, most recently used first."""
        ...

    def column_edge_position(self, status_id: int, *, top: bool) -> float | None: ...
    def create_task(self, fields: Mapping[str, Any], *, action_id: str) -> Task: ...
    def create_tasks(
        self, rows: Iterable[Mapping[str, Any]], *, action_id: str, keep_ids: bool = False
    ) -> int: ...
    def update_task(
        self,
        task_id: int,
        changes: Mapping[str, Any],
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task: ...
    def delete_task(
        self,
        task_id: int,
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task: ...
    def restore_task(self, task_id: int, *, action_id: str, undo_of: str | None = None) -> Task: ...
    def events(
        self,
        *,
        task_id: int | None = None,
        action_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        after_id: int | None = None,
    ) -> list[TaskEvent]:
        """Activity-log entries in id order. ``after_id`` (a ``log_mark()``) reads what
        was logged since: ids only grow, whatever the writers' clocks say."""
        ...

    def renumber_column(self, status_id: int) -> None: ...

    # Strategy --------------------------------------------------------------------
    def brief(self) -> Brief: ...
    def brief_versions(self) -> list[Brief]: ...
    def save_brief(self, fields: Mapping[str, str]) -> Brief: ...
    def goals(self) -> list[Goal]: ...
    def save_goal(self, fields: Mapping[str, Any], goal_id: int | None = None) -> Goal: ...
    def campaigns(self) -> list[Campaign]: ...
    def save_campaign(
        self, fields: Mapping[str, Any], campaign_id: int | None = None
    ) -> Campaign: ...
    def task_alignment_counts(self) -> list[tuple[int | None, int | None, int, int]]:
        """Live tasks counted per (goal_id, campaign_id, status_id): one aggregate query."""
        ...

    # Metrics ---------------------------------------------------------------------
    def metric_sources(self) -> list[MetricSource]: ...
    def save_metric_source(
        self, fields: Mapping[str, Any], source_id: int | None = None
    ) -> MetricSource: ...
    def delete_metric_source(self, source_id: int) -> None: ...
    def record_fetch(
        self,
        source_id: int,
        *,
        fetched_at: str,
        values: Mapping[str, float] | None,
        error: str | None,
        period: str | None = None,
    ) -> None: ...
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
        """Every metric's newest and previous value, without reading the history."""
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
    def reopen(self) -> Store:
        """Another handle on the same data, for a background thread."""
        ...

    # Stand-ups and settings ------------------------------------------------------
    def mark_standup(self, held_at: str) -> None: ...
    def standups(self) -> list[str]: ...
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...

    # Whole-database operations ---------------------------------------------------
    def backup(self, target: str) -> None: ...
    def integrity_check(self) -> list[str]: ...
