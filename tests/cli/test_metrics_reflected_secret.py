"""Item 13: a server that echoes the credential back into what becomes a period, a
metric key or a CSV header must not get it stored or printed (real server, installed
``mtui``, the database file's bytes)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest
from werkzeug import Request, Response

from tests.support.cli import new_db, run_mtui
from tests.support.metrics import add_sources, threaded_httpserver

pytestmark = pytest.mark.slow

PASSWORD = "Zq9/reflect+me=ok~tok"
USER_SECRET = f"mtui-user:{PASSWORD}"
FORMS = (
    PASSWORD,
    quote(PASSWORD, safe=""),
    quote_plus(PASSWORD),
    base64.b64encode(USER_SECRET.encode()).decode(),
    "reflect+me",  # a telling piece of the secret, as a smoke alarm for partial leaks
)
ENV = {"MTUI_BEARER": PASSWORD, "MTUI_QUERY": PASSWORD, "MTUI_BASIC": USER_SECRET}


def _plausible(request: Request) -> Response:
    """Plausible v2-like: the bearer value as the period, raw and URL-encoded."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    body = {
        "results": [{"metrics": [42], "dimensions": []}],
        "query": {"metrics": ["visitors"], "date_range": [token, quote(token, safe="")]},
    }
    return Response(json.dumps(body), content_type="application/json")


def _matomo(request: Request) -> Response:
    """Matomo-like: the query secret (raw and as it came on the wire) as metric keys."""
    token = request.args.get("token_auth", "")
    wire = request.query_string.decode().split("token_auth=", 1)[1].split("&", 1)[0]
    body = {"nb_visits": 7, token: 1, f"x_{wire}": 2, "y_" + "k" * 5000: 3}
    return Response(json.dumps(body), content_type="application/json")


def _sheet(request: Request) -> Response:
    """A CSV whose headers quote the Basic credentials, decoded and encoded."""
    encoded = request.headers.get("Authorization", "").removeprefix("Basic ")
    password = base64.b64decode(encoded).decode().split(":", 1)[1]
    text = f"date,signups,{password},{encoded}\n2026-11-25,12,3,4\n"
    return Response(text, content_type="text/csv")


def test_a_reflected_secret_is_never_stored_or_shown(tmp_path) -> None:
    db = new_db(tmp_path / "m.db")
    outputs: list[str] = []
    with threaded_httpserver() as server:
        server.expect_request("/plausible").respond_with_handler(_plausible)
        server.expect_request("/matomo").respond_with_handler(_matomo)
        server.expect_request("/sheet.csv").respond_with_handler(_sheet)
        adds = [
            ("plaus", "plausible", "/plausible", "bearer", "MTUI_BEARER"),
            ("mato", "matomo", "/matomo", "query", "MTUI_QUERY"),
            ("sheet", "csv", "/sheet.csv", "basic", "MTUI_BASIC"),
        ]
        # Saved directly (``mtui source add`` is tested in test_metrics_cli.py); what is
        # tested here is what the installed mtui does with the answers.
        add_sources(db, *(
            {"name": name, "kind": kind, "url": server.url_for(path), "auth_type": auth,
             "auth_env": env_name, "interval_seconds": 300}
            for name, kind, path, auth, env_name in adds
        ))  # fmt: skip
        for name, *_ in adds:
            tested = run_mtui("source", "test", name, db=db, env=ENV)
            outputs += [tested.stdout, tested.stderr]
            tested_json = run_mtui("source", "test", name, "--json", db=db, env=ENV)
            outputs += [tested_json.stdout, tested_json.stderr]
        polled = run_mtui("metrics", "poll", "--json", db=db, env=ENV)
        outputs += [polled.stdout, polled.stderr]
        assert polled.returncode == 0, polled.stdout + polled.stderr
        results = {r["source"]: r for r in json.loads(polled.stdout)}
        assert results["plaus"]["values"] == {"visitors": 42.0}
        assert results["mato"]["values"]["nb_visits"] == 7.0
        assert results["sheet"]["values"]["signups"] == 12.0
        assert all(len(k) <= 64 for r in results.values() for k in r["values"])
        assert all(len(r["period"] or "") <= 80 for r in results.values())
        polled_text = run_mtui("metrics", "poll", db=db, env=ENV)
        outputs += [polled_text.stdout, polled_text.stderr]

    for args in (("metrics", "ls"), ("metrics", "ls", "--json"), ("source", "ls", "--json")):
        listed = run_mtui(*args, db=db)
        assert listed.returncode == 0, listed.stderr
        outputs += [listed.stdout, listed.stderr]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("m.db*"))
    for form in FORMS:
        assert form.encode() not in stored, form
        for output in outputs:
            assert form not in output, (form, output)
