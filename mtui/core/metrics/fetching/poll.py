"""Poll many sources at once without letting one hold up the rest.

Each source is fetched in its own task under a semaphore (``concurrency`` at a time),
and ``on_result`` is called as each one finishes, so the UI can show fast sources at
once while a slow one is still waiting on its timeout.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime

import httpx

from mtui.core.clock import parse_stamp
from mtui.core.metrics.fetching.fetch import FetchResult, fetch_source
from mtui.core.metrics.fetching.transport import MAX_BODY_BYTES, RetryPolicy
from mtui.core.model import MetricSource

logger = logging.getLogger("mtui.core.metrics")

ResultCallback = Callable[[FetchResult], Awaitable[None] | None]

# httpcore imports its anyio backend on the first request, on the event loop; cold,
# that takes 50-250 ms. Importing them in a worker thread first keeps the loop free.
_LAZY_HTTP_MODULES = (
    "anyio",
    "anyio._backends._asyncio",
    "anyio.streams.tls",
    "anyio.to_thread",
    "encodings.utf_8_sig",
)


def _preload() -> None:
    for name in _LAZY_HTTP_MODULES:
        importlib.import_module(name)


async def warm_up() -> None:
    """Import what the first HTTP request would import, off the event loop.

    ``poll_sources`` calls it; an app may call it at startup too. Cheap once done."""
    if not all(name in sys.modules for name in _LAZY_HTTP_MODULES):
        await asyncio.to_thread(_preload)


async def poll_sources(
    sources: Sequence[MetricSource],
    *,
    concurrency: int = 8,
    client: httpx.AsyncClient | None = None,
    on_result: ResultCallback | None = None,
    retry: RetryPolicy | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[FetchResult]:
    """Fetch every source; results come back in the order of ``sources``.

    ``on_result`` (plain or async) is called once per source as soon as it completes;
    an exception in it is logged and does not stop the poll. Without ``client`` a
    temporary one is made (in a thread: building its TLS context takes tens of ms)
    and closed; pass a long-lived client to reuse connections.
    """
    if not sources:
        return []
    await warm_up()
    semaphore = asyncio.Semaphore(max(1, concurrency))
    own_client = client is None
    http = client if client is not None else await asyncio.to_thread(httpx.AsyncClient)
    results: list[FetchResult | None] = [None] * len(sources)

    async def one(index: int, source: MetricSource) -> None:
        async with semaphore:
            result = await fetch_source(http, source, retry=retry, max_bytes=max_bytes)
        results[index] = result
        await deliver(on_result, result)

    try:
        async with asyncio.TaskGroup() as group:
            for index, source in enumerate(sources):
                group.create_task(one(index, source))
    finally:
        if own_client:
            await http.aclose()
    return [result for result in results if result is not None]


async def deliver(on_result: ResultCallback | None, result: FetchResult) -> None:
    """Hand a result to a (sync or async) callback; its failure is logged, never raised,
    so one bad callback cannot stop the other sources' results."""
    if on_result is None:
        return
    try:
        outcome = on_result(result)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception as exc:
        logger.warning("on_result callback failed for source %s: %r", result.source_id, exc)


def due_sources(sources: Iterable[MetricSource], now: datetime | None = None) -> list[MetricSource]:
    """The sources whose ``interval_seconds`` has passed since ``last_fetch_at``.

    Never-fetched sources (or ones with an unreadable timestamp) are due. The last
    *attempt* counts, not the last success, so a failing source is retried at its
    interval rather than on every tick. ``now`` defaults to the current time; naive
    datetimes are taken as UTC.
    """
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    due = []
    for source in sources:
        last = parse_stamp(source.last_fetch_at)
        if last is None or (moment - last).total_seconds() >= max(0, source.interval_seconds):
            due.append(source)
    return due
