"""Every repository method, on SQLite and on PostgreSQL alike (``backend`` is both)."""

from __future__ import annotations

import pytest

from mtui.core.errors import ConflictError, DuplicateError, NotFound, ValidationError
from mtui.core.store.contract import Store
from mtui.core.store.feed import METRICS, NAMES, SETTINGS, STANDUPS, STRATEGY, TASKS
from tests.support.backends import Backend, action, add, column


# Tasks: columns and channels ----------------------------------------------------------
def test_statuses_are_the_default_columns_in_board_order(store: Store) -> None:
    columns = store.tasks.statuses()
    assert [s.name for s in columns] == ["Backlog", "Next", "Doing", "Blocked", "Done"]
    assert [s.is_done for s in columns] == [False, False, False, False, True]
    assert column(store, "Doing").wip_limit == 4


def test_set_wip_limit_is_logged_and_a_no_op_writes_nothing(store: Store) -> None:
    doing = column(store, "Doing")
    store.tasks.set_wip_limit(doing.id, 6, action_id="a1")
    assert column(store, "Doing").wip_limit == 6
    (event,) = store.activity.events(action_id="a1")
    assert (event.entity, event.field, event.old, event.new) == ("status", "wip_limit", 4, 6)
    position = store.feed.position()
    store.tasks.set_wip_limit(doing.id, 6)
    assert store.feed.position() == position
    with pytest.raises(NotFound):
        store.tasks.set_wip_limit(999, 1)


def test_channels_are_unique_case_insensitively_and_sorted(store: Store) -> None:
    email = store.tasks.ensure_channel("Email")
    assert store.tasks.ensure_channel("EMAIL") == email
    blog = store.tasks.ensure_channel("blog")
    assert [(c.id, c.name) for c in store.tasks.channels()] == [(blog, "blog"), (email, "Email")]


# Tasks: reading ----------------------------------------------------------------------
def test_get_list_and_count_tasks(store: Store) -> None:
    a = add(store, "A", tags=["x", "y"], notes="n", priority=1, owner="ana")
    b = add(store, "B", "Next")
    c = add(store, "C")
    store.tasks.delete_task(c.id, action_id=action())
    got = store.tasks.get_task(a.id)
    assert (got.title, got.tags, got.notes, got.priority, got.owner) == (
        "A",
        ["x", "y"],
        "n",
        1,
        "ana",
    )
    assert got.version == 1 and got.created_at == got.updated_at
    with pytest.raises(NotFound):
        store.tasks.get_task(c.id)
    assert store.tasks.get_task(c.id, include_deleted=True).deleted_at is not None
    with pytest.raises(NotFound):
        store.tasks.get_task(12345)
    assert sorted(t.id for t in store.tasks.get_tasks([c.id, a.id, 999])) == [a.id, c.id]
    assert [t.title for t in store.tasks.list_tasks()] == ["A", "B"]
    assert [t.title for t in store.tasks.list_tasks(include_deleted=True)] == ["A", "C", "B"]
    assert [t.title for t in store.tasks.list_tasks(deleted_only=True)] == ["C"]
    assert [t.id for t in store.tasks.list_tasks(status_ids=[b.status_id])] == [b.id]
    assert store.tasks.count_tasks() == 2


def test_snapshot_and_board_page_carry_the_feed_position(store: Store) -> None:
    for i in range(3):
        add(store, f"open {i}")
    done = [add(store, f"done {i}", "Done") for i in range(3)]
    store.tasks.update_task(done[0].id, {"title": "done 0 again"}, action_id=action())
    snapshot = store.tasks.task_snapshot()
    assert len(snapshot.tasks) == 6 and snapshot.position == store.feed.position()
    page = store.tasks.board_page(store.tasks.statuses(), 2)
    backlog, done_column = column(store, "Backlog").id, column(store, "Done").id
    assert page.counts == {backlog: 3, done_column: 3}
    assert not page.complete and page.position == snapshot.position
    assert [t.title for t in page.tasks if t.status_id == backlog] == ["open 0", "open 1"]
    # Done: newest first (done_at, then the latest update, then id)
    assert [t.title for t in page.tasks if t.status_id == done_column] == ["done 2", "done 1"]


def test_recent_names_edges_and_alignment_counts(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow"})
    store.strategy.save_campaign({"name": "Launch", "slug": "launch"})
    store.tasks.ensure_channel("email")
    add(store, "A", owner="bo", goal_id=goal.id, position=5.0)
    add(store, "B", owner="ana", goal_id=goal.id)
    names = store.tasks.recent_names()
    assert set(names["owner"]) == {"ana", "bo"}
    assert names["goal"] == ["grow"] and names["campaign"] == ["launch"]
    assert names["channel"] == ["email"]
    backlog = column(store, "Backlog").id
    assert store.tasks.column_edge_position(backlog, top=True) == 5.0
    assert store.tasks.column_edge_position(backlog, top=False) == 6.0
    assert store.tasks.column_edge_position(column(store, "Done").id, top=True) is None
    assert store.tasks.task_alignment_counts() == [(goal.id, None, backlog, 2)]


# Tasks: writing ----------------------------------------------------------------------
def test_create_task_in_done_is_done_and_logged_with_the_actor(store: Store) -> None:
    task = add(store, "Shipped", "Done")
    assert task.done_at == task.created_at
    (event,) = store.tasks.events(task_id=task.id)
    assert (event.kind, event.new, event.actor) == ("created", "Shipped", "ana")
    assert event.seq == store.feed.position()


def test_create_tasks_numbers_in_order_in_one_feed_entry(store: Store) -> None:
    first = add(store, "first")
    position = store.feed.position()
    ids = store.tasks.create_tasks(
        [{"title": f"t{i}", "status_id": first.status_id, "position": float(i)} for i in range(3)],
        action_id="bulk",
    )
    assert ids == [first.id + 1, first.id + 2, first.id + 3]
    assert [e.task_id for e in store.tasks.events(action_id="bulk")] == ids
    batch = store.feed.changes(position)
    assert [e.task_ids for e in batch.entries] == [tuple(ids)]
    kept = store.tasks.create_tasks(
        [{"id": 50, "title": "kept", "status_id": first.status_id, "position": 9.0, "tags": ["k"]}],
        action_id=action(),
        keep_ids=True,
    )
    assert kept == [50] and store.tasks.get_task(50).tags == ["k"]
    with pytest.raises(DuplicateError):
        store.tasks.create_tasks(
            [{"id": 50, "title": "again", "status_id": first.status_id, "position": 1.0}],
            action_id=action(),
            keep_ids=True,
        )
    assert store.tasks.count_tasks() == 5
    assert store.tasks.create_tasks([], action_id=action()) == []


def test_update_task_logs_each_field_and_bumps_the_version(store: Store) -> None:
    task = add(store, "Draft")
    done = column(store, "Done")
    updated = store.tasks.update_task(
        task.id, {"title": "Final", "status_id": done.id, "tags": ["a"]}, action_id="u1"
    )
    assert (updated.title, updated.version, updated.tags) == ("Final", 2, ["a"])
    assert updated.done_at == updated.updated_at
    events = {e.field: e for e in store.tasks.events(action_id="u1")}
    assert events["title"].kind == "changed" and events["status_id"].kind == "moved"
    assert (events["title"].old, events["title"].new) == ("Draft", "Final")
    assert events["tags"].new == ["a"]
    back = store.tasks.update_task(task.id, {"status_id": task.status_id}, action_id=action())
    assert back.done_at is None
    position = store.feed.position()
    same = store.tasks.update_task(task.id, {"title": "Final"}, action_id=action())
    assert same.version == back.version and store.feed.position() == position


def test_a_stale_version_is_refused_and_nothing_changes(store: Store) -> None:
    task = add(store, "Race")
    store.tasks.update_task(task.id, {"title": "Mine"}, action_id=action(), expected_version=1)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        store.tasks.update_task(
            task.id, {"title": "Theirs"}, action_id=action(), expected_version=1
        )
    with pytest.raises(ConflictError):
        store.tasks.delete_task(task.id, action_id=action(), expected_version=1)
    current = store.tasks.get_task(task.id)
    assert (current.title, current.version, current.deleted_at) == ("Mine", 2, None)


def test_delete_restore_and_renumber(store: Store) -> None:
    a, b = add(store, "A", position=0.5), add(store, "B", position=0.25)
    deleted = store.tasks.delete_task(a.id, action_id="d")
    assert deleted.deleted_at is not None and deleted.version == 2
    restored = store.tasks.restore_task(a.id, action_id="r", undo_of="d")
    assert restored.deleted_at is None and restored.version == 3
    assert store.tasks.restore_task(a.id, action_id=action()).version == 3  # already live
    (undo,) = store.tasks.events(action_id="r")
    assert (undo.kind, undo.undo_of) == ("restored", "d")
    store.tasks.renumber_column(a.status_id)
    assert [(t.title, t.position) for t in store.tasks.list_tasks()] == [("B", 1.0), ("A", 2.0)]
    assert store.tasks.get_task(b.id).version == 1  # not a user change: no version, no event


def test_task_events_filter_by_task_action_and_time(store: Store) -> None:
    a = add(store, "A")
    store.tasks.update_task(a.id, {"title": "A2"}, action_id="x")
    add(store, "B")
    assert [e.kind for e in store.tasks.events(task_id=a.id)] == ["created", "changed"]
    assert [e.field for e in store.tasks.events(action_id="x")] == ["title"]
    every = store.tasks.events()
    assert [e.seq for e in every] == sorted(e.seq for e in every)
    assert store.tasks.events(since="2999-01-01") == []
    assert len(store.tasks.events(until="2999-01-01")) == 3


# Strategy ----------------------------------------------------------------------------
def test_brief_versions(store: Store) -> None:
    assert store.strategy.brief().version == 0
    first = store.strategy.save_brief({"name": "Acme", "mission": "Grow"}, action_id="b1")
    second = store.strategy.save_brief({"mission": "Grow more"})
    assert (first.version, second.version) == (1, 2)
    assert store.strategy.save_brief({"mission": "Grow more"}).version == 2  # unchanged
    assert [b.mission for b in store.strategy.brief_versions()] == ["Grow more", "Grow"]
    assert {e.field for e in store.activity.events(action_id="b1")} == {"name", "mission"}
    with pytest.raises(ValidationError):
        store.strategy.save_brief({"nonsense": "x"})


def test_goals_and_campaigns(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow", "target": 10.0})
    other = store.strategy.save_goal({"title": "Keep", "slug": "keep", "parent_id": goal.id})
    assert (goal.stage, goal.unit, goal.direction) == ("attract", "count", "up")
    changed = store.strategy.save_goal({"target": 20.0}, goal.id, action_id="g")
    assert changed.target == 20.0
    (event,) = store.activity.events(action_id="g")
    assert (event.entity, event.field, event.old, event.new) == ("goal", "target", 10.0, 20.0)
    with pytest.raises(DuplicateError, match="'grow'"):
        store.strategy.save_goal({"title": "Again", "slug": "grow"})
    with pytest.raises(NotFound):
        store.strategy.save_goal({"title": "x"}, 999)
    assert [g.slug for g in store.strategy.goals()] == ["grow", "keep"]
    campaign = store.strategy.save_campaign(
        {"name": "Launch", "slug": "launch", "goal_ids": [other.id, goal.id, goal.id]}
    )
    assert campaign.status == "planned" and campaign.goal_ids == [goal.id, other.id]
    relinked = store.strategy.save_campaign({"goal_ids": [other.id]}, campaign.id, action_id="c")
    assert relinked.goal_ids == [other.id]
    (link,) = store.activity.events(action_id="c")
    assert (link.field, link.old, link.new) == ("goal_ids", [goal.id, other.id], [other.id])
    with pytest.raises(DuplicateError, match="'launch'"):
        store.strategy.save_campaign({"name": "L2", "slug": "launch"})
    assert [c.slug for c in store.strategy.campaigns()] == ["launch"]


# Metrics -----------------------------------------------------------------------------
def _source(store: Store, name: str = "ga") -> int:
    return store.metrics.save_metric_source(
        {"name": name, "kind": "json", "url": "http://x", "headers": {"A": "b"}}
    ).id


def test_metric_sources_saved_without_secrets_and_deleted_with_history(store: Store) -> None:
    source = store.metrics.save_metric_source(
        {"name": "ga", "kind": "json", "url": "http://x", "auth_env": "GA_TOKEN",
         "headers": {"A": "b"}, "selectors": {"v": "$.v"}},
        action_id="s",
    )  # fmt: skip
    assert (source.method, source.headers, source.selectors) == ("GET", {"A": "b"}, {"v": "$.v"})
    assert (source.interval_seconds, source.timeout_seconds) == (300, 10.0)
    assert source.auth_env == "GA_TOKEN"
    renamed = store.metrics.save_metric_source({"url": "http://y"}, source.id)
    assert renamed.url == "http://y"
    with pytest.raises(DuplicateError, match="'ga'"):
        _source(store, "ga")
    store.metrics.record_fetch(source.id, fetched_at="2026-03-10T08:00:00Z", values={"v": 1.0},
                               error=None)  # fmt: skip
    store.metrics.delete_metric_source(source.id, action_id="del")
    assert store.metrics.metric_sources() == [] and store.metrics.latest_metrics() == []
    (event,) = store.activity.events(action_id="del")
    assert event.kind == "deleted" and event.old["name"] == "ga"
    with pytest.raises(NotFound):
        store.metrics.delete_metric_source(source.id)


def test_fetches_history_and_rollups(store: Store) -> None:
    sid = _source(store)
    fetch = store.metrics.record_fetch
    fetch(sid, fetched_at="2026-03-08T10:00:00Z", values={"visits": 10.0, "signups": 1}, error=None)
    fetch(sid, fetched_at="2026-03-09T10:00:00+00:00", values={"visits": 20.0}, error=None)
    fetch(sid, fetched_at="2026-03-09T12:00:00", values={"visits": 40.0}, error="signups failed")
    source = store.metrics.metric_sources()[0]
    assert (source.last_status, source.last_error) == ("error", "signups failed")
    assert source.last_ok_at == "2026-03-09T10:00:00.000000Z"
    snaps = store.metrics.snapshots(sid, "visits")
    assert [s.value for s in snaps] == [10.0, 20.0, 40.0]
    assert [s.value for s in store.metrics.snapshots(sid, "visits", since="2026-03-09",
                                                     until="2026-03-09T11")] == [20.0]  # fmt: skip
    assert {(s.metric_key, s.value) for s in store.metrics.latest_snapshots()} == {
        ("signups", 1.0), ("visits", 40.0)}  # fmt: skip
    latest = store.metrics.latest_metrics()
    assert [m.metric_key for m in latest] == ["signups", "visits"]  # first seen, then key
    visits = latest[1]
    assert (visits.value, visits.prev_value) == (40.0, 20.0)
    assert store.metrics.metric_points(sid, "visits", limit=2) == [
        ("2026-03-09T10:00:00.000000Z", 20.0), ("2026-03-09T12:00:00.000000Z", 40.0)]  # fmt: skip
    assert len(store.metrics.metric_points(sid, "visits", since="2026-03-09")) == 2
    daily = store.metrics.metric_daily(sid, "visits")
    assert daily == [("2026-03-08", 10.0, 10.0, 10.0, 1), ("2026-03-09", 30.0, 20.0, 40.0, 2)]
    assert store.metrics.metric_daily(sid, "visits", since_day="2026-03-09T00") == daily[1:]
    assert store.metrics.metric_daily(sid, "visits", buckets=1) == [
        ("2026-03-08", 70.0 / 3, 10.0, 40.0, 3)]  # fmt: skip
    assert store.metrics.metric_value_at(sid, "visits", "2026-03-09T11") == (
        "2026-03-09T10:00:00.000000Z", 20.0)  # fmt: skip
    assert store.metrics.metric_value_at(sid, "visits", "2026-01-01") is None


def test_two_fetches_in_one_second_still_order(store: Store) -> None:
    sid = _source(store)
    for value in (1.0, 2.0):
        store.metrics.record_fetch(sid, fetched_at="2026-03-10T08:00:00Z", values={"v": value},
                                   error=None)  # fmt: skip
    points = store.metrics.metric_points(sid, "v")
    assert [v for _, v in points] == [1.0, 2.0] and points[0][0] < points[1][0]


# Settings and stand-ups ----------------------------------------------------------------
def test_settings_and_standups(store: Store) -> None:
    assert store.settings.get_setting("theme", "dark") == "dark"
    store.settings.set_setting("theme", "light", action_id="t")
    assert store.settings.get_setting("theme") == "light"
    position = store.feed.position()
    store.settings.set_setting("theme", "light")
    assert store.feed.position() == position
    store.settings.mark_standup("2026-03-10T09:00:00Z")
    store.settings.mark_standup("2026-03-09T09:00:00Z")
    assert store.settings.standups() == ["2026-03-09T09:00:00Z", "2026-03-10T09:00:00Z"]
    (event,) = store.activity.events(action_id="t")
    assert (event.entity, event.field, event.old, event.new) == ("setting", "theme", None, "light")


# Activity: undo ------------------------------------------------------------------------
def _undo(store: Store, action_id: str) -> str:
    undo = action()
    for event in reversed(store.activity.events(action_id=action_id)):
        store.activity.revert(event, action_id=undo, undo_of=action_id)
    return undo


def test_revert_settings_brief_and_fields(store: Store) -> None:
    store.settings.set_setting("theme", "light", action_id="s1")
    _undo(store, "s1")
    assert store.settings.get_setting("theme") is None
    store.strategy.save_brief({"name": "Acme"})
    store.strategy.save_brief({"name": "Acme 2"}, action_id="b2")
    _undo(store, "b2")
    assert store.strategy.brief().name == "Acme" and store.strategy.brief().version == 3
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow"})
    store.strategy.save_goal({"title": "Grow more"}, goal.id, action_id="g1")
    store.strategy.save_goal({"title": "Grow most"}, goal.id)
    with pytest.raises(ConflictError, match="changed again"):
        _undo(store, "g1")
    assert store.strategy.goals()[0].title == "Grow most"


def test_revert_creations_and_deletions(store: Store) -> None:
    store.strategy.save_goal({"title": "Grow", "slug": "grow"}, action_id="g")
    _undo(store, "g")
    assert store.strategy.goals() == []
    sid = _source(store)
    store.metrics.delete_metric_source(sid, action_id="d")
    _undo(store, "d")
    assert [s.name for s in store.metrics.metric_sources()] == ["ga"]
    store.settings.mark_standup("2026-03-10T09:00:00Z", action_id="m")
    undo = _undo(store, "m")
    assert store.settings.standups() == []
    _undo(store, undo)  # redo: the stand-up comes back
    assert store.settings.standups() == ["2026-03-10T09:00:00Z"]
    used = store.strategy.save_goal({"title": "Used", "slug": "used"}, action_id="u")
    add(store, "On it", goal_id=used.id)
    with pytest.raises(ConflictError, match="in use"):
        _undo(store, "u")
    assert [g.slug for g in store.strategy.goals()] == ["used"]


def test_revert_campaign_links(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow"})
    campaign = store.strategy.save_campaign({"name": "L", "slug": "l", "goal_ids": [goal.id]})
    store.strategy.save_campaign({"goal_ids": []}, campaign.id, action_id="c")
    _undo(store, "c")
    assert store.strategy.campaigns()[0].goal_ids == [goal.id]


def test_activity_events_filter(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow"})
    store.settings.set_setting("k", "v")
    assert [e.entity for e in store.activity.events()] == ["goal", "setting"]
    assert [e.kind for e in store.activity.events(entity="goal", entity_id=goal.id)] == ["created"]
    assert store.activity.events(since="2999") == []
    assert all(e.actor == "ana" for e in store.activity.events())


# The change feed, batches, actors --------------------------------------------------------
def test_feed_lists_each_write_once_with_its_topics(store: Store) -> None:
    assert store.feed.position() == 0 and store.feed.changes(0).entries == []
    task = add(store, "A")
    store.strategy.save_goal({"title": "G", "slug": "g"})
    store.tasks.ensure_channel("email")
    _source(store)
    store.settings.set_setting("k", "v")
    store.settings.mark_standup("2026-03-10T09:00:00Z")
    batch = store.feed.changes(0)
    assert [e.seq for e in batch.entries] == [1, 2, 3, 4, 5, 6] and batch.position == 6
    assert [e.topics for e in batch.entries] == [frozenset({t}) for t in
                                                 (TASKS, STRATEGY, NAMES, METRICS, SETTINGS,
                                                  STANDUPS)]  # fmt: skip
    assert batch.entries[0].task_ids == (task.id,) and batch.entries[0].actor == "ana"
    assert store.feed.changes(4, limit=1).position == 5
    assert store.feed.changes(6).entries == [] and not store.feed.changes(6).gap
    assert store.feed.changes(99).gap  # a reader ahead of the board reads everything again


def test_batch_commits_together_or_not_at_all(store: Store) -> None:
    with store.batch():
        add(store, "A")
        add(store, "B")
    assert store.feed.position() == 1 and store.tasks.count_tasks() == 2
    with pytest.raises(RuntimeError), store.batch():
        add(store, "C")
        raise RuntimeError("stop")
    assert store.feed.position() == 1 and store.tasks.count_tasks() == 2


def test_a_second_handle_sees_the_same_board_and_actor(backend: Backend) -> None:
    first = backend.open(actor="ana")
    second = backend.handle(first)
    add(first, "shared")
    assert [t.title for t in second.tasks.list_tasks()] == ["shared"]
    assert second.actor == "ana" and second.feed.position() == 1


def test_a_read_only_handle_refuses_writes(backend: Backend) -> None:
    from mtui.core.errors import ReadOnlyError

    backend.open(actor="ana")
    reader = backend.open(read_only=True)
    assert reader.admin.read_only
    with pytest.raises(ReadOnlyError):
        reader.settings.set_setting("k", "v")
    assert reader.settings.get_setting("k") is None


def test_integrity_check_is_empty_on_a_healthy_board(store: Store) -> None:
    add(store, "A")
    # SQLite passes on PRAGMA integrity_check's "ok" (the CLI filters it out)
    assert [p for p in store.admin.integrity_check() if p != "ok"] == []
