"""Polling and persisting metric sources without holding up an event loop.

``MetricsService`` is what the TUI strip and ``mtui metrics poll`` share:

- one long-lived ``httpx.AsyncClient`` (built in a thread: its TLS context is slow);
- the one poll loop, ``poll_sources``, with one ``SlotPool`` for every poll: each
  source in its own task with its own deadline, slots a slow source cannot hold past
  a short lease (so it never delays the others), and a source already in flight is
  not fetched twice;
- every database read and write on a single background thread with its *own*
  connection (``store.admin.worker_handle()``), so an fsync or a wait on another process's write
  lock never lands on the event loop.

Results are stored as they arrive (``record_fetch``: snapshots for the values read,
source status either way) and then handed to ``on_result`` on the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import httpx

from mtui.core.metrics import FetchResult, RetryPolicy, due_sources, fetch_source, warm_up
from mtui.core.metrics.cards import CardData, load_cards
from mtui.core.metrics.fetching.poll import (
    DEFAULT_CONCURRENCY,
    SLOT_LEASE_SECONDS,
    SlotPool,
    poll_sources,
)
from mtui.core.model import MetricSource
from mtui.core.store.contract import Store

logger = logging.getLogger("mtui.core.metrics")

T = TypeVar("T")
ResultCallback = Callable[[FetchResult], Awaitable[None] | None]


class MetricsService:
    """Fetch, store and read metrics for one database.

    ``own_connection=False`` uses ``store`` itself on the background thread (the CLI,
    where nothing else uses it meanwhile).
    """

    def __init__(
        self,
        store: Store,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        own_connection: bool = True,
        lease: float = SLOT_LEASE_SECONDS,
    ) -> None:
        self._main_store = store
        self._own_connection = own_connection
        self._store: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mtui-metrics-db")
        self._slots = SlotPool(concurrency, lease=lease)
        self._retry = retry
        self._client: httpx.AsyncClient | None = None
        self._client_lock = asyncio.Lock()
        self.in_flight: set[int] = set()
        self.closed = False

    # Background thread ------------------------------------------------------------
    def _db(self) -> Store:
        """The store used on the background thread (opened there on first use)."""
        if self._store is None:
            self._store = (
                self._main_store.admin.worker_handle() if self._own_connection else self._main_store
            )
        return self._store

    async def _run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(func, *args, **kwargs))

    def _record(self, result: FetchResult) -> None:
        self._db().metrics.record_fetch(
            result.source_id,
            fetched_at=result.fetched_at,
            values=result.values,
            error=result.error,
            period=result.period,
            partial=result.partial,
        )

    async def sources(self) -> list[MetricSource]:
        return await self._run(lambda: self._db().metrics.metric_sources())

    async def cards(self, now: datetime | None = None) -> list[CardData]:
        """Every card's data, read on the background thread."""
        return await self._run(lambda: load_cards(self._db(), now))

    async def read(self, func: Callable[[Store], T]) -> T:
        """Run ``func(store)`` on the background thread (detail screens, history)."""
        return await self._run(lambda: func(self._db()))

    # Fetching ---------------------------------------------------------------------
    async def client(self) -> httpx.AsyncClient:
        async with self._client_lock:
            if self._client is None:
                await warm_up()
                self._client = await asyncio.to_thread(httpx.AsyncClient)
            return self._client

    async def fetch(self, source: MetricSource) -> FetchResult:
        """Fetch one source without storing anything (``mtui source test``)."""
        client = await self.client()
        return await self._slots.run(lambda: fetch_source(client, source, retry=self._retry))

    async def poll(
        self,
        sources: Sequence[MetricSource] | None = None,
        *,
        due_only: bool = False,
        on_result: ResultCallback | None = None,
    ) -> list[FetchResult]:
        """Fetch and store ``sources`` (default: all; only the due ones with
        ``due_only``), skipping any already in flight. Results in source order."""
        if sources is None:
            sources = await self.sources()
        if due_only:
            sources = await self._claim(due_sources(sources, datetime.now(UTC)))
        todo = [s for s in sources if s.id not in self.in_flight]
        if not todo:
            return []
        self.in_flight.update(s.id for s in todo)
        try:
            return await poll_sources(
                todo,
                slots=self._slots,
                client=await self.client(),
                on_fetched=self._store_result,
                on_result=on_result,
                retry=self._retry,
            )
        finally:
            self.in_flight.difference_update(s.id for s in todo)

    async def _claim(self, due: list[MetricSource]) -> list[MetricSource]:
        """The due sources this client won (``metrics.claim_poll``): on a team board one
        poller per source, whoever asks first; the others see the value through the
        change feed. A claim that fails (a locked file) polls nothing this tick."""
        if not due:
            return []
        from mtui.core.metrics.fetching.fetch import iso_utc  # the stamp fetches carry

        seen = {s.id: s.last_fetch_at for s in due}
        try:
            won = set(await self._run(lambda: self._db().metrics.claim_poll(seen, at=iso_utc())))
        except Exception as exc:
            logger.warning("could not claim due sources: %r", exc)
            return []
        return [s for s in due if s.id in won]

    async def _store_result(self, result: FetchResult) -> None:
        """Store one result as soon as it arrives (before ``on_result`` sees it)."""
        try:
            await self._run(self._record, result)
        except Exception as exc:  # e.g. the database stayed locked: report, go on
            logger.warning("could not store source %s: %r", result.source_id, exc)
        finally:
            self.in_flight.discard(result.source_id)

    async def aclose(self) -> None:
        """Close the HTTP client and the background connection."""
        if self.closed:
            return
        self.closed = True
        if self._client is not None:
            await self._client.aclose()
        if self._own_connection and self._store is not None:
            await self._run(self._store.close)
        self._executor.shutdown(wait=False)


def poll_once(store: Store, sources: Sequence[MetricSource] | None = None) -> list[FetchResult]:
    """Poll ``sources`` (default: all) once and store the results (the CLI's path)."""

    async def main() -> list[FetchResult]:
        service = MetricsService(store, own_connection=False)
        try:
            return await service.poll(sources)
        finally:
            await service.aclose()

    return asyncio.run(main())


def test_once(store: Store, source: MetricSource) -> FetchResult:
    """Fetch ``source`` once without storing anything (``mtui source test``)."""

    async def main() -> FetchResult:
        service = MetricsService(store, own_connection=False)
        try:
            return await service.fetch(source)
        finally:
            await service.aclose()

    return asyncio.run(main())


test_once.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
