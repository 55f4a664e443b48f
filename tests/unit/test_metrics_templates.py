"""Date placeholders in a source's request, ``a | b`` alternatives in JSON selectors, and
Stripe's selectors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtui.core.errors import ValidationError
from mtui.core.metrics.fetching.errors import SelectorError
from mtui.core.metrics.fetching.json_paths import select, split_alternatives
from mtui.core.metrics.fetching.kinds import prepare_source
from mtui.core.metrics.fetching.kinds.stripe import METRICS, parse_stripe_selector
from mtui.core.metrics.fetching.templates import TemplateError, render
from mtui.core.metrics.sources import check_source
from tests.support.metrics import make_source

NOW = datetime(2026, 11, 26, 10, 30, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{now}}", "2026-11-26T10:30:15Z"),
        ("{{now-7d:ms}}", str(int(datetime(2026, 11, 19, 10, 30, 15, tzinfo=UTC).timestamp()) * 1000)),
        ("{{today:date}}", "2026-11-26"),
        ("{{ today - 6d : date }}", "2026-11-20"),
        ("{{month:s}}", str(int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()))),
        ("{{now-12h:datetime}}", "2026-11-25 22:30:15"),
        ("{{now+1d:date}}", "2026-11-27"),
        ('{"a": [{"b": "{{today:date}}"}]}', '{"a": [{"b": "2026-11-26"}]}'),
        ("no placeholders {here}", "no placeholders {here}"),
    ],
)  # fmt: skip
def test_placeholders_are_filled_in_for_the_fetch_time(text, expected) -> None:
    assert render(text, NOW) == expected


@pytest.mark.parametrize("text", ["{{yesterday}}", "{{now-7w}}", "{{now:rfc}}", "{{now-9999d}}"])
def test_a_malformed_placeholder_is_refused_when_the_source_is_added(text) -> None:
    with pytest.raises(TemplateError):
        render(text, NOW)
    fields = {"name": "s", "kind": "json", "url": f"https://api.example/x?from={text}",
              "selectors": {"v": "total"}}  # fmt: skip
    with pytest.raises(ValidationError, match=r"^--url: placeholder"):
        check_source(fields, [])


def test_selector_alternatives_read_the_first_path_that_matches() -> None:
    assert select({"pageviews": {"value": 5, "prev": 3}}, "pageviews.value | pageviews") == 5
    assert select({"pageviews": 5}, "pageviews.value | pageviews") == 5
    assert select([{"visits": "7"}], "data[0].visits|[0].visits") == "7"
    assert split_alternatives('["a|b"] | c') == ['["a|b"] ', " c"]
    with pytest.raises(SelectorError, match=r"no key 'visits'.*\(and 1 other path\(s\) did not"):
        select({"other": 1}, "visits | data.visits")


def test_json_sources_check_every_alternative() -> None:
    fields = {"name": "s", "kind": "json", "url": "https://api.example/x",
              "selectors": {"v": "a.value | a..b"}}  # fmt: skip
    with pytest.raises(ValidationError, match="metric 'v'"):
        check_source(fields, [])


def test_placeholders_work_in_the_google_kinds_too() -> None:
    """Search Console's body dates are resolved after its placeholders are filled in, and
    a Google kind's selector may list alternatives like a json one."""
    body = '{"startDate": "{{today-7d:date}}", "endDate": "yesterday", "type": "web"}'
    source = make_source("https://searchconsole.googleapis.com/webmasters/v3/sites/x/"
                         "searchAnalytics/query", kind="search_console", body=body)  # fmt: skip
    sent = json.loads(prepare_source(source, NOW).body or "")
    assert (sent["startDate"], sent["endDate"]) == ("2026-11-19", "2026-11-25")
    fields = {"name": "s", "kind": "ga4", "url": "https://analyticsdata.googleapis.com/x",
              "selectors": {"v": "totals[0].x | sessions", "w": "a.value | a..b"}}  # fmt: skip
    with pytest.raises(ValidationError, match="metric 'w'"):
        check_source(fields, [])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('{}now-today+month:msdhi 7|.[]"ab0'), max_size=40))
def test_any_template_text_renders_or_is_one_clear_error(text) -> None:
    try:
        rendered = render(text, NOW)
    except TemplateError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("placeholder {{")
    else:
        assert isinstance(rendered, str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_stripe_selector_parses_or_is_a_selector_error(text) -> None:
    try:
        parsed = parse_stripe_selector(text)
    except SelectorError as exc:
        assert "\n" not in str(exc)
    else:
        assert parsed.metric in METRICS
