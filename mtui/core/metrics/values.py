"""Metric values for the stand-up and the campaign screen: now, and at an earlier moment.

Metrics are named as everywhere else, ``SOURCE.KEY`` (see ``mtui.core.strategy.kpi``); derived
KPIs are added for the goals that define them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pendulum

from mtui.core import clock
from mtui.core.errors import ValidationError
from mtui.core.model import Goal
from mtui.core.strategy.kpi import live_values, metric_name, parse_kpi, source_slug, with_derived

if TYPE_CHECKING:
    from mtui.core.store.contract import Store  # a type only: the module costs start-up


@dataclass(frozen=True, slots=True)
class MetricReading:
    """A metric's latest value and the value it had at an earlier moment (if known)."""

    source: str
    key: str
    value: float
    fetched_at: str
    previous: float | None
    unit: str | None = None  # the source's unit for this key (``metrics.units``)

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
    sources = {s.id: s for s in store.metrics.metric_sources()}
    names = {source_id: s.name for source_id, s in sources.items()}
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
                unit=sources[latest.source_id].units.get(latest.metric_key),
            )
        )
    return readings


def values_at(readings: list[MetricReading], goals=()) -> dict[str, float]:
    """Metric name → the earlier value of each reading (a goal's change since a stand-up)."""
    earlier = {r.name: r.previous for r in readings if r.previous is not None}
    return with_derived(earlier, goals)


@dataclass(frozen=True, slots=True)
class KpiAge:
    """How old a goal's live KPI value is, and whether it can still be trusted.

    ``fetched_at`` is the oldest reading the value is made of (a derived KPI such as
    ``ctr(A, B)`` is as old as its older part); ``stale`` is true when a part's source
    failed since that reading or the reading is older than twice the source's interval
    (the metrics cards' rule, ``card_state``)."""

    fetched_at: str
    stale: bool

    def age(self, now: datetime) -> str:
        """``3h ago``."""
        from mtui.core.metrics.cards import age_text

        return age_text(self.fetched_at, now)

    def text(self, now: datetime) -> str:
        """``as of 3h ago``."""
        return f"as of {self.age(now)}"


def kpi_ages(store: Store, goals: Iterable[Goal], now: datetime) -> dict[str, KpiAge]:
    """``kpi_metric`` → its ``KpiAge``, for every goal whose KPI has a live value, so the
    brief and the stand-up can mark a number whose source has stopped answering."""
    return metric_ages(store, (goal.kpi_metric for goal in goals if goal.kpi_metric), now)


def metric_ages(store: Store, kpis: Iterable[str], now: datetime) -> dict[str, KpiAge]:
    """Each of ``kpis`` (``SOURCE.KEY`` or a derived KPI such as ``ctr(A, B)``) → its
    ``KpiAge``, for those with a live value (a campaign's spend metric, goals' KPIs)."""
    from mtui.core.metrics.cards import CardData, card_state

    sources = {source_slug(s.name): s for s in store.metrics.metric_sources()}
    latest = {(m.source_id, m.metric_key): m for m in store.metrics.latest_metrics()}
    ages: dict[str, KpiAge] = {}
    for kpi in kpis:
        if kpi in ages:
            continue
        try:
            names = parse_kpi(kpi).names
        except ValidationError:
            continue
        parts: list[tuple[str, bool]] = []
        for name in names:
            slug, _, key = name.partition(".")
            source = sources.get(slug)
            row = latest.get((source.id, key)) if source is not None else None
            if source is None or row is None:
                break
            card = CardData(source, key, value=row.value, fetched_at=row.fetched_at)
            parts.append((row.fetched_at, card_state(card, now) in ("stale", "error")))
        else:
            if parts:
                oldest = min(at for at, _stale in parts)
                ages[kpi] = KpiAge(oldest, any(stale for _at, stale in parts))
    return ages


def known_metrics(store: Store) -> dict[str, list[str]]:
    """Source slug → the metric keys it reads (configured, or seen in its values; an
    empty list when not known before its first fetch), to check a ``SOURCE.KEY``."""
    from mtui.core.metrics.cards import expected_keys
    from mtui.core.metrics.sources import known_keys

    seen: dict[int, list[str]] = {}
    for row in store.metrics.latest_metrics():
        seen.setdefault(row.source_id, []).append(row.metric_key)
    known: dict[str, list[str]] = {}
    for source in store.metrics.metric_sources():
        fields = {"kind": source.kind, "url": source.url, "selectors": source.selectors}
        keys = known_keys(fields) or expected_keys(source)
        known[source_slug(source.name)] = list(dict.fromkeys([*keys, *seen.get(source.id, [])]))
    return known
