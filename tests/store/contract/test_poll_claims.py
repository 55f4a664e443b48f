"""One poller per metric source across every open board (issue 14): several clients'
metric services polling due sources at once fetch each source once between them."""

from __future__ import annotations

import asyncio

from mtui.core.metrics.service import MetricsService
from mtui.core.store.contract import Store
from tests.support.backends import Backend
from tests.support.metrics import fixture_bytes

AGGREGATE = fixture_bytes("plausible_v1_aggregate.json")


def test_twenty_clients_poll_a_due_source_once(backend: Backend, store: Store, httpserver) -> None:
    httpserver.expect_request("/stats").respond_with_data(
        AGGREGATE, content_type="application/json"
    )
    store.metrics.save_metric_source(
        {"name": "site", "kind": "plausible", "url": httpserver.url_for("/stats"),
         "interval_seconds": 3600}
    )  # fmt: skip
    clients = [backend.handle(store) for _ in range(20)]

    async def everyone_polls() -> list[int]:
        services = [MetricsService(c, own_connection=False) for c in clients]
        try:
            polled = await asyncio.gather(*(s.poll(due_only=True) for s in services))
        finally:
            for service in services:
                await service.aclose()
        return [len(results) for results in polled]

    counts = asyncio.run(everyone_polls())
    assert sorted(counts) == [0] * 19 + [1]
    assert len(httpserver.log) == 1
    assert [m.value for m in store.metrics.latest_metrics() if m.metric_key == "visitors"]
    assert asyncio.run(everyone_polls()) == [0] * 20  # not due again for an hour
    assert len(httpserver.log) == 1
