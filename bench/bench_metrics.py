"""Metrics benchmarks: event-loop stalls while polling, and sparkline query + render.

    uv run python bench/bench_metrics.py [--runs 3] [stall|spark]

stall: the real app (headless ``run_test``) with 50 sources on a real local HTTP server
(40 fast, 5 answering after 5 s, 5 failing with 500); a 1 ms asyncio ticker inside the
app's loop records the longest gap between ticks while ``refresh_now()`` polls them all.
Target: max stall <= 50 ms.

spark: a year of 5-minute snapshots for 20 metrics (2.1M rows, built once into
/tmp/mtui-bench-metrics-year.db); the time to read and render all 20 cards (24-hour
sparklines, latest/previous, stand-up value) and all 20 year-long sparklines (daily
rollup). Target: <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR_DB = Path(tempfile.gettempdir()) / "mtui-bench-metrics-year.db"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(5)
        status = 500 if self.path.startswith("/fail") else 200
        body = json.dumps({"results": {"visitors": {"value": random.randint(1, 99999)}}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _serve(ready) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_address[1])
    server.serve_forever()


async def one_stall_run(store, seconds: float = 7.0) -> tuple[float, float]:
    from mtui.gc_pause import pause_until_first_frame
    from mtui.ui.app import MtuiApp
    from mtui.ui.metrics.strip import MetricsStrip

    # Started as the ``mtui`` entry point starts it: collection paused until the first
    # frame, then the start-up heap frozen (earlier runs' garbage is collected first).
    gc.collect()
    pause_until_first_frame()
    app = MtuiApp(store)
    gaps: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        strip = app.query_one(MetricsStrip)
        while not strip.loaded:
            await pilot.pause(0.05)
        await asyncio.sleep(1.0)  # let start-up work settle

        async def ticker(until: float) -> None:
            last = time.perf_counter()
            while last < until:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        until = time.perf_counter() + seconds
        tick = asyncio.create_task(ticker(until))
        strip.refresh_now()
        await asyncio.sleep(3.0)
        strip.refresh_now()  # a second press while the slow ones are still in flight
        await tick
    return max(gaps) * 1000, statistics.quantiles(gaps, n=100)[98] * 1000


def bench_stall(runs: int) -> None:
    # The server runs in its own process, so its threads never compete for the app's GIL.
    import multiprocessing

    from mtui.core.store import open_store

    ready = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(ready,), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{ready.get(timeout=30)}"
    results = []
    for run in range(runs):
        path = Path(tempfile.mkdtemp()) / "stall.db"
        store = open_store(path)
        for n in range(50):
            route = "slow" if n < 5 else "fail" if n < 10 else "ok"
            store.metrics.save_metric_source({
                "name": f"s{n}", "kind": "json", "url": f"{base}/{route}/{n}",
                "selectors": {"visitors": "results.visitors.value"},
                "interval_seconds": 3600, "timeout_seconds": 10,
            })  # fmt: skip
        worst, p99 = asyncio.run(one_stall_run(store))
        store.close()
        results.append((worst, p99))
        print(f"  run {run + 1}: max stall {worst:.1f} ms, p99 gap {p99:.1f} ms")
    process.terminate()
    print(f"stall: median of max stalls {statistics.median(r[0] for r in results):.1f} ms "
          f"(target <= 50), median p99 gap {statistics.median(r[1] for r in results):.1f} ms")  # fmt: skip


def build_year_db() -> None:
    from mtui.core.store import open_store

    if YEAR_DB.exists():
        return
    print(f"building {YEAR_DB} (2.1M snapshots; once)...", flush=True)
    store = open_store(YEAR_DB)
    ids = [
        store.metrics.save_metric_source(
            {
                "name": f"src{i}",
                "kind": "json",
                "url": "http://127.0.0.1:9/",
                "selectors": {f"m{m}": "a" for m in range(i * 4, i * 4 + 4)},
                "interval_seconds": 300,
            }
        ).id
        for i in range(5)
    ]
    end = datetime.now(UTC).replace(microsecond=0)
    count = 365 * 288
    stamps = [(end - timedelta(minutes=5 * (count - i))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
              for i in range(count)]  # fmt: skip
    with store.session.write() as tx:  # backend-specific seeding: raw rows, fast
        tx.touch("metrics")
        conn = tx.conn
        for m in range(20):
            rows = ((ids[m // 4], f"m{m}", 1000 + random.random() * 100, st) for st in stamps)
            conn.executemany(
                "INSERT INTO metric_snapshot (source_id, metric_key, value, fetched_at) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )
        conn.execute(
            "INSERT INTO metric_daily (source_id, metric_key, day, n, total, lo, hi) "
            "SELECT source_id, metric_key, substr(fetched_at, 1, 10), count(*), sum(value), "
            "min(value), max(value) FROM metric_snapshot GROUP BY 1, 2, 3"
        )
        conn.execute(
            "INSERT INTO metric_latest (source_id, metric_key, value, fetched_at, period) "
            "SELECT source_id, metric_key, value, max(fetched_at), period FROM metric_snapshot "
            "GROUP BY source_id, metric_key"
        )
        conn.execute("UPDATE metric_source SET last_fetch_at = ?, last_status = 'ok'", [stamps[-1]])
    store.settings.mark_standup((end - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    store.close()


def bench_spark(runs: int) -> None:
    from mtui.core.metrics.cards import load_cards
    from mtui.core.store import open_store
    from mtui.ui.metrics.card import card_lines, sparkline

    build_year_db()
    store = open_store(YEAR_DB)
    palette = {"warning": "yellow", "error": "red", "success": "green"}
    cards_ms, year_ms, cards_cpu, year_cpu = [], [], [], []
    for _ in range(max(runs, 15)):
        now = datetime.now(UTC)
        started, cpu = time.perf_counter(), time.process_time()
        cards = load_cards(store, now)
        lines = [card_lines(c, now, palette) for c in cards]
        cards_ms.append((time.perf_counter() - started) * 1000)
        cards_cpu.append((time.process_time() - cpu) * 1000)
        assert len(cards) == 20 and all(len(c.series) == 10 for c in cards), len(cards)
        started, cpu = time.perf_counter(), time.process_time()
        year = [
            sparkline(
                [row[1] for row in store.metrics.metric_daily(c.source.id, c.key, buckets=60)], 60
            )
            for c in cards
        ]
        year_ms.append((time.perf_counter() - started) * 1000)
        year_cpu.append((time.process_time() - cpu) * 1000)
        assert len(year) == 20 and lines
    store.close()
    print(f"spark: 20 cards (24 h sparklines + values + stand-up deltas), query + render: "
          f"median {statistics.median(cards_ms):.1f} ms, max {max(cards_ms):.1f} ms, "
          f"CPU median {statistics.median(cards_cpu):.1f} ms (target <= 20)")  # fmt: skip
    print(f"spark: 20 year-long sparklines from the daily rollup, query + render: "
          f"median {statistics.median(year_ms):.1f} ms, max {max(year_ms):.1f} ms, "
          f"CPU median {statistics.median(year_cpu):.1f} ms (target <= 20)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="*", default=["spark", "stall"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if "spark" in args.which:
        bench_spark(args.runs)
    if "stall" in args.which:
        bench_stall(args.runs)


if __name__ == "__main__":
    main()
