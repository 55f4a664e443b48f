"""What each metrics card shows, computed from the store without Textual.

``load_cards`` does every read a card needs (newest and previous value, the value at the
last stand-up, a 24-hour sparkline series); it is meant to run in a worker thread on its
own connection, so the strip only formats text on the event loop. ``card_state`` is the
one place the ok / stale / error / never-fetched rules live.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from mtui.core import clock
from mtui.core.clock import elapsed, parse_stamp
from mtui.core.metrics.display import downsample
from mtui.core.strategy.kpi import metric_name, source_slug

if TYPE_CHECKING:  # types only: these modules cost a stand-up's start-up
    from mtui.core.model import MetricLatest, MetricSource
    from mtui.core.store.contract import Store

SPARK_WINDOW = timedelta(hours=24)
SPARK_POINTS = 10
STALE_FACTOR = 2


@dataclass(frozen=True, slots=True)
class CardData:
    """One card: a metric of a source, or a source whose metrics are not known yet."""

    source: MetricSource
    key: str | None
    value: float | None = None
    fetched_at: str | None = None
    prev_value: float | None = None
    standup_value: float | None = None
    series: tuple[float, ...] = ()
    partial: bool = False  # the value is a lower bound (a page limit stopped the read)
    shared: bool = False  # another source has a metric with the same key

    @property
    def name(self) -> str:
        return metric_name(self.source, self.key or "*")

    @property
    def unit(self) -> str | None:
        """The metric's unit (``percent``, ``currency:EUR``…; see ``metrics.units``)."""
        return self.source.units.get(self.key) if self.key else None

    @property
    def label(self) -> str:
        """The key, with its source's name when another source has the same key
        (``visitors · plausible``); the source's name for a card without a key."""
        if self.key is None:
            return self.name
        return f"{self.key} · {source_slug(self.source.name)}" if self.shared else self.key

    @property
    def ident(self) -> tuple[int, str | None]:
        return (self.source.id, self.key)


def card_state(card: CardData, now: datetime) -> str:
    """``never`` (no value yet), ``error`` (the last attempt did not refresh this metric),
    ``stale`` (value older than 2 × the interval) or ``ok``."""
    source = card.source
    if card.value is None:
        return "error" if source.last_status == "error" else "never"
    at = parse_stamp(card.fetched_at)
    last_try = parse_stamp(source.last_fetch_at)
    if source.last_status == "error" and (at is None or (last_try is not None and at < last_try)):
        return "error"
    if at is None or (now - at).total_seconds() > STALE_FACTOR * max(1, source.interval_seconds):
        return "stale"
    return "ok"


def age_text(fetched_at: str | None, now: datetime) -> str:
    """``just now``, ``2m ago``, ``3h ago``, ``4d ago`` (never negative). From 45 s it
    reads ``1m ago``: rounding down would print ``0m ago``."""
    at = parse_stamp(fetched_at)
    if at is None:
        return "never"
    seconds = (now - at).total_seconds()
    return "just now" if seconds < 45 else f"{elapsed(max(seconds, 60))} ago"


def expected_keys(source: MetricSource) -> list[str]:
    """The metric keys a source will deliver, when known before its first fetch."""
    if source.selectors:
        return list(source.selectors)
    if source.kind == "plausible":
        wanted = parse_qs(urlsplit(source.url).query).get("metrics", [""])[0]
        return [m for m in wanted.split(",") if m]
    return []


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def load_cards(
    store: Store, now: datetime | None = None, *, points: int = SPARK_POINTS
) -> list[CardData]:
    """Every card, in source order (keys in selector order, then first-seen order)."""
    now = now or clock.now()
    since = _stamp(now - SPARK_WINDOW)
    standups = store.settings.standups()
    standup_at = standups[-1] if standups else None
    latest: dict[int, list[MetricLatest]] = {}
    for row in store.metrics.latest_metrics():
        latest.setdefault(row.source_id, []).append(row)
    cards: list[CardData] = []
    for source in store.metrics.metric_sources():
        rows = {row.metric_key: row for row in latest.get(source.id, [])}
        keys = expected_keys(source)
        keys += [k for k in rows if k not in keys]
        if not keys:
            cards.append(CardData(source, None))
            continue
        for key in keys:
            found = rows.get(key)
            if found is None:
                cards.append(CardData(source, key))
                continue
            series = store.metrics.metric_points(source.id, key, since=since)
            at_standup = (
                store.metrics.metric_value_at(source.id, key, standup_at) if standup_at else None
            )
            cards.append(
                CardData(
                    source,
                    key,
                    value=found.value,
                    fetched_at=found.fetched_at,
                    prev_value=found.prev_value,
                    standup_value=at_standup[1] if at_standup else None,
                    series=tuple(downsample(series, points)),
                    partial=found.partial,
                )
            )
    return mark_shared(cards)


def mark_shared(cards: list[CardData]) -> list[CardData]:
    """``cards`` with ``shared`` set where two sources have a metric of the same key."""
    sources_per_key: dict[str, set[int]] = {}
    for card in cards:
        if card.key is not None:
            sources_per_key.setdefault(card.key, set()).add(card.source.id)
    return [
        replace(card, shared=True)
        if card.key is not None and len(sources_per_key[card.key]) > 1
        else card
        for card in cards
    ]
