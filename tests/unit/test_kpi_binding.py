"""A goal bound to a live metric shows that metric's value wherever goals are shown."""

from __future__ import annotations

import json
from pathlib import Path

from mtui.core.metrics.values import readings_since, values_at
from mtui.core.store import open_store
from mtui.core.strategy.kpi import live_values
from tests.support.cli import run_mtui


def seeded(tmp_path: Path):
    store = open_store(tmp_path / "kpi.db")
    source = store.metrics.save_metric_source(
        {"name": "Ads sheet", "kind": "csv", "url": "http://127.0.0.1:9/x.csv"}
    )
    store.metrics.record_fetch(
        source.id,
        fetched_at="2026-11-25T08:00:00Z",
        values={"clicks": 40, "impressions": 2000},
        error=None,
    )
    store.metrics.record_fetch(
        source.id,
        fetched_at="2026-11-26T08:00:00Z",
        values={"clicks": 90, "impressions": 3000},
        error=None,
    )
    store.strategy.save_goal(
        {
            "title": "Clicks",
            "slug": "clicks",
            "kpi_metric": "ads-sheet.clicks",
            "target": 100,
            "current": 1,
        }
    )
    store.strategy.save_goal({"title": "CTR", "slug": "ctr", "kpi_metric": "ctr(ads-sheet.clicks, ads-sheet.impressions)",
                     "unit": "percent", "target": 5})  # fmt: skip
    return store


def test_live_and_derived_values(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    values = live_values(store, store.strategy.goals())
    assert values["ads-sheet.clicks"] == 90
    assert values["ctr(ads-sheet.clicks, ads-sheet.impressions)"] == 3.0  # 100 · 90 / 3000


def test_values_at_an_earlier_moment_give_the_change_since(tmp_path: Path) -> None:
    import pendulum

    store = seeded(tmp_path)
    readings = readings_since(store, pendulum.datetime(2026, 11, 25, 12))
    then = values_at(readings, store.strategy.goals())
    assert (
        then["ads-sheet.clicks"] == 40
        and then["ctr(ads-sheet.clicks, ads-sheet.impressions)"] == 2.0
    )


def test_goal_ls_json_uses_the_live_value_not_the_manual_one(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    store.close()
    goals = {
        g["slug"]: g
        for g in json.loads(run_mtui("goal", "ls", "--json", db=tmp_path / "kpi.db").stdout)
    }
    assert goals["clicks"]["current"] == 90
    assert goals["ctr"]["current"] == 3.0
