"""The mtui application: the dashboard screen with the brief, the board and metrics.

Start-up is kept lean for the first paint: only Textual's core and the board are
imported here; other screens are imported when their key is pressed, and the panes
read the store after the first frame is laid out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from mtui.core import clock
from mtui.core.first_frame import FirstReads
from mtui.core.store.background import BackgroundStore
from mtui.core.store.contract import Store
from mtui.core.store.feed import METRICS, STANDUPS, STRATEGY, TASKS, FeedBatch
from mtui.core.tasks.actions import TaskActions
from mtui.core.undo.history import Reverted, UndoHistory
from mtui.core.wording import count
from mtui.gc_pause import resume_after_first_frame
from mtui.ui.board import BoardView
from mtui.ui.board.filter_bar import FilterBar
from mtui.ui.shell.footer import MtuiFooter
from mtui.ui.shell.key_order import OrderedInput
from mtui.ui.shell.live import ConnectionBanner, LiveUpdates
from mtui.ui.shell.messages import DataChanged, FilterBoard, TasksAdded
from mtui.ui.shell.palette import PROVIDERS
from mtui.ui.shell.store_jobs import FILE_GROUP, StoreJobs

NARROW_WIDTH = 110  # below this the brief pane is hidden (the board needs the room)
POLL_SECONDS = 1.0  # the catch-up poll while the feed listener is not (yet) listening
# ... and while it is: only a safety net, in case a notification is missed (the listener
# also re-reads the position every few seconds, live.LISTEN_TIMEOUT_S)
SAFETY_POLL_SECONDS = 10.0
SIDE_PANE_DELAY = 0.4  # seconds after a board write before the brief/metrics re-read

# Actions that only make sense on the dashboard, not while a modal is open.
_DASHBOARD_ACTIONS = frozenset(
    {"quit_dashboard", "undo", "redo", "filter", "quick_add", "standup", "campaigns", "zoom",
     "focus_pane", "refresh_metrics", "toggle_help", "sources"}
)  # fmt: skip


BOARD_TITLE = "Board · little m"


def board_title(filter_text: str) -> Content:
    """The board's border title, naming the filter when one is on (plain, never markup)."""
    if not filter_text:
        return Content(BOARD_TITLE)
    return Content(f"{BOARD_TITLE} · filter: {filter_text} (esc clears)")


class DashboardScreen(Screen):
    """The first screen: the board takes focus as it mounts (focusing the brief first,
    then moving to the board, restyled both panes before the first paint)."""

    AUTO_FOCUS = "#board"


class MtuiApp(LiveUpdates, StoreJobs, OrderedInput, App):
    """The dashboard. Public actions other screens may run: ``app.run_action("undo")`` etc."""

    TITLE = "mtui"
    CSS_PATH = "app.tcss"
    # Ids are the config file's ``[keys]`` action names (mtui.core.config.user_config.KEY_ACTIONS).
    BINDINGS = [
        Binding("q", "quit_dashboard", "Quit", show=False, id="quit"),
        Binding("a", "quick_add", "Add", id="quick_add"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "standup", "Stand-up", id="standup"),
        Binding("C", "campaigns", "Campaigns", show=False, id="campaigns"),
        Binding("r", "refresh_metrics", "Refresh", id="refresh_metrics"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="redo"),
        Binding("z", "zoom", "Zoom", show=False, id="zoom"),
        Binding("1", "focus_pane('brief')", "Brief", show=False),
        Binding("2", "focus_pane('board')", "Board", show=False),
        Binding("3", "focus_pane('metrics')", "Metrics", show=False),
        Binding("question_mark", "toggle_help", "Help", id="toggle_help"),
        Binding(
            "ctrl+p", "command_palette", "Palette", show=False, priority=True, id="command_palette"
        ),
    ]
    COMMANDS = App.COMMANDS | PROVIDERS

    def __init__(
        self, store: Store, *, demo_metrics: bool = False, first: FirstReads | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.first = first  # the first frame's reads, when made before the app (team board)
        self.demo_metrics = demo_metrics
        self.history = UndoHistory()  # one undo stack for every kind of change
        self.task_actions = TaskActions(store, self.history)
        self.io = BackgroundStore(store)  # every store call after the first frame
        self._side_reload: Timer | None = None
        self._reported_clashes: set[str] = set()
        self.start_problems: list[str] = []  # shown as notifications once mounted
        self._setup_look_and_keys()

    def _setup_look_and_keys(self) -> None:
        """Themes and the config file, before the first paint (no flash of another theme)."""
        from mtui.core.config.user_config import active_config
        from mtui.ui.themes.register import register_themes, start_with_theme, starting_theme

        config = active_config()
        self.start_problems = [str(p) for p in config.problems]
        self.start_problems += register_themes(self)
        name, problems = starting_theme(self, self.store, config.theme, self.first)
        self.start_problems += problems
        start_with_theme(self, name)
        self.key_overrides: dict[str, str] = dict(config.keys)

    # Layout ----------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return DashboardScreen(id="_default")

    def compose(self) -> ComposeResult:
        from mtui.ui.metrics.strip import MetricsStrip
        from mtui.ui.strategy.brief_pane import BriefPane

        yield ConnectionBanner(id="connection-banner")
        with Horizontal(id="main"):
            brief = BriefPane(self.store, id="brief", classes="pane")
            brief.border_title = "Brief · Big M"
            yield brief
            with Vertical(id="right"):
                board = BoardView(self.store, self.task_actions, id="board", classes="pane")
                board.border_title = BOARD_TITLE
                yield board
                metrics = MetricsStrip(self.store, id="metrics", classes="pane")
                metrics.border_title = "Metrics"
                yield metrics
        yield FilterBar(id="filter-bar")
        yield MtuiFooter()

    @property
    def dashboard(self) -> Screen:
        """The screen the panes live on. Modals and other screens stack on top of it, and
        timers (change polling) still need the panes while they are open."""
        return self.screen_stack[0]

    @property
    def board(self) -> BoardView:
        return self.dashboard.query_one("#board", BoardView)

    def _board_if_mounted(self) -> BoardView | None:
        if not self.is_running or not self.screen_stack:
            return None
        board = next(iter(self.dashboard.query("#board")), None)
        return board if isinstance(board, BoardView) and board.is_attached else None

    def on_unmount(self) -> None:
        """Stop listening, finish the queued store jobs and close the background handle
        (checkpoint)."""
        self.stop_live_updates()
        self.io.close()

    def on_mount(self) -> None:
        from mtui.core.errors import MtuiError
        from mtui.ui.shell.error_notices import fatal_line
        from mtui.ui.shell.notices import SourceWatch

        if self.key_overrides:
            self.set_keymap(self.key_overrides)
        try:
            self.board.load_first_page(self.first.board if self.first is not None else None)
            self.first = None
        except MtuiError as exc:  # no board to show (a damaged file): end with one line
            self.exit(return_code=1, message=fatal_line(exc))
            return
        self._sources = SourceWatch()
        self.pace_catch_up(listening=False)  # until the listener says it listens
        self.call_after_refresh(resume_after_first_frame)
        self.call_after_refresh(self.start_live_updates)
        self._apply_width(self.size.width)
        for problem in self.start_problems:
            self.notify(problem, title="Using defaults", severity="warning", timeout=12)
        self._theme_ready = True

    # Look and keys ---------------------------------------------------------------
    _theme_ready = False

    def watch_theme(self, name: str) -> None:
        """A theme chosen in the app (palette, built-in "Change theme") is remembered."""
        if self._theme_ready:
            from mtui.ui.themes.register import remember_theme

            self.store_job(lambda store: remember_theme(store, name), quiet=True)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node) -> None:
        """A ``[keys]`` override took a key another action uses: say so, once."""
        names = ", ".join(sorted(b.action for b in clashed_bindings))
        if names not in self._reported_clashes:
            self._reported_clashes.add(names)
            self.notify(f"config: [keys] clash: {names} share a key", severity="warning")

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW_WIDTH, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dashboard keys do nothing while a modal screen is on top; undo and redo also
        work on a screen that says it can follow them (``history_replayed``: the
        stand-up view, where ``n`` records a stand-up)."""
        if action in ("undo", "redo") and hasattr(self.screen, "history_replayed"):
            return True
        return not (action in _DASHBOARD_ACTIONS and len(self.screen_stack) > 1)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, with mtui's own "Screenshot" (Textual's one delivers to a
        downloads folder and fails without one)."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                command = SystemCommand(
                    "Screenshot",
                    "Save an SVG of the screen in this folder (or mtui's data folder)",
                    lambda: self.set_timer(0.1, self.action_screenshot_svg),  # palette gone
                )
            yield command

    def action_screenshot_svg(self) -> None:
        """Save an SVG of the screen from a thread, then say where it went."""
        from mtui.ui.shell.screenshot import save_svg, screenshot_name

        svg, name = self.export_screenshot(), screenshot_name()

        def write() -> None:
            try:
                path = save_svg(svg, name)
            except OSError as exc:
                self.call_from_thread(self.notify, f"Screenshot not saved: {exc}",
                                      title="Screenshot", severity="error", markup=False)  # fmt: skip
                return
            self.call_from_thread(self.notify, f"Screenshot saved to {path}",
                                  title="Screenshot", timeout=6, markup=False)  # fmt: skip

        self.run_worker(write, thread=True, group=FILE_GROUP, exit_on_error=False)

    def action_quit_dashboard(self) -> None:
        """``q`` quits from the dashboard only (ctrl+q quits from anywhere)."""
        self.exit()

    # Panes -----------------------------------------------------------------------
    def _pane(self, name: str) -> Widget:
        return self.dashboard.query_one(f"#{name}")

    def action_focus_pane(self, name: str) -> None:
        pane = self._pane(name)
        # Narrow terminals hide the brief; asking for it shows it until another pane is asked for.
        self.screen.set_class(name == "brief", "-brief-open")
        pane.focus()

    def action_zoom(self) -> None:
        """Zoom the focused pane to the whole screen, or back."""
        if self.screen.maximized is not None:
            self.screen.minimize()
            return
        focused = self.focused
        while focused is not None and not focused.has_class("pane"):
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        if focused is not None:
            self.screen.maximize(focused)

    def action_toggle_help(self) -> None:
        """The help screen, generated from the bindings (``?`` or escape closes it)."""
        from mtui.ui.shell.help import HelpScreen

        self.push_screen(HelpScreen())

    def reload_side_panes(self) -> None:
        """Re-read the brief and metrics panes.

        A delayed reload (``_side_reload``) can fire while the app shuts down and the
        panes are being removed: then there is nothing to do. The panes are looked up on
        the dashboard screen, which need not be the one on top.
        """
        if not self.is_running or not self.screen_stack:
            return
        dashboard = self.dashboard
        for name in ("brief", "metrics"):
            pane = next(iter(dashboard.query(f"#{name}")), None)
            if pane is None or not pane.is_attached:
                continue
            reload = getattr(pane, "reload", None)
            if reload is not None:
                reload()

    def action_refresh_metrics(self) -> None:
        getattr(self._pane("metrics"), "refresh_now", lambda: None)()

    def check_for_changes(self) -> None:
        """Catch up with what other clients committed (a timer; the read runs in the
        background and the board applies only what the change feed names)."""
        board = self._board_if_mounted()
        if board is None:  # starting up or shutting down: the timer may tick either side
            return
        board.sync_external(self._after_catch_up)

    _poll: Timer | None = None
    poll_seconds: float | None = None  # the catch-up poll's interval now

    def pace_catch_up(self, *, listening: bool) -> None:
        """Poll the change feed every ``SAFETY_POLL_SECONDS`` while the feed listener
        listens (it wakes the catch-up itself), every ``POLL_SECONDS`` while it does not
        (not started yet, or the database unreachable), so changes still arrive."""
        seconds = SAFETY_POLL_SECONDS if listening else POLL_SECONDS
        if seconds == self.poll_seconds:
            return
        if self._poll is not None:
            self._poll.stop()
        self.poll_seconds = seconds
        self._poll = self.set_interval(seconds, self.check_for_changes)

    def _after_catch_up(self, batch: FeedBatch) -> None:
        """Say what changed behind the user's back, and refresh the side panes it touched."""
        from mtui.ui.shell.notices import changed_elsewhere

        if not batch.entries:
            return
        # This session's own task writes already re-read the side panes (the board's
        # Changed, SIDE_PANE_DELAY later; undo and other panes at once): their echo in
        # the feed does not read them a second time.
        mine = self.history.is_mine
        rest = FeedBatch(
            batch.position,
            [e for e in batch.entries if not (e.topics <= {TASKS} and mine(e.action_id))],
        )
        if rest.topics & {METRICS, STRATEGY, STANDUPS} or rest.task_ids():
            self.reload_side_panes()
        if METRICS in batch.topics:
            self.store_job(lambda store: store.metrics.metric_sources(), self._watch_sources,
                           quiet=True)  # fmt: skip
        changed = changed_elsewhere(batch, self.history.is_mine)
        if changed:
            self.notify(f"{count(changed, 'task')} changed elsewhere; board updated", timeout=3)

    def _watch_sources(self, sources: list) -> None:
        for message in self._sources.check(sources):
            self.notify(message, title="Metric source failing", severity="warning")

    def on_data_changed(self, message: DataChanged) -> None:
        """Another pane or screen wrote: show it on the board and in the side panes."""
        if message.task_ids:
            self.board.refresh_tasks(message.task_ids)
        else:
            self.board.load()
        self.reload_side_panes()

    def on_tasks_added(self, message: TasksAdded) -> None:
        """Quick-add: the new cards show at once, cursor on the newest; side panes later."""
        for task in message.tasks:
            self.board.apply_task(task)
        self.board.select_task(message.tasks[-1].id)
        self.on_board_view_changed(BoardView.Changed([task.id for task in message.tasks]))

    def on_board_view_changed(self, message: BoardView.Changed) -> None:
        """Board writes refresh the side panes shortly after, never inside the key press."""
        if self._side_reload is not None:
            self._side_reload.stop()
        self._side_reload = self.set_timer(SIDE_PANE_DELAY, self.reload_side_panes)

    # Filter ----------------------------------------------------------------------
    def action_filter(self) -> None:
        self.dashboard.query_one(FilterBar).open()

    def on_filter_board(self, message: FilterBoard) -> None:
        from mtui.ui.board.filtering import compile_filter

        text = message.query
        bar = self.dashboard.query_one(FilterBar)
        # The bar's own messages are never written back into it: by the time one is
        # handled the user may have typed more, and re-setting the value would drop or
        # reorder those keys (issue 12, item 20).
        if not message.from_bar and bar.text != text:
            bar.set_text(text)
        predicate, errors = compile_filter(text, clock.now(), self.board.lookups)
        self.board.filter_text = text.strip()
        # The bar is hidden when the board is zoomed: the border says a filter is on.
        self.board.border_title = board_title(text.strip())
        self.board.set_filter(predicate, active=predicate is not None)
        if errors:
            bar.show_status(errors[0], error=True)
        elif predicate is not None:
            bar.show_status(count(sum(c.matched for c in self.board.model.columns), "match"))
        else:
            bar.show_status("")

    # Undo / redo -----------------------------------------------------------------
    def action_undo(self) -> None:
        self._replay(self.history.undo)

    def action_redo(self) -> None:
        self._replay(self.history.redo)

    def _replay(self, step) -> None:
        """Undo or redo in the background; then show what it did, in words."""

        def job(store: Store) -> tuple[Reverted, list]:
            reverted = step(store)
            return reverted, store.tasks.get_tasks(reverted.task_ids)

        def done(result: tuple[Reverted, list]) -> None:
            reverted, tasks = result
            board = self.board
            for task in tasks:
                board.show_task(task)
            board._restore_cursor(board._selected_id)
            board.invalidate()
            if reverted.entities - {"channel"}:
                board.reload_names()
            self.reload_side_panes()
            replayed = getattr(self.screen, "history_replayed", None)
            if replayed is not None:
                replayed()  # e.g. the stand-up view reads its report again
            self.notify(reverted.message, timeout=4)

        self.store_job(job, done)

    # Other screens (built in their own modules, imported on first use) --------------
    def action_quick_add(self) -> None:
        self._open_screen("mtui.ui.quickadd", "QuickAddScreen", "quick-add")

    def action_standup(self) -> None:
        self._open_screen("mtui.ui.standup.screen", "StandupScreen", "stand-up view")

    def action_campaigns(self) -> None:
        self._open_screen("mtui.ui.campaigns.screen", "CampaignScreen", "campaign screen")

    def action_sources(self) -> None:
        """The metric sources screen, on the metrics card selected (``e`` on the pane)."""
        from mtui.ui.metrics.sources_screen import SourcesScreen

        strip: Any = self._pane("metrics")
        cards = getattr(strip, "cards", [])
        selected = getattr(strip, "selected", 0)
        source_id = cards[selected].source.id if 0 <= selected < len(cards) else None
        self.push_screen(SourcesScreen(self.store, select=source_id))

    def _open_screen(self, module: str, name: str, label: str) -> None:
        import importlib

        try:
            screen_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            self.notify(f"{label} not available yet", severity="warning")
            return
        self.push_screen(screen_class(self.store))
