"""A local, clearly fake metrics endpoint for ``mtui demo``.

``start()`` serves, on 127.0.0.1 and an ephemeral port:

- ``/api/v1/stats/aggregate``: a Plausible-v1-aggregate-shaped JSON, marked
  ``"demo": true`` with site ``demo.acme-analytics.example``;
- ``/demo/sheet.csv``: a published-sheet-shaped CSV (30 days x 3 channels), sent with
  ``X-Demo: true``.

The numbers are pure functions of the wall-clock minute, so every poll a minute apart
shows movement while two polls in the same minute agree, and tests can pin a minute.
Only the stdlib is used; the server runs in a daemon thread and never logs to stderr
(it would scribble over the TUI).
"""

from __future__ import annotations

import csv
import io
import json
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEMO_SITE = "demo.acme-analytics.example"
AGGREGATE_PATH = "/api/v1/stats/aggregate"
SHEET_PATH = "/demo/sheet.csv"
_CHANNELS = {"linkedin": 1.0, "google": 1.6, "email": 0.7}  # relative channel sizes
_SHEET_DAYS = 30


def _wave(minute: int, period: float, phase: float = 0.0) -> float:
    return math.sin(2 * math.pi * minute / period + phase)


def aggregate_payload(minute: int, metrics: list[str] | None = None) -> dict[str, Any]:
    """The Plausible-shaped body for wall-clock ``minute`` (minutes since the epoch)."""
    visitors = round(12_300 + 900 * _wave(minute, 1440) + 180 * _wave(minute, 37))
    values = {
        "visitors": visitors,
        "pageviews": round(visitors * (2.6 + 0.2 * _wave(minute, 53, 1.0))),
        "bounce_rate": round(52 + 4 * _wave(minute, 71, 2.0), 1),
        "visit_duration": round(86 + 10 * _wave(minute, 97, 0.5), 1),
    }
    wanted = [m for m in metrics or values if m in values]
    return {
        "results": {name: {"value": values[name]} for name in wanted},
        "demo": True,
        "site_id": DEMO_SITE,
    }


def _day_row(day: int, channel: str, weight: float, fraction: float) -> dict[str, Any]:
    """One channel's numbers for a day number; ``fraction`` of the day elapsed."""
    swing = 1 + 0.15 * math.sin(day * 1.7 + weight * 3)
    impressions = round(15_000 * weight * swing * fraction)
    clicks = round(impressions * (0.018 + 0.004 * math.sin(day + weight)))
    signups = round(clicks * 0.055)
    return {
        "spend": f"{120 * weight * swing * fraction:.2f}",
        "impressions": impressions,
        "clicks": clicks,
        "ctr": f"{(clicks / impressions * 100) if impressions else 0:.2f}%",
        "signups": signups,
        "mqls": round(signups * 0.25),
    }


def sheet_csv(minute: int) -> str:
    """The CSV for wall-clock ``minute``: past days are fixed, today's rows grow."""
    now = datetime.fromtimestamp(minute * 60, UTC)
    today = now.date()
    fraction = max(1, now.hour * 60 + now.minute) / 1440
    out = io.StringIO()
    columns = ["date", "channel", "spend", "impressions", "clicks", "ctr", "signups", "mqls"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for back in range(_SHEET_DAYS - 1, -1, -1):
        date = today - timedelta(days=back)
        for channel, weight in _CHANNELS.items():
            row = _day_row(date.toordinal(), channel, weight, fraction if back == 0 else 1.0)
            writer.writerow({"date": date.isoformat(), "channel": channel, **row})
    return out.getvalue()


def _handler(clock: Callable[[], float]) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "mtui-demo/1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            minute = int(clock() // 60)
            if parts.path == AGGREGATE_PATH:
                metrics = parse_qs(parts.query).get("metrics", [""])[0]
                payload = aggregate_payload(minute, [m for m in metrics.split(",") if m])
                self._send(200, "application/json", json.dumps(payload).encode())
            elif parts.path == SHEET_PATH:
                self._send(200, "text/csv; charset=utf-8", sheet_csv(minute).encode())
            else:
                body = json.dumps({"error": f"no such demo endpoint: {parts.path}"}).encode()
                self._send(404, "application/json", body)

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Demo", "true")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the demo runs under a TUI."""

    return DemoHandler


def start(clock: Callable[[], float] = time.time) -> tuple[str, Callable[[], None]]:
    """Serve the demo endpoints; returns the base URL and a function that stops them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(clock))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name="mtui-demo-metrics",
        daemon=True,
    )
    thread.start()
    port = server.server_address[1]
    stopped = threading.Event()

    def stop() -> None:
        if stopped.is_set():
            return
        stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{port}", stop


def demo_source_definitions(base_url: str) -> list[dict[str, Any]]:
    """The MetricSource fields (no ids) the demo registers against ``base_url``.

    Metric keys: visitors, pageviews, bounce_rate, visit_duration (Plausible-shaped)
    and signups, mqls, ad_spend, clicks, ctr, linkedin_signups (sheet-shaped).
    """
    base = base_url.rstrip("/")
    common: dict[str, Any] = {
        "method": "GET",
        "headers": {},
        "body": None,
        "auth_type": "none",
        "auth_env": None,
        "auth_param": None,
        "interval_seconds": 60,
        "timeout_seconds": 5.0,
    }
    return [
        {
            **common,
            "name": "Website (demo Plausible)",
            "kind": "plausible",
            "url": f"{base}{AGGREGATE_PATH}?site_id={DEMO_SITE}&period=30d"
            "&metrics=visitors,pageviews,bounce_rate,visit_duration",
            "selectors": {},
            "units": {"bounce_rate": "percent", "visit_duration": "seconds"},
        },
        {
            **common,
            "name": "Ads sheet (demo)",
            "kind": "csv",
            "url": f"{base}{SHEET_PATH}",
            "selectors": {
                "signups": "sum(signups)",
                "mqls": "sum(mqls)",
                "ad_spend": "sum(spend)",
                "clicks": "sum(clicks)",
                "ctr": "mean(ctr)",
                "linkedin_signups": "sum(signups@channel=linkedin)",
            },
            "units": {"ad_spend": "currency:USD", "ctr": "percent"},
        },
    ]
