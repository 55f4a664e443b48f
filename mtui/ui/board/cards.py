"""Turn one task into the few Strips of its card; only cards on screen are ever built.

Styles arrive as a ``CardStyles`` built from the board's component classes, so colours
follow the theme; the only colour taken from data is the campaign's left bar.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorParseError
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from mtui.core.language.dates import humanize_done, humanize_due
from mtui.core.model import Task
from mtui.core.tasks.lookups import Lookups

BAR = "▌"
NOTES_MARK = "✎"  # the card has notes (enter or e shows them)
ELLIPSIS = "…"
TITLE_LINES = 2


@dataclass(frozen=True)
class CardStyles:
    """Rich styles resolved from the board's component classes (theme-aware)."""

    base: Style
    title: Style
    meta: Style
    due: Style
    late: Style
    strategy: Style
    orphan: Style
    blocked: Style
    bar: Style
    cursor: Style  # an overlay (background) applied on top of the selected card


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, ending with an ellipsis when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def wrap_title(title: str, width: int, max_lines: int = TITLE_LINES) -> list[str]:
    """Word-wrap into at most ``max_lines``; the last line ends in … if text remains.

    Words are never split mid-word unless a single word is wider than the card.
    """
    words = title.split()
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if len(lines) == max_lines:
            break
        current = word
        if len(lines) == max_lines - 1 and cell_len(word) > width:
            rest = " ".join(words[index:])
            lines.append(truncate(rest, width))
            return lines
    else:
        if current or not lines:
            lines.append(current)
        return [truncate(line, width) for line in lines]
    # Ran out of lines: the last one takes an ellipsis.
    last = lines[-1]
    if cell_len(last) + 1 <= width:
        lines[-1] = last + ELLIPSIS
    else:
        lines[-1] = truncate(last + "  ", width)
    return lines


def _bar_style(task: Task, lookups: Lookups, fallback: Style, base: Style) -> Style:
    """The campaign's own colour (from data) on the card's background."""
    campaign = lookups.campaigns.get(task.campaign_id) if task.campaign_id else None
    if campaign and campaign.colour:
        try:
            return base + Style(color=Color.parse(campaign.colour))
        except ColorParseError:
            return fallback
    return fallback


def _line(bar: Segment, parts: list[Segment], width: int, base: Style) -> Strip:
    segments = [bar, Segment(" ", base), *parts]
    return Strip(segments).adjust_cell_length(width, base)


def _meta_line(task: Task, lookups: Lookups, now: pendulum.DateTime, width: int, s: CardStyles):
    """``✎ #email @ana !1`` on the left (✎: it has notes), the human due date on the right."""
    bits = [NOTES_MARK] if task.notes.strip() else []
    channel = lookups.channel_name(task)
    if channel:
        bits.append(f"#{channel}")
    if task.owner:
        bits.append(f"@{task.owner}")
    if task.priority:
        bits.append(f"!{task.priority}")
    left = " ".join(bits)
    if task.done_at:  # finished work is never late; say when it was done instead
        due_text, due_style = humanize_done(task.done_at, now), s.due
    else:
        due_text = humanize_due(task.due, now, weekdays=True) if task.due else ""
        due_style = s.late if due_text.endswith("late") else s.due
    room = width - (cell_len(due_text) + 1 if due_text else 0)
    if room < 4 and due_text:  # a very narrow card: the due date matters most
        return [Segment(truncate(due_text, width), due_style)]
    left = truncate(left, room)
    gap = max(width - cell_len(left) - cell_len(due_text), 0)
    return [Segment(left, s.meta), Segment(" " * gap, s.base), Segment(due_text, due_style)]


def _strategy_line(
    task: Task, lookups: Lookups, width: int, s: CardStyles, *, show_id: bool = False
) -> list[Segment]:
    """The goal served (directly or through the campaign) and the campaign; or ⚠ orphan.
    With ``show_id`` (the selected card) the task's id (``#42``) is on the right."""
    tag = f"#{task.id}"
    room = width - cell_len(tag) - 1
    if not show_id or room < 4:  # a very narrow card keeps its strategy
        return _strategy_text(task, lookups, width, s)
    segments = _strategy_text(task, lookups, room, s)
    gap = width - sum(cell_len(segment.text) for segment in segments) - cell_len(tag)
    return [*segments, Segment(" " * gap, s.base), Segment(tag, s.meta)]


def _strategy_text(task: Task, lookups: Lookups, width: int, s: CardStyles) -> list[Segment]:
    campaign = lookups.campaign_slug(task)
    goal = lookups.goal_slug(task)
    if goal is None and not lookups.served_goal_ids(task):
        text = "⚠ no goal" + (f" c:{campaign}" if campaign else "")
        return [Segment(truncate(text, width), s.orphan)]
    if goal is None:
        served = sorted(lookups.served_goal_ids(task))
        goal = lookups.goals[served[0]].slug if served and served[0] in lookups.goals else None
    parts = [f"^{goal}"] if goal else []
    if campaign:
        parts.append(f"c:{campaign}")
    return [Segment(truncate(" ".join(parts), width), s.strategy)]


def render_card(
    task: Task,
    width: int,
    *,
    lookups: Lookups,
    now: pendulum.DateTime,
    styles: CardStyles,
    selected: bool = False,
) -> list[Strip]:
    """The card's lines (without the gap line that separates cards)."""
    inner = max(width - 2, 1)
    bar = Segment(BAR, _bar_style(task, lookups, styles.bar, styles.base))
    lines = [
        _line(bar, [Segment(text, styles.title)], width, styles.base)
        for text in wrap_title(task.title, inner)
    ]
    lines.append(_line(bar, _meta_line(task, lookups, now, inner, styles), width, styles.base))
    strategy = _strategy_line(task, lookups, inner, styles, show_id=selected)
    lines.append(_line(bar, strategy, width, styles.base))
    if task.blocked_reason:
        reason = Segment(truncate(f"⊘ {task.blocked_reason}", inner), styles.blocked)
        lines.append(_line(bar, [reason], width, styles.base))
    if selected:
        lines = [_overlay(line, styles.cursor) for line in lines]
    return lines


def _overlay(line: Strip, style: Style) -> Strip:
    """Put ``style`` (the cursor background) over every segment of a line."""
    return Strip(Segment.apply_style(iter(line), post_style=style), line.cell_length)


def card_height(task: Task, width: int) -> int:
    """Lines ``render_card`` will produce, without rendering (for scrolling maths)."""
    title_lines = len(wrap_title(task.title, max(width - 2, 1)))
    return title_lines + 2 + (1 if task.blocked_reason else 0)
