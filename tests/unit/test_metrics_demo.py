"""The demo metrics endpoint: a real local server that the real fetch path can read."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest

from mtui.core.demo.metrics_server import (
    DEMO_SITE,
    aggregate_payload,
    demo_source_definitions,
    sheet_csv,
    start,
)
from mtui.core.metrics import poll_sources
from mtui.core.model import MetricSource


@pytest.fixture
def demo_url():
    url, stop = start()
    yield url
    stop()


def test_demo_sources_poll_through_the_real_fetch_path(demo_url: str) -> None:
    definitions = demo_source_definitions(demo_url)
    assert all("id" not in d for d in definitions)
    sources = [MetricSource(id=i, **d) for i, d in enumerate(definitions, start=1)]
    results = asyncio.run(poll_sources(sources))
    assert [r.error for r in results] == [None, None]
    assert set(results[0].values) == {"visitors", "pageviews", "bounce_rate", "visit_duration"}
    assert set(results[1].values) == {
        "signups",
        "mqls",
        "ad_spend",
        "clicks",
        "ctr",
        "linkedin_signups",
    }
    assert 0 < results[1].values["linkedin_signups"] < results[1].values["signups"]


def test_demo_json_is_labelled(demo_url: str) -> None:
    with urllib.request.urlopen(demo_url + "/api/v1/stats/aggregate?metrics=visitors") as response:
        body = json.load(response)
        assert response.headers["X-Demo"] == "true"
    assert body["demo"] is True
    assert body["site_id"] == DEMO_SITE
    assert list(body["results"]) == ["visitors"]


def test_demo_numbers_drift_with_the_minute_and_are_deterministic() -> None:
    minute = 29_400_000  # some minute in 2025
    assert aggregate_payload(minute) == aggregate_payload(minute)
    visitors = [aggregate_payload(minute + i)["results"]["visitors"]["value"] for i in range(5)]
    assert len(set(visitors)) > 1
    assert sheet_csv(minute) == sheet_csv(minute)
    assert sheet_csv(minute) != sheet_csv(minute + 7)
    lines = sheet_csv(minute).splitlines()
    assert lines[0] == "date,channel,spend,impressions,clicks,ctr,signups,mqls"
    assert len(lines) == 1 + 30 * 3


def test_demo_uses_a_pinned_clock_and_stops() -> None:
    url, stop = start(clock=lambda: 29_400_000 * 60.0)
    try:
        with urllib.request.urlopen(url + "/api/v1/stats/aggregate") as response:
            body = json.load(response)
    finally:
        stop()
    assert body == aggregate_payload(29_400_000)
    stop()  # idempotent
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/api/v1/stats/aggregate", timeout=2)
