"""Pilot tests: every board key changes the database (and its activity log) as it should."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from mtui.core.store.feed import METRICS, TASKS, FeedBatch
from mtui.ui.app import MtuiApp
from tests.support.ui import board_text, find, keys, select, status_id

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
TITLE = "Write launch announcement email"  # in Doing, between Next and Blocked


async def test_arrows_and_hjkl_move_the_cursor(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        board = app.board
        assert (board.cursor_col, board.cursor_row) == (0, 0)
        await pilot.press("right", "l", "down", "j")
        assert (board.cursor_col, board.cursor_row) == (2, 2)
        await pilot.press("k", "h", "left", "up")
        assert (board.cursor_col, board.cursor_row) == (0, 0)
        assert board.selected.status_id == status_id(demo_store, "Backlog")


@pytest.mark.parametrize(
    ("keys", "column"),
    # Moving into Blocked asks what blocks the card (issue 12, item 18): "w", enter answers.
    [(("L", "w", "enter"), "Blocked"), (("shift+right", "w", "enter"), "Blocked"),
     (("H",), "Next"), (("shift+left",), "Next"), (("L", "w", "enter", "L"), "Done")],
)  # fmt: skip
async def test_move_card_between_columns(demo_store, keys, column):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press(*keys)
        moved = demo_store.tasks.get_task(task.id)
        assert moved.status_id == status_id(demo_store, column)
        assert app.board.selected.id == task.id  # the cursor follows the card
        kinds = {(e.kind, e.field) for e in demo_store.tasks.events(task_id=task.id)}
        assert ("moved", "status_id") in kinds


async def test_undo_and_redo_a_move(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("L", "w", "enter")  # into Blocked: says why
        await pilot.press("u")
        assert demo_store.tasks.get_task(task.id).status_id == task.status_id
        assert app.board.model.get(task.id).status_id == task.status_id
        await pilot.press("ctrl+r")
        assert demo_store.tasks.get_task(task.id).status_id == status_id(demo_store, "Blocked")
        undo_events = [e for e in demo_store.tasks.events(task_id=task.id) if e.undo_of]
        assert len({e.action_id for e in undo_events}) == 2  # the undo and the redo


async def test_reorder_within_column(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        index = 2
        doing = status_id(demo_store, "Doing")
        column = [t.id for t in demo_store.tasks.list_tasks(status_ids=[doing])]
        task = select(app, demo_store, demo_store.tasks.get_task(column[index]).title)
        await pilot.press("J")
        after = [t.id for t in demo_store.tasks.list_tasks(status_ids=[task.status_id])]
        assert after.index(task.id) == index + 1
        assert app.board.cursor_row == index + 1
        await pilot.press("K", "K")
        after = [t.id for t in demo_store.tasks.list_tasks(status_ids=[task.status_id])]
        assert after.index(task.id) == index - 1
        await pilot.press("u", "u", "u")  # one undo per reorder
        restored = [t.id for t in demo_store.tasks.list_tasks(status_ids=[task.status_id])]
        assert restored == column


async def test_x_marks_done(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("x")
        done = demo_store.tasks.get_task(task.id)
        assert done.status_id == status_id(demo_store, "Done")
        assert done.done_at is not None
        assert app.board.model.columns[-1].visible[0].id == task.id  # recent work first


async def test_b_asks_for_a_reason_and_blocks(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("b")
        await pilot.press("enter")  # empty reason: refused inline, prompt stays
        assert "Please type an answer" in str(app.screen.query_one("#error").render())
        await pilot.press(*keys("legal review"), "enter")
        blocked = demo_store.tasks.get_task(task.id)
        assert blocked.status_id == status_id(demo_store, "Blocked")
        assert blocked.blocked_reason == "legal review"
        assert "legal review" in board_text(app)


async def test_b_then_escape_changes_nothing(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("b", "escape")
        assert demo_store.tasks.get_task(task.id).version == task.version


async def test_delete_undo_redo(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("d")
        assert demo_store.tasks.get_task(task.id, include_deleted=True).deleted_at is not None
        assert TITLE not in board_text(app)
        await pilot.press("u")
        assert demo_store.tasks.get_task(task.id).deleted_at is None
        assert app.board.model.get(task.id) is not None
        await pilot.press("ctrl+r")
        assert demo_store.tasks.get_task(task.id, include_deleted=True).deleted_at is not None
        kinds = [e.kind for e in demo_store.tasks.events(task_id=task.id)]
        assert kinds[-3:] == ["deleted", "restored", "deleted"]


async def test_e_edits_notes_in_the_editor(demo_store, tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\nAdded in the editor')\n")
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("e")
        notes = demo_store.tasks.get_task(task.id).notes
        assert notes == task.notes + "\nAdded in the editor"
        assert [e.field for e in demo_store.tasks.events(task_id=task.id)][-1] == "notes"


async def test_mouse_click_selects_a_card(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        board = app.board
        left, _width = board._column_spans()[2]
        await pilot.click("#board", offset=(left + 4, 4 + 6))  # border + header rows + 2nd card
        assert board.cursor_col == 2
        assert board.cursor_row == 1
        assert board.selected.title.split()[0] in board_text(app)


async def test_mouse_drag_selects_text_in_the_brief_and_a_click_still_selects_cards(demo_store):
    """Textual's text selection keeps working beside the board's own click handling."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        section = app.query("SectionItem").first()
        await pilot.mouse_down(section, offset=(1, 0))
        await pilot.hover(section, offset=(12, 1))
        await pilot.mouse_up(section, offset=(12, 1))
        await pilot.pause()
        selected = app.screen.get_selected_text() or ""
        assert selected.startswith("Acme Analytics\n"), selected
        left, _width = app.board._column_spans()[1]
        await pilot.click("#board", offset=(left + 4, 4))
        assert app.board.cursor_col == 1


async def test_shift_y_copies_the_card_title(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("Y")
        assert app.clipboard == task.title


async def test_y_copies_the_card_id_which_the_selected_card_shows(demo_store):
    """Issue 12 item 25: every CLI command takes an id, and the board showed none."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        app.board.invalidate()
        await pilot.pause()
        width = app.board._column_spans()[app.board.cursor_col][1]
        card = ["".join(seg.text for seg in line) for line in app.board._card(task, width, True)]
        assert card[-1].rstrip().endswith(f" #{task.id}") and card[-1] in board_text(app)
        plain = ["".join(seg.text for seg in line) for line in app.board._card(task, width, False)]
        assert not any(f"#{task.id}" in line for line in plain)  # only on the selected card
        await pilot.press("y")
        assert app.clipboard == str(task.id)
        assert f"Copied id {task.id}" in [str(n.message) for n in app._notifications]
        await pilot.press("enter")  # the edit modal names it too
        assert f"Edit task #{task.id}" in str(app.screen.query_one("#heading").render())


async def test_cursor_row_survives_scrolling_far_down(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        board = app.board
        column = board.model.columns[0]
        assert board.cursor_row == len(column.visible) - 1
        assert board.tops[0] > 0
        assert "↑" in board_text(app)  # "↑ N more" tells the user there is more above
        assert column.visible[-1].title.split()[0] in board_text(app)


def test_find_helper_sanity(demo_store):
    assert find(demo_store, TITLE).title == TITLE


async def test_a_saved_move_is_kept_without_painting_the_board_again(demo_store):
    """The move shows at once; the store's answer and the change feed's echo of this
    session's own write replace the preview with the saved copy (its version guards the
    next write) but repaint nothing: the preview already showed it."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        task = select(app, demo_store, TITLE)
        board = app.board
        callers: list[set[str]] = []  # the functions on the stack of each repaint
        invalidate = board.invalidate

        def counted(*, everything: bool = True) -> None:
            frame, names = sys._getframe(1), set()
            while frame is not None:
                names.add(frame.f_code.co_name)
                frame = frame.f_back
            callers.append(names)
            invalidate(everything=everything)

        board.invalidate = counted  # type: ignore[method-assign]
        await pilot.press("H")
        await app.settled()
        app.check_for_changes()  # the change feed names this session's own write
        await app.settled()
        await pilot.pause()
        saved = demo_store.tasks.get_task(task.id)
        assert saved.status_id == status_id(demo_store, "Next")
        assert board.model.get(task.id) == saved  # the saved copy, version and all
        assert any("action_move_card" in names for names in callers), "the preview"
        late = [n & {"apply_task", "_apply_catch_up"} for n in callers]
        assert not any(late), late
        await pilot.press("L")  # the next write starts from the saved version
        await app.settled()
        assert demo_store.tasks.get_task(task.id).status_id == task.status_id


async def test_the_feed_echo_of_an_own_move_does_not_reread_the_side_panes_again(
    demo_store, monkeypatch
):
    """A move re-reads the brief and metrics once, shortly after (the board's Changed);
    the change feed naming the same write adds no second re-read. Another client's
    change, or anything but a task write, still re-reads them."""
    monkeypatch.setattr("mtui.ui.app.SIDE_PANE_DELAY", 600)  # the move's own re-read: later
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        select(app, demo_store, TITLE)
        await pilot.press("H")
        await app.settled()
        own = [e for e in demo_store.feed.changes(0).entries if app.history.is_mine(e.action_id)]
        assert own and all(e.topics == {TASKS} for e in own)
        reloads: list[str] = []
        app.reload_side_panes = lambda: reloads.append("reload")  # type: ignore[method-assign]
        app._after_catch_up(FeedBatch(own[-1].seq, own))
        assert reloads == []
        theirs = replace(own[-1], action_id="someone-else")
        app._after_catch_up(FeedBatch(theirs.seq, [*own, theirs]))
        assert reloads == ["reload"]
        metrics = replace(own[-1], topics=frozenset({METRICS}), task_ids=())
        app._after_catch_up(FeedBatch(metrics.seq, [*own, metrics]))
        assert reloads == ["reload", "reload"]
