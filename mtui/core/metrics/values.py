"""Metric values for the stand-up and the campaign screen: now, and at an earlier moment.

Metrics are named as everywhere else, ``SOURCE.KEY`` (see ``mtui.core.strategy.kpi``); derived
KPIs are added for the goals that define them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum

from mtui.core import clock
from mtui.core.store.contract import Store
from mtui.core.strategy.kpi import live_values, metric_name, with_derived


@dataclass(frozen=True, slots=True)
class MetricReading:
    """A metric's latest value and the value it had at an earlier moment (if known)."""

    source: str
    key: str
    value: float
    fetched_at: str
    previous: float | None

    @property
    def name(self) -> str:
        return metric_name(self.source, self.key)

    @property
    def delta(self) -> float | None:
        return None if self.previous is None else self.value - self.previous


def latest_values(store: Store) -> dict[str, float]:
    """Metric name → newest value, with the goals' derived KPIs."""
    return live_values(store, store.strategy.goals())


def readings_since(store: Store, at: pendulum.DateTime) -> list[MetricReading]:
    """Every metric's latest value with the value it had at ``at`` (one index seek each)."""
    names = {s.id: s.name for s in store.metrics.metric_sources()}
    stamp = clock.utc_stamp(at)
    readings = []
    for latest in store.metrics.latest_metrics():
        if latest.source_id not in names:
            continue
        then = store.metrics.metric_value_at(latest.source_id, latest.metric_key, stamp)
        readings.append(
            MetricReading(
                source=names[latest.source_id],
                key=latest.metric_key,
                value=latest.value,
                fetched_at=latest.fetched_at,
                previous=then[1] if then else None,
            )
        )
    return readings


def values_at(readings: list[MetricReading], goals=()) -> dict[str, float]:
    """Metric name → the earlier value of each reading (a goal's change since a stand-up)."""
    earlier = {r.name: r.previous for r in readings if r.previous is not None}
    return with_derived(earlier, goals)
