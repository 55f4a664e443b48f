"""``mtui source presets`` and ``mtui source add --preset`` as a user runs them: the
installed ``mtui``, a local server standing in for Stripe, and no secret anywhere."""

from __future__ import annotations

import json

import pytest
from werkzeug import Request, Response

from mtui.core.metrics.presets import presets
from tests.support.cli import new_db, run_mtui
from tests.support.metrics import fixture_bytes, stored_sources, threaded_httpserver

pytestmark = pytest.mark.slow
SECRET = "rk_test_cli9f8e7d6c5b4a3secret"


def test_source_presets_lists_what_each_preset_needs() -> None:
    listed = run_mtui("source", "presets", "--json")
    assert listed.returncode == 0, listed.stderr
    records = {r["name"]: r for r in json.loads(listed.stdout)}
    assert set(records) == set(presets())
    assert {"ga4", "search_console", "google_sheets", "plausible", "stripe"} <= set(records)
    assert records["ga4"]["auth_env"] == "GA4_KEY"
    stripe = records["stripe"]
    assert stripe["auth_env"] == "STRIPE_API_KEY"
    assert "Customers and Subscriptions" in stripe["needs"]
    period = next(o for o in stripe["options"] if o["name"] == "period")
    assert (period["flag"], period["default"], period["required"]) == ("--period", "30d", False)
    campaign = next(o for o in records["mailchimp"]["options"] if o["name"] == "campaign")
    assert (campaign["flag"], campaign["required"]) == ("--campaign", True)

    text = run_mtui("source", "presets")
    assert text.returncode == 0, text.stderr
    for name, record in records.items():
        assert f"{name}  {record['summary']}" in text.stdout
    assert "--set dc=" in text.stdout and "needs: a restricted key" in text.stdout


def test_a_stripe_preset_source_from_add_to_poll_keeps_the_secret_out(tmp_path) -> None:
    db = new_db(tmp_path / "m.db")  # source add does not create a database
    env = {"MY_STRIPE_KEY": SECRET}

    def answer(request: Request) -> Response:
        if request.path.endswith("/customers"):  # always one more page: the limit stops it
            body = fixture_bytes("stripe_customers_page1.json")
        elif request.args.get("status") == "all":
            body = fixture_bytes("stripe_subscriptions_created.json")
        else:
            body = fixture_bytes("stripe_subscriptions_active.json")
        return Response(body, mimetype="application/json")

    with threaded_httpserver() as server:
        for path in ("/v1/customers", "/v1/subscriptions"):
            server.expect_request(path, headers={"Authorization": f"Bearer {SECRET}"}
                                  ).respond_with_handler(answer)  # fmt: skip
        added = run_mtui("source", "add", "Revenue", "--preset", "stripe", "--url",
                         server.url_for("").rstrip("/"), "--period", "7d", "--set",
                         "currency=eur", "--auth-env", "MY_STRIPE_KEY", "--json", db=db)  # fmt: skip
        assert added.returncode == 0, added.stderr
        record = json.loads(added.stdout)
        assert (record["kind"], record["auth_env"], record["preset"]) == (
            "stripe", "MY_STRIPE_KEY", "stripe")  # fmt: skip
        assert record["metrics"]["mrr"] == "mrr(eur)"

        listed = run_mtui("source", "ls", db=db)
        assert "[stripe]" in listed.stdout and "auth bearer from $MY_STRIPE_KEY" in listed.stdout
        assert "metrics: new_customers=new_customers(7d), trials=trials(7d)" in listed.stdout

        tested = run_mtui("source", "test", "revenue", db=db, env=env)
        assert tested.returncode == 0, tested.stderr
        assert "partial: new_customers" in tested.stdout
        assert "would store revenue.mrr = 283.58" in tested.stdout
        assert ("would store revenue.new_customers = 40  (partial: the real value is higher)"
                in tested.stdout)  # fmt: skip
        assert "note: partial: read only the first 40 customers" in tested.stdout

        tested_json = run_mtui("source", "test", "revenue", "--json", db=db, env=env)
        assert json.loads(tested_json.stdout)["notes"][0].startswith("partial: read only")

        polled = run_mtui("metrics", "poll", "--json", db=db, env=env)
        assert polled.returncode == 0, polled.stderr
        [result] = json.loads(polled.stdout)
        assert result["partial"] == ["new_customers"]
        assert result["values"]["active_subscriptions"] == 5

    outputs = [added.stdout, listed.stdout, tested.stdout, tested_json.stdout, polled.stdout]
    outputs += [run_mtui(*args, "--json", db=db).stdout
                for args in (("source", "ls"), ("metrics", "ls"))]  # fmt: skip
    for output in outputs:
        assert SECRET not in output
    files = list(tmp_path.glob("m.db*"))  # the database, and its -wal and -shm if left
    assert db in files
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in files)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nope"], "no preset named 'nope'"),
        (["--preset", "plausible", "--site", "a.example", "--kind", "json"],
         "--kind cannot be combined with --preset"),
        (["--kind", "json", "--url", "https://x.example", "--site", "a.example"],
         "--site is a preset option"),
        (["--preset", "plausible"], "preset plausible needs --set site="),
        (["--url", "https://x.example"], "--kind is needed (or --preset NAME"),
    ],
)  # fmt: skip
def test_source_add_preset_mistakes_are_one_line(tmp_path, args, message) -> None:
    result = run_mtui("source", "add", "s", *args, db=new_db(tmp_path / "m.db"))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert stored_sources(tmp_path / "m.db") == []


def test_source_add_without_a_preset_still_spells_the_request_out(tmp_path) -> None:
    result = run_mtui("source", "add", "plain", "--kind", "json", "--url",
                      "https://api.example/x?from={{today-6d:date}}", "--metric", "v=total",
                      "--auth", "bearer", "--auth-env", "TOKEN", "--json",
                      db=new_db(tmp_path / "m.db"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["method"], record["metrics"], "preset" in record) == (
        "GET",
        {"v": "total"},
        False,
    )
    assert record["url"].endswith("from={{today-6d:date}}")
