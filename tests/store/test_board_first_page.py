"""A big board's first frame comes from one page per column; the rest is read in a
worker thread and swapped in without losing what happened in between."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.ui.board.columns import DONE_LIMIT, BoardModel
from mtui.ui.board.view import BoardView
from tests.support.ui import board_text, status_id, wait_for

SIZE = (160, 45)


def _fill(store, per_column: int) -> None:
    """``per_column`` tasks in every column; the Done ones finished on different days."""
    rows = []
    for status in store.tasks.statuses():
        for n in range(per_column):
            row = {"title": f"{status.name} card {n:03}", "status_id": status.id,
                   "position": float(n)}  # fmt: skip
            if status.is_done:
                row["done_at"] = f"2026-03-{1 + n % 28:02}T{n % 24:02}:00:00.000000Z"
            rows.append(row)
    store.tasks.create_tasks(rows, action_id="fill")


@pytest.fixture
def big_store(tmp_path: Path):
    store = open_store(tmp_path / "big.db")
    _fill(store, 40)
    yield store
    store.close()


def test_a_page_holds_each_columns_first_cards_in_board_order(big_store) -> None:
    statuses = big_store.tasks.statuses()
    page = big_store.tasks.board_page(statuses, 5)
    everything = BoardModel()
    everything.load(statuses, big_store.tasks.list_tasks())
    for column in everything.columns:
        in_page = [t.id for t in page.tasks if t.status_id == column.status.id]
        assert in_page == [t.id for t in column.tasks[:5]], column.status.name
    assert page.counts == {s.id: 40 for s in statuses}
    assert page.position == big_store.feed.position()
    assert not page.complete
    assert big_store.tasks.board_page(statuses, 40).complete


def test_a_first_page_counts_every_card_in_headers_and_more_lines(big_store) -> None:
    statuses = big_store.tasks.statuses()
    page = big_store.tasks.board_page(statuses, 35)
    model = BoardModel()
    model.load(statuses, page.tasks, totals=page.counts)
    todo = next(c for c in model.columns if not c.status.is_done)
    done = next(c for c in model.columns if c.status.is_done)
    assert (todo.count, len(todo.tasks), todo.hidden_below, todo.hidden_older) == (40, 35, 5, 0)
    assert (done.count, len(done.visible), done.hidden_older) == (40, DONE_LIMIT, 40 - DONE_LIMIT)
    model.remove(todo.tasks[0].id)
    assert todo.count == 39, "a card moved away before the full read still counts"


@pytest.mark.anyio
async def test_the_dashboard_starts_from_a_page_and_then_holds_every_task(
    big_store, monkeypatch
) -> None:
    from mtui.ui.app import MtuiApp

    monkeypatch.setattr(BoardView, "first_page", 4)
    app = MtuiApp(big_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        total = 40 * len(big_store.tasks.statuses())
        # The swap is the app's own step after the worker: wait for it, bounded.
        await wait_for(pilot, lambda: app.board.model.total == total, "the full model swapped in")
        assert all(c.total is None for c in app.board.model.columns)
        text = board_text(app)
        assert "Backlog card 000" in text and "40" in text


@pytest.mark.anyio
async def test_a_write_during_the_full_read_is_not_lost(big_store, monkeypatch) -> None:
    """The thread's snapshot predates a write by another process: the board replays it."""
    from mtui.ui.app import MtuiApp

    monkeypatch.setattr(BoardView, "first_page", 4)
    read_everything = BoardView._read_everything
    backlog = status_id(big_store, "Backlog")
    late = next(
        t for t in big_store.tasks.list_tasks(status_ids=[backlog]) if t.title.endswith("039")
    )

    def read_then_another_process_writes(self, statuses, load):
        result = read_everything(self, statuses, load)
        other = open_store(big_store.admin.location)
        TaskActions(other).edit(late, {"title": "Renamed while the board was loading"})
        other.close()
        return result

    monkeypatch.setattr(BoardView, "_read_everything", read_then_another_process_writes)
    app = MtuiApp(big_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        renamed = "Renamed while the board was loading"

        def replayed() -> bool:
            shown = app.board.model.get(late.id)
            return shown is not None and shown.title == renamed

        # The swap and the replay are the app's own steps after the worker: wait for them
        # (one pause was too short on a busy CI run), bounded; a lost write never shows.
        await wait_for(pilot, replayed, "the write replayed on the full model")
        assert app.board.model.total == 40 * len(big_store.tasks.statuses())


@pytest.mark.anyio
async def test_a_failed_background_read_falls_back_to_the_background_store(
    big_store, monkeypatch
) -> None:
    from mtui.ui.app import MtuiApp

    monkeypatch.setattr(BoardView, "first_page", 4)

    def broken(self, statuses, load):
        raise OSError("disk went away")

    monkeypatch.setattr(BoardView, "_read_everything", broken)
    app = MtuiApp(big_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        total = 40 * len(big_store.tasks.statuses())
        # The fallback read is a store job of its own: wait for it (a busy machine can be
        # slower than one pause), not a fixed time.
        await wait_for(pilot, lambda: app.board.model.total == total, "the fallback read")
        assert app.is_running
        assert app.board.model.total == total
