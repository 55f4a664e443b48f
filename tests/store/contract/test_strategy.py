"""StrategyRepository: the versioned brief, goals and campaigns."""

from __future__ import annotations

import pytest

from mtui.core.errors import DuplicateError, NotFound, ValidationError
from mtui.core.model import Brief
from mtui.core.store.contract import Store
from mtui.core.store.feed import STRATEGY


def test_a_new_board_has_an_empty_brief_version_0(store: Store) -> None:
    assert store.strategy.brief() == Brief()
    assert store.strategy.brief_versions() == []
    assert store.strategy.goals() == [] and store.strategy.campaigns() == []


def test_every_brief_save_is_a_new_version_logged_field_by_field(store: Store) -> None:
    first = store.strategy.save_brief({"name": "Acme", "mission": "Numbers"}, action_id="b1")
    assert (first.version, first.name, first.mission, first.offer) == (1, "Acme", "Numbers", "")
    assert first.updated_at
    second = store.strategy.save_brief({"mission": "Numbers that matter"}, action_id="b2")
    assert (second.version, second.name, second.mission) == (2, "Acme", "Numbers that matter")
    assert store.strategy.brief() == second
    assert [b.version for b in store.strategy.brief_versions()] == [2, 1]
    assert store.strategy.brief_versions()[1] == first, "old versions are kept intact"
    (event,) = store.activity.events(action_id="b2")
    assert (event.entity, event.kind, event.field, event.old, event.new) == (
        "brief", "changed", "mission", "Numbers", "Numbers that matter")  # fmt: skip
    assert sorted(e.field or "" for e in store.activity.events(action_id="b1")) == [
        "mission",
        "name",
    ]
    assert STRATEGY in store.feed.changes(0).topics


def test_saving_an_unchanged_brief_writes_nothing(store: Store) -> None:
    store.strategy.save_brief({"name": "Acme"})
    position = store.feed.position()
    assert store.strategy.save_brief({"name": "Acme"}, action_id="same").version == 1
    assert store.feed.position() == position
    assert store.activity.events(action_id="same") == []


def test_unknown_brief_fields_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError):
        store.strategy.save_brief({"slogan": "x"})
    assert store.strategy.brief_versions() == []


def test_goals_are_created_changed_and_logged(store: Store) -> None:
    goal = store.strategy.save_goal(
        {"title": "Signups", "slug": "signups", "target": 1000.0}, action_id="g1"
    )
    assert (goal.title, goal.slug, goal.target, goal.stage, goal.unit) == (
        "Signups", "signups", 1000.0, "attract", "count")  # fmt: skip
    (created,) = store.activity.events(action_id="g1")
    assert (created.entity, created.entity_id, created.kind) == ("goal", goal.id, "created")
    assert created.new["slug"] == "signups"
    changed = store.strategy.save_goal(
        {"target": 1200.0, "title": "Signups"}, goal.id, action_id="g2"
    )
    assert changed.target == 1200.0 and store.strategy.goals() == [changed]
    (event,) = store.activity.events(action_id="g2")
    assert (event.kind, event.field, event.old, event.new) == ("changed", "target", 1000.0, 1200.0)
    child = store.strategy.save_goal({"title": "Trials", "slug": "trials", "parent_id": goal.id})
    assert [g.id for g in store.strategy.goals()] == [goal.id, child.id]
    with pytest.raises(NotFound):
        store.strategy.save_goal({"title": "x"}, 99999)


def test_a_taken_goal_or_campaign_slug_is_a_duplicate_and_nothing_is_saved(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"})
    other = store.strategy.save_goal({"title": "Churn", "slug": "churn"})
    position = store.feed.position()
    with pytest.raises(DuplicateError):
        store.strategy.save_goal({"title": "Again", "slug": "signups"})
    with pytest.raises(DuplicateError):
        store.strategy.save_goal({"slug": "signups"}, other.id)
    assert [g.slug for g in store.strategy.goals()] == [goal.slug, "churn"]
    store.strategy.save_campaign({"name": "Spring", "slug": "spring"})
    with pytest.raises(DuplicateError):
        store.strategy.save_campaign({"name": "Spring 2", "slug": "spring"})
    assert [c.slug for c in store.strategy.campaigns()] == ["spring"]
    assert store.feed.position() == position + 1


def test_campaigns_keep_their_goals_and_log_changes_to_them(store: Store) -> None:
    a = store.strategy.save_goal({"title": "A", "slug": "a"})
    b = store.strategy.save_goal({"title": "B", "slug": "b"})
    campaign = store.strategy.save_campaign(
        {"name": "Spring", "slug": "spring", "budget": 500.0, "goal_ids": [b.id, a.id, b.id]}
    )
    assert campaign.goal_ids == sorted([a.id, b.id]) and campaign.budget == 500.0
    assert campaign.status == "planned"
    changed = store.strategy.save_campaign({"goal_ids": [b.id]}, campaign.id, action_id="c2")
    assert changed.goal_ids == [b.id]
    (event,) = store.activity.events(action_id="c2")
    assert (event.entity, event.field, event.old, event.new) == (
        "campaign", "goal_ids", sorted([a.id, b.id]), [b.id])  # fmt: skip
    position = store.feed.position()
    store.strategy.save_campaign({"goal_ids": [b.id], "budget": 500.0}, campaign.id)
    assert store.feed.position() == position, "an unchanged campaign writes nothing"
    assert store.strategy.campaigns() == [changed]
    with pytest.raises(NotFound):
        store.strategy.save_campaign({"name": "x"}, 99999)


def test_saving_an_empty_brief_on_a_new_board_writes_nothing(store: Store) -> None:
    """Found by the state machine: it used to write an empty version 1 with no activity,
    so the section editor recorded an action that undo could never revert."""
    assert store.strategy.save_brief({"name": ""}, action_id="empty").version == 0
    assert store.strategy.brief_versions() == [] and store.feed.position() == 0


def test_a_campaign_keeps_its_spend_metric_and_logs_changes_to_it(store: Store) -> None:
    saved = store.strategy.save_campaign(
        {"name": "Launch", "slug": "launch", "spend_metric": "sheet.ad_spend"}
    )
    assert store.strategy.campaigns()[0].spend_metric == "sheet.ad_spend"
    store.strategy.save_campaign({"spend_metric": None}, saved.id, action_id="c2")
    assert store.strategy.campaigns()[0].spend_metric is None
    (event,) = store.activity.events(action_id="c2")
    assert (event.field, event.old, event.new) == ("spend_metric", "sheet.ad_spend", None)
