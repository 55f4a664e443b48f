"""Core strategy logic: brief versions and diff, goal status, alignment and orphans."""

from __future__ import annotations

import pendulum
import pytest

from mtui.core.errors import ValidationError
from mtui.core.language.filter_query import FilterNames, parse_filter
from mtui.core.model import Brief, Campaign, Goal, Status, Task
from mtui.core.strategy.brief import (
    brief_to_text,
    diff_briefs,
    parse_assignments,
    parse_brief_text,
    positioning_statement,
)
from mtui.core.strategy.goals import (
    format_tactic_counts,
    goal_current,
    goal_progress,
    goal_status,
    goals_without_execution,
    orphan_tasks,
    tally,
    tally_tasks,
)
from mtui.core.strategy.input import FieldError, goal_changes

# A quarter: Jan 1 → Mar 31 (90 days). Mid-February is ~50% elapsed.
START, DUE = "2026-01-01", "2026-03-31"
MID = pendulum.datetime(2026, 2, 15, 12, tz="UTC")  # 45.5 / 90 days ≈ 0.506 elapsed
AFTER = pendulum.datetime(2026, 4, 2, 9, tz="UTC")


def up_goal(current: float, **kw) -> Goal:
    return Goal(id=1, title="Signups", slug="signups", baseline=0, target=1000,
                current=current, start_date=START, due_date=DUE, **kw)  # fmt: skip


def down_goal(current: float, **kw) -> Goal:
    """Churn from 10% down to 5%: lower is better."""
    return Goal(id=2, title="Churn", slug="churn", unit="percent", direction="down",
                baseline=10, target=5, current=current, start_date=START, due_date=DUE, **kw)  # fmt: skip


# ------------------------------------------------------------------ brief


def test_every_save_is_a_new_version_and_the_diff_names_each_changed_field(store) -> None:
    first = store.strategy.save_brief({"name": "Acme", "mission": "Numbers for founders"})
    second = store.strategy.save_brief({"mission": "Numbers that matter", "offer": "Free trial"})
    unchanged = store.strategy.save_brief({"offer": "Free trial"})
    assert (first.version, second.version) == (1, 2)
    assert unchanged.version == 2, "saving identical values must not add a version"
    versions = store.strategy.brief_versions()
    assert [v.version for v in versions] == [2, 1]
    assert versions[1].mission == "Numbers for founders"  # old versions are kept intact
    changes = diff_briefs(versions[1], versions[0])
    assert [(c.field, c.kind) for c in changes] == [("mission", "changed"), ("offer", "added")]
    assert changes[0].old == "Numbers for founders" and changes[0].new == "Numbers that matter"
    assert diff_briefs(second, second) == []


def test_positioning_statement_follows_moore_and_tolerates_blanks() -> None:
    full = Brief(name="Acme", pos_for="indie founders", pos_who_need="need revenue numbers",
                 pos_category="analytics tool", pos_benefit="joins data in 5 minutes",
                 pos_unlike="spreadsheets", pos_differentiator="need no data team")  # fmt: skip
    assert positioning_statement(full) == (
        "For indie founders who need revenue numbers, Acme is an analytics tool that joins "
        "data in 5 minutes. Unlike spreadsheets, we need no data team."
    )
    partial = Brief(name="Acme", pos_for="founders", pos_category="tool")
    assert positioning_statement(partial) == "For founders, Acme is a tool."
    only_unlike = Brief(pos_unlike="Excel")
    assert positioning_statement(only_unlike) == "Unlike Excel, we …."
    assert positioning_statement(Brief()) == ""


def test_brief_text_round_trips_through_the_editor_format() -> None:
    brief = Brief(name="Acme", mission="Line one\nLine two", offer="Trial")
    text = brief_to_text(brief)
    assert "# What is the product" not in text  # filled fields carry no prompt
    assert "# Why does it exist" not in text
    parsed = parse_brief_text(text)
    assert parsed["name"] == "Acme" and parsed["mission"] == "Line one\nLine two"
    assert parsed["avatar_name"] == ""
    with pytest.raises(ValidationError, match="line 1: unknown brief field 'nmae'"):
        parse_brief_text("nmae: Acme")
    assert parse_assignments(["offer=Two\\nlines"]) == {"offer": "Two\nlines"}
    with pytest.raises(ValidationError, match="unknown brief field"):
        parse_assignments(["bogus=1"])


# ------------------------------------------------------------------ goal status


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (520, "on track"),  # progress 0.52 vs elapsed ~0.51
        (420, "on track"),  # trailing by 0.09: within ON_TRACK_SLACK
        (330, "at risk"),  # trailing by ~0.18
        (150, "off track"),  # trailing by ~0.36
        (1000, "achieved"),
        (1200, "achieved"),
    ],
)
def test_up_goal_status_mid_quarter(current: float, expected: str) -> None:
    assert goal_status(up_goal(current), MID) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (7.4, "on track"),  # 52% of the way from 10 down to 5
        (8.3, "at risk"),  # 34%: trailing by ~0.17
        (9.5, "off track"),  # 10%
        (11.0, "off track"),  # worse than the baseline
        (5.0, "achieved"),
        (4.2, "achieved"),
    ],
)
def test_down_goal_status_mid_quarter(current: float, expected: str) -> None:
    assert goal_status(down_goal(current), MID) == expected


def test_missed_after_the_due_date_unless_reached() -> None:
    assert goal_status(up_goal(990), AFTER) == "missed"
    assert goal_status(down_goal(5.5), AFTER) == "missed"
    assert goal_status(up_goal(1000), AFTER) == "achieved"
    assert goal_status(down_goal(4.9), AFTER) == "achieved"


def test_override_wins_and_unknowns_are_none() -> None:
    assert goal_status(up_goal(10, status_override="at risk"), MID) == "at risk"
    assert goal_status(Goal(id=3, title="x", slug="x", target=10), MID) is None
    no_dates = Goal(id=4, title="x", slug="x", baseline=0, target=10, current=2)
    assert goal_status(no_dates, MID) == "on track"


def test_progress_fraction_for_both_directions() -> None:
    assert goal_progress(up_goal(250)) == pytest.approx(0.25)
    assert goal_progress(down_goal(7.5)) == pytest.approx(0.5)
    assert goal_progress(up_goal(250), current=500) == pytest.approx(0.5)


def test_goal_current_prefers_a_live_metric_when_one_is_given() -> None:
    goal = up_goal(100, kpi_metric="plausible.signups")
    assert goal_current(goal) == 100
    assert goal_current(goal, {"plausible.signups": 640.0}) == 640.0
    assert goal_current(goal, {"other": 1.0}) == 100


# ------------------------------------------------------------------ alignment

STATUSES = [
    Status(1, "Backlog", 0),
    Status(2, "Next", 1),
    Status(3, "Doing", 2),
    Status(4, "Done", 3, is_done=True),
]
DONE = {4}


def task(id_: int, status: int, goal: int | None = None, campaign: int | None = None) -> Task:
    return Task(id=id_, title=f"t{id_}", status_id=status, position=id_, goal_id=goal,
                campaign_id=campaign)  # fmt: skip


def test_orphans_exclude_tasks_serving_a_goal_through_their_campaign() -> None:
    campaigns = [Campaign(10, "Launch", "launch", goal_ids=[1]), Campaign(11, "Misc", "misc")]
    tasks = [
        task(1, 3, goal=1),  # direct
        task(2, 2, campaign=10),  # through its campaign
        task(3, 2, campaign=11),  # campaign serves no goal: orphan
        task(4, 1),  # nothing: orphan
        task(5, 4),  # done: not counted as an orphan
    ]
    assert [t.id for t in orphan_tasks(tasks, campaigns, DONE)] == [3, 4]
    alignment = tally_tasks(tasks, campaigns, DONE)
    assert alignment.orphans == 2
    assert alignment.counts(1) == {3: 1, 2: 1}
    # The filter language's is:orphan token agrees with the core.
    lookups = FilterNames(done_status_ids=frozenset(DONE),
                            campaign_goals={10: (1,), 11: ()})  # fmt: skip
    predicate = parse_filter("is:orphan", MID).compile(lookups)
    assert [t.id for t in tasks if predicate(t)] == [3, 4]
    negated = parse_filter("-is:orphan", MID).compile(lookups)
    assert [t.id for t in tasks if negated(t)] == [1, 2, 5]


def test_tactic_counts_and_goals_without_execution() -> None:
    campaigns = [Campaign(10, "Launch", "launch", goal_ids=[1, 2])]
    rows = [(1, None, 3, 3), (None, 10, 2, 5), (1, 10, 4, 12), (2, None, 4, 2)]
    alignment = tally(rows, campaigns, DONE)
    assert format_tactic_counts(alignment.counts(1), STATUSES) == "3 doing · 5 next · 12 done"
    goals = [
        Goal(1, "Signups", "signups"),
        Goal(2, "MQLs", "mqls"),
        Goal(3, "Awareness", "awareness"),  # no tactics at all
        Goal(4, "Objective", "objective"),
        Goal(5, "KR", "kr", parent_id=4),  # its parent is executed through it? no tactics
    ]
    rows.append((5, None, 2, 1))
    alignment = tally(rows, campaigns, DONE)
    idle = {g.slug for g in goals_without_execution(goals, alignment, DONE)}
    assert idle == {"awareness"}, "open tactics on a key result count for its objective"


def test_goal_input_validation_messages() -> None:
    goals = [Goal(1, "Signups", "signups"), Goal(2, "KR", "kr", parent_id=1)]
    ok = goal_changes({"title": "MQLs", "stage": "eng", "target": "1,500",
                       "due_date": "2026-03-31", "parent": "signups"}, goals=goals, now=MID)  # fmt: skip
    assert ok["slug"] == "mqls" and ok["stage"] == "engage" and ok["target"] == 1500.0
    assert ok["parent_id"] == 1
    cases = [
        ({"title": "X", "stage": "nope"}, "stage", "unknown stage"),
        ({"title": "X", "unit": "kg"}, "unit", "unknown unit"),
        ({"title": "Signups"}, "slug", "already exists"),
        ({"title": "X", "parent": "ghost"}, "parent", "unknown parent goal 'ghost'"),
        ({"title": "X", "due_date": "someday"}, "due_date", "bad due date"),
        ({"title": "X", "start_date": "2026-03-01", "due_date": "2026-02-01"}, "due_date",
         "before start date"),
        ({"title": "X", "target": "lots"}, "target", "must be a number"),
        ({"title": " "}, "title", "needs a title"),
    ]  # fmt: skip
    for raw, field, message in cases:
        with pytest.raises(FieldError, match=message) as caught:
            goal_changes(raw, goals=goals, now=MID)
        assert caught.value.field == field
    with pytest.raises(FieldError, match="loop"):
        goal_changes({"parent": "kr"}, goals=goals, now=MID, editing=goals[0])
