"""The goals overview: every goal with what its line needs, read in one go.

The brief pane and ``mtui goal ls`` show the same thing (progress, live KPI values,
tactic counts, "strategy without execution"); both read it here, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pendulum

from mtui.core import clock
from mtui.core.model import Goal, Status
from mtui.core.store.contract import Store
from mtui.core.strategy.goals import Alignment, goals_without_execution, tally
from mtui.core.strategy.kpi import live_values


@dataclass(frozen=True, slots=True)
class GoalsOverview:
    """What every goal line needs, computed once per read."""

    now: pendulum.DateTime
    alignment: Alignment
    statuses: list[Status]
    idle_goal_ids: frozenset[int]  # goals with no open tactic: strategy without execution
    metric_values: Mapping[str, float] = field(default_factory=dict)  # live KPI values
    goals: list[Goal] = field(default_factory=list)


def read_goals_overview(store: Store, now: pendulum.DateTime | None = None) -> GoalsOverview:
    """Goals, columns, campaigns, one task aggregate and the live KPI values."""
    goals, statuses = store.strategy.goals(), store.tasks.statuses()
    done_ids = {s.id for s in statuses if s.is_done}
    alignment = tally(store.tasks.task_alignment_counts(), store.strategy.campaigns(), done_ids)
    idle = frozenset(g.id for g in goals_without_execution(goals, alignment, done_ids))
    return GoalsOverview(
        now or clock.now(), alignment, statuses, idle, live_values(store, goals), goals
    )
