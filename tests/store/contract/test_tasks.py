"""TaskRepository: columns, channels, reading and writing tasks, the tasks' activity log."""

from __future__ import annotations

from dataclasses import replace

import pendulum
import pytest

from mtui.core import clock
from mtui.core.errors import ConflictError, NotFound, ValidationError
from mtui.core.store.contract import Store
from mtui.core.store.feed import NAMES
from tests.support.backends import action, add, column

# ------------------------------------------------------------------ columns, channels


def test_a_new_board_has_the_default_columns_in_board_order(store: Store) -> None:
    statuses = store.tasks.statuses()
    assert [s.name for s in statuses] == ["Backlog", "Next", "Doing", "Blocked", "Done"]
    assert [s.position for s in statuses] == sorted(s.position for s in statuses)
    assert [s.is_done for s in statuses] == [False, False, False, False, True]
    assert store.tasks.count_tasks() == 0 and store.tasks.list_tasks() == []


def test_set_wip_limit_is_logged_and_unknown_columns_are_not_found(store: Store) -> None:
    doing = column(store, "Doing")
    store.tasks.set_wip_limit(doing.id, 7, action_id="wip")
    assert column(store, "Doing").wip_limit == 7
    (event,) = store.activity.events(action_id="wip")
    assert (event.entity, event.entity_id, event.kind, event.field, event.old, event.new) == (
        "status", doing.id, "changed", "wip_limit", doing.wip_limit, 7)  # fmt: skip
    assert NAMES in store.feed.changes(0).topics
    position = store.feed.position()
    store.tasks.set_wip_limit(doing.id, 7)
    assert store.feed.position() == position, "an unchanged limit writes nothing"
    store.tasks.set_wip_limit(doing.id, None)
    assert column(store, "Doing").wip_limit is None
    with pytest.raises(NotFound):
        store.tasks.set_wip_limit(9999, 3)


def test_channels_are_unique_whatever_their_case_and_listed_by_name(store: Store) -> None:
    email = store.tasks.ensure_channel("Email", action_id="ch")
    assert store.tasks.ensure_channel("email") == email
    assert store.tasks.ensure_channel("EMAIL") == email
    blog = store.tasks.ensure_channel("blog")
    assert [(c.id, c.name) for c in store.tasks.channels()] == [(blog, "blog"), (email, "Email")]
    (created,) = store.activity.events(action_id="ch")
    assert (created.entity, created.entity_id, created.kind) == ("channel", email, "created")
    position = store.feed.position()
    store.tasks.ensure_channel("Email")
    assert store.feed.position() == position, "an existing channel writes nothing"


# ------------------------------------------------------------------ reading tasks


def test_get_task_hides_deleted_tasks_unless_asked(store: Store) -> None:
    task = add(store, "Webinar")
    store.tasks.delete_task(task.id, action_id=action())
    with pytest.raises(NotFound):
        store.tasks.get_task(task.id)
    assert store.tasks.get_task(task.id, include_deleted=True).deleted_at is not None
    with pytest.raises(NotFound):
        store.tasks.get_task(424242, include_deleted=True)


def test_get_tasks_returns_the_named_tasks_that_exist_deleted_ones_included(store: Store) -> None:
    a, b, c = (add(store, t) for t in "abc")
    store.tasks.delete_task(b.id, action_id=action())
    found = store.tasks.get_tasks([c.id, 99999, a.id, b.id])
    assert sorted(t.id for t in found) == sorted([a.id, b.id, c.id])
    assert store.tasks.get_tasks([]) == []
    many = store.tasks.create_tasks(
        [
            {"title": f"bulk {n}", "status_id": a.status_id, "position": float(n)}
            for n in range(1200)
        ],
        action_id=action(),
    )
    assert len(store.tasks.get_tasks(many)) == 1200, "long id lists are read in full"


def test_list_tasks_orders_by_column_then_position_then_id_and_filters(store: Store) -> None:
    doing = add(store, "doing", "Doing", position=5.0)
    low = add(store, "low", "Backlog", position=1.0)
    tie_a = add(store, "tie a", "Backlog", position=3.0)
    tie_b = add(store, "tie b", "Backlog", position=3.0)
    top = add(store, "top", "Backlog", position=-2.0)
    gone = add(store, "gone", "Backlog", position=0.0)
    store.tasks.delete_task(gone.id, action_id=action())
    backlog, doing_col = column(store, "Backlog").id, column(store, "Doing").id
    assert backlog < doing_col
    assert [t.id for t in store.tasks.list_tasks()] == [
        top.id,
        low.id,
        tie_a.id,
        tie_b.id,
        doing.id,
    ]
    assert [t.id for t in store.tasks.list_tasks(status_ids=[doing_col])] == [doing.id]
    assert [t.id for t in store.tasks.list_tasks(deleted_only=True)] == [gone.id]
    with_deleted = [t.id for t in store.tasks.list_tasks(include_deleted=True)]
    assert with_deleted == [top.id, gone.id, low.id, tie_a.id, tie_b.id, doing.id]
    assert store.tasks.count_tasks() == 5


def test_iter_tasks_streams_list_tasks_in_batches_in_the_same_order(store: Store) -> None:
    backlog, doing = column(store, "Backlog").id, column(store, "Doing").id
    store.tasks.create_tasks(
        ({"title": f"t{n}", "status_id": doing if n % 3 else backlog, "position": float(n % 7)}
         for n in range(25)),
        action_id=action(),
    )  # fmt: skip
    gone = add(store, "gone", "Backlog", position=0.5)
    store.tasks.delete_task(gone.id, action_id=action())
    for options in ({}, {"include_deleted": True}, {"deleted_only": True},
                    {"status_ids": [doing]}):  # fmt: skip
        batches = list(store.tasks.iter_tasks(batch_size=4, **options))
        assert all(0 < len(batch) <= 4 for batch in batches)
        streamed = [task for batch in batches for task in batch]
        assert streamed == store.tasks.list_tasks(**options), options
    assert list(store.tasks.iter_tasks(status_ids=[column(store, "Next").id])) == []


def test_other_reads_run_between_streamed_batches(store: Store) -> None:
    """A streaming export reads each batch's history on the same handle meanwhile."""
    ids = store.tasks.create_tasks(
        ({"title": f"t{n}", "status_id": column(store, "Backlog").id, "position": float(n)}
         for n in range(10)),
        action_id="bulk",
    )  # fmt: skip
    seen = []
    stream = store.tasks.iter_tasks(batch_size=3)
    for batch in stream:
        history = store.tasks.events(task_ids=[t.id for t in batch])
        assert sorted(e.task_id for e in history) == sorted(t.id for t in batch)
        seen += [t.id for t in batch]
    assert seen == ids
    # An abandoned stream ends its read: writes go on.
    stream = store.tasks.iter_tasks(batch_size=3)
    next(stream)
    stream.close()
    store.tasks.update_task(ids[0], {"title": "after"}, action_id=action())
    assert store.tasks.get_task(ids[0]).title == "after"


def test_task_snapshot_holds_every_live_task_and_the_feed_position(store: Store) -> None:
    a, b = add(store, "a"), add(store, "b")
    store.tasks.delete_task(b.id, action_id=action())
    snapshot = store.tasks.task_snapshot()
    assert [t.id for t in snapshot.tasks] == [a.id]
    assert snapshot.position == store.feed.position() > 0
    assert snapshot.tasks[0] == store.tasks.get_task(a.id)


def test_a_boards_snapshot_leaves_out_what_a_board_never_shows(store: Store) -> None:
    a, b = add(store, "a", owner="ana", tags=["q1"]), add(store, "b", "Done")
    full, board = store.tasks.task_snapshot(), store.tasks.task_snapshot(for_board=True)
    assert board.position == full.position
    assert [t.id for t in board.tasks] == [a.id, b.id]
    assert all(t.uid is None and t.created_at == "" for t in board.tasks)
    assert all(t.uid and t.created_at for t in full.tasks)
    assert [replace(t, uid=None, created_at="") for t in full.tasks] == board.tasks


def test_board_page_reads_each_columns_first_cards_counts_and_position(store: Store) -> None:
    statuses = store.tasks.statuses()
    backlog, done = column(store, "Backlog"), column(store, "Done")
    cards = [add(store, f"b{n}", "Backlog", position=float(10 - n)) for n in range(4)]
    finished = [
        add(store, f"d{n}", "Done", done_at=f"2026-03-0{n + 1}T09:00:00.000000Z") for n in range(4)
    ]
    store.tasks.delete_task(cards[0].id, action_id=action())
    page = store.tasks.board_page(statuses, 2)
    in_backlog = [t.id for t in page.tasks if t.status_id == backlog.id]
    in_done = [t.id for t in page.tasks if t.status_id == done.id]
    assert in_backlog == [cards[3].id, cards[2].id], "open columns by position"
    assert in_done == [finished[3].id, finished[2].id], "done columns newest first"
    assert page.counts.get(backlog.id) == 3 and page.counts.get(done.id) == 4
    assert page.position == store.feed.position() and page.per_status == 2
    assert not page.complete
    assert store.tasks.board_page(statuses, 4).complete


def test_board_start_is_the_columns_names_and_first_page_in_one_read(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Grow", "slug": "grow"})
    store.strategy.save_campaign({"name": "Launch", "slug": "launch", "goal_ids": [goal.id]})
    store.tasks.ensure_channel("email")
    for n in range(3):
        add(store, f"b{n}", "Backlog", position=float(10 - n))
    for n in range(3):
        add(store, f"d{n}", "Done", done_at=f"2026-03-0{n + 1}T09:00:00.000000Z")
    start = store.tasks.board_start(2)
    assert start.statuses == store.tasks.statuses()
    assert start.channels == store.tasks.channels()
    assert start.goals == store.strategy.goals()
    assert start.campaigns == store.strategy.campaigns() and start.campaigns[0].goal_ids == [
        goal.id
    ]
    assert start.page == store.tasks.board_page(start.statuses, 2)
    assert [t.title for t in start.page.tasks] == ["b2", "b1", "d2", "d1"]


def test_recent_names_put_the_most_recently_used_first_then_the_rest_by_name(store: Store) -> None:
    with clock.frozen_at(pendulum.datetime(2026, 3, 1, tz="UTC")):
        add(store, "old", owner="zoe", channel_id=store.tasks.ensure_channel("blog"))
    with clock.frozen_at(pendulum.datetime(2026, 3, 2, tz="UTC")):
        add(store, "new", owner="ana", channel_id=store.tasks.ensure_channel("email"))
    store.tasks.ensure_channel("Ads")
    store.tasks.ensure_channel("ads-2")
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"})
    store.strategy.save_goal({"title": "Churn", "slug": "churn"})
    add(store, "aligned", goal_id=goal.id)
    names = store.tasks.recent_names()
    assert names["owner"] == ["ana", "zoe"]
    assert names["channel"] == ["email", "blog", "Ads", "ads-2"]
    assert names["goal"] == ["signups", "churn"]
    assert names["campaign"] == []


def test_owner_in_use_means_a_live_task_owned_by_that_name_in_any_case(store: Store) -> None:
    add(store, "mine", owner="Åsa")
    gone = add(store, "theirs", owner="zoe")
    store.tasks.delete_task(gone.id, action_id=action())
    assert store.tasks.owner_in_use("Åsa")
    assert store.tasks.owner_in_use("åSA")  # casefolded, beyond ASCII
    assert not store.tasks.owner_in_use("zoe")  # only a deleted task has it
    assert not store.tasks.owner_in_use("ana")


def test_column_edge_position_is_the_top_or_bottom_live_card(store: Store) -> None:
    backlog = column(store, "Backlog").id
    assert store.tasks.column_edge_position(backlog, top=True) is None
    add(store, "a", position=2.5)
    add(store, "b", position=-1.5)
    gone = add(store, "c", position=-9.0)
    store.tasks.delete_task(gone.id, action_id=action())
    assert store.tasks.column_edge_position(backlog, top=True) == -1.5
    assert store.tasks.column_edge_position(backlog, top=False) == 2.5


def test_task_alignment_counts_group_live_tasks(store: Store) -> None:
    goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"})
    campaign = store.strategy.save_campaign({"name": "Spring", "slug": "spring"})
    backlog, doing = column(store, "Backlog").id, column(store, "Doing").id
    add(store, "a", goal_id=goal.id)
    add(store, "b", goal_id=goal.id)
    add(store, "c", "Doing", campaign_id=campaign.id)
    add(store, "d")
    gone = add(store, "e", goal_id=goal.id)
    store.tasks.delete_task(gone.id, action_id=action())
    assert sorted(store.tasks.task_alignment_counts(), key=repr) == sorted(
        [(goal.id, None, backlog, 2), (None, campaign.id, doing, 1), (None, None, backlog, 1)],
        key=repr,
    )
    assert store.tasks.task_alignment_counts(with_campaign=True) == [(None, campaign.id, doing, 1)]


def test_due_keys_are_open_live_tasks_that_may_be_due_by_the_day(store: Store) -> None:
    """Everything written as a date or time up to the day (a time's offset can move it a
    day; the caller judges), and every other ISO form (the caller judges those too);
    never done or deleted tasks, nor later dates."""
    due = {
        "past": "2026-11-20", "on the day": "2026-12-04",
        "that evening": "2026-12-04T23:30:00-10:00", "week date": "2026-W49-3",
        "basic": "20261120", "basic later": "20270101",
    }  # fmt: skip
    expected = {
        (t.id, t.status_id, t.owner, t.due)
        for t in (add(store, title, due=value, owner="ana") for title, value in due.items())
    }
    add(store, "later", due="2026-12-05")
    add(store, "much later", due="2027-01-01T09:00:00+01:00")
    add(store, "no date")
    add(store, "done", "Done", due="2026-11-01")
    gone = add(store, "gone", due="2026-11-01")
    store.tasks.delete_task(gone.id, action_id=action())
    blocked = add(store, "blocked", "Blocked", due="2026-12-01")
    expected.add((blocked.id, blocked.status_id, None, "2026-12-01"))
    keys = store.tasks.due_keys("2026-12-04")
    assert set(keys) == expected and len(keys) == len(expected)


def test_task_keys_are_the_live_tasks_of_the_columns(store: Store) -> None:
    doing, blocked = column(store, "Doing").id, column(store, "Blocked").id
    ana = add(store, "a", "Doing", owner="ana", due="2026-12-04")
    nobody = add(store, "b", "Blocked")
    add(store, "elsewhere", "Next", owner="ana")
    gone = add(store, "gone", "Doing")
    store.tasks.delete_task(gone.id, action_id=action())
    keys = store.tasks.task_keys([doing, blocked])
    assert sorted(keys) == [(ana.id, doing, "ana", "2026-12-04"), (nobody.id, blocked, None, None)]
    assert store.tasks.task_keys([]) == []


# ------------------------------------------------------------------ writing tasks


def test_create_task_returns_the_saved_task_and_logs_its_creation(store: Store) -> None:
    task = store.tasks.create_task(
        {"title": "Launch", "status_id": column(store, "Backlog").id, "position": 0.0,
         "tags": ["email", "q2"], "priority": 1, "owner": "raj", "notes": "draft"},
        action_id="create",
    )  # fmt: skip
    assert task.id and task.version == 1 and task.done_at is None and task.deleted_at is None
    assert (task.tags, task.priority, task.owner, task.notes) == (
        ["email", "q2"],
        1,
        "raj",
        "draft",
    )
    assert task.created_at and task.updated_at
    assert store.tasks.get_task(task.id) == task
    (event,) = store.tasks.events(action_id="create")
    assert (event.task_id, event.kind, event.new, event.actor) == (
        task.id,
        "created",
        "Launch",
        "ana",
    )
    blank = add(store, "no notes or tags")
    assert (blank.notes, blank.tags) == ("", [])


def test_a_task_created_in_a_done_column_is_done(store: Store) -> None:
    assert add(store, "shipped", "Done").done_at is not None
    assert add(store, "open", "Doing").done_at is None


def test_create_tasks_bulk_inserts_in_order_with_one_event_each(store: Store) -> None:
    backlog = column(store, "Backlog").id
    existing = add(store, "existing")
    rows = [{"title": f"t{n}", "status_id": backlog, "position": float(n), "tags": ["x"]}
            for n in range(5)]  # fmt: skip
    before = store.feed.position()
    ids = store.tasks.create_tasks(rows, action_id="bulk")
    assert len(set(ids)) == 5 and existing.id not in ids
    assert [store.tasks.get_task(i).title for i in ids] == [f"t{n}" for n in range(5)]
    assert store.tasks.get_task(ids[0]).tags == ["x"]
    events = store.tasks.events(action_id="bulk")
    assert sorted(e.task_id for e in events) == sorted(ids)
    assert {e.kind for e in events} == {"created"}
    batch = store.feed.changes(before)
    assert len(batch.entries) == 1 and sorted(batch.task_ids() or []) == sorted(ids)
    assert store.tasks.create_tasks([], action_id="none") == []


def test_create_tasks_can_keep_the_given_ids(store: Store) -> None:
    backlog = column(store, "Backlog").id
    ids = store.tasks.create_tasks(
        [{"id": 70, "title": "seventy", "status_id": backlog, "position": 1.0},
         {"id": 40, "title": "forty", "status_id": backlog, "position": 2.0}],
        action_id="import", keep_ids=True,
    )  # fmt: skip
    assert ids == [70, 40]
    assert store.tasks.get_task(40).title == "forty"
    assert add(store, "next").id not in (40, 70)


def test_update_task_logs_each_changed_field_and_bumps_the_version(store: Store) -> None:
    task = add(store, "Launch", owner="ana")
    doing = column(store, "Doing").id
    updated = store.tasks.update_task(
        task.id,
        {"title": "Launch", "owner": "raj", "status_id": doing, "position": 4.0, "tags": ["a"]},
        action_id="edit", expected_version=1,
    )  # fmt: skip
    assert (updated.owner, updated.status_id, updated.position, updated.tags) == (
        "raj",
        doing,
        4.0,
        ["a"],
    )
    assert updated.version == 2 and updated == store.tasks.get_task(task.id)
    events = sorted((e.kind, e.field, repr(e.old), repr(e.new))
                    for e in store.tasks.events(action_id="edit"))  # fmt: skip
    assert events == sorted([
        ("changed", "owner", "'ana'", "'raj'"),
        ("moved", "status_id", repr(task.status_id), repr(doing)),
        ("moved", "position", repr(task.position), "4.0"),
        ("changed", "tags", "[]", "['a']"),
    ])  # fmt: skip


def test_update_task_without_a_change_writes_nothing(store: Store) -> None:
    task = add(store, "Same")
    position = store.feed.position()
    same = store.tasks.update_task(task.id, {"title": "Same"}, action_id="noop", expected_version=1)
    assert same.version == 1 and store.feed.position() == position
    assert store.tasks.events(action_id="noop") == []


def test_a_stale_version_is_refused_and_nothing_is_written(store: Store) -> None:
    task = add(store, "Carousel")
    store.tasks.update_task(
        task.id, {"title": "Carousel v2"}, action_id=action(), expected_version=1
    )
    position = store.feed.position()
    with pytest.raises(ConflictError):
        store.tasks.update_task(task.id, {"title": "mine"}, action_id="stale", expected_version=1)
    with pytest.raises(ConflictError):
        store.tasks.delete_task(task.id, action_id="stale", expected_version=1)
    assert store.tasks.get_task(task.id).title == "Carousel v2"
    assert store.feed.position() == position and store.tasks.events(action_id="stale") == []


def test_moving_into_a_done_column_stamps_done_at_and_leaving_clears_it(store: Store) -> None:
    task = add(store, "Ship")
    done = store.tasks.update_task(
        task.id, {"status_id": column(store, "Done").id}, action_id=action()
    )
    assert done.done_at is not None
    back = store.tasks.update_task(
        task.id, {"status_id": column(store, "Doing").id}, action_id=action()
    )
    assert back.done_at is None


def test_unknown_or_deleted_tasks_and_bad_references_are_refused(store: Store) -> None:
    task = add(store, "Fix UTM tags")
    with pytest.raises(NotFound):
        store.tasks.update_task(999999, {"title": "x"}, action_id=action())
    with pytest.raises(ValidationError):  # a column that does not exist
        store.tasks.update_task(task.id, {"title": "changed", "status_id": 999}, action_id="bad")
    assert store.tasks.get_task(task.id).title == "Fix UTM tags"
    assert store.tasks.events(action_id="bad") == []
    store.tasks.delete_task(task.id, action_id=action())
    with pytest.raises(NotFound):
        store.tasks.update_task(task.id, {"title": "x"}, action_id=action())
    with pytest.raises(NotFound):
        store.tasks.delete_task(task.id, action_id=action())


def test_delete_is_soft_and_restore_brings_the_task_back(store: Store) -> None:
    task = add(store, "Webinar")
    deleted = store.tasks.delete_task(task.id, action_id="del", expected_version=1)
    assert deleted.deleted_at is not None and deleted.version == 2
    assert store.tasks.count_tasks() == 0
    restored = store.tasks.restore_task(task.id, action_id="back", undo_of="del")
    assert restored.deleted_at is None and restored.version == 3 and restored.title == "Webinar"
    again = store.tasks.restore_task(task.id, action_id="again")
    assert again.version == 3, "restoring a live task changes nothing"
    kinds = [(e.kind, e.undo_of) for e in store.tasks.events(task_id=task.id)]
    assert kinds == [("created", None), ("deleted", None), ("restored", "del")]
    with pytest.raises(NotFound):
        store.tasks.restore_task(999999, action_id=action())


def test_renumber_column_spreads_positions_in_order_without_logging(store: Store) -> None:
    cards = [add(store, f"c{n}", position=1.0 + n * 1e-9) for n in range(4)]
    other = add(store, "elsewhere", "Doing", position=0.5)
    before = len(store.tasks.events())
    position = store.feed.position()
    store.tasks.renumber_column(column(store, "Backlog").id)
    listed = store.tasks.list_tasks(status_ids=[column(store, "Backlog").id])
    assert [t.id for t in listed] == [c.id for c in cards]
    assert [t.position for t in listed] == [1.0, 2.0, 3.0, 4.0]
    assert store.tasks.get_task(other.id).position == 0.5
    assert len(store.tasks.events()) == before, "not a user change: not logged"
    batch = store.feed.changes(position)
    assert sorted(batch.task_ids() or []) == sorted(c.id for c in cards)


def test_task_events_are_in_commit_order_and_filter(store: Store) -> None:
    with clock.frozen_at(pendulum.datetime(2026, 3, 2, tz="UTC")):
        late = add(store, "late")
    with clock.frozen_at(pendulum.datetime(2026, 3, 1, tz="UTC")):  # a clock that went back
        early = add(store, "early")
        store.tasks.update_task(early.id, {"title": "early!", "owner": "raj"}, action_id="two")
    events = store.tasks.events()
    assert [(e.task_id, e.kind) for e in events][:2] == [
        (late.id, "created"),
        (early.id, "created"),
    ]
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and all(isinstance(s, int) for s in seqs)
    assert {e.field for e in store.tasks.events(action_id="two")} == {"title", "owner"}
    assert [e.task_id for e in store.tasks.events(task_id=late.id)] == [late.id]
    since = store.tasks.events(since="2026-03-02T00:00:00.000000Z")
    assert [e.task_id for e in since] == [late.id]
    until = store.tasks.events(until="2026-03-02T00:00:00.000000Z")
    assert {e.task_id for e in until} == {early.id}
    assert all(e.actor == "ana" for e in events)
    both = store.tasks.events(task_ids=[early.id, late.id])
    assert both == events, "task_ids keeps commit order"
    assert [e.field for e in store.tasks.events(task_ids=[early.id], fields=["owner"])] == ["owner"]
    lives = store.tasks.events(task_ids=[early.id], fields=["owner", None])
    assert [(e.kind, e.field) for e in lives] == [("created", None), ("changed", "owner")]
    assert [e.kind for e in store.tasks.events(fields=[None])] == ["created", "created"]
    assert store.tasks.events(task_ids=[]) == []
    many = store.tasks.events(task_ids=[*range(10_000, 11_200), late.id])
    assert [e.task_id for e in many] == [late.id], "long id lists are read in full"


@pytest.mark.parametrize(
    "title", ['say "hi"', "back\\slash", "naïve 🚀", '"', "12", "", "tab\there", "null"]
)
def test_logged_values_read_back_as_written(store: Store, title: str) -> None:
    """Logged old/new values are JSON; the common ones (ids, plain text) are read without
    the parser, and must come back exactly like the parser's."""
    task = add(store, "before", tags=["a"])
    store.tasks.update_task(
        task.id, {"title": title, "priority": 2, "tags": ["b"], "position": 2.5},
        action_id="values",
    )  # fmt: skip
    logged = {e.field: (e.old, e.new) for e in store.tasks.events(action_id="values")}
    assert logged == {
        "title": ("before", title), "priority": (None, 2), "tags": (["a"], ["b"]),
        "position": (task.position, 2.5),
    }  # fmt: skip
