"""What the zoomed metrics pane reads beyond the strip: each metric's daily means and the
goal whose KPI is that metric (its unit, target and due date)."""

from __future__ import annotations

import pendulum

from mtui.core.metrics.cards import load_cards
from mtui.core.metrics.history import CardGoal, load_zoom


def test_daily_history_and_the_bound_goal(store) -> None:
    source = store.metrics.save_metric_source({
        "name": "Ads sheet", "kind": "json", "url": "http://127.0.0.1:9/x",
        "selectors": {"signups": "a", "clicks": "b", "views": "c"}, "interval_seconds": 3600,
    })  # fmt: skip
    for stamp, signups in [("2026-03-08T10:00:00Z", 10), ("2026-03-08T20:00:00Z", 20),
                           ("2026-03-09T10:00:00Z", 40), ("2026-03-10T08:00:00Z", 50)]:  # fmt: skip
        store.metrics.record_fetch(
            source.id, fetched_at=stamp, values={"signups": signups, "clicks": 1, "views": 2},
            error=None,
        )  # fmt: skip
    store.strategy.save_goal({"slug": "signups", "title": "Signups", "kpi_metric": "ads-sheet.signups",
                              "unit": "count", "target": 5000, "due_date": "2026-03-31"})  # fmt: skip
    store.strategy.save_goal({"slug": "ctr", "title": "CTR", "unit": "percent", "target": 3,
                              "kpi_metric": "ctr(ads-sheet.clicks, ads-sheet.views)"})  # fmt: skip
    now = pendulum.datetime(2026, 3, 10, 9)
    cards = load_cards(store, now)
    zoom = load_zoom(store, cards, now)

    signups = zoom[(source.id, "signups")]
    assert signups.daily == (("2026-03-08", 15.0), ("2026-03-09", 40.0), ("2026-03-10", 50.0))
    assert signups.goal == CardGoal("Signups", "count", 5000, "2026-03-31")
    assert signups.goal.target_text() == "target 5,000 by Mar 31"
    # A derived KPI is no single metric's goal: clicks and views show no target.
    assert zoom[(source.id, "clicks")].goal is None
    assert zoom[(source.id, "views")].goal is None
    assert load_zoom(store, cards, now, days=2)[(source.id, "signups")].daily[0][0] == "2026-03-09"


def test_target_text_without_a_date_or_a_target() -> None:
    assert CardGoal("Spend", "currency", 1200, None).target_text() == "target $1,200"
    assert CardGoal("Rate", "percent", 2.5, "soon").target_text() == "target 2.5%"
    assert CardGoal("Open", "count", None, "2026-03-31").target_text() == ""
