"""``mtui standup`` and ``mtui campaign status`` as a user runs them (subprocesses)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import run_mtui

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    assert run_mtui("demo", "--db", str(path), "--no-open").returncode == 0
    return path


def test_json_report_follows_the_schema(demo_db):
    result = run_mtui("standup", "--format", "json", db=demo_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "mtui.standup/1"
    assert data["window"]["from_standup"] is True
    assert data["window"]["start"] == "2026-11-25T09:30:00+01:00"  # the demo's stand-up
    assert {t["title"] for t in data["done"]} == {
        "Pricing page: annual plan toggle", "Weekly metrics email to the team",
        "Weekly LinkedIn newsletter #14", "Book 4 more customer interviews"}  # fmt: skip
    blocked = {t["title"]: t for t in data["blocked"]}
    assert blocked["Retargeting ads for pricing-page visitors"]["reason"].startswith("Waiting")
    pacing = {c["slug"]: c["pacing_flag"] for c in data["campaigns"]}
    assert pacing == {"spring-launch": None, "linkedin-tl": "over"}


def test_markdown_and_owner_filter(demo_db):
    result = run_mtui("standup", "--owner", "@raj", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("**Stand-up · Acme Analytics · @raj · Thu 26 Nov 2026 10:00**")
    assert "- @raj: Fix UTM tags on pricing page links" in result.stdout
    assert "@tom" not in result.stdout.split("**Goals**")[0]


def test_since_moves_the_window_and_bad_since_exits_2(demo_db):
    data = json.loads(
        run_mtui("standup", "--since", "monday", "--format", "json", db=demo_db).stdout
    )
    assert data["window"]["start"] == "2026-11-23T00:00:00+01:00"
    assert data["window"]["from_standup"] is False
    bad = run_mtui("standup", "--since", "someday", db=demo_db)
    assert bad.returncode == 2 and "not understood" in bad.stderr


def test_mark_records_a_stand_up_and_starts_the_next_window(tmp_path):
    db = tmp_path / "demo.db"
    run_mtui("demo", "--db", str(db), "--no-open")
    marked = run_mtui("standup", "--mark", "--format", "text", db=db)
    assert marked.returncode == 0, marked.stderr
    assert "Done (4)" in marked.stdout  # printed before marking
    after = json.loads(run_mtui("standup", "--format", "json", db=db).stdout)
    assert after["window"]["start"] == "2026-11-26T10:00:00+01:00"
    assert after["done"] == [] and after["blocked"]  # no changes yet; still blocked


def test_campaign_status_json(demo_db):
    result = run_mtui("campaign", "status", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = {r["slug"]: r for r in json.loads(result.stdout)}
    spring = rows["spring-launch"]
    assert spring["tasks_summary"] == "2 backlog · 6 next · 4 doing · 2 blocked · 2 done"
    # The demo's launch paces on its ad-spend metric (demo-sheet.ad_spend), not a typed
    # spend; seeded an hour before "now" and never polled here, so it is stale.
    assert (spring["pacing_percent"], spring["days_left"]) == (97.9, 25)
    assert spring["spend_metric"] == "demo-sheet.ad_spend" and spring["spend"] == 11624.49
    assert (spring["spend_as_of"], spring["spend_stale"]) == ("2026-11-26T08:00:00.000000Z", True)
    assert spring["flags"] == ["spend from demo-sheet.ad_spend is stale (as of 1h ago)"]
    assert rows["linkedin-tl"]["flags"] == ["over-pacing: projected $4,803 of $3,000"]
    assert rows["webinars"]["pacing_percent"] is None  # planned: not started


def test_a_goal_whose_source_fails_is_marked_stale_in_the_standup(tmp_path):
    """Item 23: the stand-up shows the stale KPI's age and a marker (text, md, JSON)."""
    from mtui.core.store import open_store

    db = tmp_path / "s.db"
    store = open_store(db)
    source = store.metrics.save_metric_source({
        "name": "Site", "kind": "json", "url": "https://stats.example/x",
        "selectors": {"signups": "signups"}, "interval_seconds": 300,
    })  # fmt: skip
    store.strategy.save_goal({"title": "Grow signups", "slug": "signups", "target": 500,
                              "kpi_metric": "site.signups"})  # fmt: skip
    # run_mtui freezes "now" at 2026-11-26 10:00 Berlin (09:00 UTC).
    store.metrics.record_fetch(source.id, fetched_at="2026-11-26T07:00:00Z",
                               values={"signups": 321}, error=None)  # fmt: skip
    store.metrics.record_fetch(source.id, fetched_at="2026-11-26T08:59:00Z", values={},
                               error="HTTP 503 Service Unavailable")  # fmt: skip
    store.close()
    for fmt in ("text", "md"):
        result = run_mtui("standup", "--format", fmt, db=db)
        assert result.returncode == 0, result.stderr
        line = next(x for x in result.stdout.splitlines() if "Grow signups" in x)
        assert "321" in line and "⚠ stale KPI, as of 2h ago" in line, line
    data = json.loads(run_mtui("standup", "--format", "json", db=db).stdout)
    [goal] = data["goals"]
    assert goal["kpi_stale"] is True and goal["kpi_fetched_at"].startswith("2026-11-26T07:00:00")
