"""Selector parsing and number coercion, including property tests: only our errors escape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.metrics import (
    CoercionError,
    MetricError,
    SelectorError,
    parse_path,
    parse_row_selector,
    to_number,
)
from mtui.core.metrics.fetching.json_paths import format_path, select
from mtui.core.metrics.fetching.rows import RowSelector, default_metrics, select_row_value


@pytest.mark.parametrize(
    ("selector", "segments"),
    [
        ("results.visitors.value", ("results", "visitors", "value")),
        ("rows[0].metricValues[1].value", ("rows", 0, "metricValues", 1, "value")),
        ("rows[-1]", ("rows", -1)),
        ("[0].nb_visits", (0, "nb_visits")),
        ('a["time:day.x"].b', ("a", "time:day.x", "b")),
        (" opens.open_rate ", ("opens", "open_rate")),
    ],
)
def test_parse_path(selector: str, segments: tuple) -> None:
    assert parse_path(selector) == segments
    assert parse_path(format_path(segments)) == segments


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("", "empty selector"),
        ("a..b", "selector 'a..b': empty key at position 2"),
        ("a.", "selector 'a.': ends with '.'"),
        ("a[x]", "selector 'a[x]': expected [number] or [\"key\"] at position 1"),
        ("a[0]b", "selector 'a[0]b': unexpected 'b' at position 4"),
    ],
)
def test_bad_paths(selector: str, message: str) -> None:
    with pytest.raises(SelectorError) as info:
        parse_path(selector)
    assert str(info.value) == message


def test_resolve_names_the_missing_element() -> None:
    data = {"results": {"visitors": {"value": 3}}, "rows": [{"v": 1}]}
    assert select(data, "results.visitors.value") == 3
    cases = {
        "results.pageviews.value": "'results.pageviews' not found: no key 'pageviews' (keys: visitors)",
        "rows[3].v": "'rows[3]' not found: index 3 out of range (list has 1 item)",
        "results[0]": "'results[0]' not found: expected a list at results, got an object",
        "rows.v": "'rows.v' not found: expected an object at rows, got a list",
        "[0]": "'[0]' not found: expected a list at the top level, got an object",
    }
    for selector, message in cases.items():
        with pytest.raises(SelectorError) as info:
            select(data, selector)
        assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (201524, 201524.0),
        (53.0, 53.0),
        ("18450.5", 18450.5),
        ("67%", 67.0),
        ("1,240", 1240.0),
        ("1,234,567.89", 1234567.89),
        (" -3.5 ", -3.5),
        ("$120.50", 120.5),
        ("€1,000", 1000.0),
        ("-$5", -5.0),
        (".5", 0.5),
        ("1e3", 1000.0),
    ],
)
def test_coerce_accepts(value: object, number: float) -> None:
    assert to_number(value, "m") == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("n/a", "metric 'visitors': 'n/a' is not a number"),
        (None, "metric 'visitors': null is not a number"),
        ({"value": 1}, "metric 'visitors': an object is not a number"),
        ([1], "metric 'visitors': a list is not a number"),
        (True, "metric 'visitors': a boolean is not a number"),
        ("", "metric 'visitors': '' is not a number"),
        ("1,24", "metric 'visitors': '1,24' is not a number"),
        ("1_000", "metric 'visitors': '1_000' is not a number"),
        ("nan", "metric 'visitors': 'nan' is not a number"),
        (float("inf"), "metric 'visitors': inf is not a finite number"),
        ("x" * 100, f"metric 'visitors': '{'x' * 37}...' is not a number"),
    ],
)
def test_coerce_refuses(value: object, message: str) -> None:
    with pytest.raises(CoercionError) as info:
        to_number(value, "visitors")
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("signups", RowSelector("signups")),
        ("sum(signups)", RowSelector("signups", "sum")),
        ("AVG( clicks )", RowSelector("clicks", "mean")),
        ("clicks@channel=linkedin", RowSelector("clicks", "last", (("channel", "linkedin"),))),
        (
            "sum(spend@channel=google&date=2026-11-19)",
            RowSelector("spend", "sum", (("channel", "google"), ("date", "2026-11-19"))),
        ),
        ("Cost (USD)", RowSelector("Cost (USD)")),
    ],
)
def test_parse_row_selector(text: str, parsed: RowSelector) -> None:
    assert parse_row_selector(text) == parsed


@pytest.mark.parametrize("text", ["", "sum()", "@channel=x", "clicks@channel", "clicks@=x"])
def test_bad_row_selectors(text: str) -> None:
    with pytest.raises(SelectorError):
        parse_row_selector(text)


ROWS = [
    {"date": "d1", "channel": "linkedin", "clicks": "10", "ctr": "1.5%"},
    {"date": "d1", "channel": "google", "clicks": "20", "ctr": "2.5%"},
    {"date": "d2", "channel": "linkedin", "clicks": "", "ctr": "n/a"},
]


def test_row_values() -> None:
    def value(text: str) -> float:
        return select_row_value(ROWS, parse_row_selector(text), "m")

    assert value("clicks") == 20.0  # the last row with a value in clicks
    assert value("clicks@channel=linkedin") == 10.0
    assert value("first(clicks)") == 10.0
    assert value("count(clicks)") == 2.0
    assert value("count(clicks@channel=email)") == 0.0
    assert value("min(clicks)") == 10.0
    assert value("CLICKS@Channel=LinkedIn") == 10.0
    with pytest.raises(CoercionError, match="metric 'm': 'n/a' is not a number"):
        value("ctr")
    with pytest.raises(
        SelectorError, match="no column 'spend' \\(columns: date, channel, clicks, ctr\\)"
    ):
        value("spend")
    with pytest.raises(SelectorError, match="no column 'region' to filter on"):
        value("clicks@region=eu")


def test_default_metrics_sum_counts_and_average_rates() -> None:
    rows = [
        {"date": "d1", "visitors": 10, "bounce_rate": 40, "max_actions": 3},
        {"date": "d2", "visitors": 30, "bounce_rate": 60, "max_actions": 9},
    ]
    assert default_metrics(rows) == {"visitors": 40.0, "bounce_rate": 50.0, "max_actions": 9.0}


@given(st.text(max_size=60))
def test_path_parser_raises_only_selector_errors(text: str) -> None:
    try:
        segments = parse_path(text)
    except SelectorError:
        return
    assert all(isinstance(s, str | int) for s in segments)
    assert parse_path(format_path(segments)) == segments


@given(st.text(max_size=60))
def test_row_selector_parser_raises_only_selector_errors(text: str) -> None:
    try:
        selector = parse_row_selector(text)
    except SelectorError:
        return
    assert selector.column


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@given(json_values)
def test_coercion_raises_only_coercion_errors(value: object) -> None:
    try:
        number = to_number(value, "m")
    except CoercionError as exc:
        assert str(exc).startswith("metric 'm': ")
        return
    assert isinstance(number, float)


@given(json_values, st.text(max_size=30))
def test_select_and_coerce_raise_only_metric_errors(data: object, selector: str) -> None:
    try:
        number = to_number(select(data, selector), "m")
    except MetricError as exc:
        assert str(exc)  # a readable reason, never an empty message
        return
    assert isinstance(number, float)
