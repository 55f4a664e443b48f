"""The model's log, brief and metric records, built on first use.

``mtui.core.model`` re-exports them (``from mtui.core.model import Brief`` works as
always); they live here so that a quick-add, which needs none of them, does not build
their dataclasses at start-up (issue 16: each costs every ``mtui add``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtui.core.model import BRIEF_FIELDS


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
