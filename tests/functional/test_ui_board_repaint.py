"""The board repaints what changed, drawn exactly as Textual's own framing draws it."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from mtui.ui.app import MtuiApp
from tests.support.ui import select

pytestmark = pytest.mark.anyio

SIZE = (160, 45)
TITLE = "Write launch announcement email"  # in Doing, between Next and Blocked


def textual_lines(board) -> list:
    """The board drawn through Textual's own path (padding, border, colour filters)."""
    board._styles_cache.clear()
    board._region_now = board.scrollable_content_region
    try:
        return Widget.render_lines(board, Region(0, 0, *board.outer_size))
    finally:
        board._region_now = None


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "160x45"])
async def test_rows_are_framed_as_textual_frames_them(demo_store, size):
    app = MtuiApp(demo_store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        board = app.board
        assert board._frame() is not None, "the board's own framing is not in use"
        for keys in ((), ("right", "down"), ("slash", *"launch"), ("escape",)):
            await pilot.press(*keys)
            await pilot.pause()
            ours = board.render_lines(Region(0, 0, *board.outer_size))
            assert ours == textual_lines(board)


def record_refreshes(board) -> list[tuple[Region, ...]]:
    """The regions of every ``board.refresh`` call from now on (the call still runs)."""
    refreshed: list[tuple[Region, ...]] = []
    refresh = board.refresh

    def spy(*regions, **kwargs):
        refreshed.append(regions)
        return refresh(*regions, **kwargs)

    board.refresh = spy  # type: ignore[method-assign]
    return refreshed


async def test_a_reorder_repaints_two_cards_of_one_column(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        select(app, demo_store, TITLE)
        await pilot.pause()
        board = app.board
        refreshed = record_refreshes(board)
        row = board.cursor_row
        await pilot.press("K")  # the card is the column's last: up
        await pilot.pause()
        assert board.cursor_row == row - 1
        assert refreshed and all(refreshed), refreshed  # regions only, never the whole board
        regions = [region for call in refreshed for region in call]
        assert len(regions) == 1  # the rows of the two cards, border to border
        assert regions[0].width == board.outer_size.width
        assert regions[0].height < board.scrollable_content_region.height // 2


@pytest.mark.parametrize(
    "keys",
    [("K",), ("up",), ("right",), ("H",), ("L", "w", "enter"), ("slash", "l", "a")],
    ids=["reorder", "cursor-up", "cursor-right", "move", "move-blocked", "filter"],
)
async def test_every_row_that_changes_is_repainted(demo_store, keys):
    """What is on the terminal stays what the board draws: each row that draws
    differently after a key lies inside a region the board asked Textual to repaint."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        select(app, demo_store, TITLE)
        await pilot.pause()
        board = app.board
        whole = Region(0, 0, *board.outer_size)
        before = board.render_lines(whole)
        refreshed = record_refreshes(board)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.settled()
        await pilot.pause()
        after = board.render_lines(whole)
        changed = {y for y, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
        assert changed, "the key changed nothing on the board"
        if any(not regions for regions in refreshed):
            return  # the whole board was repainted
        top = board.styles.gutter.top
        repainted = {y + top for call in refreshed for region in call for y in region.line_range}
        assert changed <= repainted, sorted(changed - repainted)


async def test_a_taller_terminal_is_drawn_before_the_board_hears_of_it(demo_store):
    """Textual paints the resized board before its resize handler runs: the kept lines
    are one screen short then, and that paint must not fail (issue 14)."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(SIZE[0], SIZE[1] + 5)
        await pilot.pause()
        board = app.board
        ours = board.render_lines(Region(0, 0, *board.outer_size))
        assert len(ours) == board.outer_size.height
        assert ours == textual_lines(board)
