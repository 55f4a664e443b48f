"""Cards in the real app (Pilot) carry their units, mark a partial value, name the
source of a key two sources share, and the pane says DEMO DATA only while a demo source
is shown."""

from __future__ import annotations

import pytest

from mtui.ui.app import MtuiApp
from mtui.ui.metrics.strip import MetricsStrip
from tests.support.metrics import closed_port_url
from tests.support.ui import wait_for

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
AT = "2026-03-10T08:59:00Z"  # a minute before the tests' frozen "now"


def add(store, name: str, selectors: dict[str, str], units: dict[str, str] | None = None):
    return store.metrics.save_metric_source({
        "name": name, "kind": "json", "url": closed_port_url(f"/{name}"),
        "selectors": selectors, "units": units or {}, "interval_seconds": 3600,
    })  # fmt: skip


async def test_cards_show_units_partial_values_and_shared_keys(store) -> None:
    ga = add(store, "ga4", {"visitors": "v", "rate": "r", "time": "t"},
             {"rate": "fraction", "time": "seconds"})  # fmt: skip
    site = add(store, "Plausible", {"visitors": "v"})
    billing = add(store, "billing", {"mrr": "m", "customers": "c"}, {"mrr": "currency:EUR"})
    store.metrics.record_fetch(ga.id, fetched_at=AT, error=None,
                               values={"visitors": 1240, "rate": 0.1234, "time": 125})  # fmt: skip
    store.metrics.record_fetch(site.id, fetched_at=AT, values={"visitors": 990}, error=None)
    store.metrics.record_fetch(billing.id, fetched_at=AT, error=None,
                               values={"mrr": 1234.5, "customers": 2000},
                               partial=["customers"])  # fmt: skip
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        strip = app.query_one(MetricsStrip)
        await wait_for(pilot, lambda: len(strip.cards) == 6, "cards loaded")
        labels = [card.label for card in strip.cards]
        assert labels == ["visitors · ga4", "rate", "time", "visitors · plausible", "mrr",
                          "customers"]  # fmt: skip
        shown = ""
        for index in range(len(strip.cards)):  # the strip scrolls to the selected card
            strip.selected = index
            shown += str(strip.render()).splitlines()[0]
        assert "visitors · ga4  1.24k" in shown
        assert "rate          12.3%" in shown and "time         2m 05s" in shown
        assert "visitors · plau…    990" in shown
        assert "mrr          €1,234" in shown and "customers       ≥2k" in shown, shown
        assert strip.border_title == "Metrics"


async def test_demo_data_is_said_only_while_a_demo_source_is_shown(store) -> None:
    demo = add(store, "demo-sheet", {"signups": "s"})
    add(store, "web", {"visits": "v"})
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        strip = app.query_one(MetricsStrip)
        await wait_for(pilot, lambda: strip.loaded and strip.service, "cards loaded")
        await wait_for(pilot, lambda: strip.border_title == "Metrics · DEMO DATA", "demo")
        store.metrics.delete_metric_source(demo.id)
        strip.reload()
        await wait_for(pilot, lambda: len(strip.cards) == 1, "the demo source gone")
        assert strip.border_title == "Metrics"
