"""The ``stripe`` kind: paging, the page limit, MRR, rate limits and Stripe's errors,
against a local server serving Stripe's documented list and error objects."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mtui.core.errors import ValidationError
from mtui.core.metrics import FetchResult, fetch_source
from mtui.core.metrics.fetching.kinds.stripe import MAX_PAGES, monthly_amounts, to_major
from mtui.core.metrics.sources import check_source
from tests.support.metrics import fast_retry, fixture_bytes, make_source
from tests.support.presets import poll_preset

KEY = "rk_test_51Nv0FGQ9RKHgCVdK7dc6"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", KEY)


def stripe_source(server: HTTPServer, **selectors: str):
    return make_source(server.url_for("/v1"), kind="stripe", auth_type="bearer",
                       auth_env="STRIPE_API_KEY", selectors=selectors)  # fmt: skip


def fetch(source, **kw) -> FetchResult:
    async def run() -> FetchResult:
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source, now=NOW, **kw)

    return asyncio.run(run())


def json_response(fixture: str, status: int = 200, **headers: str) -> Response:
    return Response(fixture_bytes(fixture), status=status, headers=headers,
                    mimetype="application/json")  # fmt: skip


class Recorder:
    """A handler that answers by a function of the request and keeps every request."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        return self.answer(request, len(self.requests))


def test_new_customers_pages_through_three_pages(httpserver: HTTPServer) -> None:
    pages = {None: "stripe_customers_page1.json", "cus_Q0002aBcDeF": "stripe_customers_page2.json",
             "cus_Q0004aBcDeF": "stripe_customers_page3.json"}  # fmt: skip
    recorder = Recorder(
        lambda request, _n: json_response(pages[request.args.get("starting_after")])
    )
    httpserver.expect_request("/v1/customers", method="GET").respond_with_handler(recorder)
    result = fetch(stripe_source(httpserver, new_customers="new_customers(7d)"))
    assert result.ok, result.error
    assert result.values == {"new_customers": 5.0}
    assert (result.attempts, result.partial, result.period) == (3, (), "7d")
    assert [r.args.get("starting_after") for r in recorder.requests] == [
        None, "cus_Q0002aBcDeF", "cus_Q0004aBcDeF"]  # fmt: skip
    since = int((NOW - timedelta(days=7)).timestamp())
    for request in recorder.requests:
        assert request.args["created[gte]"] == str(since)
        assert request.args["limit"] == "100"
        assert request.headers["Authorization"] == f"Bearer {KEY}"


def test_the_page_limit_stops_reading_and_marks_the_value_partial(httpserver) -> None:
    recorder = Recorder(lambda _request, _n: json_response("stripe_customers_page1.json"))
    httpserver.expect_request("/v1/customers").respond_with_handler(recorder)
    result = fetch(stripe_source(httpserver, new_customers="new_customers(30d)"))
    assert result.ok, result.error
    assert len(recorder.requests) == MAX_PAGES == 20
    assert result.values == {"new_customers": 40.0}
    assert result.partial == ("new_customers",)
    assert result.notes == (
        "partial: read only the first 40 customers (20 pages of 100); the real value is higher",
    )
    assert result.to_dict()["partial"] == ["new_customers"]


def test_default_metrics_counts_trials_and_mrr(tmp_path, httpserver) -> None:
    def answer(request: Request, _n: int) -> Response:
        if request.path.endswith("/customers"):
            return json_response("stripe_customers_page3.json")
        if request.args["status"] == "all":
            return json_response("stripe_subscriptions_created.json")
        return json_response("stripe_subscriptions_active.json")

    recorder = Recorder(answer)
    httpserver.expect_request("/v1/customers").respond_with_handler(recorder)
    httpserver.expect_request("/v1/subscriptions").respond_with_handler(recorder)
    polled = poll_preset(tmp_path, httpserver, "stripe",
                         {"metrics": "new_customers,trials,active_subscriptions,mrr"})  # fmt: skip
    assert polled.result.ok, polled.result.error
    # 49 + 2×490/12 + 120/3 + 5×52/12 + 3×1×365/12 euros; the metered item has no amount.
    assert polled.stored == {"new_customers": 1, "trials": 3, "active_subscriptions": 5,
                             "mrr": 283.58}  # fmt: skip
    assert polled.result.notes == (
        "mrr: 1 subscription item(s) without a fixed monthly price (metered or tiered) "
        "are not counted",
    )
    statuses = sorted(r.args.get("status", "-") for r in recorder.requests)
    assert statuses == ["-", "active", "all"], "each list is read once"
    created = [r for r in recorder.requests if "created[gte]" in r.args]
    assert len(created) == 2  # customers and subscriptions created in the period


def test_a_rate_limit_answer_is_waited_for_then_retried(httpserver) -> None:
    def answer(_request: Request, n: int) -> Response:
        if n == 1:
            return json_response("stripe_error_rate_limit.json", 429, **{
                "Retry-After": "2", "Stripe-Rate-Limited-Reason": "global-rate"})  # fmt: skip
        return json_response("stripe_customers_page3.json")

    recorder = Recorder(answer)
    httpserver.expect_request("/v1/customers").respond_with_handler(recorder)
    retry, sleep = fast_retry()
    result = fetch(stripe_source(httpserver, new_customers="new_customers(today)"), retry=retry)
    assert result.ok, result.error
    assert (result.values, result.attempts, sleep.delays) == ({"new_customers": 1.0}, 2, [2.0])
    midnight = int(NOW.replace(hour=0).timestamp())
    assert recorder.requests[-1].args["created[gte]"] == str(midnight)


def test_a_rate_limit_that_persists_says_to_poll_less_often(httpserver) -> None:
    httpserver.expect_request("/v1/customers").respond_with_data(
        fixture_bytes("stripe_error_rate_limit.json"), status=429,
        content_type="application/json")  # fmt: skip
    retry, sleep = fast_retry()
    result = fetch(stripe_source(httpserver, new_customers="new_customers"), retry=retry)
    assert not result.ok
    assert result.error == (
        "Stripe is rate-limiting this account (HTTP 429 Too Many Requests (after 3 attempts)); "
        "poll less often, e.g. --interval 1h, or read fewer metrics per source"
    )
    assert (result.attempts, sleep.delays) == (3, [1.0, 2.0])


@pytest.mark.parametrize(
    ("fixture", "status", "expected"),
    [
        ("stripe_error_invalid_key.json", 401,
         "Stripe refused the key in $STRIPE_API_KEY (HTTP 401: Invalid API Key provided: "
         "rk_test_…7dc6); put a valid restricted key"),
        ("stripe_error_permission.json", 403,
         "the Stripe key in $STRIPE_API_KEY may not read Subscriptions (HTTP 403) "
         "(rak_subscription_read): give the restricted key 'Subscriptions: Read' in "
         "Dashboard → Developers → API keys"),
    ],
)  # fmt: skip
def test_stripe_errors_say_what_to_fix_in_one_line(httpserver, fixture, status, expected) -> None:
    httpserver.expect_request("/v1/subscriptions").respond_with_data(
        fixture_bytes(fixture), status=status, content_type="application/json")  # fmt: skip
    result = fetch(stripe_source(httpserver, active="active_subscriptions"))
    assert not result.ok
    assert result.error.startswith(expected)
    assert "\n" not in result.error and KEY not in result.error
    assert result.attempts == 1
    if status == 401:
        assert result.error.endswith("put a valid restricted key (rk_live_… or rk_test_…) there")


def test_mrr_in_several_currencies_asks_for_one(httpserver) -> None:
    body = json.loads(fixture_bytes("stripe_subscriptions_active.json"))
    body["data"][0]["items"]["data"][0]["price"]["currency"] = "usd"
    httpserver.expect_request("/v1/subscriptions").respond_with_json(body)
    mixed = fetch(stripe_source(httpserver, mrr="mrr"))
    assert not mixed.ok
    assert mixed.error == ("metric 'mrr': subscriptions in several currencies (eur, usd); "
                           "write mrr=mrr(CURRENCY), one source metric per currency")  # fmt: skip
    only_usd = fetch(stripe_source(httpserver, mrr="mrr(usd)"))
    assert only_usd.values == {"mrr": 49.0}


def test_amounts_become_major_units_per_currency() -> None:
    assert to_major(4900, "eur") == 49
    assert to_major(4900, "jpy") == 4900
    assert to_major(4900, "kwd") == 4.9
    yearly_yen = {"items": {"data": [{"quantity": 1, "price": {
        "currency": "jpy", "unit_amount": 12000,
        "recurring": {"interval": "year", "interval_count": 1, "usage_type": "licensed"}}}],
        "has_more": True}}  # fmt: skip
    assert monthly_amounts([yearly_yen]) == ({"jpy": 1000.0}, 0, True)


@pytest.mark.parametrize("selector", ["revenue", "new_customers(7 days)", "mrr(euro)",
                                      "active_subscriptions(7d)", "trials(0d)"])  # fmt: skip
def test_bad_stripe_selectors_are_refused_when_added(selector) -> None:
    fields = {"name": "s", "kind": "stripe", "url": "https://api.stripe.com/v1",
              "selectors": {"x": selector}, "auth_type": "bearer",
              "auth_env": "STRIPE_API_KEY"}  # fmt: skip
    with pytest.raises(ValidationError, match="stripe selector"):
        check_source(fields, [])
