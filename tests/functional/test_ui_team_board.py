"""The dashboard on a team board (PostgreSQL): what it costs the server."""

from __future__ import annotations

import psycopg
import pytest

from mtui.core.store import open_store
from mtui.ui.app import MtuiApp
from tests.support.backends import add

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


def _connections(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as probe:
        rows = probe.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "GROUP BY application_name"
        ).fetchall()
    return dict(rows)


async def test_a_dashboard_holds_one_connection_and_its_listeners(pg_url: str) -> None:
    """Its background store, metric polling and full read share the board's connection
    (``admin.worker_handle``); the feed listener has its own: two per dashboard, so a
    team of fifty fits a server's default ``max_connections``."""
    store = open_store(pg_url)
    for n in range(3):
        add(store, f"card {n}")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        for _ in range(100):  # the listener starts after the first frame
            if _connections(pg_url).get("mtui listener"):
                break
            await pilot.pause(0.05)
        app.store_job(lambda s: s.tasks.count_tasks())  # the background store, in use
        await app.settled()
        assert _connections(pg_url) == {"mtui": 1, "mtui listener": 1}
    store.close()
