"""``search_console`` sources: Search Console's ``searchAnalytics.query``.

The request body names the dates as GA4 does (``"startDate": "28daysAgo"``,
``"endDate": "yesterday"``, or ``YYYY-MM-DD``); they are turned into the dates Search
Console takes (Pacific time) when each request is made (``prepare_search_console``).

Each response row holds ``clicks``, ``impressions``, ``ctr`` (a fraction: 0.04 is 4%)
and ``position``, plus ``keys`` in the order of the request's ``dimensions``. A selector
that is one of the four names reads the total over the period: the one row of a query
without dimensions, else clicks and impressions summed, ``ctr`` recomputed and
``position`` weighted by impressions (Search Console sends only the top rows, so prefer
a query without dimensions for totals). Row selectors (``clicks@device=MOBILE``) and
JSON paths work too. A period without data has no rows: clicks, impressions and ctr
are 0 and ``position`` is left out.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime
from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import ResponseError, SelectorError
from mtui.core.metrics.fetching.kinds.base import Extraction
from mtui.core.metrics.fetching.kinds.google_common import pacific_today, read_totals, resolve_date
from mtui.core.model import MetricSource

METRICS = ("clicks", "impressions", "ctr", "position")


def _request(source: MetricSource) -> dict[str, Any]:
    try:
        body = json.loads(source.body or "")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def prepare_search_console(source: MetricSource, now: datetime) -> MetricSource:
    """The source with its body's relative dates resolved for today (Pacific time)."""
    body = _request(source)
    if not body:
        return source
    today = pacific_today(now)
    for field in ("startDate", "endDate"):
        if isinstance(body.get(field), str):
            body[field] = resolve_date(body[field], today)
    return replace(source, body=json.dumps(body))


def _totals(rows: list[dict[str, Any]], dimensions: list[str]) -> dict[str, Any]:
    if not rows:
        return {"clicks": 0, "impressions": 0, "ctr": 0}
    if not dimensions and len(rows) == 1:
        return {name: rows[0][name] for name in METRICS if name in rows[0]}
    clicks = math.fsum(to_number(row.get("clicks", 0), "clicks") for row in rows)
    impressions = math.fsum(to_number(row.get("impressions", 0), "impressions") for row in rows)
    totals: dict[str, Any] = {"clicks": clicks, "impressions": impressions}
    if impressions:
        totals["ctr"] = clicks / impressions
        totals["position"] = (
            math.fsum(
                to_number(row.get("position", 0), "position")
                * to_number(row.get("impressions", 0), "impressions")
                for row in rows
            )
            / impressions
        )
    return totals


def extract_search_console(data: Any, source: MetricSource) -> Extraction:
    """Read the source's metrics (or every total) from a searchAnalytics response."""
    if not isinstance(data, dict) or not ("rows" in data or "responseAggregationType" in data):
        raise ResponseError("not a Search Console searchAnalytics response")
    request = _request(source)
    dimensions = [str(d) for d in request.get("dimensions") or []]
    rows = []
    for item in data.get("rows") or []:
        if isinstance(item, dict):
            row = dict(zip(dimensions, item.get("keys") or [], strict=False))
            row.update({k: v for k, v in item.items() if k != "keys"})
            rows.append(row)
    totals = _totals(rows, dimensions)

    def missing(key: str, name: str) -> None:
        if name == "position" and not rows:
            return  # no impressions, no position: leave it out
        raise SelectorError(
            f"metric {key!r}: Search Console has no metric {name!r} (metrics: {', '.join(METRICS)})"
        )

    result = read_totals(
        data, totals, rows, source.selectors, service="Search Console", missing=missing
    )
    if request.get("startDate") and request.get("endDate"):
        result.period = f"{request['startDate']}/{request['endDate']}"
    return result
