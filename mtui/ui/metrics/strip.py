"""The metrics strip: one card per metric, polled live without blocking the UI.

The strip owns the polling. A timer asks the ``MetricsService`` for the due sources every
few seconds; fetching happens in async workers (``exit_on_error=False``), storing and
reading on the service's own thread and connection, so the event loop only formats text.
``refresh_now()`` (the ``r`` key) polls every source at once. Cards are drawn as two
lines of text in one widget: cheap to re-render every few seconds for "as of 2m ago".

Zoomed (``z``, Textual's ``screen.maximize``) the same widget fills the screen and draws
every card in a grid with its daily history and its goal's target (``zoom.py``); that
history is read only while zoomed. The time is the app clock's (``mtui.core.clock``), so
a frozen clock gives the same "as of" on every run.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.timer import Timer

    from mtui.core.metrics.history import ZoomData
    from mtui.core.metrics.service import MetricsService
    from mtui.ui.metrics.zoom import GridLayout

from mtui.core import clock
from mtui.core.metrics.cards import CardData
from mtui.core.store.contract import Store
from mtui.ui.metrics.card import CARD_WIDTH, GAP, card_lines
from mtui.ui.shell.error_notices import error_message, report_error
from mtui.ui.themes.colours import signal_colours

POLL_TICK_SECONDS = 5.0
AGE_TICK_SECONDS = 15.0
# Cards are re-read at most this often: a poll of 50 sources brings 50 results (and as
# many change-feed wake-ups), and each re-read of ~150 cards costs the service thread
# tens of ms of Python that the event loop then waits for the GIL behind.
RELOAD_SPACING_SECONDS = 0.25


DEMO_TITLE = "Metrics · live · DEMO DATA"


class MetricsStrip(Widget, can_focus=True):
    """Cards for every metric; ←/→ pick one (↑/↓ too when zoomed), enter opens its history."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous", show=False),
        Binding("right,l", "move(1)", "Next", show=False),
        Binding("up,k", "move_row(-1)", "Card above (zoomed)", show=False),
        Binding("down,j", "move_row(1)", "Card below (zoomed)", show=False),
        Binding("enter", "open_detail", "Details", show=False),
        Binding("e", "app.sources", "Metric sources: add, edit, test, remove", show=False),
    ]

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.cards: list[CardData] = []
        self.selected = 0
        self.loaded = False
        self._first = 0
        self._service: MetricsService | None = None
        self._reloading = False
        self._reload_again = False
        self._last_reload = 0.0
        self._reload_timer: Timer | None = None
        self.zoom: dict[tuple[int, str | None], ZoomData] = {}
        self.zoom_loaded = False
        self.zoom_layout: GridLayout | None = None  # the grid last drawn, while zoomed

    # Life cycle ---------------------------------------------------------------------
    def on_mount(self) -> None:
        if getattr(self.app, "demo_metrics", False):
            self.border_title = DEMO_TITLE
        self.reload()
        # The polling service brings in httpx: start it after the first paint, which
        # must not wait for the network stack.
        self.call_after_refresh(self._start_polling)

    def _start_polling(self) -> None:
        from mtui.core.metrics.service import MetricsService

        self._service = MetricsService(self.store)
        self.set_interval(POLL_TICK_SECONDS, self.poll_due)
        self.set_interval(AGE_TICK_SECONDS, self.refresh)
        self.poll_due()

    async def on_unmount(self) -> None:
        if self._service is not None:
            await self._service.aclose()

    @property
    def service(self):
        return self._service

    # Polling ------------------------------------------------------------------------
    def poll_due(self) -> None:
        """Fetch the sources whose interval has passed (a timer calls this)."""
        self._start_poll(due_only=True)

    def refresh_now(self) -> None:
        """Fetch every source now (``r``); sources already being fetched are left alone."""
        self._start_poll(due_only=False)
        self.refresh()

    def _start_poll(self, *, due_only: bool) -> None:
        if self._service is None or self._service.closed:
            return
        self.run_worker(
            self._poll(due_only), group="metrics-poll", exit_on_error=False, exclusive=False
        )

    async def _poll(self, due_only: bool) -> None:
        assert self._service is not None
        try:
            started = await self._service.poll(due_only=due_only, on_result=self._on_result)
        except Exception as exc:  # the store or the network stack failed: say so, go on
            self._failed(exc)
            return
        self._failure = None
        if not started and not self.loaded:
            self.reload()

    _failure: str | None = None  # the failure last reported (not repeated every tick)

    def _failed(self, exc: Exception) -> None:
        """A poll or a read failed: a notice, once until it works again."""
        message = error_message(exc)
        if message != self._failure:
            self._failure = message
            report_error(self.app, exc)

    def _on_result(self, result) -> None:
        # Our own commit moves PRAGMA data_version too; the app's change poll copes with
        # that cheaply (it re-reads only tasks named in new activity-log events).
        self.reload()

    # Card data ----------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the cards on the service's thread (coalesced: at most one at a time,
        and at most one every ``RELOAD_SPACING_SECONDS``)."""
        if self._service is None or self._service.closed or self._reload_timer is not None:
            return
        wait = self._last_reload + RELOAD_SPACING_SECONDS - time.monotonic()
        if wait > 0:
            self._reload_timer = self.set_timer(wait, self._spaced_reload)
            return
        if self._reloading:
            self._reload_again = True
            return
        self._reloading = True
        self.run_worker(self._reload(), group="metrics-load", exit_on_error=False)

    async def _reload(self) -> None:
        assert self._service is not None
        try:
            while True:
                self._reload_again = False
                self._last_reload = time.monotonic()
                now = clock.now()
                cards = await self._service.cards(now)
                if self.is_maximized:
                    from functools import partial

                    from mtui.core.metrics.history import load_zoom

                    self.zoom = await self._service.read(partial(load_zoom, cards=cards, now=now))
                    self.zoom_loaded = True
                self.set_cards(cards)
                if not self._reload_again:
                    break
        except Exception as exc:  # the cards could not be read: keep the ones shown
            self._failed(exc)
        finally:
            self._reloading = False

    def _spaced_reload(self) -> None:
        self._reload_timer = None
        self.reload()

    def set_cards(self, cards: list[CardData]) -> None:
        """Show ``cards``, keeping the selected metric selected."""
        current = self.cards[self.selected].ident if self.cards else None
        self.cards = cards
        self.loaded = True
        # "DEMO DATA" while a demo source is in use, and only then (the demo's sources
        # may be removed, or a board may keep them after the demo).
        from mtui.core.metrics.history import is_demo_source

        if any(is_demo_source(card) for card in cards):
            live = getattr(self.app, "demo_metrics", False)  # `mtui demo` serves them
            self.border_title = DEMO_TITLE if live else "Metrics · DEMO DATA"
        elif self.border_title != "Metrics":
            self.border_title = "Metrics"
        idents = [c.ident for c in cards]
        self.selected = (
            idents.index(current)
            if current in idents
            else min(self.selected, max(0, len(cards) - 1))
        )
        self.refresh()

    # Zoom ---------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Zooming resizes the pane: read the history the grid shows (once per zoom)."""
        if self.is_maximized and not self.zoom_loaded:
            self.reload()
        elif not self.is_maximized:
            self.zoom_loaded = False
            self.zoom_layout = None
            self.border_subtitle = ""

    # Keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """↑/↓ move between rows of cards only in the zoomed grid (else they go on)."""
        if action == "move_row":
            return self.is_maximized
        return True

    def action_move(self, step: int) -> None:
        if self.cards:
            self.selected = max(0, min(len(self.cards) - 1, self.selected + step))
            self.refresh()

    def action_move_row(self, step: int) -> None:
        columns = self.zoom_layout.columns if self.zoom_layout else 1
        target = self.selected + step * columns
        if self.cards and 0 <= target < len(self.cards):
            self.selected = target
            self.refresh()

    def action_open_detail(self) -> None:
        if not self.cards or self._service is None:
            return
        from mtui.ui.metrics.detail import MetricDetailScreen

        self.app.push_screen(MetricDetailScreen(self._service, self.cards[self.selected]))

    def on_click(self, event: events.Click) -> None:
        layout = self.zoom_layout
        if layout is not None:
            from mtui.ui.metrics.zoom import COLUMN_GAP

            row = event.y // (layout.card_height + layout.row_gap)
            column = min(layout.columns - 1, event.x // (layout.card_width + COLUMN_GAP))
            index = self._first + row * layout.columns + column
        else:
            index = self._first + event.x // (CARD_WIDTH + GAP)
        if 0 <= index < len(self.cards):
            self.selected = index
            self.refresh()
            if event.chain >= 2:
                self.action_open_detail()

    # Drawing ------------------------------------------------------------------------
    def _visible_range(self, width: int) -> range:
        fits = max(1, (width + GAP) // (CARD_WIDTH + GAP))
        if self.selected < self._first:
            self._first = self.selected
        elif self.selected >= self._first + fits:
            self._first = self.selected - fits + 1
        self._first = max(0, min(self._first, max(0, len(self.cards) - fits)))
        return range(self._first, min(len(self.cards), self._first + fits))

    def render(self) -> Text:
        if not self.loaded:
            return Text("loading metrics…", style="dim")
        if not self.cards:
            return Text("No metric sources yet: mtui source add NAME --kind … --url …", style="dim")
        now = clock.now()
        palette = signal_colours(self.app)
        in_flight: set[int] = self._service.in_flight if self._service else set()
        if self.is_maximized:
            return self._render_zoomed(now, palette, in_flight)
        rows = [Text(), Text()]
        for position, index in enumerate(self._visible_range(self.size.width)):
            card = self.cards[index]
            highlight = index == self.selected and self.has_focus
            lines = card_lines(card, now, palette, fetching=card.source.id in in_flight)
            for row, line in zip(rows, lines, strict=True):
                if position:
                    row.append(" " * GAP)
                if highlight:
                    line.stylize("reverse")
                row.append(line)
        return Text("\n").join(rows)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _render_zoomed(self, now, palette: dict[str, str], in_flight: set[int]) -> Text:
        from mtui.ui.metrics.zoom import grid_layout, zoomed_lines

        layout = grid_layout(len(self.cards), self.size.width, self.size.height)
        self.zoom_layout = layout
        page = layout.per_page
        self._first = self.selected - self.selected % page  # pages of whole grids
        last = min(len(self.cards), self._first + page)
        paged = len(self.cards) > page
        self.border_subtitle = f"{self._first + 1}–{last} of {len(self.cards)}" if paged else ""
        lines = zoomed_lines(
            self.cards,
            self.zoom,
            now,
            palette,
            layout,
            first=self._first,
            selected=self.selected if self.has_focus else None,
            in_flight=in_flight,
        )
        return Text("\n").join(lines)
