"""What a zoomed metrics card shows beyond the strip: daily history and the goal it serves.

``load_zoom(store, cards, now)`` reads, for each card, the per-day means of the last
``ZOOM_DAYS`` days (the daily rollup: one indexed read per metric, never the raw
snapshots) and the goal whose KPI is that metric (``SOURCE.KEY``), for its unit, target
and due date. Like ``load_cards`` it runs on the metrics service's thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mtui.core.demo.plan import DEMO_SOURCE_NAMES
from mtui.core.metrics.cards import CardData
from mtui.core.model import Goal
from mtui.core.store.contract import Store
from mtui.core.strategy.goals import format_value

ZOOM_DAYS = 90


@dataclass(frozen=True, slots=True)
class CardGoal:
    """The goal whose KPI is a card's metric: what its target line shows."""

    title: str
    unit: str
    target: float | None
    due_date: str | None

    def target_text(self) -> str:
        """``target 2,000 by May 9`` (or without the date; "" without a target)."""
        if self.target is None:
            return ""
        text = f"target {format_value(self.target, self.unit)}"
        try:
            due = date.fromisoformat((self.due_date or "")[:10])
        except ValueError:
            return text
        return f"{text} by {due:%b} {due.day}"


@dataclass(frozen=True, slots=True)
class ZoomData:
    """A zoomed card's extras: daily means (oldest first) and the bound goal, if any."""

    daily: tuple[tuple[str, float], ...] = ()
    goal: CardGoal | None = None


def goals_by_metric(goals: Iterable[Goal]) -> dict[str, CardGoal]:
    """``SOURCE.KEY`` → the first goal whose KPI is exactly that metric (not derived)."""
    bound: dict[str, CardGoal] = {}
    for goal in goals:
        name = (goal.kpi_metric or "").strip()
        if name and name not in bound:
            bound[name] = CardGoal(goal.title, goal.unit, goal.target, goal.due_date)
    return bound


def is_demo_source(card: CardData) -> bool:
    """The source is one ``mtui demo`` registered (its numbers are made up)."""
    return card.source.name in DEMO_SOURCE_NAMES


def load_zoom(
    store: Store, cards: Sequence[CardData], now: datetime, *, days: int = ZOOM_DAYS
) -> dict[tuple[int, str | None], ZoomData]:
    """Each card's ``ZoomData`` by ``card.ident`` (cards without a key get an empty one)."""
    since_day = str((now.astimezone(UTC) - timedelta(days=days - 1)).date())
    bound = goals_by_metric(store.strategy.goals())
    zoom: dict[tuple[int, str | None], ZoomData] = {}
    for card in cards:
        if card.key is None:
            zoom[card.ident] = ZoomData()
            continue
        rows = store.metrics.metric_daily(card.source.id, card.key, since_day=since_day)
        zoom[card.ident] = ZoomData(
            daily=tuple((day, mean) for day, mean, *_ in rows), goal=bound.get(card.name)
        )
    return zoom
