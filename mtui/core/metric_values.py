"""Metric values for the stand-up and the campaign screen, read straight from snapshots.

A small seam: when the metrics service offers latest values and deltas, these functions
can delegate to it without their callers changing. A metric is known under its bare key
(``visitors``), ``source name.key`` and ``source-slug.key``, because goals name their
KPI in any of these forms (``plausible.visitors``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pendulum

from mtui.core.model import MetricSnapshot

# How far back to look for the value a metric had at a moment: enough for sources polled
# daily, bounded so a year of 5-minute history is never read in full.
_LOOKBACK = (pendulum.duration(days=3), pendulum.duration(days=45))


@dataclass(frozen=True, slots=True)
class MetricReading:
    """A metric's latest value and the value it had at an earlier moment (if known)."""

    source: str
    key: str
    value: float
    fetched_at: str
    previous: float | None

    @property
    def delta(self) -> float | None:
        return None if self.previous is None else self.value - self.previous


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def metric_names(source: str, key: str) -> tuple[str, ...]:
    """Every name a goal may use for ``key`` of ``source``."""
    return (f"{source}.{key}", f"{_slug(source)}.{key}", key)


def _as_values(readings: list[tuple[str, str, float]]) -> dict[str, float]:
    values: dict[str, float] = {}
    for source, key, value in readings:
        for name in metric_names(source, key):
            values.setdefault(name, value)
    return values


def latest_values(store) -> dict[str, float]:
    """Metric name → newest value (every naming form, see the module docstring)."""
    names = {s.id: s.name for s in store.metric_sources()}
    return _as_values(
        [(names.get(s.source_id, str(s.source_id)), s.metric_key, s.value)
         for s in store.latest_snapshots()]
    )  # fmt: skip


def value_before(store, snapshot: MetricSnapshot, at: pendulum.DateTime) -> float | None:
    """The value ``snapshot``'s metric had just before ``at``, if it was measured then."""
    from mtui.core import clock

    for lookback in _LOOKBACK:
        older = store.snapshots(
            snapshot.source_id,
            snapshot.metric_key,
            since=clock.utc_stamp(at - lookback),
            until=clock.utc_stamp(at),
        )
        if older:
            return older[-1].value
    return None


def readings_since(store, at: pendulum.DateTime) -> list[MetricReading]:
    """Every metric's latest value with the value it had at ``at`` (for deltas)."""
    names = {s.id: s.name for s in store.metric_sources()}
    return [
        MetricReading(
            source=names.get(snap.source_id, str(snap.source_id)),
            key=snap.metric_key,
            value=snap.value,
            fetched_at=snap.fetched_at,
            previous=value_before(store, snap, at),
        )
        for snap in store.latest_snapshots()
    ]


def values_at(readings: list[MetricReading]) -> dict[str, float]:
    """Metric name → the earlier value of each reading (goal change since a stand-up)."""
    return _as_values([(r.source, r.key, r.previous) for r in readings if r.previous is not None])
