"""``mtui`` on a team board connects and reads its first frame in a thread while the
dashboard is imported (``open_store_soon``); what the thread read is what the first
frame needs, and a refusal still reaches the caller."""

from __future__ import annotations

import pytest

from mtui.core.errors import DatabaseRefused
from mtui.core.first_frame import FIRST_PAGE, THEME_SETTING, read_first_frame
from mtui.core.store import open_store_soon
from tests.support.backends import Backend, add


def test_the_thread_opens_the_board_and_reads_the_first_frame(pg: Backend) -> None:
    writer = pg.open()
    card = add(writer, "Launch post")
    writer.settings.set_setting(THEME_SETTING, "mtui-light")
    store, first = open_store_soon(pg.url, read_first_frame)()
    pg.opened.append(store)
    assert first.theme == "mtui-light"
    assert first.board.page.per_status == FIRST_PAGE
    assert [t.id for t in first.board.page.tasks] == [card.id]
    assert first.board.page.position == store.feed.position()
    assert first.board.statuses == store.tasks.statuses()


def test_a_refusal_in_the_thread_is_raised_by_the_caller(pg: Backend) -> None:
    pg.open().close()
    opening = open_store_soon(pg.url, read_first_frame, board="nope", migrate=False)
    with pytest.raises(DatabaseRefused, match="no board named 'nope'"):
        opening()


def test_a_failing_read_closes_the_store_and_is_raised(pg: Backend) -> None:
    opened = []

    def fail(store):
        opened.append(store)
        raise RuntimeError("read failed")

    with pytest.raises(RuntimeError, match="read failed"):
        open_store_soon(pg.url, fail)()
    assert opened[0].session.closed  # type: ignore[attr-defined]
