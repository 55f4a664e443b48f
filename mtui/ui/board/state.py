"""What the board's parts share, declared once so each part is type-checked.

``BoardView`` is split by concern: drawing (``view.py``), what a repaint redraws and
how rows are framed (``framing.py``), loading and syncing (``data.py``) and the user's
verbs (``commands.py``). All three work on the same state;
this base class names it (``BoardView.__init__`` sets it) and the few methods the
parts call on each other, so mypy checks each part against one definition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pendulum
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.lookups import Lookups
from mtui.ui.board.columns import BoardModel, Column

if TYPE_CHECKING:
    from mtui.ui.app import MtuiApp
    from mtui.ui.board.edit_modal import EditTaskScreen


class BoardState(ScrollView):
    """The board's state and cross-part methods (implemented by ``BoardView``)."""

    store: Store
    task_actions: TaskActions
    model: BoardModel
    lookups: Lookups
    cursor_col: int
    cursor_row: int
    tops: dict[int, int]
    filter_active: bool
    filter_text: str  # the board's filter as typed (the app sets it)
    feed_position: int  # change-feed position already shown
    _loads: int  # how many times the board was (re)loaded
    _selected_id: int | None
    _now: pendulum.DateTime
    _cards: dict[tuple[Any, ...], list[Strip]]
    _syncing: bool  # a feed catch-up is running in the background
    _edit_screen: EditTaskScreen | None

    @property
    def host(self) -> MtuiApp:
        """The app, typed: its store jobs, undo history and notices."""
        return cast("MtuiApp", self.app)

    def changed_message(self, task_ids: list[int]) -> Message:
        raise NotImplementedError

    @property
    def selected(self) -> Task | None:
        raise NotImplementedError

    def select_task(self, task_id: int) -> bool:
        raise NotImplementedError

    def _column(self, index: int) -> Column | None:
        raise NotImplementedError

    def _restore_cursor(self, task_id: int | None) -> None:
        raise NotImplementedError

    def invalidate(self, *, everything: bool = True) -> None:
        raise NotImplementedError

    def apply_task(self, task: Task) -> None:
        raise NotImplementedError

    def show_task(self, task: Task) -> None:
        raise NotImplementedError
