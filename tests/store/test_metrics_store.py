"""The metrics store path against a real local HTTP server: poll → snapshots and status
in SQLite, every failure keeps the last good value, secrets never reach the file."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

import pytest
from werkzeug import Response

from mtui.core.metrics.cards import card_state, load_cards
from mtui.core.metrics.service import MetricsService
from mtui.core.model import Goal
from mtui.core.store.sqlite.metrics import normal_stamp
from mtui.core.strategy.kpi import check_kpi, live_values, parse_kpi
from tests.support.metrics import closed_port_url, fast_retry, fixture_bytes, threaded_httpserver

SECRET = "sk-live-5up3r-53cr3t-t0k3n"
PLAUSIBLE = {"visitors": "results.visitors.value", "pageviews": "results.pageviews.value"}


def add_source(store, url: str, name: str = "web", **fields) -> int:
    fields.setdefault("selectors", PLAUSIBLE)
    return store.metrics.save_metric_source(
        {"name": name, "kind": "json", "url": url, "timeout_seconds": 1.0, **fields}
    ).id


def poll(store, **kwargs):
    retry, _sleep = fast_retry(max_retries=1)

    async def main():
        service = MetricsService(store, retry=retry, **kwargs)
        try:
            return await service.poll()
        finally:
            await service.aclose()

    return asyncio.run(main())


def test_successful_poll_stores_snapshots_and_status(store) -> None:
    with threaded_httpserver() as server:
        server.expect_request("/agg").respond_with_data(
            fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
        )
        source_id = add_source(store, server.url_for("/agg"))
        [result] = poll(store)
    assert result.ok, result.error
    snaps = store.metrics.snapshots(source_id, "visitors")
    assert [s.value for s in snaps] == [result.values["visitors"]]
    assert snaps[0].fetched_at == normal_stamp(result.fetched_at)
    assert snaps[0].fetched_at.endswith("Z") and "." in snaps[0].fetched_at
    source = store.metrics.metric_sources()[0]
    assert (source.last_status, source.last_error) == ("ok", None)
    assert source.last_ok_at == source.last_fetch_at == snaps[0].fetched_at
    assert {m.metric_key for m in store.metrics.latest_metrics()} == {"visitors", "pageviews"}


def test_latest_keeps_previous_value_and_daily_rollup(store) -> None:
    source_id = add_source(store, "http://127.0.0.1:1/x")
    for stamp, value in [("2026-03-09T10:00:00+00:00", 10), ("2026-03-09T11:00:00+00:00", 30),
                         ("2026-03-10T08:00:00Z", 50)]:  # fmt: skip
        store.metrics.record_fetch(
            source_id, fetched_at=stamp, values={"visitors": value}, error=None
        )
    [latest] = store.metrics.latest_metrics()
    assert (latest.value, latest.prev_value) == (50, 30)
    assert latest.fetched_at == "2026-03-10T08:00:00.000000Z"
    assert store.metrics.metric_daily(source_id, "visitors") == [
        ("2026-03-09", 20.0, 10.0, 30.0, 2),
        ("2026-03-10", 50.0, 50.0, 50.0, 1),
    ]
    assert store.metrics.metric_points(source_id, "visitors", limit=2) == [
        ("2026-03-09T11:00:00.000000Z", 30.0),
        ("2026-03-10T08:00:00.000000Z", 50.0),
    ]
    assert store.metrics.metric_value_at(source_id, "visitors", "2026-03-09T23:00:00.000000Z") == (
        "2026-03-09T11:00:00.000000Z",
        30.0,
    )
    store.metrics.delete_metric_source(source_id)
    assert (
        store.metrics.latest_metrics() == []
        and store.metrics.metric_daily(source_id, "visitors") == []
    )


FAILURES = {
    "500": lambda s: s.respond_with_data("boom", status=500),
    "503": lambda s: s.respond_with_data("down", status=503),
    "429": lambda s: s.respond_with_response(Response("slow down", 429, {"Retry-After": "1"})),
    "html": lambda s: s.respond_with_data("<html>login</html>", content_type="text/html"),
    "truncated": lambda s: s.respond_with_data('{"results": {"visitors": {"val',
                                               content_type="application/json"),
    "non-numeric": lambda s: s.respond_with_json({"results": {"visitors": {"value": "lots"},
                                                              "pageviews": {"value": 3}}}),
    "huge": lambda s: s.respond_with_data(b"[" + b"1," * 3_000_000 + b"1]",
                                          content_type="application/json"),
}  # fmt: skip


@pytest.mark.parametrize("mode", [*FAILURES, "timeout", "refused"])
def test_every_failure_keeps_last_good_value_and_records_error(store, mode) -> None:
    with threaded_httpserver() as server:
        good = {"results": {"visitors": {"value": 1240}, "pageviews": {"value": 3100}}}
        server.expect_ordered_request("/m").respond_with_json(good)
        handler = server.expect_request("/m")
        if mode in FAILURES:
            FAILURES[mode](handler)
        elif mode == "timeout":
            handler.respond_with_handler(lambda request: (__import__("time").sleep(2), "late")[1])
        source_id = add_source(store, server.url_for("/m"))
        assert poll(store)[0].ok
        if mode == "refused":
            store.metrics.save_metric_source({"url": closed_port_url("/m")}, source_id)
        [result] = poll(store)
    assert not result.ok and result.error
    source = store.metrics.metric_sources()[0]
    assert source.last_status == "error" and source.last_error == result.error
    now = datetime.now(UTC)
    cards = {c.key: c for c in load_cards(store, now)}
    assert cards["visitors"].value == 1240, "the last good value stays"
    assert card_state(cards["visitors"], now) == "error"
    if mode == "non-numeric":  # partial: pageviews was read and stored, visitors failed
        assert "visitors" in result.error
        assert card_state(cards["pageviews"], now) == "ok"
    else:
        assert store.metrics.latest_metrics()[0].fetched_at == source.last_ok_at


def test_slow_source_does_not_hold_up_the_others(store) -> None:
    order: list[int] = []
    with threaded_httpserver() as server:
        server.expect_request("/slow").respond_with_handler(
            lambda request: (__import__("time").sleep(0.8), Response("{}", 200))[1]
        )
        server.expect_request("/fast").respond_with_json({"results": {"visitors": {"value": 1}}})
        slow = add_source(store, server.url_for("/slow"), name="slow", timeout_seconds=5.0)
        fast = add_source(store, server.url_for("/fast"), name="fast",
                          selectors={"visitors": "results.visitors.value"})  # fmt: skip

        async def main():
            service = MetricsService(store)
            try:
                await service.poll(on_result=lambda r: order.append(r.source_id))
            finally:
                await service.aclose()

        asyncio.run(main())
    assert order == [fast, slow]


def test_secret_never_in_db_file_or_logs(store, tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("MTUI_TEST_TOKEN", SECRET)
    caplog.set_level(logging.DEBUG)
    with threaded_httpserver() as server:
        # The server echoes the Authorization header into an error body: the worst case.
        server.expect_request("/m").respond_with_handler(
            lambda request: Response(json.dumps({"error": request.headers.get("Authorization")}),
                                     status=500, content_type="application/json")
        )  # fmt: skip
        add_source(store, server.url_for("/m"), auth_type="bearer", auth_env="MTUI_TEST_TOKEN")
        [result] = poll(store)
    assert not result.ok
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("mtui.db*"))
    assert SECRET.encode() not in raw
    assert b"MTUI_TEST_TOKEN" in raw, "the variable's name is stored"
    assert SECRET not in caplog.text
    assert SECRET not in json.dumps(result.to_dict())


def test_kpi_binding_and_derived_kpis(store) -> None:
    ads = add_source(store, "http://127.0.0.1:1/x", name="Ads sheet", selectors={})
    store.metrics.record_fetch(ads, fetched_at="2026-03-10T08:00:00Z", error=None, values={
        "clicks": 42, "impressions": 2000, "spend": 300, "conversions": 12, "revenue": 900})  # fmt: skip
    goals = [Goal(1, "CTR", "ctr", kpi_metric="ctr(ads-sheet.clicks, ads-sheet.impressions)"),
             Goal(2, "CPA", "cpa", kpi_metric="cpa(ads-sheet.spend, ads-sheet.conversions)"),
             Goal(3, "ROAS", "roas", kpi_metric="ads-sheet.revenue / ads-sheet.spend"),
             Goal(4, "Clicks", "clicks", kpi_metric="ads-sheet.clicks")]  # fmt: skip
    values = live_values(store, goals)
    assert values[goals[0].kpi_metric] == pytest.approx(2.1)
    assert values[goals[1].kpi_metric] == 25
    assert values[goals[2].kpi_metric] == 3
    assert values["ads-sheet.clicks"] == 42
    from mtui.core.strategy.goals import goal_current

    assert goal_current(goals[3], values) == 42
    assert parse_kpi("cpa(a.spend, a.conversions)").value({"a.spend": 5}) is None
    with pytest.raises(Exception, match="no metric source 'ads'"):
        check_kpi("ads.clicks", store.metrics.metric_sources())


def test_ten_slow_sources_never_delay_ten_healthy_ones(store) -> None:
    """Item 15, without timing: the slow sources answer only once every healthy result
    has been stored. With slots held for a slow source's whole timeout (the old loop),
    the healthy ones could not start until the slow ones had timed out."""
    import threading

    healthy_done = threading.Event()
    order: list[str] = []
    with threaded_httpserver() as server:
        server.expect_request("/slow").respond_with_handler(
            lambda request: (healthy_done.wait(30), Response('{"v": 1}', 200))[1]
        )
        server.expect_request("/fast").respond_with_json({"v": 2})
        kinds = {}
        for i in range(10):  # the slow ones first: they would take every slot
            kinds[add_source(store, server.url_for("/slow"), name=f"slow{i}",
                             selectors={"v": "v"}, timeout_seconds=20.0)] = "slow"  # fmt: skip
        for i in range(10):
            kinds[add_source(store, server.url_for("/fast"), name=f"fast{i}",
                             selectors={"v": "v"}, timeout_seconds=20.0)] = "fast"  # fmt: skip
        stored_when_delivered: list[int] = []

        def on_result(result) -> None:
            order.append(kinds[result.source_id])
            if order.count("fast") == 10:
                stored_when_delivered.append(len(store.metrics.latest_metrics()))
                healthy_done.set()

        async def main():
            service = MetricsService(store)
            try:
                return await service.poll(on_result=on_result)
            finally:
                await service.aclose()

        try:
            results = asyncio.run(main())
        finally:
            healthy_done.set()
    assert order == ["fast"] * 10 + ["slow"] * 10
    assert stored_when_delivered and stored_when_delivered[0] >= 10  # stored, not just fetched
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]


def test_a_source_being_fetched_is_not_fetched_again(store) -> None:
    """The TUI's timer poll and ``r`` share one service: a second poll while a source is
    still in flight leaves it alone instead of sending a second request."""
    import threading

    arrived = threading.Event()
    release = threading.Event()
    requests: list[str] = []

    def slow(_request):
        requests.append("slow")
        arrived.set()
        release.wait(10)
        return Response('{"results": {"visitors": {"value": 5}}}', content_type="application/json")

    async def main(service: MetricsService):
        first = asyncio.create_task(service.poll())
        while not arrived.is_set():
            await asyncio.sleep(0.01)
        second = await service.poll()
        release.set()
        return await first, second

    with threaded_httpserver() as server:
        server.expect_request("/slow").respond_with_handler(slow)
        add_source(store, server.url_for("/slow"), selectors={"visitors": "results.visitors.value"},
                   timeout_seconds=3.0)  # fmt: skip
        service = MetricsService(store)

        async def run():
            try:
                return await main(service)
            finally:
                release.set()
                await service.aclose()

        first, second = asyncio.run(run())
    assert second == [] and requests == ["slow"]
    assert [r.values for r in first] == [{"visitors": 5.0}]
    assert service.in_flight == set()
