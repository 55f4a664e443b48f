"""Metrics benchmarks: event-loop stalls while polling, and sparkline query + render.

    uv run python bench/bench_metrics.py [--runs 3] [stall|spark]

stall: the real app (headless ``run_test``) with 50 sources of every kind the presets
make (GA4, Search Console and Sheets through a Google service account whose token
endpoint is local, Stripe, HubSpot, PostHog, Plausible, Matomo, Umami, Mailchimp) on a
real local HTTP server answering with recorded bodies; 10 of them answer after 5 s (5)
or fail with 500 (5). A 1 ms asyncio ticker inside the app's loop records the longest
gap between ticks while ``refresh_now()`` polls them all, and each healthy source's
arrival is timed. A baseline run with all 50 healthy alternates with it. Target: max
stall <= 50 ms, and healthy sources arrive as fast as in the baseline.

spark: a year of 5-minute snapshots for 20 metrics (2.1M rows, built once into
/tmp/mtui-bench-metrics-year.db); the time to read and render all 20 cards (24-hour
sparklines, latest/previous, stand-up value) and all 20 year-long sparklines (daily
rollup). Target: <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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


FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "metrics"
SLOW_SECONDS = 5.0
# (path fragment, fixture): what the local server answers, by the path a kind asks for.
ROUTES = (
    ("/token", "google_token.json"),
    (":runReport", "ga4_run_report_totals.json"),
    ("/searchAnalytics/query", "search_console_query.json"),
    ("/values/", "sheets_values.json"),
    ("/v1/customers", "stripe_customers_page3.json"),
    ("/v1/subscriptions", "stripe_subscriptions_active.json"),
    ("/crm/v3/objects/", "hubspot_search_contacts.json"),
    ("/query", "posthog_hogql_query.json"),
    ("/api/v1/stats/aggregate", "plausible_v1_aggregate.json"),
    ("/reports/", "mailchimp_report.json"),
    ("/index.php", "matomo_visits_summary.json"),
    ("/stats", "umami_stats.json"),
    ("/aggregations", "fathom_aggregation.json"),
    (".csv", "sheet_published.csv"),
)


class Handler(BaseHTTPRequestHandler):
    """A stand-in for every service the presets read, answering with recorded bodies.

    ``/slow/…`` answers after ``SLOW_SECONDS``, ``/fail/…`` with HTTP 500; ``/json/…``
    is a plain JSON source."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path
        if path.startswith("/slow/"):
            time.sleep(SLOW_SECONDS)
        if path.startswith("/fail/"):
            self._send(500, "application/json", b'{"error": "bench failure"}')
            return
        for fragment, fixture in ROUTES:
            if fragment in path.split("?", 1)[0] or (fragment == ".csv" and ".csv" in path):
                kind = "text/csv" if fixture.endswith(".csv") else "application/json"
                self._send(200, kind, (FIXTURES / fixture).read_bytes())
                return
        body = json.dumps({"results": {"visitors": {"value": random.randint(1, 99999)}}})
        self._send(200, "application/json", body.encode())

    do_GET = do_POST = _answer

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the app ended first
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class Server(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: with more connections arriving at
    # once the kernel drops SYNs and the client retries after 1 s, which put a ~1 s
    # tail on every run (the last healthy source at ~1050 ms). Real services accept more.
    request_queue_size = 128


def _serve(ready) -> None:
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_address[1])
    server.serve_forever()


# The presets of every kind (the Google ones through a service account whose token
# endpoint is the local server); 50 sources cycle through them.
PRESETS = (
    ("ga4", {"property": "123456"}),
    ("search_console", {"site": "sc-domain:example.com"}),
    ("google_sheets", {"spreadsheet": "1AbCdEfGhIjKlMnOpQrStUvWx", "range": "Summary!A1:D20",
                       "metrics": "signups=sum(signups),cost=sum(cost)"}),
    ("stripe", {"metrics": "new_customers,active_subscriptions"}),
    ("hubspot", {}),
    ("posthog", {"project": "12345"}),
    ("plausible", {"site": "example.com", "api": "v1",
                   "metrics": "visitors,pageviews,bounce_rate,visit_duration"}),
    ("matomo", {"site": "1"}),
    ("umami", {"site": "0b8d3c1e-1111-2222-3333-444455556666"}),
    ("mailchimp", {"campaign": "42ab", "auth": "bearer"}),
)  # fmt: skip


def bench_env(workdir: Path, base: str) -> None:
    """Secrets in the environment, as a user sets them: tokens, and a service-account key
    (a fresh RSA key) whose token_uri is the local server."""
    import os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    key = workdir / "google-key.json"
    key.write_text(json.dumps({
        "type": "service_account", "project_id": "bench", "private_key_id": "bench-key",
        "private_key": pem, "client_email": "bench@bench.iam.gserviceaccount.com",
        "token_uri": f"{base}/token",
    }))  # fmt: skip
    for name in ("GA4_KEY", "GOOGLE_KEY"):
        os.environ[name] = str(key)
    for name in ("STRIPE_API_KEY", "HUBSPOT_TOKEN", "POSTHOG_API_KEY", "PLAUSIBLE_API_KEY",
                 "MATOMO_TOKEN", "UMAMI_API_KEY", "MAILCHIMP_AUTH", "FATHOM_API_KEY"):  # fmt: skip
        os.environ[name] = "bench-secret"


def mixed_sources(base: str, count: int = 50, troubled: int = 10) -> list[dict]:
    """``count`` sources cycling through the presets' kinds; the first ``troubled`` of
    them answer slowly (half) or fail (half), on the same kinds."""
    from urllib.parse import urlsplit, urlunsplit

    from mtui.core.metrics.presets import preset_named
    from mtui.core.metrics.sources import check_source

    sources = []
    for n in range(count):
        name, values = PRESETS[n % len(PRESETS)]
        preset = preset_named(name)
        options = {o.name for o in preset.options}
        fields = preset.source_fields(
            {**values, **({"url": f"{base}/svc"} if "url" in options else {})}
        )
        prefix = "/slow" if n < troubled // 2 else "/fail" if n < troubled else ""
        parts = urlsplit(fields["url"])
        path = parts.path if parts.netloc == urlsplit(base).netloc else f"/svc{parts.path}"
        path = path.replace("/svc", f"{prefix}/svc", 1)
        fields["url"] = urlunsplit(("http", urlsplit(base).netloc, path, parts.query, ""))
        if fields.get("auth_type", "none") != "none":
            fields.setdefault("auth_env", preset.default_env)
        fields.update(name=f"{name}-{n}", interval_seconds=3600, timeout_seconds=10)
        sources.append(check_source(fields, []))
    return sources


async def ticker_gaps(until: float, gaps: list[float]) -> None:
    """A 1 ms asyncio ticker: every gap between ticks (seconds) until ``until``."""
    last = time.perf_counter()
    while last < until:
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def idle_loop_run(seconds: float) -> tuple[float, float]:
    """The same ticker on a loop with nothing else to do: this machine's noise floor
    (other processes taking the CPU), measured in the same session as the runs."""
    gaps: list[float] = []
    await ticker_gaps(time.perf_counter() + seconds, gaps)
    return max(gaps) * 1000, statistics.quantiles(gaps, n=100)[98] * 1000


async def one_stall_run(store, seconds: float = 10.0) -> tuple[float, float, dict[int, float]]:
    """The longest gap between 1 ms ticks (ms), the 99th percentile gap, and when
    each source's result reached the strip (seconds after the first ``r``)."""
    from mtui.gc_pause import pause_until_first_frame
    from mtui.ui.app import MtuiApp
    from mtui.ui.metrics.strip import MetricsStrip

    # Started as the ``mtui`` entry point starts it: collection paused until the first
    # frame, then the start-up heap frozen (earlier runs' garbage is collected first).
    gc.collect()
    pause_until_first_frame()
    app = MtuiApp(store)
    gaps: list[float] = []
    arrived: dict[int, float] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        strip = app.query_one(MetricsStrip)
        while not strip.loaded:
            await pilot.pause(0.05)
        await asyncio.sleep(1.0)  # let start-up work settle
        on_result = strip._on_result

        def timed(result) -> None:
            arrived.setdefault(result.source_id, time.perf_counter() - started)
            on_result(result)

        strip._on_result = timed  # type: ignore[method-assign]

        # The start-up poll fetched tokens; forget them, so the measured poll signs in
        # again as it does at every start and whenever a token expires (hourly).
        from mtui.core.metrics.fetching.google import TOKENS

        TOKENS.clear()
        started = time.perf_counter()
        tick = asyncio.create_task(ticker_gaps(started + seconds, gaps))
        strip.refresh_now()
        await asyncio.sleep(3.0)
        strip.refresh_now()  # a second press while the slow ones are still in flight
        await tick
    return max(gaps) * 1000, statistics.quantiles(gaps, n=100)[98] * 1000, arrived


def bench_stall(runs: int) -> None:
    """Runs with 10 of 50 sources slow or failing, alternating with a baseline where
    all 50 answer at once: the loop's stalls, and when the healthy sources arrive."""
    # The server runs in its own process, so its threads never compete for the app's GIL.
    import multiprocessing

    from mtui.core.metrics.fetching.poll import warm_up
    from mtui.core.store import open_store

    ready = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(ready,), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{ready.get(timeout=30)}"
    workdir = Path(tempfile.mkdtemp())
    bench_env(workdir, base)
    asyncio.run(warm_up())  # the first app of the process would pay httpcore's imports
    results: dict[str, list[tuple[float, float, float, float]]] = {"troubled": [], "baseline": []}
    idle: list[tuple[float, float]] = []
    for run in range(runs):
        idle.append(asyncio.run(idle_loop_run(10.0)))
        print(f"  run {run + 1}      idle: max gap {idle[-1][0]:5.1f} ms, p99 gap {idle[-1][1]:4.1f} ms "
              "(a bare asyncio loop: the machine's noise floor)")  # fmt: skip
        for label, troubled in (("baseline", 0), ("troubled", 10)):
            path = workdir / f"stall-{label}-{run}.db"
            store = open_store(path)
            saved = [store.metrics.save_metric_source(f) for f in mixed_sources(base, 50, troubled)]
            worst, p99, arrived = asyncio.run(one_stall_run(store))
            healthy = [s.id for s in saved[troubled:]]
            ok = {s.id for s in store.metrics.metric_sources() if s.last_status == "ok"}
            store.close()
            times = [arrived[i] * 1000 for i in healthy if i in arrived]
            late = len(healthy) - len(times)
            median, last = statistics.median(times), max(times)
            results[label].append((worst, p99, median, last))
            print(f"  run {run + 1} {label:>9}: max stall {worst:5.1f} ms, p99 gap {p99:4.1f} ms; "
                  f"{len(healthy)} healthy sources: median {median:4.0f} ms, last {last:4.0f} ms"
                  f" after r ({late} missing; {len(ok & set(healthy))} stored ok)")  # fmt: skip
    process.terminate()
    for label, rows in results.items():
        print(f"stall {label}: median of max stalls {statistics.median(r[0] for r in rows):.1f} ms "
              f"(target <= 50), median p99 gap {statistics.median(r[1] for r in rows):.1f} ms; "
              f"healthy sources in: median {statistics.median(r[2] for r in rows):.0f} ms, "
              f"last {statistics.median(r[3] for r in rows):.0f} ms")  # fmt: skip
    print(f"idle loop (noise floor): median of max gaps "
          f"{statistics.median(r[0] for r in idle):.1f} ms, "
          f"median p99 gap {statistics.median(r[1] for r in idle):.1f} ms")  # fmt: skip
    for what, column in (("median", 2), ("last", 3)):
        ratio = statistics.median(r[column] for r in results["troubled"]) / statistics.median(
            r[column] for r in results["baseline"]
        )
        print(f"{what} healthy source in, with 10 slow/failing vs none: {ratio:.2f}x "
              f"(a slow source answers after {SLOW_SECONDS:g} s)")  # fmt: skip


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
