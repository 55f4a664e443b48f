"""``matomo`` sources: the Matomo Reporting API (``VisitsSummary.get`` and other methods).

Matomo answers errors **with HTTP 200** and ``{"result": "error", "message": ...}``;
that is reported as ``Matomo error: <message>``.

Responses become rows, then row selectors or JSON paths apply as for Plausible:

- a flat object (``VisitsSummary.get`` for one day) -> one row;
- ``{"value": 1579}`` (single-value methods) -> one row with the metric ``value``;
- a list of rows (``Referrers.getReferrerType``) -> those rows, e.g.
  ``nb_visits@label=Search Engines``;
- an object keyed by date (``date=last7``) -> one row per date, in date order, with the
  date under ``date``.

Without selectors, every numeric field is read (summed over several rows for counts,
averaged for rates, see ``mtui.core.metrics.fetching.rows.default_aggregate``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from mtui.core.metrics.fetching.errors import ResponseError
from mtui.core.metrics.fetching.kinds.base import Extraction, extract_table
from mtui.core.model import MetricSource


def check_matomo_error(data: Any) -> None:
    """Raise ``Matomo error: ...`` if the body is Matomo's error object."""
    if isinstance(data, dict) and data.get("result") == "error":
        message = str(data.get("message") or "unknown error").strip()
        raise ResponseError(f"Matomo error: {message}")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def matomo_rows(data: Any) -> list[dict[str, Any]]:
    """The response as a list of rows (see the module docstring)."""
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    if not isinstance(data, dict):
        raise ResponseError("not a Matomo API response (expected an object or a list)")
    if all(_is_scalar(v) for v in data.values()):
        return [data]
    rows: list[dict[str, Any]] = []
    for date in sorted(data):
        value = data[date]
        if isinstance(value, dict) and all(_is_scalar(v) for v in value.values()):
            rows.append({"date": date, **value})
        elif isinstance(value, list):
            rows.extend({"date": date, **row} for row in value if isinstance(row, dict))
        else:
            raise ResponseError("unsupported Matomo response shape; use JSON path selectors")
    return rows


def matomo_period(source: MetricSource) -> str | None:
    """``period:date`` from the request, e.g. ``day:yesterday``."""
    params = parse_qs(urlsplit(source.url).query)
    params.update(parse_qs(source.body or ""))
    if "period" in params:
        period = params["period"][0]
        return f"{period}:{params['date'][0]}" if "date" in params else period
    return None


def extract_matomo(data: Any, source: MetricSource) -> Extraction:
    """Read the source's metrics (or all numeric fields) from a Matomo response."""
    check_matomo_error(data)
    return extract_table(
        data, matomo_rows(data), source.selectors, period=matomo_period(source), service="Matomo"
    )
