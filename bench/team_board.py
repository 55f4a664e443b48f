"""Helpers for benches on a team board: a throwaway server, a board copied onto it, and
a slow link in front of it (``delay_proxy``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def server(url: str) -> Iterator[str]:
    """``url`` itself, or for ``auto`` a throwaway cluster (as the tests start one),
    removed afterwards."""
    if url != "auto":
        yield url
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.pgcluster import new_database, server_bin_dir, start_cluster

    bindir = server_bin_dir()
    if bindir is None:
        sys.exit("no PostgreSQL server binaries: apt install postgresql, or pass a URL")
    cluster = start_cluster(bindir)
    try:
        yield cluster.url(new_database(cluster, migrated=False))
    finally:
        cluster.stop()


def copy_to_server(path: Path, url: str) -> str:
    """Copy the board in the SQLite file ``path`` onto a new board at ``url``
    (``mtui db copy``'s code); the new board's URL."""
    from mtui.core.store import open_store
    from mtui.core.transfer.copy import copy_board

    board = f"bench-{os.getpid()}-{time.time_ns()}"
    source, team = open_store(path), open_store(url, board=board)
    try:
        copy_board(source, team)
    finally:
        source.close()
        team.close()
    return f"{url}{'&' if '?' in url else '?'}board={board}"


@contextmanager
def slow_link(url: str, rtt_ms: float) -> Iterator[str]:
    """``url`` rewritten to go through a local proxy adding ``rtt_ms`` of round trip."""
    with counted_link(url, rtt_ms) as (slow, _proxy):
        yield slow


@contextmanager
def counted_link(url: str, rtt_ms: float) -> Iterator[tuple[str, Any]]:
    """As ``slow_link``, with the proxy itself (it counts the round trips clients make)."""
    from delay_proxy import DelayProxy  # bench/ is on sys.path: the scripts' folder

    parts = urlsplit(url)
    proxy = DelayProxy(parts.hostname or "127.0.0.1", parts.port or 5432, rtt_ms=rtt_ms)
    with proxy as port:
        yield url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{port}", 1), proxy


def round_trip_ms(url: str) -> float:
    """A query's round trip to the server at ``url`` (proof the delay is in the path)."""
    import statistics

    import psycopg

    with psycopg.connect(url.split("?", 1)[0], autocommit=True) as conn:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)
