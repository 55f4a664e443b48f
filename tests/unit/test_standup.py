"""The stand-up report on three scripted days of real events in a real SQLite file.

Every event is written through TaskActions at a past moment (``clock.frozen_at``); the
report is then computed at the frozen "now" of the test fixtures (2026-03-10 09:00 UTC).
"""

from __future__ import annotations

import pendulum
import pytest

from mtui.core import clock
from mtui.core.errors import ValidationError
from mtui.core.model import Campaign
from mtui.core.standup.format import to_json, to_markdown
from mtui.core.standup.report import resolve_window, standup_report
from mtui.core.strategy.campaign_status import pacing
from mtui.core.tasks.actions import TaskActions


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz="UTC")


def col(store, name: str) -> int:
    return next(s.id for s in store.tasks.statuses() if s.name == name)


@pytest.fixture
def scripted(store):
    """Three days of a small team's work; the last stand-up was on Mar 8 at 09:30."""
    actions = TaskActions(store)
    goal = store.strategy.save_goal({"slug": "signups", "title": "Grow signups", "kpi_metric": "site.visitors",
                            "baseline": 0, "target": 2000, "start_date": "2026-03-01",
                            "due_date": "2026-03-31"})  # fmt: skip
    source = store.metrics.save_metric_source(
        {"name": "Site", "kind": "json", "url": "http://127.0.0.1:9"}
    )
    store.metrics.record_fetch(source.id, fetched_at=clock.utc_stamp(at(8, 8)),
                       values={"visitors": 400.0}, error=None)  # fmt: skip
    store.metrics.record_fetch(source.id, fetched_at=clock.utc_stamp(at(10, 8)),
                       values={"visitors": 500.0}, error=None)  # fmt: skip
    store.strategy.save_campaign({"slug": "spring", "name": "Spring launch", "status": "active",
                         "start_date": "2026-03-01", "end_date": "2026-03-30", "budget": 3000,
                         "spend": 1500, "goal_ids": [goal.id]})  # fmt: skip
    doing, nxt = col(store, "Doing"), col(store, "Next")
    t = {}
    with clock.frozen_at(at(7, 10)):
        t["flip"] = actions.add({"title": "Launch email", "owner": "ana", "status_id": doing,
                                 "goal_id": goal.id})  # fmt: skip
        t["stuck"] = actions.add({"title": "Retargeting ads", "owner": "tom", "status_id": doing})
        t["late"] = actions.add({"title": "Fix UTM tags", "owner": "raj", "status_id": doing,
                                 "due": "2026-03-09"})  # fmt: skip
        t["start"] = actions.add({"title": "Carousel post", "owner": "raj", "status_id": nxt,
                                  "due": "2026-03-10"})  # fmt: skip
        t["undone"] = actions.add({"title": "Press kit", "owner": "mia", "status_id": doing})
    store.settings.mark_standup(clock.utc_stamp(at(8, 9, 30)))
    with clock.frozen_at(at(8, 12)):
        actions.mark_blocked(store.tasks.get_task(t["flip"].id), "waiting on copy review")
    with clock.frozen_at(at(8, 14)):
        t["ghost"] = actions.add({"title": "Ghost task", "owner": "ana"})
    with clock.frozen_at(at(8, 16)):
        t["new"] = actions.add({"title": "Webinar invite list", "owner": "mia", "status_id": nxt})
    with clock.frozen_at(at(9, 8)):
        actions.mark_blocked(store.tasks.get_task(t["stuck"].id), "finance approval")
    with clock.frozen_at(at(9, 9)):
        actions.delete(store.tasks.get_task(t["ghost"].id))
    with clock.frozen_at(at(9, 10)):
        actions.move_to(store.tasks.get_task(t["flip"].id), doing)
    with clock.frozen_at(at(9, 11)):
        actions.move_to(store.tasks.get_task(t["start"].id), doing)
    with clock.frozen_at(at(9, 12)):
        actions.mark_done(store.tasks.get_task(t["undone"].id))
    with clock.frozen_at(at(9, 12, 5)):
        actions.undo()
    with clock.frozen_at(at(9, 15)):
        actions.mark_done(store.tasks.get_task(t["flip"].id))
    return t


def titles(lines) -> list[str]:
    return [line.task.title for line in lines]


def test_doing_blocked_doing_done_counts_once_as_done(store, scripted):
    report = standup_report(store)
    assert titles(report.done) == ["Launch email"]
    everywhere_else = report.started + report.added + report.blocked + report.in_progress
    assert "Launch email" not in titles(everywhere_else)


def test_created_and_deleted_inside_the_window_appears_nowhere(store, scripted):
    data = to_json(standup_report(store))
    listed = [t["title"] for key in ("done", "started", "added", "blocked", "overdue",
                                     "due_today", "in_progress") for t in data[key]]  # fmt: skip
    assert "Ghost task" not in listed
    assert "Ghost task" not in to_markdown(standup_report(store))


def test_started_added_and_undone_by_net_effect(store, scripted):
    report = standup_report(store)
    assert titles(report.started) == ["Carousel post"]
    assert titles(report.added) == ["Webinar invite list"]
    # Done at 12:00, undone at 12:05: an undo is a change like any other, so not done.
    assert "Press kit" not in titles(report.done)
    assert "Press kit" in titles(report.in_progress)


def test_blocked_reason_and_duration_from_the_move_into_blocked(store, scripted):
    report = standup_report(store)
    assert titles(report.blocked) == ["Retargeting ads"]
    blocked = to_json(report)["blocked"][0]
    assert blocked["reason"] == "finance approval"
    assert blocked["seconds"] == 25 * 3600  # Mar 9 08:00 → Mar 10 09:00
    assert blocked["new"] is True


def test_overdue_due_today_and_in_progress_per_owner(store, scripted):
    report = standup_report(store)
    assert titles(report.overdue) == ["Fix UTM tags"]
    assert titles(report.due_today) == ["Carousel post"]
    assert [(line.owner, line.task.title) for line in report.in_progress] == [
        ("mia", "Press kit"), ("raj", "Fix UTM tags"), ("raj", "Carousel post")]  # fmt: skip
    ages = {t["title"]: t["seconds"] for t in to_json(report)["in_progress"]}
    assert ages["Fix UTM tags"] == 3 * 86400 - 3600  # in Doing since Mar 7 10:00
    assert ages["Carousel post"] == 22 * 3600  # moved into Doing Mar 9 11:00


def test_goals_campaigns_and_metrics_change_since_the_stand_up(store, scripted):
    data = to_json(standup_report(store))
    goal = data["goals"][0]
    assert (goal["current"], goal["previous"], goal["change"]) == (500.0, 400.0, 100.0)
    assert goal["status"] == "on track"  # 25% of the way after 30% of the time (goal_status)
    metric = data["metrics"][0]
    assert (metric["key"], metric["delta"], metric["delta_percent"]) == ("visitors", 100.0, 25.0)
    campaign = data["campaigns"][0]
    # 1500 of 3000 spent after 10 of 30 days: 150% of plan, projected 4500.
    assert (campaign["pacing_percent"], campaign["projected_spend"]) == (150.0, 4500.0)
    assert campaign["pacing_flag"] == "over"


def test_owner_filter_keeps_only_that_owners_tasks(store, scripted):
    report = standup_report(store, owner="@raj")
    assert titles(report.in_progress) == ["Fix UTM tags", "Carousel post"]
    assert report.done == [] and report.blocked == []


def test_a_later_window_starts_after_the_events(store, scripted):
    store.settings.mark_standup(clock.utc_stamp(at(9, 16)))
    report = standup_report(store)
    assert report.done == report.started == report.added == []
    assert titles(report.blocked) == ["Retargeting ads"]  # state sections still show
    assert report.blocked[0].new is False


@pytest.mark.parametrize(
    ("since", "start"),
    [(None, "2026-03-08T09:30:00+00:00"), ("yesterday", "2026-03-09T00:00:00+00:00"),
     ("monday", "2026-03-09T00:00:00+00:00"), ("tue", "2026-03-03T00:00:00+00:00"),
     ("2026-03-05", "2026-03-05T00:00:00+00:00"), ("3d", "2026-03-07T09:00:00+00:00")],
)  # fmt: skip
def test_window_from_since(since, start):
    now = at(10, 9)  # a Tuesday
    window = resolve_window(since, ["2026-03-08T09:30:00.000000Z"], now)
    assert window.start.isoformat() == start
    assert window.end == now


def test_window_without_a_stand_up_and_bad_since():
    assert resolve_window(None, [], at(10, 9)).start == at(9, 0)
    with pytest.raises(ValidationError, match="not understood"):
        resolve_window("someday", [], at(10, 9))


@pytest.mark.parametrize(
    ("today", "percent", "projected", "flag"),
    [((3, 10), 150.0, 4500.0, "over"), ((3, 15), 100.0, 3000.0, None),
     ((3, 30), 50.0, 1500.0, "under"), ((4, 20), 50.0, 1500.0, "under")],
)  # fmt: skip
def test_pacing_at_known_dates(today, percent, projected, flag):
    campaign = Campaign(1, "Spring", "spring", status="active", start_date="2026-03-01",
                        end_date="2026-03-30", budget=3000, spend=1500)  # fmt: skip
    result = pacing(campaign, pendulum.date(2026, *today))
    assert result is not None
    assert round(result.percent, 6) == percent
    assert round(result.projected_spend, 6) == projected
    assert result.flag == flag


def test_no_pacing_before_the_start_or_without_budget():
    campaign = Campaign(1, "Later", "later", status="active", start_date="2026-04-01",
                        end_date="2026-04-30", budget=1000, spend=0)  # fmt: skip
    assert pacing(campaign, pendulum.date(2026, 3, 10)) is None
    campaign.start_date, campaign.budget = "2026-03-01", None
    assert pacing(campaign, pendulum.date(2026, 3, 10)) is None


EXPECTED_MARKDOWN = """\
**Stand-up · Tue 10 Mar 2026 09:00**
Since the stand-up on Sun 8 Mar 09:30 (47h ago)

**Done (1)**
- @ana: Launch email

**Started (1)**
- Carousel post · @raj

**Added (1)**
- Webinar invite list · @mia

**Blocked (1)**
- Retargeting ads · @tom · blocked 25h (new) — finance approval

**Overdue (1)**
- Fix UTM tags · @raj · 1d late

**Due today (1)**
- Carousel post · @raj

**In progress (3)**
- @mia: Press kit (20h)
- @raj: Fix UTM tags (2d) · Carousel post (22h)

**Goals**
- **Grow signups** ^signups: 500 / 2,000 · on track · ▲ 100 since · ⚠ stale KPI, as of 1h ago

**Campaigns**
- **Spring launch**: $1,500 of $3,000 spent · pacing 150% · 20d left · ⚠ active with no open tasks · ⚠ over-pacing: projected $4,500 of $3,000

**Metrics**
- **visitors** (Site): 500 ▲25.0% since
"""


def test_markdown_for_chat(store, scripted):
    assert to_markdown(standup_report(store)) == EXPECTED_MARKDOWN
