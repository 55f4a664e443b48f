"""Google service-account auth against a real local server playing Google's token
endpoint and its APIs: the signed assertion, the token kept and shared, the refresh,
Google's error shapes as one line each, and nothing secret in what comes back."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mtui.core.metrics import NO_RETRY, FetchResult, fetch_source, poll_sources
from mtui.core.metrics.fetching import google
from mtui.core.metrics.fetching.fetch import one_line
from mtui.core.metrics.presets import preset_named
from mtui.core.model import MetricSource
from tests.support.google import (
    CLIENT_EMAIL,
    GA4_SCOPE,
    KEY_ID,
    TokenEndpoint,
    bearer_api,
    rsa_key_pem,
    service_account,
    write_key,
)
from tests.support.metrics import fast_retry, fixture_bytes, threaded_httpserver

ENV = "MTUI_TEST_GA4_KEY"
REPORT = "/v1beta/properties/123456:runReport"


@pytest.fixture(autouse=True)
def fresh_tokens(monkeypatch):
    """Every test starts with no token in memory and a clock it may move."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(google.TOKENS, "clock", lambda: clock["now"])
    google.TOKENS.clear()
    yield clock
    google.TOKENS.clear()


def fetch(source: MetricSource, **kw) -> FetchResult:
    kw.setdefault("retry", NO_RETRY)

    async def run() -> FetchResult:
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source, **kw)

    return asyncio.run(run())


def poll(sources: list[MetricSource]) -> list[FetchResult]:
    async def run() -> list[FetchResult]:
        async with httpx.AsyncClient() as client:
            return await poll_sources(sources, client=client, retry=NO_RETRY)

    return asyncio.run(run())


def ga4_source(server: HTTPServer, source_id: int = 1, **fields) -> MetricSource:
    """The ga4 preset's source, sent to the local server instead of Google."""
    built = preset_named("ga4").source_fields({"property": "123456", "period": "7d"})
    built.update(url=server.url_for(REPORT), auth_env=ENV, timeout_seconds=5.0)
    built.update(fields)
    built.pop("interval_seconds")
    return MetricSource(id=source_id, name=f"ga4 {source_id}", **built)


@pytest.fixture
def endpoint(httpserver: HTTPServer, tmp_path: Path, monkeypatch) -> TokenEndpoint:
    """The token endpoint at /token, and $ENV naming a key file that points at it."""
    token = TokenEndpoint()
    httpserver.expect_request("/token", method="POST").respond_with_handler(token)
    key = write_key(tmp_path / "key.json", httpserver.url_for("/token"))
    monkeypatch.setenv(ENV, str(key))
    return token


def serve_report(server: HTTPServer, endpoint: TokenEndpoint, fixture: str) -> None:
    server.expect_request(REPORT, method="POST").respond_with_handler(bearer_api(endpoint, fixture))


def test_the_assertion_is_signed_and_claims_what_google_needs(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    before = int(time.time())
    result = fetch(ga4_source(httpserver))
    assert result.ok, result.error
    assert result.values == {"sessions": 14994.0, "totalUsers": 11203.0, "keyEvents": 513.0}
    assert result.period == "7daysAgo/yesterday"
    assert result.attempts == 1
    ((header, claims, _assertion),) = endpoint.assertions  # signature checked by the server
    assert header == {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
    assert claims["iss"] == CLIENT_EMAIL
    assert claims["scope"] == GA4_SCOPE
    assert claims["aud"] == httpserver.url_for("/token")
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 3600
    # The API got the token as a bearer, and the body the preset built.
    api_request = next(r for r, _ in httpserver.log if r.path == REPORT)
    assert api_request.headers["Authorization"] == "Bearer ya29.test-token-1"
    assert json.loads(api_request.get_data())["dateRanges"] == [
        {"startDate": "7daysAgo", "endDate": "yesterday"}
    ]


def test_the_key_may_be_the_json_itself(
    httpserver: HTTPServer, endpoint: TokenEndpoint, monkeypatch
) -> None:
    monkeypatch.setenv(ENV, json.dumps(service_account(httpserver.url_for("/token"))))
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    result = fetch(ga4_source(httpserver))
    assert result.ok, result.error
    assert len(endpoint.assertions) == 1


def test_one_token_serves_every_source_and_poll_within_the_hour(
    httpserver: HTTPServer, endpoint: TokenEndpoint, fresh_tokens
) -> None:
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    sources = [ga4_source(httpserver, i) for i in (1, 2, 3)]
    first = poll(sources)
    fresh_tokens["now"] += 3000  # 50 minutes later: still 5+ minutes left
    second = poll(sources)
    assert [r.ok for r in first + second] == [True] * 6, [r.error for r in first + second]
    assert len(endpoint.assertions) == 1
    assert len(endpoint.issued) == 1


def test_concurrent_fetches_wait_for_the_one_token_request(tmp_path: Path, monkeypatch) -> None:
    """Eight sources polled at once while the token endpoint is slow: one request."""
    with threaded_httpserver() as server:
        token = TokenEndpoint(delay=0.3)
        server.expect_request("/token", method="POST").respond_with_handler(token)
        serve_report(server, token, "ga4_run_report_totals.json")
        monkeypatch.setenv(ENV, str(write_key(tmp_path / "key.json", server.url_for("/token"))))
        results = poll([ga4_source(server, i) for i in range(1, 9)])
    assert [r.error for r in results] == [None] * 8
    assert len(token.assertions) == 1


def test_an_expiring_token_is_refreshed_once(
    httpserver: HTTPServer, endpoint: TokenEndpoint, fresh_tokens
) -> None:
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    sources = [ga4_source(httpserver, i) for i in (1, 2)]
    assert all(r.ok for r in poll(sources))
    fresh_tokens["now"] += 3599 - 299  # within 5 minutes of expiry
    assert all(r.ok for r in poll(sources))
    assert endpoint.issued == ["ya29.test-token-1", "ya29.test-token-2"]
    api_tokens = [r.headers["Authorization"] for r, _ in httpserver.log if r.path == REPORT]
    assert api_tokens[-2:] == ["Bearer ya29.test-token-2"] * 2


def test_another_scope_gets_its_own_token(httpserver: HTTPServer, endpoint: TokenEndpoint) -> None:
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    two_scopes = f"{GA4_SCOPE} https://www.googleapis.com/auth/webmasters.readonly"
    results = poll([ga4_source(httpserver, 1), ga4_source(httpserver, 2, auth_param=two_scopes)])
    assert all(r.ok for r in results)
    assert sorted(claims["scope"] for _h, claims, _a in endpoint.assertions) == sorted(
        [GA4_SCOPE, two_scopes]
    )


def test_a_token_the_api_refuses_is_replaced_on_the_next_poll(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    assert fetch(ga4_source(httpserver)).ok
    endpoint.issued.clear()  # Google revoked it
    refused = fetch(ga4_source(httpserver))
    assert refused.error.startswith(
        f"HTTP 401 Unauthorized: Google refused the access token of {CLIENT_EMAIL}; a new one "
        "is requested on the next poll (Google says: Request had invalid authentication "
        "credentials."
    )
    again = fetch(ga4_source(httpserver))
    assert again.ok, again.error
    assert len(endpoint.assertions) == 2


# --- Google's error shapes, one line each ------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "google_token_invalid_signature.json",
            f"Google refused the key of {CLIENT_EMAIL} (invalid_grant: Invalid JWT Signature.): "
            "the key was deleted or revoked, or is not the one Google knows; create a new key "
            "for the service account",
        ),
        (
            "google_token_clock_skew.json",
            f"Google refused the token request of {CLIENT_EMAIL} (invalid_grant: Invalid JWT: "
            "Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check "
            "your iat and exp values in the JWT claim.): this computer's clock is off; set it "
            "to the right time (NTP) and retry",
        ),
        (
            "google_token_account_not_found.json",
            f"Google does not know the service account {CLIENT_EMAIL} (invalid_grant: Invalid "
            "grant: account not found): it was deleted; create a service account and a key, "
            "and grant it access again",
        ),
        (
            "google_token_deleted_client.json",
            f"Google refused the service account {CLIENT_EMAIL} (deleted_client: The OAuth "
            "client was deleted.): the account or its key is disabled or deleted; enable it or "
            "create a new key",
        ),
        (
            "google_token_invalid_scope.json",
            f"Google refused the scope {GA4_SCOPE!r} (invalid_scope: Invalid OAuth scope or ID "
            "token audience provided.): set auth_param to e.g. "
            "https://www.googleapis.com/auth/analytics.readonly",
        ),
    ],
)
def test_token_endpoint_errors_say_what_to_do(
    httpserver: HTTPServer, endpoint: TokenEndpoint, fixture: str, expected: str
) -> None:
    endpoint.error_body = fixture_bytes(fixture)
    serve_report(httpserver, endpoint, "ga4_run_report_totals.json")
    result = fetch(ga4_source(httpserver))
    assert (result.ok, result.error, result.attempts) == (False, one_line(expected), 1)
    assert "\n" not in result.error
    assert not any(r.path == REPORT for r, _ in httpserver.log)


def test_a_failed_token_request_is_shared_not_repeated(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    endpoint.error_body = fixture_bytes("google_token_invalid_signature.json")
    results = poll([ga4_source(httpserver, i) for i in (1, 2, 3)])
    assert len({r.error for r in results}) == 1
    assert results[0].error.startswith("Google refused the key of")
    assert len(endpoint.assertions) == 1
    poll([ga4_source(httpserver, 1)])  # the next poll tries again
    assert len(endpoint.assertions) == 2


def test_permission_denied_names_the_account_to_add(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    httpserver.expect_request(REPORT).respond_with_data(
        fixture_bytes("ga4_permission_denied.json"), status=403, content_type="application/json"
    )
    result = fetch(ga4_source(httpserver))
    assert result.error.startswith(
        f"HTTP 403 Forbidden: permission denied: add {CLIENT_EMAIL} as a Viewer on the GA4 "
        "property (Admin → Property access management) (Google says: User does not have "
        "sufficient permissions for this property."
    )
    assert "\n" not in result.error and len(result.error) <= 300


def test_permission_denied_on_search_console_and_sheets(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    denied = fixture_bytes("ga4_permission_denied.json")
    httpserver.expect_request("/sc").respond_with_data(denied, status=403)
    httpserver.expect_request("/sheet").respond_with_data(denied, status=403)
    sc = fetch(ga4_source(httpserver, url=httpserver.url_for("/sc"), kind="search_console",
                          selectors={}, body=None))  # fmt: skip
    sheet = fetch(ga4_source(httpserver, url=httpserver.url_for("/sheet"), kind="sheets",
                             selectors={}, body=None, method="GET"))  # fmt: skip
    assert f"add {CLIENT_EMAIL} as a user of the Search Console property" in sc.error
    assert f"share the sheet with {CLIENT_EMAIL} (Viewer)" in sheet.error


def test_an_api_not_enabled_is_explained(httpserver: HTTPServer, endpoint: TokenEndpoint) -> None:
    httpserver.expect_request(REPORT).respond_with_data(
        fixture_bytes("google_service_disabled.json"), status=403
    )
    result = fetch(ga4_source(httpserver))
    assert result.error.startswith(
        "HTTP 403 Forbidden: the API is not enabled in the service account's Google Cloud "
        "project; enable it there (APIs & Services) (Google says: Google Analytics Data API "
        "has not been used in project 123456789012"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "names a key file that does not exist: {path}"),
        ("", "the key file {path} is not a JSON service-account key (download one in Google"),
        ("not json {", "the key file {path} is not a JSON service-account key"),
        ('{"type": "authorized_user", "client_id": "x"}',
         "the key file {path} holds a 'authorized_user' credential, not a service-account key"),
        ('{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}',
         "the key file {path} has no private_key; download a new key"),
        ('{"type": "service_account", "client_email": "a@b.c", "private_key": "-----BEGIN '
         'PRIVATE KEY-----\\nnot-a-key\\n-----END PRIVATE KEY-----\\n", "token_uri": "TOKEN"}',
         "the private_key in the key file {path} is not a readable PEM key"),
    ],
)  # fmt: skip
def test_an_unreadable_key_is_one_line_and_nothing_is_sent(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch, content: str | None, expected: str
) -> None:
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content.replace("TOKEN", httpserver.url_for("/token")))
    monkeypatch.setenv(ENV, str(path))
    result = fetch(ga4_source(httpserver))
    assert expected.format(path=path) in result.error
    assert "\n" not in result.error
    assert result.attempts == 0
    assert httpserver.log == []


def test_an_inconsistent_key_is_refused_and_nothing_is_sent(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch
) -> None:
    """The key is loaded without OpenSSL's slow prime check (it held the GIL, and so the
    dashboard's event loop, for ~100 ms); a key whose numbers do not agree is still
    refused, because what it signs does not verify with its public half."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_numbers()
    broken = rsa.RSAPrivateNumbers(
        numbers.p, numbers.q, numbers.d + 2, numbers.dmp1, numbers.dmq1 ^ 4, numbers.iqmp,
        numbers.public_numbers,
    ).private_key(unsafe_skip_rsa_key_validation=True)  # fmt: skip
    pem = broken.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    path = write_key(tmp_path / "key.json", httpserver.url_for("/token"), pem=pem)
    monkeypatch.setenv(ENV, str(path))
    result = fetch(ga4_source(httpserver))
    assert f"the private_key in the key file {path} is not a valid RSA key" in result.error
    assert result.attempts == 0
    assert httpserver.log == []


def test_a_folder_is_not_a_key_file(httpserver: HTTPServer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path))
    assert (
        fetch(ga4_source(httpserver)).error == f"${ENV} names a folder, not a key file: {tmp_path}"
    )


def test_a_scope_is_required(httpserver: HTTPServer, endpoint: TokenEndpoint) -> None:
    result = fetch(ga4_source(httpserver, auth_param=None))
    assert result.error == (
        "google-service-account auth needs auth_param: the OAuth scope, e.g. "
        "https://www.googleapis.com/auth/analytics.readonly"
    )
    assert endpoint.assertions == []


def test_the_assertion_never_goes_over_plain_http_to_a_remote_host(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch
) -> None:
    key = write_key(tmp_path / "key.json", "http://oauth2.example.com/token")
    monkeypatch.setenv(ENV, str(key))
    result = fetch(ga4_source(httpserver))
    assert result.error == (
        "refusing to send the service-account assertion over plain http to "
        "oauth2.example.com; the key's token_uri must be https"
    )
    assert httpserver.log == []


def test_a_remote_plain_http_api_is_refused_before_asking_for_a_token(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    result = fetch(ga4_source(httpserver, url="http://analyticsdata.example.com/v1beta/x"))
    assert result.error == (
        "refusing to send credentials over plain http to analyticsdata.example.com; use https"
    )
    assert endpoint.assertions == []


def test_without_cryptography_the_error_says_how_to_install_it(
    httpserver: HTTPServer, endpoint: TokenEndpoint, monkeypatch
) -> None:
    for name in [m for m in sys.modules if m == "cryptography" or m.startswith("cryptography.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = fetch(ga4_source(httpserver))
    assert result.error == (
        "google-service-account auth needs the cryptography package: "
        "pip install 'mtui[google]' (or uv sync --extra google)"
    )
    assert httpserver.log == []


# --- the usual failure modes, through the token ------------------------------------


def test_token_endpoint_503_is_retried(httpserver: HTTPServer, tmp_path: Path, monkeypatch) -> None:
    token = TokenEndpoint()
    busy = [Response("busy", status=503)]
    httpserver.expect_request("/token").respond_with_handler(
        lambda request: busy.pop() if busy else token(request)
    )
    serve_report(httpserver, token, "ga4_run_report_totals.json")
    monkeypatch.setenv(ENV, str(write_key(tmp_path / "k.json", httpserver.url_for("/token"))))
    policy, sleep = fast_retry()
    result = fetch(ga4_source(httpserver), retry=policy)
    assert result.ok, result.error
    assert sleep.delays == [1.0]


def test_token_endpoint_down_is_one_line(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch
) -> None:
    httpserver.expect_request("/token").respond_with_data("busy", status=503)
    monkeypatch.setenv(ENV, str(write_key(tmp_path / "k.json", httpserver.url_for("/token"))))
    policy, _sleep = fast_retry()
    result = fetch(ga4_source(httpserver), retry=policy)
    assert result.error == "token request failed: HTTP 503 Service Unavailable (after 3 attempts)"
    assert result.attempts == 3


def test_api_500_and_429_with_retry_after(httpserver: HTTPServer, endpoint: TokenEndpoint) -> None:
    answers = [
        Response("oops", status=500),
        Response("slow down", status=429, headers={"Retry-After": "3"}),
    ]
    ok = bearer_api(endpoint, "ga4_run_report_totals.json")
    httpserver.expect_request(REPORT).respond_with_handler(
        lambda request: answers.pop(0) if answers else ok(request)
    )
    policy, sleep = fast_retry()
    result = fetch(ga4_source(httpserver), retry=policy)
    assert result.ok, result.error
    assert (result.attempts, sleep.delays) == (3, [1.0, 3.0])
    assert len(endpoint.assertions) == 1


def test_api_429_asking_too_long_is_reported(
    httpserver: HTTPServer, endpoint: TokenEndpoint
) -> None:
    httpserver.expect_request(REPORT).respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    policy, _sleep = fast_retry()
    result = fetch(ga4_source(httpserver), retry=policy)
    assert result.error == "HTTP 429 Too Many Requests: server asks to retry in 3600s"


def test_slow_api_and_slow_token_endpoint_time_out(tmp_path: Path, monkeypatch) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response(fixture_bytes("ga4_run_report_totals.json"), mimetype="application/json")

    with threaded_httpserver() as server:
        token = TokenEndpoint()
        server.expect_request("/token").respond_with_handler(token)
        server.expect_request(REPORT).respond_with_handler(slow)
        server.expect_request("/slow-token").respond_with_handler(slow)
        monkeypatch.setenv(ENV, str(write_key(tmp_path / "k.json", server.url_for("/token"))))
        api = fetch(ga4_source(server, timeout_seconds=0.3))
        monkeypatch.setenv(ENV, str(write_key(tmp_path / "k2.json", server.url_for("/slow-token"))))
        tok = fetch(ga4_source(server, timeout_seconds=0.3))
    assert api.error == "timed out after 0.3s"
    assert tok.error == "token request failed: timed out after 0.3s"


def test_a_token_answer_without_a_token(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch
) -> None:
    httpserver.expect_request("/token").respond_with_json({"token_type": "Bearer"})
    monkeypatch.setenv(ENV, str(write_key(tmp_path / "k.json", httpserver.url_for("/token"))))
    assert fetch(ga4_source(httpserver)).error == (
        "the token endpoint answered without an access_token"
    )


# --- nothing secret in what comes back ---------------------------------------------


def test_token_assertion_and_key_are_scrubbed_from_errors_and_logs(
    httpserver: HTTPServer, endpoint: TokenEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pem = rsa_key_pem()
    key_line = pem.splitlines()[5]

    def echo(request: Request) -> Response:
        seen = request.headers.get("Authorization", "")
        body = {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                          "message": f"bad {seen} {key_line} {json.dumps(pem)}"}}  # fmt: skip
        return Response(json.dumps(body), status=400, mimetype="application/json")

    def echo_assertion(request: Request) -> Response:
        assertion = parse_form(request)["assertion"][0]
        body = {"error": f"cannot use {assertion}"}
        return Response(json.dumps(body), status=400, mimetype="application/json")

    httpserver.expect_request(REPORT).respond_with_handler(echo)
    echoed = fetch(ga4_source(httpserver))
    assert echoed.error.startswith("HTTP 400 Bad Request: bad Bearer *** *** ")
    httpserver.clear()
    google.TOKENS.clear()
    httpserver.expect_request("/token").respond_with_handler(echo_assertion)
    refused = fetch(ga4_source(httpserver))
    assert refused.error == "token request failed: HTTP 400 Bad Request: cannot use ***"
    logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    for text in (echoed.error, refused.error, repr(echoed), repr(refused), logs,
                 json.dumps(echoed.to_dict()), json.dumps(refused.to_dict())):  # fmt: skip
        assert "ya29.test-token" not in text
        assert key_line not in text
        assert "BEGIN PRIVATE KEY" not in text
        assert not any(a in text for _h, _c, a in endpoint.assertions)


def parse_form(request: Request) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(request.get_data(as_text=True))


def test_reprs_show_no_key() -> None:
    key = google.load_key(json.dumps(service_account("https://oauth2.googleapis.com/token")), ENV)
    assert "PRIVATE" not in repr(key) and rsa_key_pem().splitlines()[3] not in repr(key)
    assert repr(key) == f"ServiceAccountKey(client_email={CLIENT_EMAIL!r}, origin='${ENV}')"
    assert "ya29" not in repr(google.TOKENS)
