"""The change feed (``mtui.core.store.feed``): one entry per committed write, positions
strictly increasing in commit order, and "everything after N" exactly once."""

from __future__ import annotations

import threading
import time

import pytest

from mtui.core.errors import ConflictError
from mtui.core.store.contract import Store
from mtui.core.store.feed import MAX_LISTED_TASKS, STANDUPS, STRATEGY, TASKS
from tests.support.backends import Backend, action, add, column


def test_a_new_board_is_at_position_0_with_nothing_to_read(store: Store) -> None:
    assert store.feed.position() == 0
    batch = store.feed.changes(0)
    assert (batch.position, batch.entries, batch.gap) == (0, [], False)


def test_each_write_gets_one_entry_naming_what_it_touched(store: Store) -> None:
    task = store.tasks.create_task(
        {"title": "a", "status_id": column(store, "Backlog").id, "position": 0.0}, action_id="add"
    )
    store.strategy.save_goal({"title": "G", "slug": "g"}, action_id="goal")
    store.settings.mark_standup("2026-03-10T09:00:00.000000Z", action_id="standup")
    batch = store.feed.changes(0)
    assert [e.seq for e in batch.entries] == [
        1,
        2,
        3,
    ] and batch.position == 3 == store.feed.position()
    first, second, third = batch.entries
    assert (first.action_id, first.topics, first.task_ids, first.actor) == (
        "add", frozenset({TASKS}), (task.id,), "ana")  # fmt: skip
    assert (second.action_id, second.topics, second.task_ids) == ("goal", frozenset({STRATEGY}), ())
    assert (third.action_id, third.topics) == ("standup", frozenset({STANDUPS}))
    assert all(e.at for e in batch.entries)
    assert batch.topics == {TASKS, STRATEGY, STANDUPS} and batch.task_ids() == [task.id]


def test_writes_that_change_nothing_or_fail_take_no_position(store: Store) -> None:
    task = add(store, "a")
    position = store.feed.position()
    store.tasks.update_task(task.id, {"title": "a"}, action_id=action())
    store.settings.set_setting("k", "v")
    store.settings.set_setting("k", "v")
    with pytest.raises(ConflictError):
        store.tasks.update_task(task.id, {"title": "b"}, action_id=action(), expected_version=7)
    store.settings.set_setting("k2", "v")
    assert [e.seq for e in store.feed.changes(position).entries] == [position + 1, position + 2]


def test_the_feed_lists_what_changed_after_a_position(store: Store) -> None:
    """Moved from tests/store/test_board_first_page.py (backend-neutral)."""
    from mtui.core.tasks.actions import TaskActions

    store.tasks.create_tasks(
        [{"title": f"card {n}", "status_id": column(store, "Backlog").id, "position": float(n)}
         for n in range(40)], action_id="fill",
    )  # fmt: skip
    mark = store.feed.position()
    task = store.tasks.list_tasks()[0]
    assert store.feed.changes(mark).entries == []
    TaskActions(store).edit(task, {"title": "renamed"})
    batch = store.feed.changes(mark)
    assert batch.task_ids() == [task.id]
    assert batch.position == mark + 1 == store.feed.position()


def test_everything_after_n_is_exactly_the_later_entries(store: Store) -> None:
    for n in range(12):
        store.settings.set_setting("n", str(n))
    every = store.feed.changes(0).entries
    assert [e.seq for e in every] == list(range(1, 13))
    for n in (0, 1, 5, 11, 12):
        later = store.feed.changes(n)
        assert later.entries == every[n:] and not later.gap
        assert later.position == 12


def test_a_limited_read_resumes_where_it_stopped_and_sees_each_entry_once(store: Store) -> None:
    for n in range(10):
        store.settings.set_setting("n", str(n))
    seen: list[int] = []
    position = 0
    while True:
        batch = store.feed.changes(position, limit=3)
        assert len(batch.entries) <= 3 and not batch.gap
        if not batch.entries:
            break
        seen += [e.seq for e in batch.entries]
        assert batch.position == batch.entries[-1].seq
        position = batch.position
    assert seen == list(range(1, 11)) and position == store.feed.position()


def test_a_reader_ahead_of_the_board_is_told_there_is_a_gap(store: Store) -> None:
    store.settings.set_setting("a", "1")
    batch = store.feed.changes(store.feed.position() + 5)
    assert batch.gap and batch.entries == [] and batch.position == store.feed.position()


def test_a_batch_is_one_entry_with_every_task_it_touched(store: Store) -> None:
    position = store.feed.position()
    with store.batch():
        a = add(store, "a")
        b = add(store, "b")
        store.tasks.update_task(a.id, {"title": "a2"}, action_id=action())
        store.strategy.save_goal({"title": "G", "slug": "g"})
    (entry,) = store.feed.changes(position).entries
    assert entry.seq == position + 1 and entry.topics == {TASKS, STRATEGY}
    assert sorted(entry.task_ids or ()) == sorted([a.id, b.id])
    events = store.tasks.events(task_id=a.id) + store.activity.events()
    assert {e.seq for e in events} == {entry.seq}


def test_an_entry_says_many_instead_of_listing_a_huge_import(store: Store) -> None:
    backlog = column(store, "Backlog").id
    position = store.feed.position()
    store.tasks.create_tasks(
        [{"title": f"t{n}", "status_id": backlog, "position": float(n)}
         for n in range(MAX_LISTED_TASKS + 1)], action_id="import",
    )  # fmt: skip
    (entry,) = store.feed.changes(position).entries
    assert entry.many_tasks and entry.task_ids is None
    assert store.feed.changes(position).task_ids() is None


def test_positions_follow_commit_order_across_handles(backend: Backend, store: Store) -> None:
    other = backend.handle(store)
    reader = backend.handle(store)
    writers = [store, other] * 6
    for n, writer in enumerate(writers):
        writer.settings.set_setting("n", str(n), action_id=f"w{n}")
    batch = reader.feed.changes(0)
    assert [e.action_id for e in batch.entries] == [f"w{n}" for n in range(12)]
    assert [e.seq for e in batch.entries] == list(range(1, 13))
    mark = 7
    assert [e.action_id for e in other.feed.changes(mark).entries] == [
        f"w{n}" for n in range(7, 12)
    ]
    assert store.feed.position() == other.feed.position() == reader.feed.position() == 12


def test_a_listener_wakes_when_another_handle_commits(backend: Backend, store: Store) -> None:
    """Live updates: a listener waiting with a long timeout returns soon after another
    client's commit, with the new position (the wait cannot have timed out: the timeout
    is 20 s and the writer commits after 0.2 s)."""
    listener = store.feed.listener()
    writer = backend.handle(store)
    try:
        start = listener.wait(-1, 0)
        assert start == store.feed.position()
        timer = threading.Timer(0.2, lambda: writer.settings.set_setting("k", "v"))
        timer.start()
        began = time.monotonic()
        woke_at = listener.wait(start, timeout=20)
        waited = time.monotonic() - began
        timer.join()
        assert woke_at == start + 1
        assert waited < 10, f"the listener slept through the commit ({waited:.1f} s)"
        # Nothing new: a wait runs to its timeout and says the position stayed.
        assert listener.wait(woke_at, timeout=0.1) == woke_at
    finally:
        listener.close()


def test_closing_a_listener_ends_a_wait_in_another_thread(store: Store) -> None:
    """The app closes its listener on exit: the waiting thread must not hold it up."""
    listener = store.feed.listener()
    position = listener.wait(-1, 0)
    finished = threading.Event()

    def wait() -> None:
        listener.wait(position, timeout=30)
        finished.set()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.2)
    listener.close()
    assert finished.wait(5), "a closed listener kept waiting"
    thread.join()
