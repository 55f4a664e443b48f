"""SettingsRepository and the ActivityLog (everything that is not a task), undo included."""

from __future__ import annotations

import pendulum
import pytest

from mtui.core import clock
from mtui.core.errors import ConflictError
from mtui.core.store.contract import Store
from mtui.core.store.feed import SETTINGS, STANDUPS
from tests.support.backends import add, column


def test_settings_default_change_and_write_nothing_when_unchanged(store: Store) -> None:
    assert store.settings.get_setting("theme") is None
    assert store.settings.get_setting("theme", "dark") == "dark"
    store.settings.set_setting("theme", "light", action_id="t1")
    store.settings.set_setting("theme", "high-contrast", action_id="t2")
    assert store.settings.get_setting("theme", "dark") == "high-contrast"
    (event,) = store.activity.events(action_id="t2")
    assert (event.entity, event.field, event.old, event.new) == (
        "setting", "theme", "light", "high-contrast")  # fmt: skip
    position = store.feed.position()
    store.settings.set_setting("theme", "high-contrast")
    assert store.feed.position() == position
    assert SETTINGS in store.feed.changes(0).topics


def test_standups_are_listed_oldest_first(store: Store) -> None:
    assert store.settings.standups() == []
    for held in ("2026-03-10T09:00:00.000000Z", "2026-03-03T09:00:00.000000Z",
                 "2026-03-17T09:00:00.000000Z"):  # fmt: skip
        store.settings.mark_standup(held)
    assert store.settings.standups() == [
        "2026-03-03T09:00:00.000000Z", "2026-03-10T09:00:00.000000Z",
        "2026-03-17T09:00:00.000000Z"]  # fmt: skip
    assert STANDUPS in store.feed.changes(0).topics


def test_activity_events_are_in_commit_order_and_filter(store: Store) -> None:
    with clock.frozen_at(pendulum.datetime(2026, 3, 2, tz="UTC")):
        later_stamp = store.strategy.save_goal({"title": "A", "slug": "a"}, action_id="a")
    with clock.frozen_at(pendulum.datetime(2026, 3, 1, tz="UTC")):  # a clock that went back
        b = store.strategy.save_goal({"title": "B", "slug": "b"}, action_id="b")
        store.settings.set_setting("theme", "light", action_id="s")
    events = store.activity.events()
    assert [e.action_id for e in events] == ["a", "b", "s"]
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert [e.entity_id for e in store.activity.events(entity="goal")] == [later_stamp.id, b.id]
    assert [e.action_id for e in store.activity.events(entity="goal", entity_id=b.id)] == ["b"]
    assert [e.action_id for e in store.activity.events(since="2026-03-02T00:00:00.000000Z")] == [
        "a"
    ]
    assert {e.actor for e in events} == {"ana"}


def test_revert_puts_back_a_changed_field_unless_it_changed_again(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups", "target": 10.0})
    store.strategy.save_goal({"target": 20.0}, goal.id, action_id="edit")
    (event,) = store.activity.events(action_id="edit")
    store.activity.revert(event, action_id="undo", undo_of="edit")
    assert store.strategy.goals()[0].target == 10.0
    (undone,) = store.activity.events(action_id="undo")
    assert (undone.undo_of, undone.old, undone.new) == ("edit", 20.0, 10.0)
    store.strategy.save_goal({"target": 30.0}, goal.id)
    position = store.feed.position()
    with pytest.raises(ConflictError):
        store.activity.revert(undone, action_id="redo", undo_of="undo")
    assert store.strategy.goals()[0].target == 30.0 and store.feed.position() == position


def test_revert_deletes_what_was_created_and_recreates_what_was_deleted(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"}, action_id="new")
    (created,) = store.activity.events(action_id="new")
    store.activity.revert(created, action_id="undo", undo_of="new")
    assert store.strategy.goals() == []
    (deleted,) = store.activity.events(action_id="undo")
    store.activity.revert(deleted, action_id="redo", undo_of="undo")
    assert store.strategy.goals() == [goal]
    web = store.metrics.save_metric_source({"name": "web", "kind": "json", "url": "http://x.test"})
    store.metrics.delete_metric_source(web.id, action_id="drop")
    (dropped,) = store.activity.events(action_id="drop")
    store.activity.revert(dropped, action_id="back", undo_of="drop")
    assert store.metrics.metric_sources() == [web]


def test_revert_refuses_to_delete_a_record_that_tasks_point_at(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"}, action_id="new")
    add(store, "aligned", goal_id=goal.id)
    (created,) = store.activity.events(action_id="new")
    with pytest.raises(ConflictError):
        store.activity.revert(created, action_id="undo", undo_of="new")
    assert store.strategy.goals() == [goal]


def test_revert_of_the_brief_standups_settings_goals_of_a_campaign_and_limits(store: Store) -> None:
    store.strategy.save_brief({"name": "Acme"})
    store.strategy.save_brief({"name": "Acme Inc", "offer": "Trial"}, action_id="brief")
    for event in reversed(store.activity.events(action_id="brief")):
        store.activity.revert(event, action_id="undo-brief", undo_of="brief")
    assert (store.strategy.brief().name, store.strategy.brief().offer) == ("Acme", "")
    assert store.strategy.brief().version == 4, "an undo is a new version, history stays"

    store.settings.mark_standup("2026-03-10T09:00:00.000000Z", action_id="standup")
    (held,) = store.activity.events(action_id="standup")
    store.activity.revert(held, action_id="undo-standup", undo_of="standup")
    assert store.settings.standups() == []

    store.settings.set_setting("theme", "light", action_id="set")
    (setting,) = store.activity.events(action_id="set")
    store.activity.revert(setting, action_id="undo-set", undo_of="set")
    assert store.settings.get_setting("theme") is None

    goal = store.strategy.save_goal({"title": "A", "slug": "a"})
    campaign = store.strategy.save_campaign({"name": "C", "slug": "c"})
    store.strategy.save_campaign({"goal_ids": [goal.id]}, campaign.id, action_id="link")
    (link,) = store.activity.events(action_id="link")
    store.activity.revert(link, action_id="unlink", undo_of="link")
    assert store.strategy.campaigns()[0].goal_ids == []

    doing = column(store, "Doing")
    store.tasks.set_wip_limit(doing.id, 9, action_id="wip")
    (limit,) = store.activity.events(action_id="wip")
    store.activity.revert(limit, action_id="undo-wip", undo_of="wip")
    assert column(store, "Doing").wip_limit == doing.wip_limit
