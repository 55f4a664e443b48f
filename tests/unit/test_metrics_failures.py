"""Every failure mode of the fixture README: ok=False and a readable one-line reason."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mtui.core.metrics import NO_RETRY, FetchResult, RetryPolicy, fetch_source
from mtui.core.metrics.fetching.transport import parse_retry_after
from tests.support.metrics import (
    closed_port_url,
    fast_retry,
    fixture_bytes,
    make_source,
    threaded_httpserver,
)

AGGREGATE = "/api/v1/stats/aggregate"


def fetch(source, **kw) -> FetchResult:
    async def run() -> FetchResult:
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source, **kw)

    return asyncio.run(run())


def plausible(server: HTTPServer, **fields):
    return make_source(server.url_for(AGGREGATE), kind="plausible", **fields)


def assert_failed(result: FetchResult, error: str) -> None:
    assert not result.ok
    assert result.error == error
    assert "\n" not in result.error


def test_http_500_is_retried_then_reported(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data("oops", status=500)
    policy, sleep = fast_retry(base_delay=0.5)
    result = fetch(plausible(httpserver), retry=policy)
    assert_failed(result, "HTTP 500 Internal Server Error (after 3 attempts)")
    assert sleep.delays == [0.5, 1.0]  # exponential backoff
    assert len(httpserver.log) == 3


def test_http_503_without_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data("down", status=503)
    result = fetch(plausible(httpserver), retry=NO_RETRY)
    assert_failed(result, "HTTP 503 Service Unavailable")
    assert len(httpserver.log) == 1


def test_503_then_success_recovers(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data("down", status=503)
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data(
        fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
    )
    policy, sleep = fast_retry()
    result = fetch(plausible(httpserver), retry=policy)
    assert result.ok, result.error
    assert result.attempts == 2
    assert sleep.delays == [1.0]


def test_429_honours_retry_after_seconds_then_succeeds(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data(
        fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
    )
    policy, sleep = fast_retry()
    result = fetch(plausible(httpserver), retry=policy)
    assert result.ok, result.error
    assert result.values["visitors"] == 201524.0
    assert sleep.delays == [3.0]
    assert result.attempts == 2
    assert len(httpserver.log) == 2


def test_429_really_waits_a_small_delay(httpserver: HTTPServer) -> None:
    """With the real asyncio.sleep: the second request comes after Retry-After."""
    stamps: list[float] = []

    def limited(request: Request) -> Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "0"})
        return Response(fixture_bytes("plausible_v1_aggregate.json"), mimetype="application/json")

    httpserver.expect_request(AGGREGATE).respond_with_handler(limited)
    result = fetch(plausible(httpserver), retry=RetryPolicy(base_delay=0.05))
    assert result.ok, result.error
    assert len(stamps) == 2
    assert stamps[1] >= stamps[0]


def test_429_with_http_date_retry_after(httpserver: HTTPServer) -> None:
    now = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)
    when = format_datetime(now + timedelta(seconds=4), usegmt=True)
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data(
        "", status=429, headers={"Retry-After": when}
    )
    httpserver.expect_ordered_request(AGGREGATE).respond_with_data(
        fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
    )
    policy, sleep = fast_retry(clock=lambda: now)
    result = fetch(plausible(httpserver), retry=policy)
    assert result.ok, result.error
    assert sleep.delays == [4.0]


def test_429_asking_for_too_long_is_reported_not_waited(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    policy, sleep = fast_retry(max_delay=10)
    result = fetch(plausible(httpserver), retry=policy)
    assert_failed(result, "HTTP 429 Too Many Requests: server asks to retry in 3600s")
    assert sleep.delays == []
    assert len(httpserver.log) == 1


def test_total_wait_is_capped(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data(
        "", status=429, headers={"Retry-After": "6"}
    )
    policy, sleep = fast_retry(max_retries=5, max_delay=10, max_total_wait=15)
    result = fetch(plausible(httpserver), retry=policy)
    assert not result.ok
    assert sum(sleep.delays) <= 15
    assert sleep.delays == [6.0, 6.0]
    assert "(after 3 attempts)" in result.error


def test_parse_retry_after_forms() -> None:
    now = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Sun, 22 Nov 2026 09:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 22 Nov 2026 08:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after(None, now) is None


def test_response_slower_than_timeout() -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response(fixture_bytes("plausible_v1_aggregate.json"), mimetype="application/json")

    with threaded_httpserver() as server:
        server.expect_request(AGGREGATE).respond_with_handler(slow)
        result = fetch(plausible(server, timeout_seconds=0.3))
    assert_failed(result, "timed out after 0.3s")
    assert result.values == {}


def test_connection_refused() -> None:
    result = fetch(make_source(closed_port_url(AGGREGATE), kind="plausible"))
    assert_failed(result, "connection refused")


def test_html_where_json_expected(httpserver: HTTPServer) -> None:
    page = "<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>"
    httpserver.expect_request(AGGREGATE).respond_with_data(page, content_type="text/html")
    result = fetch(plausible(httpserver))
    assert_failed(result, "expected JSON, got HTML")


def test_html_even_when_labelled_json(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data(
        "\n  <html><body>Bad gateway</body></html>", content_type="application/json"
    )
    assert_failed(fetch(plausible(httpserver)), "expected JSON, got HTML")


def test_html_where_csv_expected(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pub").respond_with_data(
        "<html><body>Sign in to Google</body></html>", content_type="text/html"
    )
    result = fetch(make_source(httpserver.url_for("/pub"), kind="csv"))
    assert_failed(result, "expected CSV, got HTML (is the sheet published as CSV?)")


def test_truncated_json(httpserver: HTTPServer) -> None:
    whole = fixture_bytes("ga4_run_report.json").rstrip()
    for cut in (len(whole) // 2, len(whole) - 1, 30):
        httpserver.clear()
        httpserver.expect_request("/report").respond_with_data(
            whole[:cut], content_type="application/json"
        )
        source = make_source(
            httpserver.url_for("/report"), selectors={"s": "rows[0].metricValues[0].value"}
        )
        assert_failed(fetch(source), "truncated JSON")


def test_invalid_json_that_is_not_truncated(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/report").respond_with_data(
        '{"a": 1,, "b": 2}', content_type="application/json"
    )
    result = fetch(make_source(httpserver.url_for("/report"), selectors={"a": "a"}))
    assert not result.ok
    assert result.error.startswith("invalid JSON: Expecting property name")


def test_body_over_the_size_limit_with_content_length(httpserver: HTTPServer) -> None:
    big = b'{"results": {"visitors": {"value": 1}}, "pad": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    httpserver.expect_request(AGGREGATE).respond_with_data(big, content_type="application/json")
    result = fetch(plausible(httpserver))
    assert_failed(result, "response larger than 5 MB")


def test_body_over_the_size_limit_when_streamed(httpserver: HTTPServer) -> None:
    """No Content-Length: the stream is cut once it passes the cap."""
    sent = {"chunks": 0}

    def chunks():
        yield b'{"pad": "'
        for _ in range(8 * 64):  # 8 MB in 16 KB chunks
            sent["chunks"] += 1
            yield b"x" * 16384
        yield b'"}'

    def handler(_request: Request) -> Response:
        return Response(chunks(), mimetype="application/json")

    httpserver.expect_request(AGGREGATE).respond_with_handler(handler)
    result = fetch(plausible(httpserver))
    assert_failed(result, "response larger than 5 MB")


def test_custom_size_limit(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_data(
        fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
    )
    result = fetch(plausible(httpserver), max_bytes=64)
    assert_failed(result, "response larger than 64 bytes")


def test_large_json_under_the_limit_is_parsed(httpserver: HTTPServer) -> None:
    """Bodies over the threading threshold still parse (off the event loop)."""
    rows = [{"date": f"d{i}", "visitors": 1} for i in range(40_000)]
    body = json.dumps({"results": rows}).encode()
    assert len(body) > 256 * 1024
    httpserver.expect_request("/api/v1/stats/timeseries").respond_with_data(
        body, content_type="application/json"
    )
    source = make_source(httpserver.url_for("/api/v1/stats/timeseries"), kind="plausible")
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {"visitors": 40_000.0}


def test_matomo_error_sent_with_http_200(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/index.php").respond_with_data(
        fixture_bytes("matomo_error.json"), status=200, content_type="application/json"
    )
    source = make_source(
        httpserver.url_for("/index.php") + "?module=API&method=VisitsSummary.get",
        kind="matomo",
    )
    result = fetch(source)
    assert_failed(
        result,
        "Matomo error: You can't access this resource as it requires 'view' access "
        "for the website id = 1.",
    )


def test_matomo_xml_default_format_is_explained(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/index.php").respond_with_data(
        '<?xml version="1.0" encoding="utf-8" ?><result />', content_type="text/xml"
    )
    source = make_source(httpserver.url_for("/index.php") + "?format=xml", kind="matomo")
    assert_failed(fetch(source), "expected JSON, got XML (Matomo needs format=JSON)")


def test_value_that_is_not_a_number(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_json(
        {"results": {"visitors": {"value": "n/a"}, "pageviews": {"value": 10}}}
    )
    result = fetch(plausible(httpserver, selectors={"visitors": "visitors", "pv": "pageviews"}))
    assert_failed(result, "metric 'visitors': 'n/a' is not a number")
    assert result.values == {"pv": 10.0}


def test_null_and_object_values_are_not_numbers(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_json({"a": None, "b": {"value": 1}})
    result = fetch(make_source(httpserver.url_for("/x"), selectors={"a": "a", "b": "b"}))
    assert not result.ok
    assert result.error == "metric 'a': null is not a number (and 1 more)"


def test_http_error_shows_the_service_message(httpserver: HTTPServer) -> None:
    httpserver.expect_request(AGGREGATE).respond_with_json(
        {"error": "Invalid API key or site ID"}, status=401
    )
    result = fetch(plausible(httpserver))
    assert_failed(result, "HTTP 401 Unauthorized: Invalid API key or site ID")


def test_unknown_kind_and_bad_url_are_reported() -> None:
    assert_failed(
        fetch(make_source("https://example.com/x", kind="xml")),
        "unknown source kind 'xml' (expected one of json, csv, plausible, matomo, stripe, "
        "ga4, search_console, sheets)",
    )
    assert_failed(
        fetch(make_source("ftp://example.com/x")),
        "URL must start with http:// or https:// and name a host",
    )


def test_unexpected_exceptions_become_errors() -> None:
    def explode(_request: httpx.Request) -> httpx.Response:
        raise RuntimeError("transport bug")

    async def run() -> FetchResult:
        async with httpx.AsyncClient(transport=httpx.MockTransport(explode)) as client:
            return await fetch_source(
                client, make_source("https://example.com/x", selectors={"a": "a"})
            )

    result = asyncio.run(run())
    assert_failed(result, "unexpected error: RuntimeError: transport bug")


def test_a_stored_timeout_out_of_bounds_is_clamped_where_it_is_read() -> None:
    """Item 14: a row written before the bound (inf, nan, 1e9, -5) cannot make a poll
    hang, and its JSON record never says Infinity/NaN."""
    from mtui.core.metrics.fetching.transport import effective_timeout
    from mtui.core.metrics.sources import source_record

    assert effective_timeout(float("inf")) == 120.0
    assert effective_timeout(1e9) == 120.0
    assert effective_timeout(float("nan")) == 10.0
    assert effective_timeout(-5) == 10.0
    assert effective_timeout(0.3) == 0.3
    record = source_record(make_source("https://x.example/", timeout_seconds=float("inf")))
    assert json.dumps(record, allow_nan=False)
    assert record["timeout_seconds"] is None


def test_a_failed_fetch_reports_its_real_number_of_attempts(httpserver: HTTPServer) -> None:
    """Item 15: after three tries the result says 3, not 0; a timeout is one attempt,
    a refused connection one, a missing secret none."""
    httpserver.expect_request(AGGREGATE).respond_with_data("oops", status=503)
    policy, _sleep = fast_retry()
    assert fetch(plausible(httpserver), retry=policy).attempts == 3
    refused = fetch(make_source(closed_port_url(AGGREGATE), kind="plausible"), retry=NO_RETRY)
    assert refused.attempts == 1
    no_secret = fetch(
        plausible(httpserver, auth_type="bearer", auth_env="MTUI_TEST_UNSET_VARIABLE")
    )
    assert (no_secret.ok, no_secret.attempts) == (False, 0)


def test_a_timeout_counts_as_an_attempt() -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response("{}", mimetype="application/json")

    with threaded_httpserver() as server:
        server.expect_request(AGGREGATE).respond_with_handler(slow)
        result = fetch(plausible(server, timeout_seconds=0.3), retry=NO_RETRY)
    assert (result.ok, result.attempts) == (False, 1)
