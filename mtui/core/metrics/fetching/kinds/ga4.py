"""``ga4`` sources: the Google Analytics 4 Data API's ``runReport``.

The response names its columns once (``dimensionHeaders``, ``metricHeaders``) and sends
each row's values by position as strings (``{"metricValues": [{"value": "5120"}]}``), so
this kind reads metrics **by name**:

- a selector that is a metric name (``sessions``) reads its total over the period: the
  ``totals`` row when the request asked for ``metricAggregations: ["TOTAL"]``, else the
  one row of a report without dimensions, else the sum of the rows (a rate or an average,
  which cannot be summed, asks for the ``TOTAL`` aggregation instead);
- a row selector reads rows by dimension: ``sessions@sessionCampaignName=spring-launch``,
  ``max(conversions)``;
- a JSON path reads the raw response (``rows[0].metricValues[1].value``).

Without selectors every metric's total is read. GA4 sends **no rows** for a period
without data; every total is then 0. The period is the request's first date range
(``7daysAgo/yesterday``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import ResponseError, SelectorError
from mtui.core.metrics.fetching.kinds.base import Extraction
from mtui.core.metrics.fetching.kinds.google_common import read_totals
from mtui.core.metrics.fetching.rows import default_aggregate
from mtui.core.model import MetricSource


def _names(headers: Any) -> list[str]:
    if not isinstance(headers, list):
        return []
    return [str(h.get("name")) for h in headers if isinstance(h, dict)]


def _values(row: Any, key: str) -> list[Any]:
    cells = row.get(key) if isinstance(row, dict) else None
    if not isinstance(cells, list):
        return []
    return [cell.get("value") if isinstance(cell, dict) else None for cell in cells]


def ga4_table(data: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The response's rows (dimension and metric values by name) and the totals."""
    if not isinstance(data, dict) or not isinstance(data.get("metricHeaders"), list):
        raise ResponseError("not a GA4 runReport response (no metricHeaders)")
    dimensions = _names(data.get("dimensionHeaders"))
    metrics = _names(data["metricHeaders"])
    rows: list[dict[str, Any]] = []
    for item in data.get("rows") or []:
        row = dict(zip(dimensions, _values(item, "dimensionValues"), strict=False))
        row.update(zip(metrics, _values(item, "metricValues"), strict=False))
        rows.append(row)
    totals_rows = data.get("totals")
    if isinstance(totals_rows, list) and totals_rows:
        totals = dict(zip(metrics, _values(totals_rows[0], "metricValues"), strict=False))
    elif not rows:
        totals = dict.fromkeys(metrics, 0)  # GA4 omits rows for a period without data
    elif not dimensions:
        totals = {m: rows[0].get(m) for m in metrics}
    else:
        totals = {}
        for metric in metrics:
            if default_aggregate(metric) == "sum":
                totals[metric] = math.fsum(to_number(row.get(metric), metric) for row in rows)
    return rows, totals


def ga4_period(source: MetricSource) -> str | None:
    """``startDate/endDate`` of the request's first date range."""
    try:
        body = json.loads(source.body or "")
        first = body["dateRanges"][0]
        return f"{first['startDate']}/{first['endDate']}"
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def extract_ga4(data: Any, source: MetricSource) -> Extraction:
    """Read the source's metrics (or every total) from a runReport response."""
    rows, totals = ga4_table(data)
    metrics = _names(data.get("metricHeaders"))

    def missing(key: str, name: str) -> None:
        if name in metrics:
            raise SelectorError(
                f"metric {key!r}: GA4 sent no total for {name!r}; "
                'add "metricAggregations": ["TOTAL"] to the request'
            )
        raise SelectorError(
            f"metric {key!r}: the report has no metric {name!r} "
            f"(metrics: {', '.join(metrics) or 'none'})"
        )

    result = read_totals(data, totals, rows, source.selectors, service="GA4", missing=missing)
    result.period = ga4_period(source)
    return result
