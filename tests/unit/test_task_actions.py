"""Task actions against a real SQLite file: the activity log, undo/redo, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtui.core.errors import ConflictError, NotFound, ValidationError
from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions


@pytest.fixture
def actions(tmp_path: Path) -> TaskActions:
    return TaskActions(open_store(tmp_path / "tasks.db"))


def column(actions: TaskActions, name: str):
    return actions.store.tasks.list_tasks(status_ids=[actions.status_named(name).id])


def test_each_change_is_logged_in_the_same_transaction(actions: TaskActions) -> None:
    store = actions.store
    task = actions.add({"title": "Launch email", "owner": "ana"})
    task = actions.edit(task, {"owner": "raj", "priority": 1})
    task = actions.move_to(task, actions.status_named("Doing").id)
    actions.delete(task)
    actions.restore(task.id)

    kinds = [(e.kind, e.field, e.old, e.new) for e in store.tasks.events(task_id=task.id)]
    doing = actions.status_named("Doing").id
    assert kinds[0] == ("created", None, None, "Launch email")
    assert ("changed", "owner", "ana", "raj") in kinds
    assert ("changed", "priority", None, 1) in kinds
    assert ("moved", "status_id", 1, doing) in kinds
    assert [k[0] for k in kinds[-2:]] == ["deleted", "restored"]
    assert store.tasks.get_task(task.id).version == 5


def test_failed_write_leaves_neither_change_nor_event(actions: TaskActions) -> None:
    store = actions.store
    task = actions.add({"title": "Fix UTM tags"})
    events_before = len(store.tasks.events())
    with pytest.raises(ValidationError):  # a column that does not exist (foreign key)
        store.tasks.update_task(task.id, {"title": "changed", "status_id": 999}, action_id="x")
    assert store.tasks.get_task(task.id).title == "Fix UTM tags"
    assert len(store.tasks.events()) == events_before


def test_stale_version_is_refused_and_nothing_is_written(actions: TaskActions) -> None:
    task = actions.add({"title": "Carousel"})
    other = TaskActions(open_store(actions.store.admin.location))
    other.edit(other.store.tasks.get_task(task.id), {"title": "Carousel v2"})
    with pytest.raises(ConflictError, match="changed elsewhere"):
        actions.edit(task, {"title": "Carousel (mine)"})
    assert actions.store.tasks.get_task(task.id).title == "Carousel v2"


def test_undo_and_redo_move_edit_and_delete(actions: TaskActions) -> None:
    store = actions.store
    task = actions.add({"title": "Webinar page"})
    moved = actions.move_by(task, +1)
    edited = actions.edit(moved, {"title": "Webinar landing page", "owner": "ana"})
    actions.delete(edited)

    actions.undo()
    assert store.tasks.get_task(task.id).deleted_at is None
    actions.undo()
    assert (store.tasks.get_task(task.id).title, store.tasks.get_task(task.id).owner) == (
        "Webinar page",
        None,
    )
    actions.undo()
    assert store.tasks.get_task(task.id).status_id == actions.status_named("Backlog").id
    actions.redo()
    assert store.tasks.get_task(task.id).status_id == actions.status_named("Next").id
    actions.redo()
    assert store.tasks.get_task(task.id).title == "Webinar landing page"
    undo_events = [e for e in store.tasks.events(task_id=task.id) if e.undo_of]
    assert len(undo_events) >= 5, "undo and redo are recorded in the activity log"


def test_undo_refuses_to_overwrite_a_later_edit(actions: TaskActions) -> None:
    task = actions.add({"title": "Press kit"})
    actions.edit(task, {"owner": "mia"})
    other = TaskActions(open_store(actions.store.admin.location))
    other.edit(other.store.tasks.get_task(task.id), {"owner": "tom"})
    with pytest.raises(ConflictError):
        actions.undo()
    assert actions.store.tasks.get_task(task.id).owner == "tom"


def test_reorder_within_column_and_edges(actions: TaskActions) -> None:
    for title in ("c", "b", "a"):  # new tasks go on top: a, b, c
        actions.add({"title": title})
    a, b, c = column(actions, "Backlog")
    assert [a.title, b.title, c.title] == ["a", "b", "c"]
    actions.reorder(a, [a, b, c], +1)
    assert [t.title for t in column(actions, "Backlog")] == ["b", "a", "c"]
    current = column(actions, "Backlog")
    actions.reorder(current[1], current, +1)
    assert [t.title for t in column(actions, "Backlog")] == ["b", "c", "a"]
    current = column(actions, "Backlog")
    unchanged = actions.reorder(current[2], current, +1)
    assert unchanged.version == current[2].version


def test_many_reorders_in_one_spot_stay_ordered(actions: TaskActions) -> None:
    for title in "dcba":
        actions.add({"title": title})
    for _ in range(60):  # bisecting the same gap exhausts float precision without renumbering
        tasks = column(actions, "Backlog")
        actions.reorder(tasks[0], tasks, +1)
    titles = [t.title for t in column(actions, "Backlog")]
    assert (
        sorted(titles) == ["a", "b", "c", "d"]
        and len(set(t.position for t in column(actions, "Backlog"))) == 4
    )


def test_blocked_and_done(actions: TaskActions) -> None:
    task = actions.add({"title": "Ads card"})
    with pytest.raises(ValidationError):
        actions.mark_blocked(task, "  ")
    blocked = actions.mark_blocked(task, "finance approval")
    assert (
        actions.store.tasks.statuses()[3].id == blocked.status_id
        and blocked.blocked_reason == "finance approval"
    )
    done = actions.mark_done(blocked)
    assert done.done_at and done.blocked_reason is None
    reopened = actions.move_by(done, -1)
    assert reopened.done_at is None


def test_validation_and_missing_tasks(actions: TaskActions) -> None:
    with pytest.raises(ValidationError, match="title"):
        actions.add({"title": "   "})
    with pytest.raises(ValidationError, match="priority"):
        actions.add({"title": "x", "priority": 7})
    with pytest.raises(NotFound):
        actions.store.tasks.get_task(12345)
    with pytest.raises(ValidationError, match="ambiguous"):
        actions.status_named("B")
    assert actions.status_named("doi").name == "Doing"


def test_each_action_reads_the_column_list_once(
    actions: TaskActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a network every read is a round trip (issue 13): one column read per action."""
    tasks_repo = actions.store.tasks
    real = tasks_repo.statuses
    reads: list[int] = []

    def counting() -> list:
        reads.append(1)
        return real()

    monkeypatch.setattr(tasks_repo, "statuses", counting)

    def reads_for(action) -> int:
        reads.clear()
        action()
        return len(reads)

    task = actions.add({"title": "one"})
    assert reads_for(lambda: actions.add_many([({"title": f"t{i}"}, None) for i in range(5)])) == 1
    assert reads_for(lambda: actions.move_by(actions.store.tasks.get_task(task.id), 1)) == 1
    assert reads_for(lambda: actions.mark_done(actions.store.tasks.get_task(task.id))) == 1


def test_undo_says_who_changed_the_card_since(tmp_path: Path) -> None:
    """Undo reverts only your own change, and names the teammate whose later change it
    will not overwrite (issue 14: undo knows the actor)."""
    path = tmp_path / "team.db"
    mine = TaskActions(open_store(path, actor="ana"))
    theirs = TaskActions(open_store(path, actor="raj"))
    task = mine.add({"title": "Launch email"})
    mine.edit(task, {"owner": "ana"})
    theirs.edit(theirs.store.tasks.get_task(task.id), {"owner": "raj"})
    with pytest.raises(ConflictError, match=r"'Launch email' \(#\d+\) was changed since by raj"):
        mine.undo()
    assert mine.store.tasks.get_task(task.id).owner == "raj"
