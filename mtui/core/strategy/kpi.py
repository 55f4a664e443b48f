"""KPI names: how a goal points at live data.

A metric is named ``SOURCE.KEY``: the source's name as a slug (``Website (demo)`` →
``website-demo``) and the metric key its selectors define (``visitors``). A goal's
``kpi_metric`` holds such a name, or a *derived* KPI built from two of them:

- ``ctr(CLICKS, IMPRESSIONS)``: click-through rate in percent (100 · clicks / impressions);
- ``cpa(SPEND, CONVERSIONS)``: cost per acquisition (spend / conversions);
- ``roas(REVENUE, SPEND)``: return on ad spend (revenue / spend);
- ``A / B``: any plain ratio.

``live_values(store, goals)`` returns name → value for every metric and for each goal's
derived KPI, which is the mapping ``goals.goal_current`` takes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mtui.core.errors import ValidationError
from mtui.core.model import Goal

if TYPE_CHECKING:
    from mtui.core.model import MetricSource
    from mtui.core.store.contract import Store  # a type only: the module costs start-up

_FUNCTIONS = {"ctr": 100.0, "cpa": 1.0, "roas": 1.0}
_CALL = re.compile(r"^\s*([a-z]+)\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*$", re.I)
_RATIO = re.compile(r"^\s*([^/()]+?)\s*/\s*([^/()]+?)\s*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[A-Za-z0-9_.:-]+$")


def source_slug(name: str) -> str:
    """The SOURCE part of ``SOURCE.KEY``: lower case, runs of other characters as ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def metric_name(source: MetricSource | str, key: str) -> str:
    """``SOURCE.KEY`` for ``key`` of ``source`` (a MetricSource or its name)."""
    name = source if isinstance(source, str) else source.name
    return f"{source_slug(name)}.{key}"


@dataclass(frozen=True, slots=True)
class KpiExpr:
    """A parsed ``kpi_metric``: one metric, or ``scale · numerator / denominator``."""

    numerator: str
    denominator: str | None = None
    scale: float = 1.0

    @property
    def names(self) -> tuple[str, ...]:
        return (self.numerator,) if self.denominator is None else (self.numerator, self.denominator)

    def value(self, values: Mapping[str, float]) -> float | None:
        """The KPI from metric values; None when a part is missing or the divisor is 0."""
        top = values.get(self.numerator)
        if self.denominator is None or top is None:
            return top
        bottom = values.get(self.denominator)
        if not bottom:
            return None
        return self.scale * top / bottom


def _check_name(name: str, text: str) -> str:
    if not _NAME.match(name):
        raise ValidationError(f"{name!r} in {text!r} is not a metric name like SOURCE.KEY")
    return name


def parse_kpi(text: str) -> KpiExpr:
    """Parse a ``kpi_metric`` (see the module docstring); ValidationError when malformed."""
    call = _CALL.match(text)
    if call:
        function = call.group(1).lower()
        if function not in _FUNCTIONS:
            raise ValidationError(
                f"unknown KPI function {function!r} (use {', '.join(_FUNCTIONS)} or A / B)"
            )
        return KpiExpr(
            _check_name(call.group(2), text), _check_name(call.group(3), text), _FUNCTIONS[function]
        )
    ratio = _RATIO.match(text)
    if ratio:
        return KpiExpr(_check_name(ratio.group(1), text), _check_name(ratio.group(2), text))
    return KpiExpr(_check_name(text.strip(), text))


def check_kpi(text: str, sources: Iterable[MetricSource]) -> KpiExpr:
    """``parse_kpi`` plus: every SOURCE named exists (a typo should not read as "no data")."""
    expr = parse_kpi(text)
    known = {source_slug(s.name) for s in sources}
    for name in expr.names:
        slug = name.split(".", 1)[0]
        if slug not in known:
            hint = f" (sources: {', '.join(sorted(known))})" if known else " (no sources yet)"
            raise ValidationError(f"no metric source {slug!r} for {name!r}{hint}")
    return expr


def metric_values(store: Store) -> dict[str, float]:
    """``SOURCE.KEY`` → newest value, for every metric (reads ``metric_latest`` only)."""
    names = {s.id: source_slug(s.name) for s in store.metrics.metric_sources()}
    return {
        f"{names[m.source_id]}.{m.metric_key}": m.value
        for m in store.metrics.latest_metrics()
        if m.source_id in names
    }


def with_derived(values: Mapping[str, float], goals: Iterable[Goal]) -> dict[str, float]:
    """``values`` plus each goal's derived KPI (``ctr(A,B)`` …) under its ``kpi_metric`` text."""
    result = dict(values)
    for goal in goals:
        if not goal.kpi_metric or goal.kpi_metric in result:
            continue
        try:
            derived = parse_kpi(goal.kpi_metric).value(result)
        except ValidationError:
            continue
        if derived is not None:
            result[goal.kpi_metric] = derived
    return result


def live_values(store: Store, goals: Iterable[Goal] = ()) -> dict[str, float]:
    """``metric_values`` plus each goal's derived KPI: the mapping ``goal_current`` takes."""
    return with_derived(metric_values(store), goals)
