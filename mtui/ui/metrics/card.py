"""Formatting one metrics card as two fixed-width lines of rich text.

Line 1: key, compact value, sparkline. Line 2 depends on the state: deltas and age
(ok), the age in the warning colour (stale), the reason in the error colour with the
last good value still on line 1 (error), or a placeholder (never fetched).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text

from mtui.core.metrics import delta_percent
from mtui.core.metrics.cards import CardData, age_text, card_state
from mtui.core.metrics.units import format_metric

CARD_WIDTH = 30
GAP = 2
SPARK_CELLS = 10
MIN_SPARK_CELLS = 6  # a long label (``visitors · plausible``) may take the rest
LABEL_CELLS = 12
VALUE_CELLS = 6
BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], cells: int = SPARK_CELLS) -> str:
    """Block characters for ``values`` (already downsampled), right-aligned in ``cells``."""
    values = list(values)[-cells:]
    if not values:
        return " " * cells
    low, high = min(values), max(values)
    span = high - low
    top = len(BLOCKS) - 1
    marks = "".join(
        BLOCKS[round((v - low) / span * top)] if span else BLOCKS[top // 2] for v in values
    )
    return marks.rjust(cells)


def delta_text(old: float | None, new: float | None, suffix: str = "") -> Text:
    """``▲4.1%`` / ``▼0.3%`` / ``=`` for a change; empty when undefined."""
    change = delta_percent(old, new)
    if change is None:
        return Text()
    if abs(change) < 0.05:
        return Text(f"={suffix}", style="dim")
    arrow = "▲" if change > 0 else "▼"
    size = f"{abs(change):.1f}" if abs(change) < 10 else f"{abs(change):.0f}"
    return Text(f"{arrow}{size}%{suffix}")


def _fit(text: Text, width: int = CARD_WIDTH) -> Text:
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def card_value(card: CardData, *, compact: bool = True) -> str:
    """The value in its unit (``12.3%``, ``€1,234``, ``2m 05s``); ``≥`` before a value
    that is a lower bound (a partial read), ``—`` before the first value."""
    if card.value is None:
        return "—"
    text = format_metric(card.value, card.unit, compact=compact)
    return f"≥{text}" if card.partial else text


def card_lines(
    card: CardData, now: datetime, palette: dict[str, str], *, fetching: bool = False
) -> tuple[Text, Text]:
    """The two lines of ``card`` (each exactly ``CARD_WIDTH`` cells)."""
    state = card_state(card, now)
    value = card_value(card)
    value_cells = max(VALUE_CELLS, len(value))
    room = CARD_WIDTH - value_cells - 2  # label + value + sparkline, a space between each
    if card.shared:  # ``visitors · plausible``: the label may take sparkline cells
        spark = max(MIN_SPARK_CELLS, min(SPARK_CELLS, room - len(card.label)))
        label = Text(card.label, style="bold")
        label.truncate(room - spark, overflow="ellipsis", pad=True)
    else:
        label = Text(f"{card.label[:LABEL_CELLS]:<{LABEL_CELLS}}", style="bold")
    head = label + Text(" ")
    head.append(f"{value:>{value_cells}} ", style=palette["error"] if state == "error" else "")
    head.append(sparkline(card.series, max(0, room - label.cell_len)),
                style=palette["success"] if state == "ok" else "dim")  # fmt: skip
    age = age_text(card.fetched_at, now)
    if state == "never":
        body = Text("fetching…" if fetching else "never fetched yet", style="dim italic")
    elif state == "error":
        reason = card.source.last_error or "fetch failed"
        body = Text(f"✗ {reason}", style=palette["error"])
    elif state == "stale":
        body = Text(f"⚠ stale · as of {age}", style=palette["warning"])
    else:
        body = delta_text(card.prev_value, card.value)
        standup = delta_text(card.standup_value, card.value, " s/u")
        if standup:
            body.append(" " if body else "")
            body.append_text(standup)
        body.append(f"{' · ' if body else ''}{age}", style="dim")
    return _fit(head), _fit(body)
