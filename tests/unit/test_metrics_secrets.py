"""The secret never leaks, and credentials never travel over plain http to a remote host."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from urllib.parse import quote, quote_plus

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mtui.core.metrics import NO_RETRY, FetchResult, fetch_source, is_loopback_host, poll_sources
from mtui.core.metrics.fetching.auth import build_request
from tests.support.metrics import (
    closed_port_url,
    fixture_bytes,
    make_source,
    threaded_httpserver,
)

# Characters that get URL-encoded, so the encoded forms are exercised too.
SECRET = "Zq9-SECRET/do+not&leak=~"
ENV = "MTUI_TEST_SECRET"
FORMS = (SECRET, quote(SECRET, safe=""), quote_plus(SECRET), "SECRET/do+not")


def fetch(source, client: httpx.AsyncClient | None = None) -> FetchResult:
    async def run() -> FetchResult:
        async with client or httpx.AsyncClient() as http:
            return await fetch_source(http, source, retry=NO_RETRY)

    return asyncio.run(run())


def assert_clean(text: str) -> None:
    for form in FORMS:
        assert form not in text


def our_logs(caplog: pytest.LogCaptureFixture) -> str:
    """Captured log text minus the test server's own access log (werkzeug prints the
    URLs it receives; that is the fake service's log, not mtui's)."""
    return "\n".join(
        f"{r.name} {r.getMessage()}" for r in caplog.records if not r.name.startswith("werkzeug")
    )


@pytest.fixture
def secret_env(monkeypatch) -> None:
    monkeypatch.setenv(ENV, SECRET)


def echo_secret_handler(request: Request) -> Response:
    """A server that (badly) quotes the credentials it got back in its error."""
    seen = (
        request.headers.get("X-Api-Key")
        or request.args.get("key")
        or request.form.get("token_auth")
    )
    seen = seen or request.headers.get("Authorization", "")
    return Response(
        json.dumps({"error": f"invalid credentials {seen}; url was {request.url}"}),
        status=401,
        mimetype="application/json",
    )


def test_secret_never_in_errors_reprs_or_logs(
    httpserver: HTTPServer, secret_env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/500").respond_with_data("boom", status=500)
    httpserver.expect_request("/echo").respond_with_handler(echo_secret_handler)
    httpserver.expect_request("/matomo").respond_with_json(
        {"result": "error", "message": f"token_auth {SECRET} is not valid"}
    )
    httpserver.expect_request("/nan").respond_with_json({"v": f"{SECRET} {SECRET}"})
    query = {"auth_type": "query", "auth_env": ENV, "auth_param": "key"}
    sources = [
        make_source(closed_port_url("/refused"), id=1, **query),
        make_source(httpserver.url_for("/500"), id=2, **query),
        make_source(httpserver.url_for("/echo"), id=3, **query),
        make_source(
            httpserver.url_for("/echo"),
            id=4,
            auth_type="header",
            auth_env=ENV,
            auth_param="X-Api-Key",
        ),
        make_source(
            httpserver.url_for("/echo"), id=5, kind="matomo", auth_type="body", auth_env=ENV
        ),
        make_source(
            httpserver.url_for("/matomo"), id=6, kind="matomo", auth_type="body", auth_env=ENV
        ),
        make_source(
            httpserver.url_for("/nan"), id=7, selectors={"v": "v"}, auth_type="bearer", auth_env=ENV
        ),
        make_source(httpserver.url_for("/missing"), id=8, **query),  # 500 from pytest-httpserver
    ]

    async def run() -> list[FetchResult]:
        async with httpx.AsyncClient() as client:
            return await poll_sources(sources, client=client, retry=NO_RETRY)

    results = asyncio.run(run())
    assert [r.ok for r in results] == [False] * len(sources)
    errors = {r.source_id: r.error for r in results}
    assert errors[1] == "connection refused"
    assert errors[2] == "HTTP 500 Internal Server Error"
    assert errors[3].startswith("HTTP 401 Unauthorized: invalid credentials ***")
    assert errors[6] == "Matomo error: token_auth *** is not valid"
    assert errors[7] == "metric 'v': '*** ***' is not a number"
    for result in results:
        assert_clean(result.error)
        assert_clean(repr(result))
        assert_clean(json.dumps(result.to_dict(), ensure_ascii=False))
    # httpx logs each request URL at INFO; those records are captured and scrubbed.
    logs = our_logs(caplog)
    assert "HTTP Request" in logs
    assert "key=***" in logs
    assert "failed: connection refused" in logs
    assert_clean(logs)


def test_basic_auth_secret_and_its_base64_are_scrubbed(
    httpserver: HTTPServer, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    creds = "apiuser:hunter2-Mailchimp-key"
    token = base64.b64encode(creds.encode()).decode()
    monkeypatch.setenv("MC_CREDS", creds)
    httpserver.expect_request("/echo").respond_with_handler(echo_secret_handler)
    result = fetch(make_source(httpserver.url_for("/echo"), auth_type="basic", auth_env="MC_CREDS"))
    assert not result.ok
    assert result.error.startswith("HTTP 401 Unauthorized: invalid credentials Basic ***")
    for text in (result.error, repr(result), our_logs(caplog)):
        assert token not in text
        assert "hunter2-Mailchimp-key" not in text


def test_timeout_with_secret_in_query(secret_env) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response("{}", mimetype="application/json")

    with threaded_httpserver() as server:
        server.expect_request("/slow").respond_with_handler(slow)
        source = make_source(
            server.url_for("/slow"),
            auth_type="query",
            auth_env=ENV,
            auth_param="key",
            timeout_seconds=0.3,
            selectors={"a": "a"},
        )
        result = fetch(source)
    assert result.error == "timed out after 0.3s"
    assert_clean(repr(result))


def test_unexpected_exception_quoting_the_url_is_scrubbed(
    secret_env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError(f"cannot handle {request.url}")

    client = httpx.AsyncClient(transport=httpx.MockTransport(explode))
    source = make_source(
        "https://metrics.example.com/api", auth_type="query", auth_env=ENV, auth_param="key"
    )
    result = fetch(source, client)
    assert not result.ok
    assert result.error.startswith("unexpected error: RuntimeError: cannot handle")
    assert "key=***" in result.error
    assert_clean(result.error)
    assert_clean(our_logs(caplog))


def test_http_error_messages_never_quote_the_url(secret_env) -> None:
    """An httpx failure whose message includes the URL (with the query) is not echoed."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError(f"read failed for {request.url}", request=request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(fail))
    source = make_source(
        "https://metrics.example.com/api", auth_type="query", auth_env=ENV, auth_param="key"
    )
    result = fetch(source, client)
    assert result.error == "network error talking to metrics.example.com"


def counting_client() -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=fixture_bytes("plausible_v1_aggregate.json"))

    return httpx.AsyncClient(transport=httpx.MockTransport(record)), sent


@pytest.mark.parametrize("auth_type", ["bearer", "basic", "header", "query", "body"])
def test_credentials_refused_over_plain_http_to_remote_host(secret_env, auth_type: str) -> None:
    client, sent = counting_client()
    source = make_source(
        "http://metrics.example.com/api/v1/stats/aggregate",
        kind="plausible",
        auth_type=auth_type,
        auth_env=ENV,
        auth_param="key",
    )
    result = fetch(source, client)
    assert not result.ok
    assert result.error == (
        "refusing to send credentials over plain http to metrics.example.com; use https"
    )
    assert sent == []


def test_plain_http_without_credentials_is_allowed() -> None:
    client, sent = counting_client()
    result = fetch(make_source("http://metrics.example.com/agg", kind="plausible"), client)
    assert result.ok, result.error
    assert len(sent) == 1


def test_https_with_credentials_is_sent(secret_env) -> None:
    client, sent = counting_client()
    source = make_source(
        "https://metrics.example.com/agg", kind="plausible", auth_type="bearer", auth_env=ENV
    )
    result = fetch(source, client)
    assert result.ok, result.error
    assert sent[0].headers["Authorization"] == f"Bearer {SECRET}"


def test_missing_env_var_is_named_and_nothing_is_sent(monkeypatch) -> None:
    monkeypatch.delenv("MTUI_NOT_SET_ANYWHERE", raising=False)
    client, sent = counting_client()
    source = make_source(
        "https://metrics.example.com/agg",
        kind="plausible",
        auth_type="bearer",
        auth_env="MTUI_NOT_SET_ANYWHERE",
    )
    result = fetch(source, client)
    assert result.error == "environment variable MTUI_NOT_SET_ANYWHERE is not set"
    assert sent == []


def test_basic_secret_without_colon_is_explained(monkeypatch) -> None:
    monkeypatch.setenv("MC_CREDS", "just-a-key-no-user")
    client, sent = counting_client()
    source = make_source("https://x.example.com/", auth_type="basic", auth_env="MC_CREDS")
    result = fetch(source, client)
    assert result.error == "environment variable MC_CREDS must hold user:password"
    assert "just-a-key-no-user" not in repr(result)
    assert sent == []


def test_auth_needs_a_parameter_name(secret_env) -> None:
    source = make_source("https://x.example.com/", auth_type="header", auth_env=ENV)
    assert fetch(source, counting_client()[0]).error == (
        "header auth needs auth_param (the parameter name)"
    )


def test_prepared_request_repr_hides_credentials() -> None:
    source = make_source("https://x.example.com/a?b=1", auth_type="query", auth_param="key")
    request = build_request(source, SECRET)
    assert SECRET not in repr(request)
    assert quote_plus(SECRET) in request.url  # it is sent, only never shown


def test_query_header_and_json_body_auth_reach_the_server(
    httpserver: HTTPServer, secret_env
) -> None:
    ok = fixture_bytes("plausible_v1_aggregate.json")
    httpserver.expect_request("/q", query_string={"site_id": "a", "key": SECRET}).respond_with_data(
        ok
    )
    httpserver.expect_request("/h", headers={"X-Api-Key": SECRET}).respond_with_data(ok)
    httpserver.expect_request(
        "/b", method="POST", json={"site_id": "a", "api_key": SECRET}
    ).respond_with_data(ok)
    common = {"kind": "plausible", "auth_env": ENV}
    results = [
        fetch(
            make_source(
                httpserver.url_for("/q") + "?site_id=a",
                auth_type="query",
                auth_param="key",
                **common,
            )
        ),
        fetch(
            make_source(
                httpserver.url_for("/h"), auth_type="header", auth_param="X-Api-Key", **common
            )
        ),
        fetch(
            make_source(
                httpserver.url_for("/b"),
                auth_type="body",
                auth_param="api_key",
                body='{"site_id": "a"}',
                **common,
            )
        ),
    ]
    assert [r.error for r in results] == [None, None, None]
    assert all(r.values["visitors"] == 201524.0 for r in results)


def test_secret_unfit_for_a_header_is_explained(monkeypatch) -> None:
    monkeypatch.setenv(ENV, "clé-secrète")
    client, sent = counting_client()
    source = make_source("https://x.example.com/", auth_type="bearer", auth_env=ENV)
    result = fetch(source, client)
    assert (
        result.error
        == f"environment variable {ENV} holds characters that cannot go in an HTTP header"
    )
    assert sent == []


def test_loopback_hosts() -> None:
    for host in (
        "localhost",
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "LOCALHOST.",
    ):
        assert is_loopback_host(host), host
    for host in ("metrics.example.com", "10.0.0.1", "128.0.0.1", "localhost.evil.com", "", None):
        assert not is_loopback_host(host), host


def test_a_source_with_credentials_follows_no_redirect(secret_env, httpserver: HTTPServer) -> None:
    """The 3xx is reported: following it could send a header or a body to another host.
    Without credentials (published sheets redirect) the redirect is followed."""
    elsewhere = "https://elsewhere.example/steal"
    httpserver.expect_request("/agg").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    httpserver.expect_request("/open").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/data")}
    )
    httpserver.expect_request("/data").respond_with_data(
        fixture_bytes("plausible_v1_aggregate.json"), content_type="application/json"
    )
    source = make_source(httpserver.url_for("/agg"), kind="plausible", auth_type="bearer",
                         auth_env=ENV)  # fmt: skip
    refused = fetch(source)
    assert not refused.ok
    assert refused.error == "HTTP 302 Found: redirect to elsewhere.example not followed " \
        "(credentials are never forwarded)"  # fmt: skip
    followed = fetch(make_source(httpserver.url_for("/open"), kind="plausible"))
    assert followed.ok, followed.error


def test_text_read_from_a_response_loses_control_characters_and_is_capped() -> None:
    from mtui.core.metrics.fetching.redact import MAX_KEY_CHARS, clean_read_values

    cleaned = clean_read_values({"vis\x00it\nors": 1.0, "k" * 500: 2.0, SECRET: 3.0}, FORMS)
    assert list(cleaned) == ["visitors", "k" * (MAX_KEY_CHARS - 3) + "...", "***"]
