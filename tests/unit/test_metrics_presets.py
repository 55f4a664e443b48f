"""Every preset's source, fetched from a local server serving the service's documented
answers, parsed and stored in a real database; and the request each preset sends."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import preset_named, presets
from tests.support.metrics import fixture_bytes
from tests.support.presets import near_ms, poll_preset, preset_source_fields, request_json

SECRET = "preset-secret-5b2c9e7a"


def serve(server: HTTPServer, path: str, fixture: str, method: str, **kw) -> None:
    server.expect_request(path, method=method, **kw).respond_with_data(
        fixture_bytes(fixture), content_type="application/json"
    )


@pytest.fixture(autouse=True)
def _secrets(monkeypatch) -> None:
    for name in ("PLAUSIBLE_API_KEY", "MATOMO_TOKEN", "HUBSPOT_TOKEN", "POSTHOG_API_KEY",
                 "FATHOM_API_KEY", "UMAMI_API_KEY", "STRIPE_API_KEY"):  # fmt: skip
        monkeypatch.setenv(name, SECRET)
    monkeypatch.setenv("MAILCHIMP_AUTH", f"anystring:{SECRET}")


def test_registry_lists_every_preset_with_what_it_needs() -> None:
    expected = {"plausible", "matomo", "mailchimp", "hubspot", "posthog", "fathom", "umami",
                "stripe"}  # fmt: skip
    assert expected <= set(presets())
    for preset in presets().values():
        assert preset.needs and preset.summary and preset.options
        if preset.default_env:
            assert f"${preset.default_env}" in preset.needs


def test_plausible_v2_query(tmp_path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/api/v2/query", "plausible_v2_aggregate.json", "POST",
          headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "plausible", {"site": "example.com"})
    assert polled.result.ok, polled.result.error
    assert request_json(polled.request) == {
        "site_id": "example.com",
        "metrics": ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration"],
        "date_range": "30d",
    }
    assert polled.stored == {"visitors": 3145, "visits": 4011, "pageviews": 9874,
                             "bounce_rate": 52, "visit_duration": 94}  # fmt: skip


def test_plausible_v1_aggregate_over_a_custom_number_of_days(tmp_path, httpserver) -> None:
    serve(httpserver, "/api/v1/stats/aggregate", "plausible_v1_aggregate.json", "GET",
          headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    values = {"site": "example.com", "api": "v1", "period": "14d",
              "metrics": "visitors,pageviews,bounce_rate"}  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "plausible", values)
    assert polled.result.ok, polled.result.error
    today = polled.started.date()
    assert dict(polled.request.args) == {
        "site_id": "example.com",
        "period": "custom",
        "date": f"{today - timedelta(days=13)},{today}",
        "metrics": "visitors,pageviews,bounce_rate",
    }
    assert polled.stored == {"visitors": 201524, "pageviews": 673814, "bounce_rate": 53}


def test_matomo_visits_summary_with_the_token_in_the_body(tmp_path, httpserver) -> None:
    serve(httpserver, "/index.php", "matomo_visits_summary.json", "POST")
    values = {"site": "3", "period": "7d", "metrics": "nb_visits,bounce_rate"}
    polled = poll_preset(tmp_path, httpserver, "matomo", values)
    assert polled.result.ok, polled.result.error
    assert dict(polled.request.args) == {"module": "API", "method": "VisitsSummary.get",
                                         "idSite": "3", "period": "range", "date": "last7",
                                         "format": "JSON"}  # fmt: skip
    assert dict(polled.request.form) == {"token_auth": SECRET}
    assert SECRET not in polled.source.url
    assert polled.stored == {"nb_visits": 1579, "bounce_rate": 67}
    assert polled.result.period == "range:last7"


def test_mailchimp_campaign_report_with_basic_auth(tmp_path, httpserver) -> None:
    serve(httpserver, "/3.0/reports/42694e9e57", "mailchimp_report.json", "GET")
    polled = poll_preset(tmp_path, httpserver, "mailchimp", {"campaign": "42694e9e57"})
    assert polled.result.ok, polled.result.error
    token = base64.b64encode(f"anystring:{SECRET}".encode()).decode()
    assert polled.request.headers["Authorization"] == f"Basic {token}"
    assert polled.stored == {"emails_sent": 12500, "unique_opens": 4560, "open_rate": 0.3648,
                             "clicks": 1210, "click_rate": 0.0642}  # fmt: skip


def test_mailchimp_url_comes_from_the_data_center() -> None:
    fields = preset_source_fields("mailchimp", {"campaign": "abc", "dc": "us21"})
    assert fields["url"] == "https://us21.api.mailchimp.com/3.0/reports/abc"
    assert fields["auth_env"] == "MAILCHIMP_AUTH"
    with pytest.raises(ValidationError, match="dc=us21"):
        preset_source_fields("mailchimp", {"campaign": "abc"})


@pytest.mark.parametrize(
    ("metric", "obj", "fixture", "expected", "properties"),
    [
        ("new_contacts", "contacts", "hubspot_search_contacts.json", 128, ["createdate"]),
        ("mqls", "contacts", "hubspot_search_contacts.json", 128,
         ["hs_lifecyclestage_marketingqualifiedlead_date"]),
        ("deals_won", "deals", "hubspot_search_deals.json", 7, ["hs_is_closed_won", "closedate"]),
    ],
)  # fmt: skip
def test_hubspot_counts_from_crm_search(tmp_path, httpserver, metric, obj, fixture, expected,
                                        properties) -> None:  # fmt: skip
    serve(httpserver, f"/crm/v3/objects/{obj}/search", fixture, "POST",
          headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "hubspot", {"metrics": metric, "period": "7d"})
    assert polled.result.ok, polled.result.error
    body = request_json(polled.request)
    [group] = body["filterGroups"]
    assert [f["propertyName"] for f in group["filters"]] == properties
    since = group["filters"][-1]
    assert since["operator"] == "GTE"
    assert near_ms(since["value"], polled.started - timedelta(days=7))
    assert body["limit"] == 1
    assert polled.stored == {metric: expected}


def test_hubspot_missing_scope_is_one_line_naming_the_variable(tmp_path, httpserver) -> None:
    httpserver.expect_request("/crm/v3/objects/deals/search", method="POST").respond_with_data(
        fixture_bytes("hubspot_error_missing_scopes.json"), status=403,
        content_type="application/json",
    )  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "hubspot", {"metrics": "deals_won"})
    assert not polled.result.ok
    assert polled.result.error.startswith("HTTP 403 Forbidden: This app hasn't been granted")
    assert "$HUBSPOT_TOKEN" in polled.result.error
    assert "\n" not in polled.result.error


def test_hubspot_reads_one_count_per_source() -> None:
    with pytest.raises(ValidationError, match="one count per source"):
        preset_source_fields("hubspot", {"metrics": "new_contacts,mqls"})


def test_posthog_hogql_query(tmp_path, httpserver) -> None:
    serve(httpserver, "/api/projects/12345/query/", "posthog_hogql_query.json", "POST",
          headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "posthog", {"project": "12345", "period": "30d"})
    assert polled.result.ok, polled.result.error
    body = request_json(polled.request)
    assert body["query"] == {
        "kind": "HogQLQuery",
        "query": "SELECT count() AS events, count(DISTINCT person_id) AS people FROM events "
        "WHERE event = '$pageview' AND timestamp >= now() - INTERVAL 30 DAY",
    }
    assert polled.stored == {"events": 48213, "people": 9120}


def test_posthog_own_query_names_its_columns() -> None:
    fields = preset_source_fields("posthog", {"project": "7", "query": "SELECT count() FROM events",
                                              "metrics": "signups"})  # fmt: skip
    assert fields["selectors"] == {"signups": "results[0][0]"}
    assert fields["url"] == "https://us.posthog.com/api/projects/7/query/"


@pytest.mark.parametrize("fixture", ["fathom_aggregation.json", "fathom_aggregation_array.json"])
def test_fathom_aggregation(tmp_path, httpserver, fixture) -> None:
    serve(httpserver, "/v1/aggregations", fixture, "GET",
          headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    polled = poll_preset(tmp_path, httpserver, "fathom", {"site": "CDBUGS", "period": "7d"})
    assert polled.result.ok, polled.result.error
    args = dict(polled.request.args)
    since = datetime.strptime(args.pop("date_from"), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert abs((since - (polled.started - timedelta(days=7))).total_seconds()) < 120
    assert args == {"entity": "pageview", "entity_id": "CDBUGS", "timezone": "UTC",
                    "aggregates": "visits,uniques,pageviews,avg_duration,bounce_rate"}  # fmt: skip
    assert polled.stored == {"visits": 5120, "uniques": 4210, "pageviews": 15420,
                             "avg_duration": 71.5, "bounce_rate": 0.42}  # fmt: skip


@pytest.mark.parametrize("fixture", ["umami_stats.json", "umami_stats_comparison.json"])
def test_umami_cloud_stats_with_the_api_key_header(tmp_path, httpserver, fixture) -> None:
    website = "86d4095c-a2a8-4fc8-9521-103e858e2b41"
    serve(httpserver, f"/websites/{website}/stats", fixture, "GET",
          headers={"x-umami-api-key": SECRET})  # fmt: skip
    # The test server stands in for https://api.umami.is/v1, so say which auth Cloud uses.
    polled = poll_preset(tmp_path, httpserver, "umami", {"site": website, "auth": "api-key"})
    assert polled.result.ok, polled.result.error
    args = polled.request.args
    assert near_ms(args["startAt"], polled.started - timedelta(days=30))
    assert near_ms(args["endAt"], polled.started)
    assert polled.stored == {"pageviews": 15420, "visitors": 4210, "visits": 5120,
                             "bounces": 2310, "totaltime": 612340}  # fmt: skip


def test_umami_defaults_to_the_cloud_key_and_self_hosted_to_a_bearer_token() -> None:
    cloud = preset_source_fields("umami", {"site": "w1"})
    assert (cloud["auth_type"], cloud["auth_param"]) == ("header", "x-umami-api-key")
    assert cloud["url"].startswith("https://api.umami.is/v1/websites/w1/stats?startAt={{")
    hosted = preset_source_fields("umami", {"site": "w1", "url": "https://umami.example.com/api"})
    assert hosted["auth_type"] == "bearer"


def test_stripe_preset_writes_a_stripe_source() -> None:
    fields = preset_source_fields("stripe", {"period": "7d", "currency": "EUR"})
    assert (fields["kind"], fields["url"], fields["auth_env"]) == (
        "stripe", "https://api.stripe.com/v1", "STRIPE_API_KEY")  # fmt: skip
    assert fields["selectors"] == {"new_customers": "new_customers(7d)", "trials": "trials(7d)",
                                   "active_subscriptions": "active_subscriptions",
                                   "mrr": "mrr(eur)"}  # fmt: skip
    assert fields["interval_seconds"] == 3600


@pytest.mark.parametrize(
    ("preset", "values", "message"),
    [
        ("plausible", {}, "needs --set site="),
        ("plausible", {"site": "a.example", "colour": "red"}, "has no option 'colour'"),
        ("plausible", {"site": "a.example", "period": "fortnight"}, "is not Nd"),
        ("fathom", {"site": "CDBUGS", "metrics": "visits,revenue"}, "no metric 'revenue'"),
        ("matomo", {"url": "https://m.example", "site": "one"}, "not a Matomo site id"),
        ("stripe", {"metrics": "mrr", "currency": "euro"}, "3 letters"),
    ],
)
def test_preset_options_are_checked(preset, values, message) -> None:
    with pytest.raises(ValidationError, match=message):
        preset_named(preset).source_fields(values)
