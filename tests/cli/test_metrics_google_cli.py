"""Google service-account sources through the installed ``mtui``: after full polls, the
private key, the signed assertions and the access tokens appear nowhere — not in the
database file or its WAL, not in any output of ``source test``, ``metrics poll`` or
``metrics ls`` (text or ``--json``) — even when the API echoes the token back."""

from __future__ import annotations

import json

import pytest
from werkzeug import Request, Response

from mtui.core.metrics.presets import preset_named
from mtui.core.store import open_store
from tests.support.cli import run_mtui
from tests.support.google import (
    CLIENT_EMAIL,
    GA4_SCOPE,
    TokenEndpoint,
    bearer_api,
    rsa_key_pem,
    service_account,
    write_key,
)
from tests.support.metrics import add_sources, threaded_httpserver

pytestmark = pytest.mark.slow

REPORT = "/v1beta/properties/123456:runReport"
SEARCH = "/webmasters/v3/sites/sc-domain%3Aexample.com/searchAnalytics/query"
SHEET = "/v4/spreadsheets/sheet/values/Summary!A1:D5"


def _echoing_sheet(endpoint: TokenEndpoint):
    """A Sheets API that (badly) puts the token it got into a header cell."""

    def handler(request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in endpoint.issued:
            return Response("{}", status=401, mimetype="application/json")
        body = {"range": "Summary!A1:D5", "majorDimension": "ROWS",
                "values": [["signups", token, f"x {token}"], [12, 3, 4]]}  # fmt: skip
        return Response(json.dumps(body), mimetype="application/json")

    return handler


def _echoing_error(request: Request) -> Response:
    """A Search Console that quotes the credentials it got in its error."""
    seen = request.headers.get("Authorization", "")
    body = {"error": {"code": 400, "message": f"bad request from {seen}",
                      "status": "INVALID_ARGUMENT"}}  # fmt: skip
    return Response(json.dumps(body), status=400, mimetype="application/json")


def _preset(name: str, values: dict[str, str], url: str, env: str) -> dict:
    fields = preset_named(name).source_fields(values)
    return {**fields, "name": name, "url": url, "auth_env": env}


def test_no_key_assertion_or_token_is_stored_or_printed(tmp_path) -> None:
    db = tmp_path / "m.db"
    open_store(db).close()  # `source add` does not create a database
    pem = rsa_key_pem()
    outputs: list[str] = []
    with threaded_httpserver() as server:
        endpoint = TokenEndpoint()
        server.expect_request("/token", method="POST").respond_with_handler(endpoint)
        server.expect_request(REPORT, method="POST").respond_with_handler(
            bearer_api(endpoint, "ga4_run_report_totals.json")
        )
        server.expect_request(SEARCH.replace("%3A", ":"), method="POST").respond_with_handler(
            _echoing_error
        )
        server.expect_request(SHEET, method="GET").respond_with_handler(_echoing_sheet(endpoint))
        key_file = write_key(tmp_path / "key.json", server.url_for("/token"))
        env = {
            "GA4_KEY": str(key_file),  # a path…
            "GOOGLE_KEY": json.dumps(service_account(server.url_for("/token"))),  # …or the JSON
        }
        added = run_mtui(
            "source", "add", "ga4", "--kind", "ga4", "--method", "POST",
            "--url", server.url_for(REPORT), "--header", "Content-Type: application/json",
            "--body", preset_named("ga4").source_fields({"property": "123456"})["body"],
            "--metric", "sessions=sessions", "--metric", "users=totalUsers",
            "--auth", "google-service-account", "--auth-env", "GA4_KEY",
            "--auth-param", GA4_SCOPE, "--json", db=db,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        assert json.loads(added.stdout)["auth_type"] == "google-service-account"
        add_sources(
            db,
            _preset("search_console", {"site": "sc-domain:example.com"},
                    server.url_for(SEARCH), "GOOGLE_KEY"),
            _preset("google_sheets", {"spreadsheet": "sheet" * 5, "range": "Summary!A1:D5"},
                    server.url_for(SHEET), "GOOGLE_KEY"),
        )  # fmt: skip
        for args in (("ga4",), ("ga4", "--json"), ("search-console", "--json"),
                     ("google-sheets", "--json"), ("google-sheets",)):  # fmt: skip
            tested = run_mtui("source", "test", *args, db=db, env=env)
            outputs += [tested.stdout, tested.stderr]
        polled = run_mtui("metrics", "poll", "--json", db=db, env=env)
        outputs += [polled.stdout, polled.stderr]
        results = {r["source"]: r for r in json.loads(polled.stdout)}
        polled_text = run_mtui("metrics", "poll", db=db, env=env)
        outputs += [polled_text.stdout, polled_text.stderr]

    assert results["ga4"]["values"] == {"sessions": 14994.0, "users": 11203.0}
    assert results["ga4"]["ok"] and results["ga4"]["attempts"] == 1
    assert results["search-console"]["error"] == (
        "HTTP 400 Bad Request: bad request from Bearer ***"
    )
    assert results["google-sheets"]["values"] == {"signups": 12.0, "***": 3.0, "x ***": 4.0}
    assert polled.returncode == 1  # search_console failed
    # Each process asks once per key and scope: five tests, then two polls of three
    # sources with three scopes.
    assert {claims["iss"] for _h, claims, _a in endpoint.assertions} == {CLIENT_EMAIL}
    assert len(endpoint.assertions) == len(endpoint.issued) == 5 + 3 * 2
    for args in (("metrics", "ls"), ("metrics", "ls", "--json"), ("source", "ls", "--json")):
        listed = run_mtui(*args, db=db)
        assert listed.returncode == 0, listed.stderr
        outputs += [listed.stdout, listed.stderr]

    secrets = [
        *endpoint.issued,
        *(assertion for _h, _c, assertion in endpoint.assertions),
        *(line for line in pem.splitlines() if len(line) >= 16 and "-----" not in line),
        "PRIVATE KEY",
        "ya29.",
    ]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("m.db*"))
    assert {p.name for p in tmp_path.glob("m.db*")} >= {"m.db"}
    for secret in secrets:
        assert secret.encode() not in stored, secret[:20]
        for output in outputs:
            assert secret not in output, (secret[:20], output)
