"""Metric units (formatting, parsing), cards that carry them, and a campaign's spend
from a metric (checking the name, pacing on its value and age)."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.errors import ValidationError
from mtui.core.metrics.cards import CardData, load_cards
from mtui.core.metrics.units import format_metric, merge_units, parse_unit, parse_unit_options
from mtui.core.metrics.values import KpiAge, known_metrics
from mtui.core.model import Campaign, MetricSource
from mtui.core.store import open_store
from mtui.core.strategy.campaign_status import campaign_rows
from mtui.core.strategy.input import FieldError, spend_metric

NOW = pendulum.datetime(2026, 11, 26, 9, 0, tz="UTC")


@pytest.mark.parametrize(
    ("value", "unit", "compact", "shown"),
    [
        (0.1234, "fraction", False, "12.3%"),
        (12.345, "percent", False, "12.3%"),
        (4.5, "percent", True, "4.5%"),
        (1234.5, "currency:EUR", False, "€1,234"),
        (12.5, "currency:EUR", False, "€12.50"),
        (1234.5, "currency:EUR", True, "€1,234"),
        (123456, "currency:USD", True, "$123k"),
        (-20, "currency:GBP", False, "-£20"),
        (99, "currency:CHF", False, "CHF 99"),
        (99, "currency", False, "99"),
        (125, "seconds", False, "2m 05s"),
        (3.25, "seconds", False, "3.2s"),
        (86, "seconds", False, "1m 26s"),
        (7380, "seconds", False, "2h 03m"),
        (90061, "seconds", False, "1d 01h"),
        (864e6, "seconds", True, "10kd"),
        (1240, None, False, "1,240"),
        (12345, "count", True, "12.3k"),
        (0.5, None, False, "0.5"),
        (None, "percent", False, "—"),
    ],
)
def test_format_metric(value, unit, compact, shown) -> None:
    assert format_metric(value, unit, compact=compact) == shown


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.sampled_from(["count", "percent", "fraction", "seconds", "currency:EUR", "currency"]))  # fmt: skip
def test_compact_values_fit_a_card(value, unit) -> None:
    assert 1 <= len(format_metric(value, unit, compact=True)) <= 9


def test_parsing_units() -> None:
    assert parse_unit("currency:eur") == "currency:EUR"
    assert (parse_unit("%"), parse_unit("Seconds"), parse_unit("number")) == (
        "percent", "seconds", "count")  # fmt: skip
    for bad in ("furlongs", "percent:EUR", "currency:EURO", ""):
        with pytest.raises(ValidationError):
            parse_unit(bad)
    assert parse_unit_options(["a=percent", "b="]) == {"a": "percent", "b": None}
    with pytest.raises(ValidationError, match="KEY=UNIT"):
        parse_unit_options(["percent"])
    assert merge_units({"a": "percent", "b": "seconds"}, {"b": None, "c": "count"}) == {
        "a": "percent", "c": "count"}  # fmt: skip


def test_cards_carry_units_partial_marks_and_the_source_name_for_shared_keys(tmp_path) -> None:
    store = open_store(tmp_path / "m.db")
    ga = store.metrics.save_metric_source({"name": "ga4", "kind": "json", "url": "http://x.test/a",
                                           "selectors": {"visitors": "v", "rate": "r"},
                                           "units": {"rate": "fraction"}})  # fmt: skip
    pl = store.metrics.save_metric_source({"name": "Plausible", "kind": "json",
                                           "url": "http://x.test/b",
                                           "selectors": {"visitors": "v"}})  # fmt: skip
    at = "2026-11-26T08:59:00Z"
    store.metrics.record_fetch(ga.id, fetched_at=at, values={"visitors": 5, "rate": 0.2},
                               error=None, partial=["visitors"])  # fmt: skip
    store.metrics.record_fetch(pl.id, fetched_at=at, values={"visitors": 7}, error=None)
    cards = {(c.source.name, c.key): c for c in load_cards(store, NOW)}
    assert cards[("ga4", "visitors")].label == "visitors · ga4"
    assert cards[("Plausible", "visitors")].label == "visitors · plausible"
    assert (cards[("ga4", "rate")].label, cards[("ga4", "rate")].unit) == ("rate", "fraction")
    assert cards[("ga4", "visitors")].partial and not cards[("Plausible", "visitors")].partial
    assert known_metrics(store) == {"ga4": ["visitors", "rate"], "plausible": ["visitors"]}
    store.close()


def test_a_spend_metric_is_checked_against_the_sources() -> None:
    metrics = {"sheet": ["ad_spend", "clicks"], "fresh": []}
    assert spend_metric("sheet.ad_spend", metrics) == "sheet.ad_spend"
    assert spend_metric("fresh.anything", metrics) == "fresh.anything", "keys not known yet"
    assert spend_metric("", metrics) is None and spend_metric(None, metrics) is None
    assert spend_metric("other.x", None) == "other.x", "an import checks the form only"
    for text, message in [("sheet.adspend", "has no metric 'adspend'"),
                          ("ads.spend", "no metric source 'ads'"),
                          ("spend", "expected SOURCE.KEY"),
                          ("cpa(sheet.ad_spend, sheet.clicks)", "expected SOURCE.KEY")]:  # fmt: skip
        with pytest.raises(FieldError, match=message) as info:
            spend_metric(text, metrics)
        assert info.value.field == "spend_metric"


def _row(campaign: Campaign, values: dict[str, float], ages: dict[str, KpiAge] | None = None):
    [row] = campaign_rows([campaign], [], [], {}, values, NOW, ages)
    return row


def test_pacing_follows_the_spend_metric_with_its_age() -> None:
    launch = Campaign(1, "Launch", "launch", status="active", start_date="2026-11-17",
                      end_date="2026-11-26", budget=2000, spend=50,
                      spend_metric="sheet.ad_spend")  # fmt: skip
    fresh = KpiAge("2026-11-26T08:00:00.000000Z", stale=False)
    row = _row(launch, {"sheet.ad_spend": 1000}, {"sheet.ad_spend": fresh})
    assert (row.spend, row.pacing.spend, round(row.pacing.percent, 1)) == (1000, 1000, 50.0)
    assert row.spend_note(NOW) == "from sheet.ad_spend, as of 1h ago"
    assert "under-pacing: projected $1,000 of $2,000" in row.flags

    stale = KpiAge("2026-11-25T09:00:00.000000Z", stale=True)
    row = _row(launch, {"sheet.ad_spend": 2000}, {"sheet.ad_spend": stale})
    assert "spend from sheet.ad_spend is stale (as of 24h ago)" in row.flags

    row = _row(launch, {})  # no value yet: the typed spend, and a flag
    assert (row.spend, row.pacing.spend, row.spend_live) == (50, 50, None)
    flag = "spend metric sheet.ad_spend has no value yet: pacing uses the typed spend"
    assert flag in row.flags
    assert row.spend_note(NOW) == "from sheet.ad_spend: no value yet"

    typed = Campaign(2, "Typed", "typed", status="active", start_date="2026-11-17",
                     end_date="2026-11-26", budget=2000, spend=2000)  # fmt: skip
    row = _row(typed, {"sheet.ad_spend": 1})
    assert (row.spend, row.spend_note(NOW)) == (2000, "")
    assert not any("spend" in flag for flag in row.flags)


def test_a_card_without_a_key_keeps_its_name() -> None:
    source = MetricSource(1, "Web stats", "json", "http://x.test")
    assert CardData(source, None).label == "web-stats.*"
    assert CardData(source, "v").unit is None
