"""The domain model: plain dataclasses shared by the store, the CLI and the TUI.

They carry no behaviour that touches storage, so the UI can hold them freely and a
future server backend can build the same objects from its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRIORITY_NAMES = {1: "high", 2: "med", 3: "low"}

# Fields of a task that a user may change; the activity log records each one.
TASK_FIELDS: tuple[str, ...] = (
    "title",
    "notes",
    "status_id",
    "position",
    "priority",
    "owner",
    "due",
    "channel_id",
    "campaign_id",
    "goal_id",
    "tags",
    "estimate_minutes",
    "blocked_reason",
)

BRIEF_FIELDS: tuple[str, ...] = (
    "name",
    "mission",
    "avatar_name",
    "avatar_profile",
    "avatar_pains",
    "avatar_desires",
    "offer",
    "pos_for",
    "pos_who_need",
    "pos_category",
    "pos_benefit",
    "pos_unlike",
    "pos_differentiator",
    "key_message",
    "brand_voice",
    "mix_product",
    "mix_price",
    "mix_place",
    "mix_promotion",
)

GOAL_STAGES = ("align", "attract", "engage")
GOAL_UNITS = ("count", "percent", "currency", "ratio")
GOAL_STATUSES = ("on track", "at risk", "off track", "achieved", "missed")
CAMPAIGN_STATUSES = ("planned", "active", "paused", "done")
SOURCE_KINDS = ("json", "csv", "plausible", "matomo", "stripe", "ga4", "search_console", "sheets")
AUTH_TYPES = ("none", "bearer", "basic", "header", "query", "body", "google-service-account")


@dataclass(slots=True)
class Status:
    """A board column."""

    id: int
    name: str
    position: int
    wip_limit: int | None = None
    is_done: bool = False


@dataclass(slots=True)
class Channel:
    id: int
    name: str


@dataclass(slots=True)
class Task:
    """One tactic on the board.

    ``due`` is an ISO 8601 date (``2026-12-03``) or datetime with offset; ``tags`` is a
    list of plain words; ``version`` increases on every write and guards concurrent edits.
    """

    id: int
    title: str
    status_id: int
    position: float
    notes: str = ""
    priority: int | None = None
    owner: str | None = None
    due: str | None = None
    channel_id: int | None = None
    campaign_id: int | None = None
    goal_id: int | None = None
    tags: list[str] = field(default_factory=list)
    estimate_minutes: int | None = None
    blocked_reason: str | None = None
    created_at: str = ""
    updated_at: str = ""
    done_at: str | None = None
    deleted_at: str | None = None
    version: int = 1
    uid: str | None = None  # stable across export/import (ids are local to a database)

    def fields(self) -> dict[str, Any]:
        """The user-editable fields, as a dict keyed like TASK_FIELDS."""
        return {name: getattr(self, name) for name in TASK_FIELDS}


@dataclass(slots=True)
class TaskEvent:
    """One entry of the activity log.

    ``kind`` is one of created, changed, moved, deleted, restored. ``action_id`` groups
    the events of one user action so that undo reverts them together; ``undo_of`` marks
    events written by an undo (or redo) of an earlier action.
    """

    id: int
    task_id: int
    at: str
    kind: str
    field: str | None = None
    old: Any = None
    new: Any = None
    action_id: str = ""
    undo_of: str | None = None
    actor: str | None = None
    seq: int | None = None


@dataclass(slots=True)
class ActivityEvent:
    """One entry of the activity log for everything that is not a task.

    ``entity`` is brief, goal, campaign, status, source, standup or setting; ``kind`` is
    created, changed or deleted, with the ``field`` and its ``old``/``new`` values for a
    change (a whole record as ``new`` for created, as ``old`` for deleted). Undo reads
    these as it reads ``TaskEvent``s.
    """

    id: int
    entity: str
    entity_id: int | None
    at: str
    kind: str
    field: str | None = None
    old: Any = None
    new: Any = None
    action_id: str = ""
    undo_of: str | None = None
    actor: str | None = None
    seq: int | None = None


@dataclass(slots=True)
class Goal:
    id: int
    title: str
    slug: str
    stage: str = "attract"
    kpi_metric: str | None = None
    unit: str = "count"
    direction: str = "up"
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    start_date: str | None = None
    due_date: str | None = None
    owner: str | None = None
    status_override: str | None = None
    parent_id: int | None = None
    uid: str | None = None


@dataclass(slots=True)
class Campaign:
    id: int
    name: str
    slug: str
    status: str = "planned"
    owner: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    budget: float | None = None
    spend: float | None = None
    colour: str | None = None
    utm_campaign: str | None = None
    goal_ids: list[int] = field(default_factory=list)
    uid: str | None = None
    spend_metric: str | None = None  # SOURCE.KEY whose newest value is the spend


@dataclass(slots=True)
class Brief:
    """One version of the strategic brief; every edit stores a new one."""

    version: int = 0
    updated_at: str | None = None
    name: str = ""
    mission: str = ""
    avatar_name: str = ""
    avatar_profile: str = ""
    avatar_pains: str = ""
    avatar_desires: str = ""
    offer: str = ""
    pos_for: str = ""
    pos_who_need: str = ""
    pos_category: str = ""
    pos_benefit: str = ""
    pos_unlike: str = ""
    pos_differentiator: str = ""
    key_message: str = ""
    brand_voice: str = ""
    mix_product: str = ""
    mix_price: str = ""
    mix_place: str = ""
    mix_promotion: str = ""

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in BRIEF_FIELDS}


@dataclass(slots=True)
class MetricSource:
    """Where a metric comes from. ``auth_env`` names the environment variable holding
    the secret; the secret itself is never stored."""

    id: int
    name: str
    kind: str
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)
    auth_type: str = "none"
    auth_env: str | None = None
    auth_param: str | None = None
    interval_seconds: int = 300
    timeout_seconds: float = 10.0
    last_fetch_at: str | None = None
    last_ok_at: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    units: dict[str, str] = field(default_factory=dict)  # metric key → unit (core/metrics/units)


@dataclass(slots=True)
class MetricSnapshot:
    source_id: int
    metric_key: str
    value: float
    fetched_at: str
    period: str | None = None


@dataclass(slots=True)
class MetricLatest:
    """A metric's newest value and the one before it (what a metrics card shows)."""

    source_id: int
    metric_key: str
    value: float
    fetched_at: str
    period: str | None = None
    prev_value: float | None = None
    prev_fetched_at: str | None = None
    partial: bool = False  # the newest value is a lower bound (e.g. a page limit was hit)
