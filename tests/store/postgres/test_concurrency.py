"""Several handles writing at once: the feed stays in commit order, nothing is lost.

These run on both backends (``backend``); on PostgreSQL each handle is its own server
connection, so the writers really race.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from mtui.core.errors import ConflictError
from mtui.core.store.contract import Store
from tests.support.backends import Backend, action, add

WRITERS = 3
WRITES = 15


def test_concurrent_writers_and_a_reader_that_misses_nothing(backend: Backend) -> None:
    first = backend.open(actor="ana")
    handles = [backend.handle(first) for _ in range(WRITERS)]
    reader = backend.handle(first)
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write(store: Store, n: int) -> None:
        try:
            for i in range(WRITES):
                add(store, f"w{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    def read() -> None:
        position = 0
        try:
            while True:
                finished = done.is_set()
                batch = reader.feed.changes(position, limit=7)
                if batch.gap:
                    raise AssertionError(f"gap after {position}")
                seen.extend(entry.seq for entry in batch.entries)
                position = batch.position
                if finished and not batch.entries:
                    return
                time.sleep(0.001)
        except BaseException as exc:
            errors.append(exc)

    follower = threading.Thread(target=read)
    follower.start()
    threads = [threading.Thread(target=write, args=(h, n)) for n, h in enumerate(handles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done.set()
    follower.join(60)
    assert errors == []
    total = WRITERS * WRITES
    assert seen == list(range(1, total + 1))  # every entry once, in sequence order
    assert first.tasks.count_tasks() == total
    # each feed entry names the task its transaction created, and that task's event
    # carries the same sequence number
    events = {e.task_id: e.seq for e in first.tasks.events()}
    for entry in first.feed.changes(0).entries:
        (task_id,) = entry.task_ids or ()
        assert events[task_id] == entry.seq


def test_a_writer_waits_for_the_open_transaction_and_commits_after_it(backend: Backend) -> None:
    first = backend.open(actor="ana")
    second = backend.handle(first)
    reader = backend.handle(first)
    started = threading.Event()
    order: list[str] = []

    def late_writer() -> None:
        started.set()
        add(second, "second")
        order.append("second")

    with first.batch():
        add(first, "first")
        thread = threading.Thread(target=late_writer)
        thread.start()
        started.wait(5)
        time.sleep(0.3)
        assert thread.is_alive()  # waiting for the board: no sequence number taken yet
        assert reader.feed.changes(0).entries == []  # nothing uncommitted is visible
        order.append("first")
    thread.join(30)
    assert order == ["first", "second"]
    entries = reader.feed.changes(0).entries
    assert [(e.seq, e.task_ids) for e in entries] == [(1, (1,)), (2, (2,))]


def test_conflicting_edits_from_two_handles_lose_nothing_silently(backend: Backend) -> None:
    first = backend.open(actor="ana")
    task = add(first, "contested")
    handles = [backend.handle(first) for _ in range(2)]
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def edit(store: Store, name: str) -> None:
        for i in range(40):
            current = store.tasks.get_task(task.id)
            try:
                store.tasks.update_task(task.id, {"title": f"{name} {i}"}, action_id=action(),
                                        expected_version=current.version)  # fmt: skip
                result = "saved"
            except ConflictError:
                result = "refused"
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=edit, args=(h, f"h{n}")) for n, h in enumerate(handles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes["saved"] + outcomes["refused"] == 80
    final = first.tasks.get_task(task.id)
    changes = [e for e in first.tasks.events(task_id=task.id) if e.kind == "changed"]
    assert final.version == 1 + outcomes["saved"] == 1 + len(changes)
    assert final.title == changes[-1].new
    # each saved edit started from the value the one before it left
    assert [e.old for e in changes[1:]] == [e.new for e in changes[:-1]]


@pytest.mark.parametrize("writes", [3])
def test_positions_read_with_a_snapshot_match_its_tasks(backend: Backend, writes: int) -> None:
    first = backend.open(actor="ana")
    other = backend.handle(first)
    for i in range(writes):
        add(other, f"t{i}")
    snapshot = first.tasks.task_snapshot()
    assert len(snapshot.tasks) == writes and snapshot.position == writes
    assert first.feed.changes(snapshot.position).entries == []
