"""What a board repaint redraws, and how its rows are framed (issues 14 and 16).

Mixed into ``BoardView``: the drawing of cards and columns stays in ``view.py``; here is
what Textual is asked to repaint after a change (only the band of rows that draw
differently) and how a row reaches the screen (assembled from the columns' lines,
filtered once and kept with the cards, between the border Textual draws), measured
in ``bench/README.md``.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip

from mtui.ui.board.state import BoardState


class Frame(NamedTuple):
    """What Textual puts around the board's content rows in the current frame."""

    width: int  # the widget's whole width, border included
    top: int  # rows above the content (the top border)
    content_height: int
    sides: tuple[Segment | None, Segment | None]  # border segments, filtered
    filters: tuple[LineFilter, ...]
    background: Color


class BoardFraming(BoardState):
    """Repaint only what changed; frame rows without Textual's per-line styling."""

    # column index → (what its lines were drawn from, (lines, owners))
    _column_cache: dict[int, tuple[tuple, tuple[list[Strip], list[int]]]]
    _region_now: Region | None  # the content region while a repaint runs
    _separator: Strip | None  # the column divider, in its style
    _frame_key: Frame | None  # the frame the kept rows were drawn in
    _rows: dict[int, tuple[tuple[Strip, ...], Strip]]  # y → (parts, line)
    _repaint_queued: bool
    # (geometry, each column's lines) as last handed to Textual to paint
    _painted: tuple[tuple, list[list[Strip]]] | None

    # Drawn by the view ------------------------------------------------------------
    @property
    def _content_region(self) -> Region:
        raise NotImplementedError

    @property
    def _height(self) -> int:
        raise NotImplementedError

    def _column_spans(self) -> list[tuple[int, int]]:
        raise NotImplementedError

    def _column_lines(self, index: int) -> tuple[list[Strip], list[int]]:
        raise NotImplementedError

    def _update_virtual_size(self) -> None:
        raise NotImplementedError

    # What to repaint --------------------------------------------------------------
    def invalidate(self, *, everything: bool = True) -> None:
        """Drop the drawn lines; the rows that now draw differently are repainted once
        the handler that changed them returns (however often it called this).

        ``everything=False`` (a task shown, the cursor moved, a filter keystroke) keeps
        the lines of every column whose tasks, cursor, scroll and size are unchanged
        (``_column_lines`` checks them): a move redraws two columns, a cursor step one or
        two. A change of names, styles or clock drops them all (the default)."""
        if everything:
            self._column_cache.clear()
        self._update_virtual_size()
        if not self._repaint_queued:
            self._repaint_queued = True
            self.call_next(self._repaint_changes)

    def _repaint_changes(self) -> None:
        """Refresh only the band of rows that draw differently: a reorder repaints two
        cards' rows, a filter keystroke that changes nothing on screen none. Rows are
        refreshed whole, border to border: a partial row would be cut out of the
        screen's line anew each time, while an unchanged row inside the band is still
        the same Strip, whose division and terminal text Textual keeps. A change of
        size, layout or horizontal scroll repaints everything."""
        self._repaint_queued = False
        columns = self.model.columns
        if not self.is_mounted or not columns or not self.size:
            self._painted = None
            self.refresh()
            return
        self._region_now = self.scrollable_content_region
        try:
            geometry = (tuple(self._column_spans()), self._height, int(self.scroll_x))
            lines = [self._column_lines(index)[0] for index in range(len(columns))]
        finally:
            self._region_now = None
        before, self._painted = self._painted, (geometry, lines)
        if before is None or before[0] != geometry or geometry[2]:
            self.refresh()
            return
        first, last = len(lines[0]), -1
        for old, new in zip(before[1], lines, strict=True):
            if old is new:  # a column whose lines were kept
                continue
            changed = [
                y for y, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b and a != b
            ]
            if changed:
                first, last = min(first, changed[0]), max(last, changed[-1])
        if last >= first:
            left = self.styles.gutter.left
            self.refresh(Region(-left, first, self.outer_size.width, last - first + 1))

    # How rows are framed ----------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """The board's lines, framed as Textual frames them, without re-framing rows
        that did not change.

        Textual's own path (``Widget.render_lines``) re-styles every line it is asked
        to redraw: it pads the line, adds the border and runs the app's colour filters
        over every segment, about two thirds of a repaint. Here a row is assembled from
        its columns' lines, each filtered once and kept with the cached card it belongs
        to, between the border segments Textual drew for this frame; a row whose parts
        are unchanged is the same Strip as before. Anything this does not reproduce
        (padding, tint, opacity, an outline, scroll bars, horizontal scrolling) goes
        through Textual's path, as does every border row.
        """
        self._region_now = self.scrollable_content_region
        try:
            frame = self._frame()
            if frame is None:
                self._rows.clear()
                return super().render_lines(crop)
            return self._framed_lines(crop, frame)
        finally:
            self._region_now = None

    def _frame(self) -> Frame | None:
        """What surrounds a content row this frame, or None when Textual must draw it."""
        styles = self.styles
        if (
            not self.model.columns
            or styles.padding != (0, 0, 0, 0)
            or styles.tint.a
            or styles.text_opacity != 1.0
            or self.opacity != 1.0
            or any(edge for edge, _colour in styles.outline)
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or self.show_horizontal_scrollbar
            or self.show_vertical_scrollbar
            or int(self.scroll_x)
        ):
            return None
        width, height = self.outer_size
        top, _right, bottom, _left = styles.gutter
        content = self._content_region
        spans = self._column_spans()
        left, last = spans[-1]
        if height - top - bottom != content.height or left + last != content.width:
            return None
        # Lines kept from before a resize that has not reached the board yet: Textual's
        # path pads or cuts them (the resize handler redraws them next).
        if any(len(self._column_lines(i)[0]) != content.height for i in range(len(spans))):
            return None
        # One content row drawn by Textual gives the border segments either side, in
        # the frame's style and already through the filters (its line cache keeps it).
        probe = super().render_lines(Region(0, top, width, 1))[0]
        segments = list(probe)
        sides = (
            segments[0] if styles.border_left[0] else None,
            segments[-1] if styles.border_right[0] else None,
        )
        if sum(cell_len(s.text) for s in sides if s) + content.width != width:
            return None
        filters = tuple(self.get_line_filters())
        return Frame(width, top, content.height, sides, filters, self.background_colors[1])

    def _framed_lines(self, crop: Region, frame: Frame) -> list[Strip]:
        if self._frame_key != frame:
            self._rows.clear()
            self._frame_key = frame
        first, end = frame.top, frame.top + frame.content_height
        drawn: dict[int, Strip] = {}
        for y in crop.line_range:
            if not first <= y < end:  # a border row: Textual draws it (and keeps it)
                drawn[y] = super().render_lines(Region(0, y, frame.width, 1))[0]
        left, right = frame.sides
        rows = self._rows
        lines = [self._column_lines(index)[0] for index in range(len(self.model.columns))]
        strips: list[Strip] = []
        for y in crop.line_range:
            strip = drawn.get(y)
            if strip is None:
                pieces = self._row_pieces(lines, y - first, frame)
                cached = rows.get(y)
                if cached is not None and cached[0] == pieces:
                    strip = cached[1]
                else:
                    segments: list[Segment] = [left] if left else []
                    for piece in pieces:
                        segments.extend(piece)
                    if right:
                        segments.append(right)
                    strip = Strip(segments, frame.width)
                    rows[y] = (pieces, strip)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, frame.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _row_pieces(self, lines: list[list[Strip]], y: int, frame: Frame) -> tuple[Strip, ...]:
        """Row ``y`` of the content from each column's ``lines`` and the dividers,
        filtered (each piece keeps its filtered copy, so an unchanged card is never
        filtered again)."""
        separator = self._filtered(self._separator_strip(), frame)
        pieces: list[Strip] = []
        for index, column in enumerate(lines):
            if index:
                pieces.append(separator)
            pieces.append(self._filtered(column[y], frame))
        return tuple(pieces)

    @staticmethod
    def _filtered(strip: Strip, frame: Frame) -> Strip:
        for line_filter in frame.filters:
            strip = strip.apply_filter(line_filter, frame.background)
        return strip

    def _separator_strip(self) -> Strip:
        strip = self._separator
        if strip is None:
            segment = Segment("│", self.get_component_rich_style("board--separator"))
            strip = self._separator = Strip([segment], 1)
        return strip
