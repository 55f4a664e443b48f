"""Two handles writing at once: stale versions are refused, nothing is lost, and a reader
following the feed meanwhile sees every position once, in order, with no gap."""

from __future__ import annotations

import threading
from collections.abc import Callable

from mtui.core.errors import ConflictError, DuplicateError
from mtui.core.store.contract import Store
from tests.support.backends import Backend, action, add

ROUNDS = 40


def run_together(*jobs: Callable[[], None]) -> None:
    """Start ``jobs`` on threads at the same moment; re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    if failures:
        raise failures[0]


def test_of_two_edits_from_the_same_version_exactly_one_wins(
    backend: Backend, store: Store
) -> None:
    handles = [store, backend.handle(store)]
    task = add(store, "contested")
    for round_ in range(10):
        version = store.tasks.get_task(task.id).version
        outcomes: dict[int, str] = {}

        def edit(
            n: int, version: int = version, round_: int = round_, outcomes: dict = outcomes
        ) -> None:
            try:
                handles[n].tasks.update_task(task.id, {"title": f"r{round_} by {n}"},
                                             action_id=action(), expected_version=version)  # fmt: skip
                outcomes[n] = "saved"
            except ConflictError:
                outcomes[n] = "refused"

        run_together(lambda: edit(0), lambda: edit(1))
        assert sorted(outcomes.values()) == ["refused", "saved"]
        winner = next(n for n, outcome in outcomes.items() if outcome == "saved")
        current = handles[1 - winner].tasks.get_task(task.id)
        assert (current.title, current.version) == (f"r{round_} by {winner}", version + 1)
    assert len(store.tasks.events(task_id=task.id)) == 1 + 10


def test_read_modify_write_with_retries_loses_no_update(backend: Backend, store: Store) -> None:
    task = add(store, "counter", estimate_minutes=0)
    handles = [backend.handle(store), backend.handle(store)]
    refused = [0, 0]

    def increment(n: int) -> None:
        handle = handles[n]
        for _ in range(ROUNDS):
            while True:
                current = handle.tasks.get_task(task.id)
                try:
                    handle.tasks.update_task(
                        task.id, {"estimate_minutes": (current.estimate_minutes or 0) + 1},
                        action_id=action(), expected_version=current.version,
                    )  # fmt: skip
                    break
                except ConflictError:
                    refused[n] += 1

    run_together(lambda: increment(0), lambda: increment(1))
    final = store.tasks.get_task(task.id)
    assert final.estimate_minutes == 2 * ROUNDS and final.version == 1 + 2 * ROUNDS


def test_a_reader_following_the_feed_sees_every_position_once_in_order(
    backend: Backend, store: Store
) -> None:
    writers = [backend.handle(store), backend.handle(store)]
    reader = backend.handle(store)
    tasks = [add(store, f"task {n}") for n in range(2)]
    start = store.feed.position()
    done = threading.Event()
    seen: list[int] = []

    def write(n: int) -> None:
        handle = writers[n]
        for round_ in range(ROUNDS):
            if round_ % 3 == 0:
                add(handle, f"new {n}-{round_}")
            else:
                handle.tasks.update_task(
                    tasks[n].id, {"title": f"{n}-{round_}"}, action_id=action()
                )

    def follow() -> None:
        position = start
        while True:
            finished = done.is_set()
            batch = reader.feed.changes(position, limit=7)
            assert not batch.gap
            seen.extend(e.seq for e in batch.entries)
            position = batch.position
            if finished and not batch.entries:
                return

    def writers_then_done() -> None:
        try:
            run_together(lambda: write(0), lambda: write(1))
        finally:
            done.set()

    run_together(writers_then_done, follow)
    assert seen == list(range(start + 1, start + 1 + 2 * ROUNDS))
    entries = reader.feed.changes(start, limit=10_000).entries
    assert [e.seq for e in entries] == seen
    by_seq = {e.seq: e for e in entries}
    for event in store.tasks.events():
        if event.seq is not None and event.seq > start:
            assert event.task_id in (by_seq[event.seq].task_ids or ())
            assert event.action_id == by_seq[event.seq].action_id
    titles = {t.title for t in store.tasks.list_tasks()}
    assert {f"new {n}-{r}" for n in range(2) for r in range(0, ROUNDS, 3)} <= titles
    last_edit = max(r for r in range(ROUNDS) if r % 3)
    assert {f"0-{last_edit}", f"1-{last_edit}"} <= titles


def test_two_handles_creating_the_same_name_at_once_end_with_one(
    backend: Backend, store: Store
) -> None:
    handles = [store, backend.handle(store)]
    for round_ in range(5):
        channel_ids: list[int] = []
        goals: list[str] = []

        def create(n: int, round_: int = round_, channel_ids=channel_ids, goals=goals) -> None:
            channel_ids.append(handles[n].tasks.ensure_channel(f"Email {round_}"))
            try:
                handles[n].strategy.save_goal({"title": f"G{round_}", "slug": f"g{round_}"})
                goals.append("saved")
            except DuplicateError:
                goals.append("duplicate")

        run_together(lambda: create(0), lambda: create(1))
        assert len(set(channel_ids)) == 1 and sorted(goals) == ["duplicate", "saved"]
    assert len(store.tasks.channels()) == 5 and len(store.strategy.goals()) == 5
