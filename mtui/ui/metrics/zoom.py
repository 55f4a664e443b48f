"""The zoomed metrics pane (``3``, ``z``): every card in a grid, each with a bar chart of
its daily history several rows high.

A card reads, top to bottom: the metric and its value (in the unit of the goal that
uses it, with the change since the previous reading); the chart of daily means, its
top and bottom values in a gutter and the goal's target as a dotted line; the target
(``→ 2,000 by May 9``) or, for a metric no goal uses, the change since the stand-up;
then how old the value is, a ``⚠`` when it is stale or ``✗`` and the reason when its
source failed, and ``DEMO DATA`` on the demo's own sources.

Everything here is pure: cards, their ``ZoomData`` and a size in, lines of rich text
out, so the layout is tested without a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from mtui.core.metrics import compact_number, downsample
from mtui.core.metrics.cards import CardData, age_text, card_state
from mtui.core.metrics.history import ZoomData, is_demo_source
from mtui.core.strategy.goals import format_value
from mtui.ui.metrics.card import card_value, delta_text

MIN_CARD_WIDTH = 18
TEXT_ROWS = 3  # header, target (or deltas), status
MIN_CHART_ROWS = 2
COLUMN_GAP = 1
EIGHTHS = " ▁▂▃▄▅▆▇█"
TARGET_MARK = "┄"
DEMO_TAG = "DEMO DATA"


@dataclass(frozen=True, slots=True)
class GridLayout:
    """Where the cards go: ``columns`` × ``rows`` cards per page, each ``card_width`` ×
    ``card_height`` cells, ``row_gap`` blank rows between rows of cards."""

    columns: int
    rows: int
    card_width: int
    card_height: int
    row_gap: int

    @property
    def chart_rows(self) -> int:
        return self.card_height - TEXT_ROWS

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def grid_layout(count: int, width: int, height: int) -> GridLayout:
    """The grid that gives each of ``count`` cards the best-proportioned chart in
    ``width`` × ``height`` cells (a chart about three times as wide as it is high).

    When even the smallest chart (``MIN_CHART_ROWS``) cannot fit every card, the grid
    holds as many as fit and the pane pages through them.
    """
    count = max(1, count)
    best: tuple[float, GridLayout] | None = None
    widest = max(1, (width + COLUMN_GAP) // (MIN_CARD_WIDTH + COLUMN_GAP))
    for columns in range(1, min(count, widest) + 1):
        rows = math.ceil(count / columns)
        card_width = (width - COLUMN_GAP * (columns - 1)) // columns
        for row_gap in (1, 0):
            card_height = (height - row_gap * (rows - 1)) // rows
            chart = card_height - TEXT_ROWS
            if chart < MIN_CHART_ROWS:
                continue
            score = min(card_width / 3, chart)
            layout = GridLayout(columns, rows, card_width, card_height, row_gap)
            if best is None or score > best[0]:
                best = (score, layout)
            break  # with a gap that fits, no gap is never better
    if best is not None:
        return best[1]
    columns = max(1, min(count, widest))
    card_height = TEXT_ROWS + MIN_CHART_ROWS
    rows = max(1, height // card_height)
    card_width = max(1, (width - COLUMN_GAP * (columns - 1)) // columns)
    return GridLayout(columns, rows, card_width, card_height, 0)


def bar_chart(
    values: Sequence[float],
    width: int,
    height: int,
    *,
    target: float | None = None,
    bar_style: str = "",
    target_style: str = "",
) -> list[Text]:
    """``height`` lines of ``width`` cells: one bar per value (newest right), in eighths
    of a cell, scaled between the lowest and highest value (and the target, drawn as a
    dotted line). The scale's ends are in a gutter on the left when there is room."""
    values = [v for v in values if math.isfinite(v)]
    if not values or width < 1 or height < 1:
        empty = [Text(" " * max(0, width)) for _ in range(max(0, height))]
        if empty and width >= 10:
            empty[len(empty) // 2] = Text("no history".center(width), style="dim")
        return empty
    limits = [*values, *([target] if target is not None and math.isfinite(target) else [])]
    low, high = min(limits), max(limits)
    top_label, bottom_label = compact_number(high), compact_number(low)
    gutter = max(len(top_label), len(bottom_label)) + 1
    if width - gutter < 8 or height < 2:
        gutter = 0
    cells = width - gutter
    if len(values) > cells:
        values = downsample(list(enumerate(values)), cells)  # type: ignore[arg-type]
    slot = max(1, min(4, cells // len(values)))
    bar = slot - 1 if slot >= 3 else slot
    levels = height * 8
    span = high - low

    def level(value: float) -> int:
        if not span:
            return levels // 2
        return 1 + round((value - low) / span * (levels - 1))

    heights = [level(v) for v in values]
    target_row = None
    if target is not None and math.isfinite(target):
        target_row = min(height - 1, max(0, math.ceil(level(target) / 8) - 1))
    lines: list[Text] = []
    for row in range(height - 1, -1, -1):  # top line first
        line = Text()
        if gutter:
            label = top_label if row == height - 1 else bottom_label if row == 0 else ""
            line.append(f"{label:>{gutter - 1}}▕", style="dim")
        line.append(" " * (cells - slot * len(heights)))
        for filled in heights:
            eighths = max(0, min(8, filled - row * 8))
            for position in range(slot):
                if position >= bar:
                    mark, style = " ", ""
                else:
                    mark, style = EIGHTHS[eighths], bar_style
                if row == target_row and mark == " ":
                    mark, style = TARGET_MARK, target_style
                line.append(mark, style=style)
        lines.append(line)
    return lines


def _first_fitting(candidates: Sequence[Text], width: int) -> Text:
    for candidate in candidates:
        if candidate.cell_len <= width:
            return candidate
    text = candidates[-1].copy()
    text.truncate(width, overflow="ellipsis")
    return text


def _pad(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def _spread(left: Text, right: Text, width: int) -> Text:
    """``left`` and ``right`` on one line of ``width`` cells (right-aligned ``right``)."""
    room = width - right.cell_len - (1 if right.cell_len else 0)
    left = left.copy()
    if left.cell_len > room:
        left.truncate(max(0, room), overflow="ellipsis")
    line = Text()  # a fresh line: ``left + right`` would give all of it left's style
    for part in (left, Text(" " * max(0, width - left.cell_len - right.cell_len)), right):
        line.append_text(part)
    return _pad(line, width)


def card_block(
    card: CardData,
    zoom: ZoomData,
    now: datetime,
    palette: dict[str, str],
    layout: GridLayout,
    *,
    fetching: bool = False,
) -> list[Text]:
    """The lines of one zoomed card (``layout.card_height`` lines of its width)."""
    width = layout.card_width
    state = card_state(card, now)
    goal = zoom.goal
    unit = goal.unit if goal else None

    # Header: the metric, its value (in the source's unit for it, else the goal's), the
    # change since the previous reading.
    if card.value is None:
        value = "—"
    elif unit and not card.unit:
        value = format_value(card.value, unit, compact=True)
    else:
        value = card_value(card)
    label = Text(card.label, style="bold")
    if label.cell_len + 1 + len(value) > width and " " in value:
        value = value.replace(" ", "")  # ``1m 26s`` → ``1m26s`` when the label needs it
    value_text = Text(value, style=f"bold {palette['error']}" if state == "error" else "bold")
    delta = delta_text(card.prev_value, card.value)
    with_delta = Text.assemble(value_text, " ", delta)
    fits = delta and label.cell_len + 1 + with_delta.cell_len <= width
    right = with_delta if fits else value_text
    label.truncate(max(0, width - right.cell_len - 1), overflow="crop")  # cut, as the strip
    header = _spread(label, right, width)

    # The chart of daily means, with the goal's target.
    chart = bar_chart(
        [mean for _day, mean in zoom.daily],
        width,
        layout.chart_rows,
        target=goal.target if goal else None,
        bar_style=palette["success"] if state == "ok" else "dim",
        target_style=palette["warning"],
    )

    # The target, or the changes when no goal uses this metric.
    if goal and goal.target is not None:
        full = goal.target_text()
        short = full.replace("target ", f"{TARGET_MARK} ", 1)
        plain = short.split(" by ", 1)[0]
        info = _first_fitting(
            [Text(text, style=palette["warning"]) for text in (f"{TARGET_MARK} {full}", short, plain)],
            width,
        )  # fmt: skip
    else:
        info = _first_fitting(
            [delta_text(card.standup_value, card.value, suffix)
             for suffix in (" since stand-up", " s/u")],
            width,
        )  # fmt: skip
        info.stylize("dim")

    # How old, and whether it can be trusted.
    tag = Text(DEMO_TAG, style="dim reverse") if is_demo_source(card) else Text()
    room = width - tag.cell_len - (1 if tag.cell_len else 0)
    age = age_text(card.fetched_at, now)
    reason = card.source.last_error or "fetch failed"
    if state == "never":
        states = [Text("fetching…" if fetching else "never fetched yet", style="dim italic")]
    elif state == "error":  # the last good value stays in the header
        short = f"⚠ {age} · ✗ {reason}"
        states = [Text(f"⚠ stale · as of {age} · ✗ {reason}", style=palette["error"]),
                  Text(short if len(short) - len(reason) + 8 <= room else f"⚠ {age}",
                       style=palette["error"])]  # fmt: skip
    elif state == "stale":
        states = [Text(f"⚠ stale · as of {age}", style=palette["warning"]),
                  Text(f"⚠ stale · {age}", style=palette["warning"]),
                  Text(f"⚠ {age}", style=palette["warning"])]  # fmt: skip
    else:
        states = [Text(f"as of {age}", style="dim"), Text(age, style="dim")]
    status = _spread(_first_fitting(states, max(1, room)), tag, width)

    return [header, *chart, _pad(info, width), status]


def zoomed_lines(
    cards: Sequence[CardData],
    zoom: dict[tuple[int, str | None], ZoomData],
    now: datetime,
    palette: dict[str, str],
    layout: GridLayout,
    *,
    first: int,
    selected: int | None,
    in_flight: set[int],
) -> list[Text]:
    """The page of cards starting at ``first``, row by row (``selected`` reversed)."""
    lines: list[Text] = []
    page = cards[first : first + layout.per_page]
    for row_start in range(0, len(page), layout.columns):
        if row_start:
            lines.extend(Text() for _ in range(layout.row_gap))
        blocks = []
        for offset, card in enumerate(page[row_start : row_start + layout.columns]):
            block = card_block(card, zoom.get(card.ident, ZoomData()), now, palette, layout,
                               fetching=card.source.id in in_flight)  # fmt: skip
            if first + row_start + offset == selected:
                block[0].stylize("reverse")
            blocks.append(block)
        for index in range(layout.card_height):
            line = Text()
            for column, block in enumerate(blocks):
                if column:
                    line.append(" " * COLUMN_GAP)
                line.append_text(block[index])
            lines.append(line)
    return lines
