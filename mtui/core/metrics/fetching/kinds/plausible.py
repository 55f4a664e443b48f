"""``plausible`` sources: Plausible Stats API v1 (aggregate, timeseries, breakdown) and v2.

Each response is first turned into rows:

- v1 aggregate ``{"results": {"visitors": {"value": 201524}, ...}}`` -> one row;
- v1 timeseries/breakdown ``{"results": [{"date": ..., "visitors": ...}, ...]}`` -> one
  row per item;
- v2 query ``{"results": [{"metrics": [223, 255], "dimensions": [...]}], "query": {...}}``
  -> one row per item, metric names taken in order from ``query.metrics`` (or from the
  request body when the response does not echo the query), dimension values under
  their dimension names (``time:day``).

Selectors are row selectors (``visitors``, ``sum(visitors)``,
``visitors@time:day=2026-11-21``, see ``mtui.core.metrics.fetching.rows``) or, when they contain
``.``/``[``, JSON paths on the raw response (``results.visitors.value``).

Without selectors every metric is read. Over several rows (a v2 query with a time
dimension, a v1 timeseries) counts are **summed** over the rows and rates/durations are
averaged: a query for ``date_range: 7d`` is read as "the 7 days", like the v1 aggregate
reads the period. A sum of daily ``visitors`` counts a returning visitor once per day;
query without dimensions when you need unique visitors. Write ``last(visitors)`` to
get only the most recent row instead.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mtui.core.metrics.fetching.errors import ResponseError
from mtui.core.metrics.fetching.kinds.base import Extraction, extract_table
from mtui.core.model import MetricSource
from mtui.core.wording import count


def _request_json(source: MetricSource) -> dict[str, Any]:
    if not source.body:
        return {}
    try:
        body = json.loads(source.body)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _v2_rows(data: dict[str, Any], source: MetricSource) -> tuple[list[dict[str, Any]], list[str]]:
    echoed = data.get("query")
    query: dict[str, Any] = echoed if isinstance(echoed, dict) else _request_json(source)
    names = query.get("metrics") or []
    dims = query.get("dimensions") or []
    if not isinstance(names, list) or not names:
        raise ResponseError("Plausible v2 response without the list of metric names (query)")
    rows = []
    for item in data["results"]:
        metrics = item.get("metrics") if isinstance(item, dict) else None
        if not isinstance(metrics, list) or len(metrics) != len(names):
            raise ResponseError(
                f"Plausible v2 row has {count(len(metrics or []), 'metric value')} "
                f"for {count(len(names), 'name')}"
            )
        row: dict[str, Any] = dict(zip(map(str, dims), item.get("dimensions") or [], strict=False))
        row.update(zip(map(str, names), metrics, strict=True))
        rows.append(row)
    return rows, [str(d) for d in dims]


def plausible_rows(data: Any, source: MetricSource) -> tuple[list[dict[str, Any]], list[str]]:
    """The response as rows, and the names of dimension columns."""
    if not isinstance(data, dict) or "results" not in data:
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            raise ResponseError(f"Plausible error: {data['error']}")
        raise ResponseError("not a Plausible stats response (no 'results')")
    results = data["results"]
    if isinstance(results, dict):
        row = {str(k): v.get("value") if isinstance(v, dict) else v for k, v in results.items()}
        return [row], []
    if isinstance(results, list):
        if results and all(isinstance(r, dict) and "metrics" in r for r in results):
            return _v2_rows(data, source)
        return [r for r in results if isinstance(r, dict)], []
    raise ResponseError("not a Plausible stats response ('results' is neither object nor list)")


def plausible_period(data: Any, source: MetricSource) -> str | None:
    """The period asked for: v2 ``date_range`` or the v1 ``period`` query parameter."""
    query = data.get("query") if isinstance(data, dict) else None
    date_range = (query if isinstance(query, dict) else _request_json(source)).get("date_range")
    if isinstance(date_range, list) and len(date_range) == 2:
        return f"{date_range[0]}/{date_range[1]}"
    if isinstance(date_range, str):
        return date_range
    params = parse_qs(urlsplit(source.url).query)
    if "period" in params:
        period = params["period"][0]
        return f"{period}:{params['date'][0]}" if "date" in params else period
    return None


def extract_plausible(data: Any, source: MetricSource) -> Extraction:
    """Read the source's metrics (or all of them) from a Plausible response."""
    rows, dims = plausible_rows(data, source)
    return extract_table(
        data, rows, source.selectors, period=plausible_period(data, source),
        service="Plausible", skip=dims,
    )  # fmt: skip
