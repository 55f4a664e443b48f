"""What every source kind returns, and the loop that applies a source's selectors.

Selectors are evaluated one by one so that a single bad metric does not hide the
others: the good values are kept and each failure becomes one message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import MetricError, SelectorError
from mtui.core.metrics.fetching.json_paths import select
from mtui.core.metrics.fetching.rows import (
    default_metrics,
    looks_like_row_selector,
    parse_row_selector,
    select_row_value,
)


@dataclass(slots=True)
class Extraction:
    """The numbers read from one response, plus the reasons for any that failed.

    ``partial`` names the metrics whose value is known to be incomplete (a lower bound,
    e.g. a count that stopped at a page limit); ``notes`` says why, in one line each."""

    values: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    period: str | None = None
    partial: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def apply_selectors(
    selectors: Mapping[str, str], evaluate: Callable[[str, str], float]
) -> Extraction:
    """Run ``evaluate(metric_key, selector)`` for each selector, collecting failures."""
    result = Extraction()
    for key, selector in selectors.items():
        try:
            result.values[key] = evaluate(key, selector)
        except MetricError as exc:
            message = str(exc)
            if not message.startswith("metric "):
                message = f"metric {key!r}: {message}"
            result.errors.append(message)
    return result


def extract_table(
    data: Any,
    rows: list[dict[str, Any]],
    selectors: Mapping[str, str],
    *,
    period: str | None,
    service: str,
    skip: Collection[str] = (),
) -> Extraction:
    """Metrics from an analytics API that answers with rows (Plausible, Matomo).

    With no selectors every numeric field is read; otherwise each selector is a row
    selector (``sum(visitors)``) or a JSON path into the whole response.
    """
    if not selectors:
        values = default_metrics(rows, skip=skip)
        if not values:
            raise SelectorError(f"no numeric metrics in the {service} response")
        return Extraction(values=values, period=period)

    def evaluate(key: str, selector: str) -> float:
        if looks_like_row_selector(selector):
            return select_row_value(rows, parse_row_selector(selector), key)
        return to_number(select(data, selector), key)

    result = apply_selectors(selectors, evaluate)
    result.period = period
    return result
