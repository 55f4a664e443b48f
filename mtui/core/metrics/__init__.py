"""Metric fetching for mtui: HTTP sources in, numbers out. No database, no Textual.

Entry points:

- ``fetch_source(client, source)`` -> ``FetchResult`` (never raises);
- ``poll_sources(sources, concurrency=8, on_result=...)`` -> ``list[FetchResult]``;
- ``due_sources(sources, now)`` -> the sources whose interval has passed;
- display helpers ``compact_number``, ``delta_percent``, ``downsample``;
- ``demo_server.start()`` and ``demo_server.demo_source_definitions(url)`` for ``mtui demo``.

Selector syntax: JSON paths in ``paths``, row selectors (CSV and tables) in ``rows``;
what each source kind reads in ``kinds``; credentials in ``auth``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are resolved lazily (PEP 562): importing ``mtui.core.metrics.display`` for a
# card must not pull in httpx, which costs start-up time the first paint cannot spare.
_EXPORTS = {
    "is_loopback_host": "auth",
    "to_number": "coerce",
    "compact_number": "display",
    "delta_percent": "display",
    "downsample": "display",
    "AuthError": "errors",
    "CoercionError": "errors",
    "MetricError": "errors",
    "ResponseError": "errors",
    "SelectorError": "errors",
    "FetchResult": "fetch",
    "fetch_source": "fetch",
    "parse_path": "paths",
    "due_sources": "poll",
    "poll_sources": "poll",
    "warm_up": "poll",
    "parse_row_selector": "rows",
    "MAX_BODY_BYTES": "transport",
    "NO_RETRY": "transport",
    "RetryPolicy": "transport",
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
    from mtui.core.metrics.auth import is_loopback_host
    from mtui.core.metrics.coerce import to_number
    from mtui.core.metrics.display import compact_number, delta_percent, downsample
    from mtui.core.metrics.errors import (
        AuthError,
        CoercionError,
        MetricError,
        ResponseError,
        SelectorError,
    )
    from mtui.core.metrics.fetch import FetchResult, fetch_source
    from mtui.core.metrics.paths import parse_path
    from mtui.core.metrics.poll import due_sources, poll_sources, warm_up
    from mtui.core.metrics.rows import parse_row_selector
    from mtui.core.metrics.transport import MAX_BODY_BYTES, NO_RETRY, RetryPolicy


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
