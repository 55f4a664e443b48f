"""BoardView: every column of the board in one Line-API widget.

Nothing here is a widget per card: ``render_line`` asks each column for the line at a
given row, and a column only builds the cards between its own scroll offset (``tops``)
and the bottom of the screen. Columns scroll independently (each keeps its cursor in
view); the widget scrolls horizontally only when the columns cannot fit. Which rows a
change repaints, and how a row is framed for the screen, is in ``framing.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from mtui.core import clock
from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.lookups import Lookups
from mtui.ui.board.cards import CardStyles, card_height, render_card, truncate
from mtui.ui.board.columns import BoardModel, Column
from mtui.ui.board.commands import BoardCommands
from mtui.ui.board.data import BoardData
from mtui.ui.board.framing import BoardFraming, Frame

if TYPE_CHECKING:
    from mtui.ui.board.edit_modal import EditTaskScreen


MIN_COLUMN_WIDTH = 14
HEADER_ROWS = 2  # name/count line, then a rule


class BoardView(BoardFraming, BoardData, BoardCommands, can_focus=True):
    """The kanban board (little m)."""

    BINDINGS = [
        Binding("left,h", "cursor(-1, 0)", "←", show=False),
        Binding("right,l", "cursor(1, 0)", "→", show=False),
        Binding("up,k", "cursor(0, -1)", "↑", show=False),
        Binding("down,j", "cursor(0, 1)", "↓", show=False),
        Binding("pageup", "cursor(0, -10)", show=False),
        Binding("pagedown", "cursor(0, 10)", show=False),
        Binding("home", "cursor(0, -1000000)", show=False),
        Binding("end", "cursor(0, 1000000)", show=False),
        Binding("H,shift+left", "move_card(-1)", "Move ←", show=False),
        Binding("L,shift+right", "move_card(1)", "Move →", show=False),
        Binding("K", "reorder(-1)", "Up", show=False),
        Binding("J", "reorder(1)", "Down", show=False),
        Binding("enter", "edit_task", "Edit"),
        Binding("e", "edit_notes", "Notes"),
        Binding("x", "mark_done", "Done"),
        Binding("b", "mark_blocked", "Block"),
        Binding("d", "delete_task", "Delete"),
        Binding("y", "copy_id", "Copy id", show=False),  # every CLI command takes the id
        Binding("Y", "copy_title", "Copy title", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    COMPONENT_CLASSES = {
        "board--header",
        "board--header-over",
        "board--rule",
        "board--title",
        "board--meta",
        "board--due",
        "board--late",
        "board--strategy",
        "board--orphan",
        "board--blocked",
        "board--bar",
        "board--cursor",
        "board--cursor-blur",
        "board--more",
        "board--separator",
    }

    DEFAULT_CSS = """
    BoardView { overflow-y: hidden; overflow-x: auto; scrollbar-size-horizontal: 1; }
    BoardView > .board--header { color: $text; background: $boost; text-style: bold; }
    BoardView > .board--header-over { color: $warning; background: $warning 15%; text-style: bold; }
    BoardView > .board--rule { color: $primary 60%; }
    BoardView > .board--title { color: $text; text-style: bold; }
    BoardView > .board--meta { color: $text-muted; }
    BoardView > .board--due { color: $accent; }
    BoardView > .board--late { color: $error; text-style: bold; }
    BoardView > .board--strategy { color: $secondary; }
    BoardView > .board--orphan { color: $warning; }
    BoardView > .board--blocked { color: $error; }
    BoardView > .board--bar { color: $foreground 25%; }
    BoardView > .board--cursor { background: $primary 40%; }
    BoardView > .board--cursor-blur { background: $primary 15%; }
    BoardView > .board--more { color: $text-muted; text-style: italic; }
    BoardView > .board--separator { color: $foreground 15%; }
    """

    class Changed(Message):
        """The board wrote to the store; other panes may want to reload."""

        def __init__(self, task_ids: list[int]) -> None:
            super().__init__()
            self.task_ids = task_ids

    def __init__(self, store: Store, task_actions: TaskActions, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.task_actions = task_actions
        self._loads = 0  # how many times the board was (re)loaded
        self.model = BoardModel()
        self.lookups = Lookups({}, {}, {}, {})
        self.cursor_col = 0
        self.cursor_row = 0
        self.tops: dict[int, int] = {}
        self.filter_active = False
        self.filter_text = ""  # the filter as typed, set by the app (even one with errors)
        self._selected_id: int | None = None
        self._now: pendulum.DateTime = clock.now()
        self._column_cache: dict[int, tuple[tuple, tuple[list[Strip], list[int]]]] = {}
        self._cards: dict[tuple, list[Strip]] = {}  # (id, version, width, selected) → lines
        self._card_styles: CardStyles | None = None
        self._part_styles: dict[str, Style] = {}  # component class → style, resolved once
        self._region_now: Region | None = None  # the content region while a repaint runs
        self._spans: tuple[tuple[int, int], list[tuple[int, int]]] | None = None
        self._separator: Strip | None = None  # the column divider, in its style
        self._frame_key: Frame | None = None  # the frame the kept rows were drawn in
        self._rows: dict[int, tuple[tuple[Strip, ...], Strip]] = {}  # y → (parts, line)
        self._repaint_queued = False
        # (geometry, each column's lines) as last handed to Textual to paint
        self._painted: tuple[tuple, list[list[Strip]]] | None = None
        self.feed_position = 0  # change-feed position already shown (see sync_external)
        self._syncing = False  # a feed catch-up is running in the background
        self._edit_screen: EditTaskScreen | None = None  # built on first use, then kept

    def changed_message(self, task_ids: list[int]) -> Message:
        return self.Changed(task_ids)

    @property
    def selected(self) -> Task | None:
        column = self._column(self.cursor_col)
        if column is None or not column.visible:
            return None
        return column.visible[min(self.cursor_row, len(column.visible) - 1)]

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on ``task_id`` if it is shown."""
        where = self.model.locate(task_id)
        if where is None:
            return False
        self.cursor_col, self.cursor_row = where
        self._after_cursor_move()
        return True

    def _column(self, index: int) -> Column | None:
        columns = self.model.columns
        return columns[index] if 0 <= index < len(columns) else None

    def _restore_cursor(self, task_id: int | None) -> None:
        """Follow the selected task; if it vanished, stay at the same place."""
        if task_id is not None and self.select_task(task_id):
            return
        self._clamp_cursor()
        self._after_cursor_move()

    def _clamp_cursor(self) -> None:
        count = len(self.model.columns)
        self.cursor_col = min(max(self.cursor_col, 0), max(count - 1, 0))
        column = self._column(self.cursor_col)
        rows = len(column.visible) if column else 0
        self.cursor_row = min(max(self.cursor_row, 0), max(rows - 1, 0))

    # Geometry --------------------------------------------------------------------
    @property
    def _content_region(self) -> Region:
        """The scrollable content region; looked up once per repaint (each look-up walks
        the DOM, and a repaint asks for every line)."""
        return self._region_now or self.scrollable_content_region

    @property
    def _height(self) -> int:
        return self._content_region.height or self.size.height

    def _column_spans(self) -> list[tuple[int, int]]:
        """(x, width) of each column; spare cells go to the first columns."""
        count = max(len(self.model.columns), 1)
        room = (self._content_region.width or self.size.width) - (count - 1)
        if self._spans is not None and self._spans[0] == (count, room):
            return self._spans[1]
        base, spare = divmod(max(room, 0), count)
        if base < MIN_COLUMN_WIDTH:
            base, spare = MIN_COLUMN_WIDTH, 0
        spans, x = [], 0
        for index in range(count):
            width = base + (1 if index < spare else 0)
            spans.append((x, width))
            x += width + 1
        self._spans = (count, room), spans
        return spans

    def _column_at(self, x: int) -> int | None:
        for index, (left, width) in enumerate(self._column_spans()):
            if left <= x < left + width:
                return index
        return None

    def _card_area(self) -> int:
        """Rows for cards: the last row is kept for the "more" line."""
        return max(self._height - HEADER_ROWS - 1, 1)

    def _update_virtual_size(self) -> None:
        left, width = self._column_spans()[-1]
        self.virtual_size = Size(left + width, self._height)

    def _scroll_cursor_into_view(self) -> None:
        """Adjust the cursor column's ``top`` so its card is fully on screen."""
        column = self._column(self.cursor_col)
        if column is None:
            return
        top = min(self.tops.get(self.cursor_col, 0), max(len(column.visible) - 1, 0))
        row = self.cursor_row
        if row < top:
            top = row
        width, area = self._column_spans()[self.cursor_col][1], self._card_area()
        # The first top from which the cards down to the cursor's fit, found by adding
        # heights upwards from the cursor: only the cards that fit are measured (a filter
        # can leave the cursor thousands of rows below the top).
        used, first = -1, row + 1  # no gap line above the first card shown
        for index in range(min(row, len(column.visible) - 1), top - 1, -1):
            used += card_height(column.visible[index], width) + 1
            if used > area:
                break
            first = index
        top = min(first, row)
        self.tops[self.cursor_col] = top
        left, width = self._column_spans()[self.cursor_col]
        view = self.scrollable_content_region.width
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False)
        elif left + width > self.scroll_x + view:
            self.scroll_to(x=left + width - view, animate=False)

    def _after_cursor_move(self) -> None:
        selected = self.selected
        self._selected_id = selected.id if selected else None
        if self.size.height:
            self._scroll_cursor_into_view()
        self.invalidate(everything=False)

    def on_resize(self, event: events.Resize) -> None:
        self._after_cursor_move()

    def on_focus(self) -> None:
        self._forget_styles()
        self.invalidate()

    def on_blur(self) -> None:
        self._forget_styles()
        self.invalidate()

    def _forget_styles(self) -> None:
        self._card_styles = None
        self._part_styles.clear()

    def on_unmount(self) -> None:
        """Release the kept edit screen with the board (at exit its 70-odd widgets would
        otherwise be closed one by one after the dashboard, prolonging shutdown)."""
        screen, self._edit_screen = self._edit_screen, None
        if screen is not None and screen not in self.app.screen_stack:
            self.app.uninstall_screen(screen)
            screen.remove()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._column_cache.clear()
        self._painted = None  # Textual repaints everything in the new style
        self._cards.clear()
        self._forget_styles()
        self._separator = None

    # Cursor ----------------------------------------------------------------------
    def action_cursor(self, dx: int, dy: int) -> None:
        if dx:
            self.cursor_col = min(max(self.cursor_col + dx, 0), len(self.model.columns) - 1)
            # Keep roughly the same height on screen when crossing columns.
            column = self._column(self.cursor_col)
            top = self.tops.get(self.cursor_col, 0)
            if column is not None:
                self.cursor_row = min(max(self.cursor_row, top), max(len(column.visible) - 1, 0))
        if dy:
            self.cursor_row += dy
        self._clamp_cursor()
        self._after_cursor_move()

    def on_click(self, event: events.Click) -> None:
        """Select the card under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        col = self._column_at(offset.x + int(self.scroll_x))
        if col is None:
            return
        y = offset.y
        _lines, owners = self._column_lines(col)
        if 0 <= y < len(owners) and owners[y] >= 0:
            self.cursor_col, self.cursor_row = col, owners[y]
            self._after_cursor_move()
        self.focus()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_column(event, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_column(event, -1)

    def _scroll_column(self, event: events.MouseEvent, step: int) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        col = self._column_at(offset.x + int(self.scroll_x))
        column = self._column(col) if col is not None else None
        if col is None or column is None:
            return
        self.tops[col] = min(max(self.tops.get(col, 0) + step, 0), max(len(column.visible) - 1, 0))
        event.stop()
        self.invalidate()

    # Rendering -------------------------------------------------------------------
    def _component_style(self, name: str) -> Style:
        """A component class's rich style, resolved once per style change."""
        style = self._part_styles.get(name)
        if style is None:
            style = self._part_styles[name] = self.get_component_rich_style(name)
        return style

    def _styles(self) -> CardStyles:
        if self._card_styles is None:
            self._card_styles = self._resolve_styles()
        return self._card_styles

    def _card(self, task: Task, width: int, selected: bool) -> list[Strip]:
        """A card's lines, cached by version: an unchanged card is never rebuilt."""
        styles = self._styles()
        key = (task.id, task.version, width, selected, styles.cursor)
        lines = self._cards.get(key)
        if lines is None:
            if len(self._cards) > 4000:
                self._cards.clear()
            lines = render_card(
                task, width, lookups=self.lookups, now=self._now, styles=styles, selected=selected
            )
            self._cards[key] = lines
        return lines

    def _resolve_styles(self) -> CardStyles:
        get = self.get_component_rich_style
        cursor_name = "board--cursor" if self.has_focus else "board--cursor-blur"
        return CardStyles(
            base=self.rich_style,
            title=get("board--title"),
            meta=get("board--meta"),
            due=get("board--due"),
            late=get("board--late"),
            strategy=get("board--strategy"),
            orphan=get("board--orphan"),
            blocked=get("board--blocked"),
            bar=get("board--bar"),
            cursor=Style(bgcolor=get(cursor_name).bgcolor),
        )

    def _header(self, column: Column, width: int) -> Strip:
        status = column.status
        count = column.count
        counts = f"{count}/{status.wip_limit}" if status.wip_limit is not None else str(count)
        if self.filter_active:
            counts = f"{column.matched} of {counts}"
        style = self._component_style(
            "board--header-over" if column.over_limit else "board--header"
        )
        marker = "⚠ " if column.over_limit else ""
        name = truncate(f"{marker}{status.name}", max(width - len(counts) - 2, 3))
        gap = max(width - len(name) - len(counts) - 2, 1)
        return Strip([Segment(f" {name}{' ' * gap}{counts} ", style)]).adjust_cell_length(
            width, style
        )

    def _rule(self, column: Column, index: int, width: int) -> Strip:
        style = self._component_style("board--rule")
        top = self.tops.get(index, 0)
        text = "─" * width if top == 0 else truncate(f"↑ {top} more ", width).ljust(width, "─")
        return Strip([Segment(text[:width], style)])

    def _column_lines(self, index: int) -> tuple[list[Strip], list[int]]:
        """All lines of one column for the current screen, and which card each row shows."""
        column = self.model.columns[index]
        width, height = self._column_spans()[index][1], self._height
        # Everything below draws from: the column (its revision), its scroll, the
        # cursor when it is in this column, the filter's presence, the size, and
        # whether the board is empty (the first column then says how to start).
        drawn_from = (
            column.revision,
            self.tops.get(index, 0),
            self.cursor_row if index == self.cursor_col else -1,
            self.filter_active,
            width,
            height,
            index == 0 and self.model.total == 0,
        )
        cached = self._column_cache.get(index)
        if cached is not None and cached[0] == drawn_from:
            return cached[1]
        styles = self._styles()
        blank = Strip.blank(width, styles.base)
        lines = [self._header(column, width), self._rule(column, index, width)]
        owners = [-1, -1]
        row = self.tops.get(index, 0)
        bottom = height - 1
        while row < len(column.visible) and len(lines) < bottom:
            task = column.visible[row]
            selected = index == self.cursor_col and row == self.cursor_row
            card = self._card(task, width, selected)
            for line in card[: bottom - len(lines)]:
                lines.append(line)
                owners.append(row)
            if len(lines) < bottom:
                lines.append(blank)
                owners.append(-1)
            row += 1
        lines.extend([blank] * (height - len(lines)))
        owners.extend([-1] * (height - len(owners)))
        more = self._more_text(column, row)
        if more:
            style = self._component_style("board--more")
            lines[height - 1] = Strip([Segment(truncate(more, width), style)]).adjust_cell_length(
                width, styles.base
            )
            owners[height - 1] = -1
        if not column.visible and height > HEADER_ROWS:
            if self.filter_active and column.tasks:
                note = "no match"
            elif self.model.total == 0 and index == 0:  # a new board: say how to start
                note = "press a to add"
            else:
                note = "empty"
            style = self._component_style("board--more")
            lines[HEADER_ROWS] = Strip([Segment(f" {note}", style)]).adjust_cell_length(
                width, styles.base
            )
        result = (lines[:height], owners[:height])
        self._column_cache[index] = (drawn_from, result)
        return result

    @staticmethod
    def _more_text(column: Column, next_row: int) -> str:
        below = len(column.visible) - next_row + column.hidden_below
        parts = [f"↓ {below} more"] if below > 0 else []
        if column.hidden_older > 0:
            parts.append(f"+{column.hidden_older} older")
        return " " + " · ".join(parts) if parts else ""

    def render_line(self, y: int) -> Strip:
        columns = self.model.columns
        width = self._content_region.width
        base = self._styles().base  # resolved once per style change, not per line
        if not columns:
            return Strip.blank(width, base)
        separator = self._separator_strip()
        segments: list[Segment] = []
        whole = True  # every column has this line (each exactly its column's width)
        for index in range(len(columns)):
            if index:
                segments.extend(separator)
            lines, _owners = self._column_lines(index)
            if y < len(lines):
                segments.extend(lines[y])
            else:
                whole = False
        left, last = self._column_spans()[-1]
        strip = Strip(segments, left + last) if whole else Strip(segments)
        scroll_x = int(self.scroll_x)
        if whole and scroll_x == 0 and left + last == width:
            return strip  # already the visible width: nothing to crop or pad
        return strip.crop_extend(scroll_x, scroll_x + width, base)
