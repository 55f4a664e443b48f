"""Per-kind readers: raw response body -> metric values.

``read_body`` is the entry point ``fetch`` uses for a kind that reads one response; a
kind that needs several requests (Stripe's pages) is in ``PAGED_READERS`` instead and
gets an ``Exchange`` to make them. Each kind lives in its own module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mtui.core.metrics.fetching.decode import parse_csv_async, parse_json_async
from mtui.core.metrics.fetching.errors import MetricError
from mtui.core.metrics.fetching.kinds.base import Extraction
from mtui.core.metrics.fetching.kinds.csv_kind import extract_csv
from mtui.core.metrics.fetching.kinds.json_kind import extract_json
from mtui.core.metrics.fetching.kinds.matomo import extract_matomo
from mtui.core.metrics.fetching.kinds.plausible import extract_plausible
from mtui.core.metrics.fetching.kinds.stripe import read_stripe
from mtui.core.metrics.fetching.transport import Exchange
from mtui.core.model import SOURCE_KINDS, MetricSource

_JSON_READERS = {"json": extract_json, "plausible": extract_plausible, "matomo": extract_matomo}
PAGED_READERS: dict[str, Callable[[Exchange, MetricSource], Awaitable[Extraction]]] = {
    "stripe": read_stripe,
}


def check_kind(source: MetricSource) -> None:
    """MetricError for a kind this package cannot read (checked before any request)."""
    if source.kind not in SOURCE_KINDS:
        raise MetricError(
            f"unknown source kind {source.kind!r} (expected one of {', '.join(SOURCE_KINDS)})"
        )


async def read_body(body: bytes, content_type: str, source: MetricSource) -> Extraction:
    """Parse ``body`` the way ``source.kind`` says and pick its metrics."""
    if source.kind == "csv":
        return extract_csv(await parse_csv_async(body, content_type), source)
    reader = _JSON_READERS.get(source.kind)
    if reader is None:
        raise MetricError(
            f"unknown source kind {source.kind!r} (expected one of {', '.join(SOURCE_KINDS)})"
        )
    return reader(await parse_json_async(body, content_type), source)


__all__ = ["PAGED_READERS", "Extraction", "check_kind", "read_body"]
