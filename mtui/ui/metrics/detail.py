"""Enter on a metrics card: the metric's history and its source's details.

History is read on the metrics service's thread: the last 24 hours from the raw
snapshots, 30 days and a year from the per-day rollup, so a year of 5-minute data is
never loaded whole. Source details show the auth *type* and the *name* of the variable
holding the secret, never the secret (it is not in the database to begin with).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Sparkline, Static

from mtui.core import clock
from mtui.core.metrics import downsample
from mtui.core.metrics.cards import CardData, age_text, card_state
from mtui.core.metrics.units import format_metric
from mtui.core.store.contract import Store
from mtui.core.strategy.kpi import source_slug
from mtui.ui.metrics.card import card_value
from mtui.ui.shell.error_notices import report_error
from mtui.ui.themes.colours import signal_colours

RECENT_ROWS = 12
WIDTH_POINTS = 60


@dataclass(slots=True)
class History:
    day: list[tuple[str, float]]
    month: list[tuple[str, float, float, float, int]]
    year: list[tuple[str, float, float, float, int]]


def read_history(store: Store, card: CardData, now: datetime) -> History:
    """Everything the screen shows, in three indexed reads (runs off the event loop)."""
    key = card.key or ""
    now = now.astimezone(UTC)  # stamps and rollup days are UTC; the clock is local
    since = (now - timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return History(
        day=store.metrics.metric_points(card.source.id, key, since=since),
        month=store.metrics.metric_daily(card.source.id, key, since_day=str((now - timedelta(days=30)).date())),
        year=store.metrics.metric_daily(card.source.id, key, since_day=str((now - timedelta(days=365)).date()),
                                buckets=WIDTH_POINTS),
    )  # fmt: skip


def source_details(card: CardData, colours: dict[str, str]) -> Text:
    """The source's settings and status; the secret is shown only as ``$VAR``."""
    s = card.source
    auth = "none" if s.auth_type == "none" else f"{s.auth_type}, secret from ${s.auth_env}"
    if s.auth_type == "google-service-account":
        auth = f"Google service account, key from ${s.auth_env} (scope {s.auth_param})"
    elif s.auth_param and s.auth_type != "none":
        auth += f" (as {s.auth_param})"
    lines = [
        ("source", f"{s.name}  ({source_slug(s.name)}, {s.kind})"),
        ("url", f"{s.method} {s.url}"),
        ("auth", auth),
        ("every", f"{s.interval_seconds}s, timeout {s.timeout_seconds:g}s"),
        ("selector", s.selectors.get(card.key or "", "(from the response)")),
        ("unit", card.unit or "none (a plain number)"),
        ("last fetch", s.last_fetch_at or "never"),
        ("last ok", s.last_ok_at or "never"),
        ("status", s.last_status or "never fetched"),
    ]
    if s.last_error:
        lines.append(("error", s.last_error))
    text = Text()
    for label, value in lines:
        text.append(f"{label:>11}  ", style="dim")
        text.append(f"{value}\n", style=colours["error"] if label == "error" else "")
    return text


class MetricDetailScreen(ModalScreen[None]):
    """History and source details of one metric (escape closes)."""

    DEFAULT_CSS = """
    MetricDetailScreen { align: center middle; }
    MetricDetailScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 85%; border: round $primary; padding: 0 1;
        background: $surface;
    }
    MetricDetailScreen Sparkline { height: 3; margin: 0 0 1 0; }
    MetricDetailScreen .label { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, service, card: CardData) -> None:
        super().__init__()
        self.service = service
        self.card = card
        self.history: History | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"{self.card.name} · history"
            yield Static(id="summary")
            yield Static("last 24 hours", classes="label")
            yield Sparkline([], id="spark-day")
            yield Static("last 365 days (daily mean)", classes="label")
            yield Sparkline([], id="spark-year")
            yield Static(id="recent")
            yield Static(source_details(self.card, signal_colours(self.app)), id="source")

    def on_mount(self) -> None:
        now = clock.now()
        self.query_one("#summary", Static).update(self._summary(now))
        self.run_worker(self._load(now), exit_on_error=False)

    async def _load(self, now: datetime) -> None:
        card = self.card
        try:
            self.history = await self.service.read(lambda store: read_history(store, card, now))
        except Exception as exc:  # the history could not be read: a notice, not a crash
            report_error(self.app, exc)
            return
        self._show(self.history)

    def _show(self, history: History) -> None:
        self.query_one("#spark-day", Sparkline).data = downsample(history.day, WIDTH_POINTS)
        year = [(day, mean) for day, mean, *_ in history.year]
        self.query_one("#spark-year", Sparkline).data = downsample(year, WIDTH_POINTS)
        text = Text("recent values\n", style="bold")
        for at, value in reversed(history.day[-RECENT_ROWS:]):
            shown = format_metric(value, self.card.unit, compact=True)
            text.append(f"  {at[:19].replace('T', ' ')} UTC  {shown:>8}\n")
        if history.month:
            lows = min(row[2] for row in history.month)
            highs = max(row[3] for row in history.month)
            text.append(
                f"\n30 days: min {format_metric(lows, self.card.unit, compact=True)}, "
                f"max {format_metric(highs, self.card.unit, compact=True)}, "
                f"{sum(row[4] for row in history.month)} readings\n"
            )
        if not history.day and not history.year:
            text.append("  no history yet\n", style="dim")
        self.query_one("#recent", Static).update(text)

    def _summary(self, now: datetime) -> Text:
        card = self.card
        state = card_state(card, now)
        text = Text(card_value(card, compact=False), style="bold")
        colours = signal_colours(self.app)
        style = {"ok": colours["success"], "stale": colours["warning"]}.get(state, colours["error"])
        text.append(f"   {state}", style=style)
        text.append(f" · as of {age_text(card.fetched_at, now)}", style="dim")
        if card.partial:
            text.append(" · partial: the real value is higher", style=colours["warning"])
        return text

    def action_close(self) -> None:
        self.dismiss(None)
