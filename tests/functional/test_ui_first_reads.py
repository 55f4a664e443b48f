"""The first frame drawn from reads made before the app existed (a team board reads
them while Textual is imported): the app reads neither the page nor the theme again."""

from __future__ import annotations

import pytest

from mtui.core.first_frame import read_first_frame
from mtui.ui.app import MtuiApp
from tests.support.ui import board_text

pytestmark = pytest.mark.anyio


async def test_the_app_draws_its_first_frame_from_the_reads_it_was_given(demo_store, monkeypatch):
    first = read_first_frame(demo_store)
    title = first.board.page.tasks[0].title

    def read_again(*_args, **_kwargs):
        raise AssertionError("the first frame was read again")

    monkeypatch.setattr(demo_store.tasks, "board_start", read_again)
    monkeypatch.setattr(demo_store.settings, "get_setting", read_again)
    app = MtuiApp(demo_store, first=first)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert title[:20] in board_text(app)
        assert app.first is None  # used once, then let go
