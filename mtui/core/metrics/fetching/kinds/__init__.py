"""Per-kind readers: raw response body -> metric values.

``read_body`` is the entry point ``fetch`` uses for a kind that reads one response; a
kind that needs several requests (Stripe's pages) is in ``PAGED_READERS`` instead and
gets an ``Exchange`` to make them. Each kind lives in its own module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from mtui.core.metrics.fetching.decode import parse_csv_async, parse_json_async
from mtui.core.metrics.fetching.errors import MetricError
from mtui.core.metrics.fetching.kinds.base import Extraction
from mtui.core.metrics.fetching.kinds.csv_kind import extract_csv
from mtui.core.metrics.fetching.kinds.ga4 import extract_ga4
from mtui.core.metrics.fetching.kinds.json_kind import extract_json
from mtui.core.metrics.fetching.kinds.matomo import extract_matomo
from mtui.core.metrics.fetching.kinds.plausible import extract_plausible
from mtui.core.metrics.fetching.kinds.search_console import (
    extract_search_console,
    prepare_search_console,
)
from mtui.core.metrics.fetching.kinds.sheets import extract_sheets
from mtui.core.metrics.fetching.kinds.stripe import read_stripe
from mtui.core.metrics.fetching.templates import has_placeholders, render
from mtui.core.metrics.fetching.transport import Exchange
from mtui.core.model import SOURCE_KINDS, MetricSource

_JSON_READERS = {
    "json": extract_json,
    "plausible": extract_plausible,
    "matomo": extract_matomo,
    "ga4": extract_ga4,
    "search_console": extract_search_console,
    "sheets": extract_sheets,
}
PAGED_READERS: dict[str, Callable[[Exchange, MetricSource], Awaitable[Extraction]]] = {
    "stripe": read_stripe,
}


def check_kind(source: MetricSource) -> None:
    """MetricError for a kind this package cannot read (checked before any request)."""
    if source.kind not in SOURCE_KINDS:
        raise MetricError(
            f"unknown source kind {source.kind!r} (expected one of {', '.join(SOURCE_KINDS)})"
        )


def prepare_source(source: MetricSource, now: datetime | None = None) -> MetricSource:
    """The source as it is sent at ``now`` (default: the current time): Search Console's
    relative dates become the day's dates (after any date placeholders in the body are
    filled in, so ``{{today-7d:date}}`` works there too). Other kinds are sent as stored
    (``build_request`` fills in their placeholders)."""
    if source.kind == "search_console":
        moment = now or datetime.now(UTC)
        if has_placeholders(source.body):
            source = replace(source, body=render(source.body or "", moment))
        return prepare_search_console(source, moment)
    return source


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


__all__ = ["PAGED_READERS", "Extraction", "check_kind", "prepare_source", "read_body"]
