"""Shared helpers for the metrics tests: fixture bodies, sources, servers, fast retries.

Imported explicitly by ``tests/test_metrics_*.py`` (this is not a conftest plugin).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from mtui.core.metrics import RetryPolicy
from mtui.core.model import MetricSource

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"


def fixture_bytes(name: str) -> bytes:
    """A recorded response body from tests/fixtures/metrics."""
    return (FIXTURES / name).read_bytes()


def make_source(url: str, kind: str = "json", **fields: Any) -> MetricSource:
    """A MetricSource with test-friendly defaults (short timeout)."""
    fields.setdefault("id", 1)
    fields.setdefault("name", f"test {kind}")
    fields.setdefault("timeout_seconds", 5.0)
    return MetricSource(kind=kind, url=url, **fields)


class RecordingSleep:
    """An injectable ``sleep`` that records the delays asked for and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def fast_retry(**overrides: Any) -> tuple[RetryPolicy, RecordingSleep]:
    """A RetryPolicy whose waits are recorded instead of slept."""
    sleep = RecordingSleep()
    return RetryPolicy(sleep=sleep, **overrides), sleep


def closed_port_url(path: str = "/") -> str:
    """A loopback URL on a port that nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@contextmanager
def threaded_httpserver() -> Iterator[HTTPServer]:
    """A pytest-httpserver that handles requests concurrently (for slow responses).

    A context manager rather than a fixture, so tests import it without plugin magic."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def add_sources(db: Path, *sources: dict[str, Any]) -> None:
    """Save metric sources straight into the database at ``db``, checked as
    ``mtui source add`` checks them (``check_source``), without a subprocess per source:
    set-up for CLI tests whose subject is what comes after the adding."""
    from mtui.core.metrics.sources import check_source
    from mtui.core.store import open_store

    store = open_store(db)
    try:
        for fields in sources:
            checked = check_source(fields, store.metrics.metric_sources())
            store.metrics.save_metric_source(checked)
    finally:
        store.close()


def stored_sources(db: Path) -> list[MetricSource]:
    """The metric sources in the database at ``db`` ([] when there is no database)."""
    from mtui.core.store import open_store

    if not db.exists():
        return []
    store = open_store(db)
    try:
        return store.metrics.metric_sources()
    finally:
        store.close()
