"""Issue 16: a capped stand-up report (Markdown and text show 25 tasks a section) reads
the history of the in-progress tasks it shows only, and says the same."""

from __future__ import annotations

from mtui.core.standup.format import to_markdown
from mtui.core.standup.report import standup_report
from tests.unit.test_standup import scripted, titles

__all__ = ["scripted"]  # the fixture: three scripted days of events


def test_a_capped_report_reads_the_history_of_the_tasks_it_shows_only(store, scripted):
    """``shown=N``: the same report as the complete one, except that in-progress tasks
    past the first N have no ``since``."""
    full, capped = standup_report(store), standup_report(store, shown=2)
    assert [(t.task.id, t.since, t.new) for t in capped.in_progress[:2]] == [
        (t.task.id, t.since, t.new) for t in full.in_progress[:2]]  # fmt: skip
    assert full.in_progress[2].since is not None and capped.in_progress[2].since is None
    assert titles(capped.in_progress) == titles(full.in_progress)
    assert [(t.task.id, t.since) for t in capped.blocked] == [
        (t.task.id, t.since) for t in full.blocked]  # fmt: skip
    assert to_markdown(capped, limit=2) == to_markdown(full, limit=2)
