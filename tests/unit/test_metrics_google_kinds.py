"""The ga4, search_console and sheets kinds read Google's documented response shapes
(served by a real local server), and the Google presets build sources that pass the
same checks as ``mtui source add``."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from mtui.core.errors import ValidationError
from mtui.core.metrics import FetchResult, fetch_source
from mtui.core.metrics.fetching.kinds import prepare_source
from mtui.core.metrics.presets import preset_named, presets
from mtui.core.metrics.sources import check_source
from mtui.core.model import MetricSource
from tests.support.metrics import fixture_bytes, make_source


def fetch(source: MetricSource, now: datetime | None = None) -> FetchResult:
    async def run() -> FetchResult:
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source, now=now)

    return asyncio.run(run())


def serve(server: HTTPServer, fixture: str, path: str = "/api", method: str = "POST") -> str:
    server.expect_request(path, method=method).respond_with_data(
        fixture_bytes(fixture), content_type="application/json"
    )
    return server.url_for(path)


GA4_BODY = json.dumps(
    {"dateRanges": [{"startDate": "28daysAgo", "endDate": "yesterday"}],
     "dimensions": [{"name": "sessionCampaignName"}],
     "metrics": [{"name": "sessions"}, {"name": "conversions"}, {"name": "purchaseRevenue"}],
     "metricAggregations": ["TOTAL"]}
)  # fmt: skip


def ga4(server: HTTPServer, fixture: str, **fields) -> MetricSource:
    return make_source(serve(server, fixture), kind="ga4", method="POST", body=GA4_BODY, **fields)


# --- ga4 -------------------------------------------------------------------------


def test_ga4_reads_totals_by_metric_name(httpserver: HTTPServer) -> None:
    result = fetch(ga4(httpserver, "ga4_run_report.json"))
    assert result.ok, result.error
    assert result.values == {"sessions": 14994.0, "conversions": 513.0, "purchaseRevenue": 28352.5}
    assert result.period == "28daysAgo/yesterday"


def test_ga4_selectors_name_totals_rows_and_paths(httpserver: HTTPServer) -> None:
    source = ga4(httpserver, "ga4_run_report.json", selectors={
        "visits": "sessions",
        "spring": "sessions@sessionCampaignName=spring-launch",
        "best": "max(conversions)",
        "raw": "rows[1].metricValues[2].value",
    })  # fmt: skip
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {"visits": 14994.0, "spring": 5120.0, "best": 312.0, "raw": 9902.0}


def test_ga4_without_totals_sums_counts_and_asks_for_total_for_rates(
    httpserver: HTTPServer,
) -> None:
    data = json.loads(fixture_bytes("ga4_run_report.json"))
    del data["totals"]
    data["metricHeaders"][2]["name"] = "bounceRate"
    httpserver.expect_request("/api").respond_with_json(data)
    source = make_source(httpserver.url_for("/api"), kind="ga4",
                         selectors={"s": "sessions", "b": "bounceRate", "x": "nope"})  # fmt: skip
    result = fetch(source)
    assert result.values == {"s": 14994.0}
    assert result.error == (
        "metric 'b': GA4 sent no total for 'bounceRate'; add \"metricAggregations\": "
        '["TOTAL"] to the request (and 1 more)'
    )


def test_ga4_period_without_data_reads_zero(httpserver: HTTPServer) -> None:
    result = fetch(ga4(httpserver, "ga4_run_report_empty.json",
                       selectors={"sessions": "sessions", "keyEvents": "keyEvents"}))  # fmt: skip
    assert result.ok, result.error
    assert result.values == {"sessions": 0.0, "keyEvents": 0.0}


def test_ga4_unknown_metric_and_wrong_shape(httpserver: HTTPServer) -> None:
    source = ga4(httpserver, "ga4_run_report_totals.json", selectors={"c": "conversions"})
    assert fetch(source).error == (
        "metric 'c': the report has no metric 'conversions' "
        "(metrics: sessions, totalUsers, keyEvents, bounceRate)"
    )
    httpserver.clear()
    wrong = make_source(serve(httpserver, "plausible_v1_aggregate.json"), kind="ga4", method="POST")
    assert fetch(wrong).error == "not a GA4 runReport response (no metricHeaders)"


# --- search_console --------------------------------------------------------------


def search_console(server: HTTPServer, fixture: str, body: dict, **fields) -> MetricSource:
    url = serve(server, fixture)
    return make_source(url, kind="search_console", method="POST", body=json.dumps(body), **fields)


def test_search_console_totals_and_dates_resolved_in_pacific_time(httpserver: HTTPServer) -> None:
    body = {"startDate": "28daysAgo", "endDate": "yesterday", "type": "web"}
    # 05:00 UTC on 1 December is still 30 November in California.
    now = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    result = fetch(search_console(httpserver, "search_console_query.json", body), now=now)
    assert result.ok, result.error
    assert result.values == pytest.approx(
        {"clicks": 1284, "impressions": 59210, "ctr": 0.0216855, "position": 14.3725384},
        rel=1e-5,
    )
    assert result.period == "2026-11-02/2026-11-29"
    sent = json.loads(httpserver.log[0][0].get_data())
    assert sent == {"startDate": "2026-11-02", "endDate": "2026-11-29", "type": "web"}


def test_search_console_by_device(httpserver: HTTPServer) -> None:
    body = {"startDate": "2026-11-01", "endDate": "2026-11-28", "dimensions": ["device"]}
    source = search_console(httpserver, "search_console_query_by_device.json", body, selectors={
        "clicks": "clicks", "ctr": "ctr", "position": "position", "mobile": "clicks@device=MOBILE",
    })  # fmt: skip
    result = fetch(source)
    assert result.ok, result.error
    assert result.values["clicks"] == 1284.0
    assert result.values["ctr"] == pytest.approx(1284 / 59210)
    assert result.values["position"] == pytest.approx(
        (13.1 * 35120 + 15.9 * 22890 + 17.2 * 1200) / 59210
    )
    assert result.values["mobile"] == 802.0


def test_search_console_without_data(httpserver: HTTPServer) -> None:
    built = preset_named("search_console").source_fields({"site": "https://www.example.com/"})
    body = json.loads(built["body"])
    source = search_console(httpserver, "search_console_query_empty.json", body,
                            selectors=built["selectors"])  # fmt: skip
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {"clicks": 0.0, "impressions": 0.0, "ctr": 0.0}


def test_search_console_bad_date_word_is_reported() -> None:
    source = make_source("https://x.example/", kind="search_console",
                         body=json.dumps({"startDate": "last week", "endDate": "today"}))  # fmt: skip
    with pytest.raises(Exception, match="expected today, yesterday, NdaysAgo or YYYY-MM-DD"):
        prepare_source(source, datetime(2026, 12, 1, tzinfo=UTC))
    assert fetch(source).error == (
        "date 'last week': expected today, yesterday, NdaysAgo or YYYY-MM-DD"
    )


# --- sheets ----------------------------------------------------------------------


def sheet(server: HTTPServer, fixture: str, **fields) -> MetricSource:
    return make_source(serve(server, fixture, method="GET"), kind="sheets", **fields)


def test_sheets_rows_read_like_a_published_csv(httpserver: HTTPServer) -> None:
    source = sheet(httpserver, "sheets_values.json", selectors={
        "signups": "sum(signups)",
        "linkedin_cost": "sum(cost@channel=linkedin)",
        "last_signups": "signups",
        "cell": "values[1][3]",
    })  # fmt: skip
    result = fetch(source)
    assert result.ok, result.error
    assert result.values == {
        "signups": 92.0, "linkedin_cost": 638.5, "last_signups": 41.0, "cell": 340.5,
    }  # fmt: skip


def test_sheets_without_selectors_reads_the_last_row(httpserver: HTTPServer) -> None:
    result = fetch(sheet(httpserver, "sheets_values.json"))
    assert result.values == {"signups": 41.0, "cost": 0.0}


def test_sheets_in_columns_layout(httpserver: HTTPServer) -> None:
    result = fetch(sheet(httpserver, "sheets_values_columns.json"))
    assert result.values == {"MQLs": 184.0, "Pipeline": 412000.0, "Win rate": 0.23}


def test_sheets_empty_range_and_wrong_shape(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/empty").respond_with_json(
        {"range": "Summary!A1:D20", "majorDimension": "ROWS"}
    )
    empty = fetch(make_source(httpserver.url_for("/empty"), kind="sheets"))
    assert empty.error == "the range Summary!A1:D20 is empty"
    wrong = fetch(sheet(httpserver, "plausible_v1_aggregate.json"))
    assert wrong.error == "not a Google Sheets values response (no range or values)"


# --- presets ---------------------------------------------------------------------


def test_google_presets_are_registered_and_pass_the_source_checks() -> None:
    assert {"ga4", "search_console", "google_sheets"} <= set(presets())
    cases = {
        "ga4": {"property": "properties/123456", "metrics": "sessions, keyEvents", "period": "7d"},
        "search_console": {"site": "sc-domain:example.com", "period": "90d"},
        "google_sheets": {
            "spreadsheet": "https://docs.google.com/spreadsheets/d/"
            "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit#gid=0",
            "range": "Summary!A1:D20",
            "metrics": "signups=sum(signups),cost",
        },
    }
    for name, values in cases.items():
        fields = preset_named(name).source_fields(values)
        checked = check_source({"name": name, **fields}, [])
        assert checked["auth_type"] == "google-service-account"
        assert checked["auth_env"] == preset_named(name).default_env
    ga4 = preset_named("ga4").source_fields(cases["ga4"])
    assert ga4["url"] == "https://analyticsdata.googleapis.com/v1beta/properties/123456:runReport"
    assert ga4["selectors"] == {"sessions": "sessions", "keyEvents": "keyEvents"}
    assert json.loads(ga4["body"])["dateRanges"] == [
        {"startDate": "7daysAgo", "endDate": "yesterday"}
    ]
    sc = preset_named("search_console").source_fields(cases["search_console"])
    assert sc["url"] == (
        "https://searchconsole.googleapis.com/webmasters/v3/sites/"
        "sc-domain%3Aexample.com/searchAnalytics/query"
    )
    assert sc["auth_param"] == "https://www.googleapis.com/auth/webmasters.readonly"
    sheets = preset_named("google_sheets").source_fields(cases["google_sheets"])
    assert sheets["url"] == (
        "https://sheets.googleapis.com/v4/spreadsheets/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
        "/values/Summary!A1:D20?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE"
    )
    assert sheets["selectors"] == {"signups": "sum(signups)", "cost": "cost"}


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("ga4", {"property": "G-ABC123"}, "expected the GA4 property id"),
        ("ga4", {"property": "1", "metrics": "sessions;drop"}, "is not a GA4 metric name"),
        ("ga4", {"property": "1", "period": "last month"}, "expected a number of days"),
        ("search_console", {"site": "example.com"}, "sc-domain:example.com (domain)"),
        ("search_console", {"site": "sc-domain:x.com", "type": "maps"}, "expected one of web"),
        ("google_sheets", {"spreadsheet": "nope", "range": "A1"}, "expected the sheet's URL"),
        ("ga4", {}, "needs --set property="),
    ],
)
def test_google_preset_values_are_checked(name: str, values: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        preset_named(name).source_fields(values)


def test_source_add_checks_for_google_auth() -> None:
    base = {"name": "g", "kind": "ga4", "url": "https://analyticsdata.googleapis.com/x",
            "auth_type": "google-service-account", "auth_env": "GA4_KEY"}  # fmt: skip
    with pytest.raises(ValidationError, match="needs --auth-param SCOPE"):
        check_source(base, [])
    with pytest.raises(ValidationError, match="metric 'a'"):
        check_source({**base, "auth_param": "s", "selectors": {"a": "rows[0"}}, [])
    plain = {**base, "url": "http://analyticsdata.example.com/x", "auth_param": "s"}
    with pytest.raises(ValidationError, match="only sent over https"):
        check_source(plain, [])


# --- any input: a source that passes the checks, or one line -------------------------

_OPTION_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["123456", "properties/42", "7d", "0d", "today", "sessions,keyEvents",
                     "sc-domain:example.com", "https://www.example.com", "rows", "columns",
                     "Summary!A1:D9", "a=sum(b),c", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74Og"]),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["ga4", "search_console", "google_sheets"]),
    st.dictionaries(st.sampled_from(["property", "metrics", "period", "site", "type",
                                     "spreadsheet", "range", "layout"]),
                    _OPTION_TEXT, max_size=5),
)  # fmt: skip
def test_google_presets_build_a_valid_source_or_say_why(name: str, values: dict) -> None:
    try:
        fields = preset_named(name).source_fields(values)
        check_source({"name": name, **fields}, [])
    except ValidationError as exc:
        assert "\n" not in str(exc) and str(exc)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200).map(lambda t: "{" + t), st.binary(max_size=200)))
def test_any_key_text_is_read_or_refused_in_one_line(tmp_path_factory, content) -> None:
    from mtui.core.metrics.fetching.errors import AuthError
    from mtui.core.metrics.fetching.google import load_key

    if isinstance(content, bytes):
        path = tmp_path_factory.mktemp("key") / "key.json"
        path.write_bytes(content)
        content = str(path)
    try:
        key = load_key(content, "GA4_KEY")
    except AuthError as exc:
        assert "\n" not in str(exc)
    else:
        assert key.client_email and key.private_key
