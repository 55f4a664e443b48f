"""Metrics: fetching HTTP sources (``fetching/``), and what the dashboard and reports show.

Entry points:

- ``fetch_source(client, source)`` -> ``FetchResult`` (never raises);
- ``poll_sources(sources, concurrency=8, on_result=...)`` -> ``list[FetchResult]``;
- ``due_sources(sources, now)`` -> the sources whose interval has passed;
- display helpers ``compact_number``, ``delta_percent``, ``downsample``;

Fetching lives in ``fetching/``: JSON paths in ``json_paths``, row selectors (CSV and
tables) in ``rows``, what each source kind reads in ``kinds``, credentials in ``auth``.
What the dashboard shows (cards, values, sources) sits beside it in this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are resolved lazily (PEP 562): importing ``mtui.core.metrics.display`` for a
# card must not pull in httpx, which costs start-up time the first paint cannot spare.
_EXPORTS = {
    "is_loopback_host": "fetching.auth",
    "to_number": "fetching.coerce",
    "compact_number": "display",
    "delta_percent": "display",
    "downsample": "display",
    "AuthError": "fetching.errors",
    "CoercionError": "fetching.errors",
    "MetricError": "fetching.errors",
    "ResponseError": "fetching.errors",
    "SelectorError": "fetching.errors",
    "FetchResult": "fetching.fetch",
    "fetch_source": "fetching.fetch",
    "parse_path": "fetching.json_paths",
    "due_sources": "fetching.poll",
    "poll_sources": "fetching.poll",
    "warm_up": "fetching.poll",
    "parse_row_selector": "fetching.rows",
    "MAX_BODY_BYTES": "fetching.transport",
    "NO_RETRY": "fetching.transport",
    "RetryPolicy": "fetching.transport",
}

__all__ = [
    "MAX_BODY_BYTES",
    "NO_RETRY",
    "AuthError",
    "CoercionError",
    "FetchResult",
    "MetricError",
    "ResponseError",
    "RetryPolicy",
    "SelectorError",
    "compact_number",
    "delta_percent",
    "downsample",
    "due_sources",
    "fetch_source",
    "is_loopback_host",
    "parse_path",
    "parse_row_selector",
    "poll_sources",
    "to_number",
    "warm_up",
]

if TYPE_CHECKING:
    from mtui.core.metrics.display import compact_number, delta_percent, downsample
    from mtui.core.metrics.fetching.auth import is_loopback_host
    from mtui.core.metrics.fetching.coerce import to_number
    from mtui.core.metrics.fetching.errors import (
        AuthError,
        CoercionError,
        MetricError,
        ResponseError,
        SelectorError,
    )
    from mtui.core.metrics.fetching.fetch import FetchResult, fetch_source
    from mtui.core.metrics.fetching.json_paths import parse_path
    from mtui.core.metrics.fetching.poll import due_sources, poll_sources, warm_up
    from mtui.core.metrics.fetching.rows import parse_row_selector
    from mtui.core.metrics.fetching.transport import MAX_BODY_BYTES, NO_RETRY, RetryPolicy


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
