"""The Store as a whole: batches, the actor, the admin part and backend-neutral errors."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from mtui.core.errors import (
    ConflictError,
    CorruptError,
    DuplicateError,
    MtuiError,
    NotFound,
    ReadOnlyError,
    StoreError,
    UnavailableError,
    ValidationError,
)
from mtui.core.store import open_store
from mtui.core.store.contract import (
    ActivityLog,
    ChangeFeed,
    MetricsRepository,
    SettingsRepository,
    Store,
    StoreAdmin,
    StrategyRepository,
    TaskRepository,
)
from tests.support.backends import Backend, action, add, column

PARTS = {
    "tasks": TaskRepository, "strategy": StrategyRepository, "metrics": MetricsRepository,
    "settings": SettingsRepository, "activity": ActivityLog, "feed": ChangeFeed,
    "admin": StoreAdmin,
}  # fmt: skip


def test_the_store_offers_every_method_of_the_contract(store: Store) -> None:
    for part, protocol in PARTS.items():
        repository = getattr(store, part)
        for name, member in vars(protocol).items():
            if name.startswith("_") or not (
                inspect.isfunction(member) or isinstance(member, property)
            ):
                continue
            assert hasattr(repository, name), f"store.{part}.{name} is missing"
    assert callable(store.batch) and callable(store.close) and store.actor == "ana"


def test_the_errors_are_backend_neutral_and_say_nothing_was_saved() -> None:
    for error in (ConflictError, ReadOnlyError, UnavailableError, CorruptError, DuplicateError):
        assert issubclass(error, StoreError) and issubclass(error, MtuiError)
    assert issubclass(DuplicateError, ValidationError)


# ------------------------------------------------------------------ batches


def test_a_batch_commits_its_writes_together(store: Store) -> None:
    with store.batch():
        a = add(store, "a")
        with store.batch():  # a nested batch joins the outer one
            add(store, "b")
        store.tasks.update_task(a.id, {"owner": "raj"}, action_id=action())
    assert sorted(t.title for t in store.tasks.list_tasks()) == ["a", "b"]
    assert store.feed.position() == 1


def test_a_failure_inside_a_batch_undoes_all_of_it(backend: Backend, store: Store) -> None:
    kept = add(store, "kept")
    position = store.feed.position()
    with pytest.raises(ConflictError), store.batch():
        add(store, "lost")
        store.strategy.save_goal({"title": "G", "slug": "g"})
        store.tasks.update_task(kept.id, {"title": "x"}, action_id=action(), expected_version=9)
    with pytest.raises(RuntimeError), store.batch():
        add(store, "lost too")
        raise RuntimeError("the caller gave up")
    for reader in (store, backend.handle(store)):
        assert [t.title for t in reader.tasks.list_tasks()] == ["kept"]
        assert reader.strategy.goals() == [] and reader.feed.position() == position
        assert len(reader.tasks.events()) == 1 and reader.activity.events() == []
    add(store, "after")
    assert store.feed.position() == position + 1


# ------------------------------------------------------------------ actor


def test_changes_are_recorded_as_the_handles_actor(backend: Backend, store: Store) -> None:
    raj = backend.open(actor="raj")
    assert raj.actor == "raj" and backend.handle(raj).actor == "raj"
    add(store, "by ana")
    add(raj, "by raj")
    raj.settings.set_setting("theme", "light")
    assert [e.actor for e in store.tasks.events()] == ["ana", "raj"]
    assert [e.actor for e in store.activity.events()] == ["raj"]
    assert [e.actor for e in store.feed.changes(0).entries] == ["ana", "raj", "raj"]


# ------------------------------------------------------------------ admin


def test_a_new_handle_sees_the_same_data_both_ways(backend: Backend, store: Store) -> None:
    other = backend.handle(store)
    assert other.admin.location == store.admin.location and not other.admin.read_only
    task = add(store, "from the first")
    assert other.tasks.get_task(task.id).title == "from the first"
    other.tasks.update_task(task.id, {"title": "from the second"}, action_id=action())
    assert store.tasks.get_task(task.id).title == "from the second"
    assert store.feed.position() == other.feed.position() == 2


def test_a_worker_handle_works_from_its_thread_and_closing_it_keeps_the_origin(
    store: Store,
) -> None:
    import threading

    worker = store.admin.worker_handle()
    task = add(store, "from the first")
    seen: list[object] = []

    def work() -> None:
        try:
            seen.append(worker.tasks.get_task(task.id).title)
            worker.tasks.update_task(task.id, {"title": "from the worker"}, action_id=action(),
                                     expected_version=task.version)  # fmt: skip
            seen.append(worker.feed.position())
        except BaseException as exc:
            seen.append(exc)
        finally:
            worker.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert seen == ["from the first", 2]
    assert worker.actor == store.actor
    assert store.tasks.get_task(task.id).title == "from the worker"  # still open
    assert store.feed.position() == 2


def test_a_read_only_handle_reads_but_every_write_is_refused(
    backend: Backend, store: Store
) -> None:
    task = add(store, "existing")
    reader = backend.open(read_only=True)
    assert reader.admin.read_only and backend.handle(reader).admin.read_only
    assert [t.title for t in reader.tasks.list_tasks()] == ["existing"]
    writes = [
        lambda: add(reader, "new"),
        lambda: reader.tasks.update_task(task.id, {"title": "x"}, action_id=action()),
        lambda: reader.tasks.delete_task(task.id, action_id=action()),
        lambda: reader.strategy.save_brief({"name": "x"}),
        lambda: reader.strategy.save_goal({"title": "G", "slug": "g"}),
        lambda: reader.settings.set_setting("k", "v"),
        lambda: reader.tasks.ensure_channel("new channel"),
        lambda: reader.tasks.set_wip_limit(column(reader, "Doing").id, 1),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyError):
            write()
    with pytest.raises(ReadOnlyError), reader.batch():
        pass
    assert store.feed.position() == 1 and store.tasks.get_task(task.id).title == "existing"


def test_location_is_safe_to_show(store: Store) -> None:
    location = store.admin.location
    userinfo = location.split("//", 1)[-1].split("/", 1)[0].rpartition("@")[0]
    assert location and "password" not in location and ":" not in userinfo  # no user:secret@


def test_a_backup_is_a_consistent_copy_that_opens(
    backend: Backend, store: Store, tmp_path: Path
) -> None:
    add(store, "a")
    store.strategy.save_brief({"name": "Acme"})
    target = tmp_path / "copies" / "backup.db"
    if backend.name == "postgresql":  # a server is copied by its own tool, which is named
        with pytest.raises(StoreError, match="pg_dump"):
            store.admin.backup(str(target))
        assert not target.exists()
        return
    store.admin.backup(str(target))
    add(store, "after the backup")
    copy = open_store(target)
    try:
        assert [t.title for t in copy.tasks.list_tasks()] == ["a"]
        assert copy.strategy.brief().name == "Acme"
        assert copy.feed.position() == 2 and copy.admin.integrity_check() == []
    finally:
        copy.close()


def test_a_healthy_board_reports_no_problems(store: Store) -> None:
    add(store, "a")
    assert store.admin.integrity_check() == []


def test_missing_records_are_not_found(store: Store) -> None:
    for call in (
        lambda: store.tasks.get_task(5),
        lambda: store.tasks.restore_task(5, action_id=action()),
        lambda: store.strategy.save_goal({"title": "x"}, 5),
        lambda: store.metrics.delete_metric_source(5),
    ):
        with pytest.raises(NotFound):
            call()


def test_a_taken_id_on_import_is_a_duplicate(store: Store) -> None:
    task = add(store, "a")
    with pytest.raises(DuplicateError):
        store.tasks.create_tasks(
            [{"id": task.id, "title": "clash", "status_id": task.status_id, "position": 1.0}],
            action_id=action(), keep_ids=True,
        )  # fmt: skip
    assert [t.title for t in store.tasks.list_tasks()] == ["a"]


def test_a_closed_handle_raises_a_store_error_not_the_drivers(backend: Backend) -> None:
    closed = backend.open()
    closed.close()
    for call in (
        lambda: closed.tasks.list_tasks(),
        lambda: closed.feed.position(),
        lambda: closed.feed.changes(0),
        lambda: closed.settings.set_setting("a", "b"),
        lambda: closed.tasks.task_snapshot(),
    ):
        with pytest.raises(StoreError):
            call()
    assert closed.admin.integrity_check() != [], "a check that cannot run says so"
