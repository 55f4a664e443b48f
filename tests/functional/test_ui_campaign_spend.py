"""The campaign form's "Spend from" field (Pilot): a metric that does not exist is
refused under the field, one that does is saved, and the campaign screen paces on it."""

from __future__ import annotations

import pytest

from mtui.ui.app import MtuiApp
from mtui.ui.campaigns.screen import CampaignScreen
from mtui.ui.strategy.forms import CampaignForm
from tests.support.ui import wait_for

SIZE = (160, 45)
pytestmark = pytest.mark.anyio


async def test_the_campaign_form_links_a_spend_metric(store) -> None:
    sheet = store.metrics.save_metric_source({
        "name": "Sheet", "kind": "csv", "url": "https://sheet.example/x.csv",
        "selectors": {"ad_spend": "sum(spend)"}, "units": {"ad_spend": "currency:USD"},
        "interval_seconds": 3600,
    })  # fmt: skip
    # "now" is frozen at 2026-03-10T09:00Z: a fresh value, 1,000 of 2,000 on day 5 of 10.
    store.metrics.record_fetch(sheet.id, fetched_at="2026-03-10T08:30:00Z",
                               values={"ad_spend": 1000.0}, error=None)  # fmt: skip
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignForm), "the form")
        form = app.screen
        values = {"name": "Launch", "status": "active", "start_date": "2026-03-06",
                  "end_date": "2026-03-15", "budget": "2000", "spend": "10",
                  "spend_metric": "sheet.ad_spnd"}  # fmt: skip
        for key, value in values.items():
            form.query_one(f"#f-{key}").value = value
        await pilot.press("ctrl+s")
        error = form.query_one("#e-spend_metric")
        await wait_for(pilot, lambda: error.has_class("-shown"), "the field's error")
        assert "source 'sheet' has no metric 'ad_spnd' (it has: ad_spend)" in str(error.render())
        assert app.focused is form.query_one("#f-spend_metric"), "the bad field gets the focus"
        assert store.strategy.campaigns() == [], "nothing is saved while the input is bad"

        form.query_one("#f-spend_metric").value = "sheet.ad_spend"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: store.strategy.campaigns(), "the saved campaign")
        [campaign] = store.strategy.campaigns()
        assert (campaign.spend_metric, campaign.spend) == ("sheet.ad_spend", 10.0)

        await wait_for(pilot, lambda: not isinstance(app.screen, CampaignForm), "form closed")
        await pilot.press("C")
        await wait_for(
            pilot, lambda: isinstance(app.screen, CampaignScreen) and app.screen.rows, "rows"
        )
        screen = app.screen
        [row] = screen.rows
        assert (row.spend, round(row.pacing.percent)) == (1000.0, 100)
        detail = str(screen.query_one("#campaign-detail").render())
        assert "Spent $1,000 of $2,000 after 5 of 10 days · pacing 100%" in detail
        assert "Spend from sheet.ad_spend, as of 30m ago" in detail
