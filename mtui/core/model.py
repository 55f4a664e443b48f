"""The domain model: plain dataclasses shared by the store, the CLI and the TUI.

They carry no behaviour that touches storage, so the UI can hold them freely and a
future server backend can build the same objects from its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # built on first use: see __getattr__ below
    from typing import Any

    from mtui.core.model_more import ActivityEvent as ActivityEvent
    from mtui.core.model_more import Brief as Brief
    from mtui.core.model_more import MetricLatest as MetricLatest
    from mtui.core.model_more import MetricSnapshot as MetricSnapshot
    from mtui.core.model_more import MetricSource as MetricSource
    from mtui.core.model_more import TaskEvent as TaskEvent

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
    """A marketing channel (``#email``), created on first use."""

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
class Goal:
    """A measurable goal (``^signups``) that tasks and campaigns serve."""

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
    """A campaign (``c:spring-launch``): dates, budget and the goals it serves."""

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


_BUILT_ON_USE = ("TaskEvent", "ActivityEvent", "Brief", "MetricSource", "MetricSnapshot",
                 "MetricLatest")  # fmt: skip


def __getattr__(name: str) -> Any:
    """The log, brief and metric records (``mtui.core.model_more``), built on first use."""
    if name in _BUILT_ON_USE:
        from mtui.core import model_more

        value = getattr(model_more, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
