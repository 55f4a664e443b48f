"""Every source kind, fetched from a real local HTTP server serving recorded responses."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pytest_httpserver import HTTPServer

from mtui.core.metrics import FetchResult, fetch_source
from tests.support.metrics import fixture_bytes, make_source


def fetch(source) -> FetchResult:
    async def run() -> FetchResult:
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source)

    return asyncio.run(run())


def serve(server: HTTPServer, path: str, fixture: str, method: str = "GET", **kw) -> str:
    content_type = "text/csv" if fixture.endswith(".csv") else "application/json"
    server.expect_request(path, method=method, **kw).respond_with_data(
        fixture_bytes(fixture), content_type=content_type
    )
    return server.url_for(path)


def test_ga4_run_report_as_json_source(httpserver: HTTPServer, monkeypatch) -> None:
    monkeypatch.setenv("GA4_TOKEN", "ya29.test-token")
    url = serve(
        httpserver,
        "/v1beta/properties/123:runReport",
        "ga4_run_report.json",
        method="POST",
        headers={"Authorization": "Bearer ya29.test-token"},
    )
    source = make_source(
        url,
        method="POST",
        body=json.dumps({"metrics": [{"name": "sessions"}]}),
        auth_type="bearer",
        auth_env="GA4_TOKEN",
        selectors={
            "sessions": "rows[0].metricValues[0].value",
            "conversions": "rows[0].metricValues[1].value",
            "revenue": "rows[0].metricValues[2].value",
            "total_revenue": "totals[0].metricValues[2].value",
            "organic_sessions": "rows[-1].metricValues[0].value",
        },
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {
        "sessions": 5120.0,
        "conversions": 312.0,
        "revenue": 18450.5,
        "total_revenue": 28352.5,
        "organic_sessions": 9874.0,
    }
    assert result.error is None
    assert result.attempts == 1
    assert result.fetched_at.endswith("+00:00")


def test_mailchimp_report_as_json_source_with_basic_auth(
    httpserver: HTTPServer, monkeypatch
) -> None:
    monkeypatch.setenv("MAILCHIMP_CREDS", "anystring:abc123-us21")
    url = serve(
        httpserver,
        "/3.0/reports/42694e9e57",
        "mailchimp_report.json",
        headers={"Authorization": "Basic YW55c3RyaW5nOmFiYzEyMy11czIx"},
    )
    source = make_source(
        url,
        auth_type="basic",
        auth_env="MAILCHIMP_CREDS",
        selectors={
            "emails_sent": "emails_sent",
            "open_rate": "opens.open_rate",
            "click_rate": "clicks.click_rate",
            "unique_clicks": "clicks.unique_clicks",
            "industry_open_rate": "industry_stats.open_rate",
        },
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {
        "emails_sent": 12500.0,
        "open_rate": 0.3648,
        "click_rate": 0.0642,
        "unique_clicks": 880.0,
        "industry_open_rate": 0.2197,
    }


def test_json_source_missing_path_names_the_missing_element(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/report", "mailchimp_report.json")
    result = fetch(make_source(url, selectors={"opens": "opens.unique_opens", "ctr": "clicks.ctr"}))
    assert not result.ok
    assert result.values == {"opens": 4560.0}  # the good metric is still read
    assert "metric 'ctr'" in result.error
    assert "no key 'ctr'" in result.error


def test_json_source_without_selectors_is_an_error(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/report", "mailchimp_report.json")
    result = fetch(make_source(url))
    assert not result.ok
    assert "needs selectors" in result.error


def test_plausible_v1_aggregate_defaults_to_every_metric(
    httpserver: HTTPServer, monkeypatch
) -> None:
    monkeypatch.setenv("PLAUSIBLE_KEY", "plausible-key-1")
    url = serve(
        httpserver,
        "/api/v1/stats/aggregate",
        "plausible_v1_aggregate.json",
        query_string={
            "site_id": "acme.example",
            "period": "30d",
            "metrics": "visitors,pageviews,bounce_rate,visit_duration",
        },
        headers={"Authorization": "Bearer plausible-key-1"},
    )
    source = make_source(
        url
        + "?site_id=acme.example&period=30d&metrics=visitors,pageviews,bounce_rate,visit_duration",
        kind="plausible",
        auth_type="bearer",
        auth_env="PLAUSIBLE_KEY",
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {
        "bounce_rate": 53.0,
        "pageviews": 673814.0,
        "visit_duration": 86.0,
        "visitors": 201524.0,
    }
    assert result.period == "30d"


def test_plausible_v1_aggregate_with_path_and_name_selectors(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/api/v1/stats/aggregate", "plausible_v1_aggregate.json")
    source = make_source(
        url,
        kind="plausible",
        selectors={"people": "results.visitors.value", "views": "pageviews"},
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {"people": 201524.0, "views": 673814.0}


def test_plausible_v1_timeseries_sums_by_default_and_reads_last_day(
    httpserver: HTTPServer,
) -> None:
    url = serve(httpserver, "/api/v1/stats/timeseries", "plausible_v1_timeseries.json")
    default = fetch(make_source(url, kind="plausible"))
    assert default.ok, default.error
    assert default.values == {"visitors": 3608 + 3912 + 4104 + 3877 + 4420 + 2950 + 2711}
    picked = fetch(
        make_source(
            url,
            kind="plausible",
            selectors={
                "today": "visitors",
                "peak": "max(visitors)",
                "nov19": "visitors@date=2026-11-19",
            },
        )
    )
    assert picked.values == {"today": 2711.0, "peak": 4420.0, "nov19": 3877.0}


def test_plausible_v2_query_sums_rows_in_requested_metric_order(httpserver: HTTPServer) -> None:
    body = {
        "site_id": "acme.example",
        "metrics": ["visitors", "events"],
        "date_range": "7d",
        "dimensions": ["time:day"],
    }
    url = serve(httpserver, "/api/v2/query", "plausible_v2_query.json", method="POST", json=body)
    result = fetch(make_source(url, kind="plausible", method="POST", body=json.dumps(body)))
    assert result.ok, result.error
    assert result.values == {"visitors": 223 + 240 + 198, "events": 255 + 281 + 230}
    assert result.period == "2026-11-20T00:00:00Z/2026-11-22T23:59:59Z"

    last = fetch(
        make_source(
            url,
            kind="plausible",
            method="POST",
            body=json.dumps(body),
            selectors={
                "events_last_day": "last(events)",
                "visitors_21st": "visitors@time:day=2026-11-21",
            },
        )
    )
    assert last.values == {"events_last_day": 230.0, "visitors_21st": 240.0}


def test_matomo_visits_summary_token_in_post_body(httpserver: HTTPServer, monkeypatch) -> None:
    monkeypatch.setenv("MATOMO_TOKEN", "matomo-token-xyz")
    query = "module=API&method=VisitsSummary.get&idSite=1&period=day&date=yesterday"
    httpserver.expect_request(
        "/index.php",
        method="POST",
        query_string=query + "&format=JSON",
        data="token_auth=matomo-token-xyz",
    ).respond_with_data(
        fixture_bytes("matomo_visits_summary.json"), content_type="application/json"
    )
    source = make_source(
        httpserver.url_for("/index.php") + "?" + query,
        kind="matomo",
        auth_type="body",
        auth_env="MATOMO_TOKEN",
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values["nb_visits"] == 1579.0
    assert result.values["nb_uniq_visitors"] == 1518.0
    assert result.values["bounce_rate"] == 67.0  # "67%" coerced, percent scale kept
    assert result.values["avg_time_on_site"] == 165.0
    assert len(result.values) == 11
    assert result.period == "day:yesterday"


def test_matomo_selectors_pick_fields_and_rows(httpserver: HTTPServer) -> None:
    rows = [
        {"label": "Direct Entry", "nb_visits": 610, "bounce_rate": "60%"},
        {"label": "Search Engines", "nb_visits": 702, "bounce_rate": "48%"},
    ]
    httpserver.expect_request("/index.php").respond_with_json(rows)
    source = make_source(
        httpserver.url_for("/index.php") + "?module=API&method=Referrers.getReferrerType",
        kind="matomo",
        selectors={
            "search_visits": "nb_visits@label=search engines",
            "all_visits": "sum(nb_visits)",
            "first_bounce": "[0].bounce_rate",
        },
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {"search_visits": 702.0, "all_visits": 1312.0, "first_bounce": 60.0}


def test_csv_sheet_selectors(httpserver: HTTPServer) -> None:
    url = serve(
        httpserver, "/pub", "sheet_published.csv", query_string="gid=0&single=true&output=csv"
    )
    source = make_source(
        url + "?gid=0&single=true&output=csv",
        kind="csv",
        selectors={
            "last_signups": "signups",
            "linkedin_last_clicks": "clicks@channel=linkedin",
            "total_signups": "sum(signups)",
            "linkedin_spend": "sum(spend@channel=linkedin)",
            "google_19th": "impressions@channel=google&date=2026-11-19",
            "rows_linkedin": "count(date@channel=LinkedIn)",
            "avg_clicks": "mean(clicks)",
        },
    )
    result = fetch(source)
    assert result.ok, result.error
    assert result.values["last_signups"] == 25.0
    assert result.values["linkedin_last_clicks"] == 230.0
    assert result.values["total_signups"] == 9 + 21 + 11 + 19 + 12 + 25
    assert result.values["linkedin_spend"] == pytest.approx(120.50 + 118.20 + 130.00)
    assert result.values["google_19th"] == 21560.0
    assert result.values["rows_linkedin"] == 3.0
    assert result.values["avg_clicks"] == pytest.approx((212 + 540 + 205 + 512 + 230 + 566) / 6)


def test_csv_without_selectors_reads_numeric_columns_of_last_row(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/pub", "sheet_published.csv")
    result = fetch(make_source(url, kind="csv"))
    assert result.ok, result.error
    assert result.values == {
        "spend": 220.10,
        "impressions": 23400.0,
        "clicks": 566.0,
        "signups": 25.0,
    }


def test_csv_filter_matching_nothing_is_an_error_not_zero(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/pub", "sheet_published.csv")
    result = fetch(make_source(url, kind="csv", selectors={"s": "sum(signups@channel=linkdin)"}))
    assert not result.ok
    assert result.error == "metric 's': no rows where channel=linkdin with a value in 'signups'"


def test_snapshots_and_dict_carry_the_values(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/api/v1/stats/aggregate", "plausible_v1_aggregate.json")
    result = fetch(
        make_source(url + "?period=7d", kind="plausible", id=7, selectors={"v": "visitors"})
    )
    (snapshot,) = result.snapshots()
    assert (snapshot.source_id, snapshot.metric_key, snapshot.value) == (7, "v", 201524.0)
    assert snapshot.period == "7d"
    assert snapshot.fetched_at == result.fetched_at
    assert json.loads(json.dumps(result.to_dict()))["values"] == {"v": 201524.0}
