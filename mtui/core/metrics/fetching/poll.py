"""The one poll loop (the TUI strip, ``mtui metrics poll`` and tests all use it).

Each source is fetched in its own task with its own deadline (its ``timeout_seconds``
per attempt, counted from when it starts), and ``on_fetched``/``on_result`` run as each
one finishes, so fast sources are stored and shown while a slow one still waits.

Concurrency is limited by a ``SlotPool``: at most ``concurrency`` fetches *start*
together, but a fetch gives its slot back after ``lease`` seconds even if it is still
waiting on its server, and carries on outside the slots (up to ``max_in_flight``
fetches in all). So sources that are slow or silent cannot hold the slots until their
timeout: a healthy source queued behind them starts within about a lease, and a poll
takes about one timeout however many sources are slow.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import httpx

from mtui.core.clock import parse_stamp
from mtui.core.metrics.fetching.fetch import FetchResult, fetch_source
from mtui.core.metrics.fetching.transport import MAX_BODY_BYTES, RetryPolicy
from mtui.core.model import MetricSource

logger = logging.getLogger("mtui.core.metrics")

ResultCallback = Callable[[FetchResult], Awaitable[None] | None]
T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
SLOT_LEASE_SECONDS = 1.0
MAX_IN_FLIGHT = 64  # below httpx's default pool of 100 connections


class SlotPool:
    """Concurrency slots that a slow fetch cannot hold past ``lease`` seconds.

    ``run(make)`` waits for a slot, starts ``make()`` and frees the slot when it
    finishes or when the lease ends, whichever is first; a hard ceiling of
    ``max_in_flight`` concurrent fetches still bounds sockets and memory. Share one
    pool between polls (the TUI's timer poll and ``r``) so the limit is global.
    """

    def __init__(
        self,
        concurrency: int = DEFAULT_CONCURRENCY,
        *,
        lease: float = SLOT_LEASE_SECONDS,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.concurrency = max(1, concurrency)
        self.lease = max(0.0, lease)
        self._slots = asyncio.Semaphore(self.concurrency)
        self._flights = asyncio.Semaphore(max(self.concurrency, max_in_flight))

    async def run(self, make: Callable[[], Awaitable[T]]) -> T:
        async with self._flights:
            await self._slots.acquire()
            held = True

            def give_back() -> None:
                nonlocal held
                if held:
                    held = False
                    self._slots.release()

            expiry = asyncio.get_running_loop().call_later(self.lease, give_back)
            try:
                return await make()
            finally:
                expiry.cancel()
                give_back()


# httpcore imports its anyio backend on the first request, on the event loop; cold,
# that takes 50-250 ms. Importing them in a worker thread first keeps the loop free.
_LAZY_HTTP_MODULES = (
    "anyio",
    "anyio._backends._asyncio",
    "anyio.streams.tls",
    "anyio.to_thread",
    "encodings.utf_8_sig",
)


# httpcore asks ``import sniffio`` for every lock it makes (several per request); when
# sniffio is not installed (anyio no longer needs it), each failed import searches the
# whole sys.path again on the event loop: ~0.7 ms a time, ~450 ms of a 50-source poll.
# Remembering the failure (None in sys.modules: "not importable") makes it instant.
_OPTIONAL_MODULES = ("sniffio",)


def _preload() -> None:
    for name in _LAZY_HTTP_MODULES:
        importlib.import_module(name)
    for name in _OPTIONAL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


async def warm_up() -> None:
    """Import what the first HTTP request would import, off the event loop.

    ``poll_sources`` calls it; an app may call it at startup too. Cheap once done."""
    if not all(name in sys.modules for name in (*_LAZY_HTTP_MODULES, *_OPTIONAL_MODULES)):
        await asyncio.to_thread(_preload)


async def poll_sources(
    sources: Sequence[MetricSource],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    slots: SlotPool | None = None,
    client: httpx.AsyncClient | None = None,
    on_fetched: Callable[[FetchResult], Awaitable[None]] | None = None,
    on_result: ResultCallback | None = None,
    retry: RetryPolicy | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[FetchResult]:
    """Fetch every source; results come back in the order of ``sources``.

    ``slots`` (default: a new ``SlotPool(concurrency)``) limits how many start at
    once. For each source, as soon as it completes, ``on_fetched`` is awaited (the
    service stores the result there; its exceptions are the caller's to handle) and
    then ``on_result`` (plain or async) is called; an exception in ``on_result`` is
    logged and does not stop the poll. Without ``client`` a temporary one is made (in
    a thread: building its TLS context takes tens of ms) and closed; pass a long-lived
    client to reuse connections.
    """
    if not sources:
        return []
    await warm_up()
    pool = slots if slots is not None else SlotPool(concurrency)
    own_client = client is None
    http = client if client is not None else await asyncio.to_thread(httpx.AsyncClient)
    results: list[FetchResult | None] = [None] * len(sources)

    async def one(index: int, source: MetricSource) -> None:
        result = await pool.run(
            lambda: fetch_source(http, source, retry=retry, max_bytes=max_bytes)
        )
        results[index] = result
        if on_fetched is not None:
            await on_fetched(result)
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
