"""Units on metrics, partial values and a campaign's spend from a metric, as a user runs
them: the installed ``mtui`` in a subprocess against a real local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import new_db, run_mtui
from tests.support.metrics import threaded_httpserver

pytestmark = pytest.mark.slow
STRIPE_KEY = {"STRIPE_API_KEY": "rk_test_units"}


def ok(*args: str, db: Path, **kw) -> object:
    result = run_mtui(*args, db=db, **kw)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args else result.stdout


def refused(*args: str, db: Path) -> str:
    result = run_mtui(*args, db=db)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_units_from_the_command_line_show_in_metrics_ls(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    with threaded_httpserver() as server:
        server.expect_request("/stats").respond_with_json(
            {"rate": 0.1234, "revenue": 1234.5, "duration": 125, "visitors": 1240}
        )
        added = ok("source", "add", "Shop", "--kind", "json", "--url", server.url_for("/stats"),
                   "--metric", "rate=rate", "--metric", "revenue=revenue",
                   "--metric", "duration=duration", "--metric", "visitors=visitors",
                   "--unit", "rate=fraction", "--unit", "revenue=currency:eur",
                   "--json", db=db)  # fmt: skip
        assert added["units"] == {"rate": "fraction", "revenue": "currency:EUR"}
        changed = ok("source", "unit", "shop", "duration=seconds", "rate=", "--json", db=db)
        assert changed["units"] == {"revenue": "currency:EUR", "duration": "seconds"}
        ok("source", "unit", "shop", "rate=%", db=db)
        ok("metrics", "poll", db=db)

    records = {r["key"]: r for r in ok("metrics", "ls", "--json", db=db)}
    assert (records["rate"]["unit"], records["rate"]["shown"]) == ("percent", "0.12%")
    assert records["revenue"]["unit"] == "currency" and records["revenue"]["currency"] == "EUR"
    assert records["revenue"]["shown"] == "€1,234"
    assert records["duration"]["shown"] == "2m 05s"
    assert records["visitors"]["unit"] is None and records["visitors"]["shown"] == "1,240"
    text = ok("metrics", "ls", db=db)
    assert "shop.revenue  €1,234" in text and "shop.duration  2m 05s" in text
    assert "units: revenue=currency:EUR, duration=seconds, rate=percent" in ok(
        "source", "ls", db=db
    )

    assert "expected count, percent" in refused("source", "unit", "shop", "rate=furlongs", db=db)
    assert "has no metric 'nope'" in refused("source", "unit", "shop", "nope=percent", db=db)
    assert "expected KEY=UNIT" in refused("source", "unit", "shop", "percent", db=db)
    assert ok("source", "ls", "--json", db=db)[0]["units"]["rate"] == "percent", "nothing lost"


def test_a_preset_knows_its_units(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    stripe = ok("source", "add", "billing", "--preset", "stripe", "--set", "currency=eur",
                "--json", db=db)  # fmt: skip
    assert stripe["units"] == {"mrr": "currency:EUR"}
    console = ok("source", "add", "search", "--preset", "search_console",
                 "--set", "site=sc-domain:example.com", "--json", db=db)  # fmt: skip
    assert console["units"] == {"ctr": "fraction"}
    ga4 = ok("source", "add", "ga", "--preset", "ga4", "--property", "123", "--metrics",
             "sessions,purchaseRevenue,engagementRate,averageSessionDuration", "--json", db=db)  # fmt: skip
    assert ga4["units"] == {"purchaseRevenue": "currency", "engagementRate": "fraction",
                            "averageSessionDuration": "seconds"}  # fmt: skip


def test_a_partial_stripe_value_is_stored_and_shown_as_a_lower_bound(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    page = {"object": "list", "has_more": True, "data": [{"id": "cus_1"}, {"id": "cus_2"}]}
    with threaded_httpserver() as server:
        server.expect_request("/v1/customers").respond_with_json(page)
        ok("source", "add", "billing", "--preset", "stripe", "--metrics", "new_customers",
           "--url", server.url_for("/").rstrip("/"), db=db)  # fmt: skip
        polled = run_mtui("metrics", "poll", "--json", db=db, env=STRIPE_KEY)
        assert polled.returncode == 0, polled.stderr
        assert json.loads(polled.stdout)[0]["partial"] == ["new_customers"]
    [record] = ok("metrics", "ls", "--json", db=db)
    assert (record["value"], record["partial"]) == (40, True)
    assert "billing.new_customers  ≥40 (partial)" in ok("metrics", "ls", db=db)


def test_campaign_spend_from_a_metric(tmp_path: Path) -> None:
    db = new_db(tmp_path / "m.db")
    with threaded_httpserver() as server:
        server.expect_request("/sheet.csv").respond_with_data(
            "date,spend\n2026-11-20,400\n2026-11-21,600\n", content_type="text/csv"
        )
        ok("source", "add", "sheet", "--kind", "csv", "--url", server.url_for("/sheet.csv"),
           "--metric", "ad_spend=sum(spend)", "--unit", "ad_spend=currency:USD", db=db)  # fmt: skip
        ok("metrics", "poll", db=db)
    ok("campaign", "add", "Launch", "--status", "active", "--start", "2026-11-17",
       "--end", "2026-11-26", "--budget", "2000", "--spend", "50", db=db)  # fmt: skip

    assert "no metric 'ad_spnd'" in refused(
        "campaign", "edit", "launch", "--spend-metric", "sheet.ad_spnd", db=db
    )
    assert "no metric source 'ads'" in refused(
        "campaign", "edit", "launch", "--spend-metric", "ads.spend", db=db
    )
    assert "expected SOURCE.KEY" in refused(
        "campaign", "edit", "launch", "--spend-metric", "spend", db=db
    )
    assert ok("campaign", "ls", "--json", db=db)[0]["spend_metric"] is None, "nothing lost"

    edited = ok("campaign", "edit", "launch", "--spend-metric", "sheet.ad_spend", "--json", db=db)
    assert edited["spend_metric"] == "sheet.ad_spend"
    # run_mtui's "now" is 2026-11-26: the last of 10 days, so 1,000 of 2,000 is 50 %.
    [row] = ok("campaign", "status", "--json", db=db)
    assert (row["spend"], row["pacing_percent"], row["spend_metric"]) == (
        1000,
        50.0,
        "sheet.ad_spend",
    )
    assert row["spend_as_of"] is not None
    status = ok("campaign", "status", db=db)
    assert "budget: $1,000 of $2,000, pacing 50%" in status
    assert "spend from sheet.ad_spend, as of" in status
    standup = ok("standup", "--format", "text", db=db)
    assert "$1,000 of $2,000 spent (from sheet.ad_spend, as of" in standup

    cleared = ok("campaign", "edit", "launch", "--spend-metric", "", "--json", db=db)
    assert cleared["spend_metric"] is None
    [row] = ok("campaign", "status", "--json", db=db)
    assert (row["spend"], row["spend_metric"]) == (50, None)
