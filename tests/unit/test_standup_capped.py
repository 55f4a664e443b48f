"""Issue 16: a capped stand-up report (Markdown and text show 25 tasks a section) reads
only the tasks it shows of the in-progress, overdue and due-today lists, counts the
rest from their keys, and says the same as the complete report."""

from __future__ import annotations

from mtui.core import clock
from mtui.core.standup.format import to_markdown
from mtui.core.standup.report import CAPPED, standup_report
from mtui.core.tasks.actions import TaskActions
from tests.unit.test_standup import at, col, scripted

__all__ = ["scripted"]  # the fixture: three scripted days of events


def _tasks_read(store, monkeypatch) -> list[int]:
    """The ids of the tasks the store's task reads return from now on."""
    read: list[int] = []
    for name in ("get_tasks", "list_tasks", "iter_tasks", "task_snapshot"):
        real = getattr(store.tasks, name)

        def spy(*args, real=real, **kwargs):
            found = real(*args, **kwargs)
            read.extend(t.id for t in found)
            return found

        monkeypatch.setattr(store.tasks, name, spy)
    return read


def test_a_capped_report_reads_the_tasks_it_shows_and_counts_the_rest(
    store, scripted, monkeypatch
) -> None:
    with clock.frozen_at(at(7, 11)):  # before the window: nothing of it is in the log read
        quiet = TaskActions(store).add({"title": "Quiet one", "owner": "zoe",
                                        "status_id": col(store, "Doing")})  # fmt: skip
    full = standup_report(store)
    assert [t.task.title for t in full.in_progress] == [
        "Press kit", "Fix UTM tags", "Carousel post", "Quiet one"]  # fmt: skip
    read = _tasks_read(store, monkeypatch)
    capped = standup_report(store, shown=1)
    for key in CAPPED:
        lines, all_lines = getattr(capped, key), getattr(full, key)
        assert [(t.task, t.since, t.new) for t in lines] == [
            (t.task, t.since, t.new) for t in all_lines[:1]]  # fmt: skip
        assert capped.count(key) == full.count(key) == len(all_lines)
    assert read and quiet.id not in read
    assert [(t.task.id, t.since) for t in capped.blocked] == [
        (t.task.id, t.since) for t in full.blocked]  # fmt: skip
    assert to_markdown(capped, limit=1) == to_markdown(full, limit=1)
    assert "… and 3 more in progress" in to_markdown(capped, limit=1)


def test_a_capped_report_with_an_owner_counts_that_owners_tasks(store, scripted) -> None:
    full, capped = standup_report(store, owner="@RAJ"), standup_report(store, owner="@RAJ", shown=1)
    assert [t.task.title for t in full.in_progress] == ["Fix UTM tags", "Carousel post"]
    assert [t.task.title for t in capped.in_progress] == ["Fix UTM tags"]
    assert capped.count("in_progress") == 2
    assert to_markdown(capped, limit=1) == to_markdown(full, limit=1)
