"""The metric sources screen (``e`` on the metrics pane, or "Metric sources" in ctrl+p).

One row per source: its name, kind, how often it is fetched, the variable holding its
secret (``✓`` set / ``✗`` not set — never the value) and its last fetch. ``a`` adds a
source and ``e``/``enter`` changes one (``source_form.py``), ``t`` fetches the highlighted
source once without storing anything, ``d`` removes it (asks first; ``u`` undoes). Every
read and write runs on the app's store thread; a test runs in a thread worker.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from mtui.core import clock
from mtui.core.metrics.cards import age_text
from mtui.core.metrics.source_input import duration_text, env_state
from mtui.core.model import MetricSource
from mtui.core.store.contract import Store
from mtui.core.strategy.kpi import source_slug
from mtui.ui.metrics.source_text import TEST_GROUP, result_text

COLUMNS = ("Source", "Kind", "Every", "Secret in", "Last fetch", "Metrics")
RELOAD_SECONDS = 5.0  # the strip polls in the background: keep "last fetch" honest


def secret_cell(source: MetricSource) -> Text:
    if source.auth_type == "none" or not source.auth_env:
        return Text("—", style="dim")
    ok = env_state(source.auth_env) == "set"
    return Text.assemble(
        f"${source.auth_env} ", ("✓" if ok else "✗ not set", "green" if ok else "bold red")
    )


def last_cell(source: MetricSource, now: Any) -> Text:
    if not source.last_fetch_at:
        return Text("never fetched", style="dim")
    age = age_text(source.last_fetch_at, now)
    if source.last_status == "error":
        return Text.assemble(("✗ error", "bold red"), f" · {age}")
    return Text.assemble(("✓ ok", "green"), f" · {age}")


def row_cells(source: MetricSource, now: Any) -> list[Any]:
    keys = ", ".join(source.selectors) or "—"
    return [
        Text(source_slug(source.name), style="bold"),
        source.kind,
        duration_text(source.interval_seconds),
        secret_cell(source),
        last_cell(source, now),
        Text(keys if len(keys) <= 40 else keys[:39] + "…"),
    ]


def _preload_form() -> None:
    from mtui.core.metrics.presets import presets
    from mtui.ui.metrics import source_form  # noqa: F401  (imported for later)

    presets()


class SourcesScreen(Screen[None]):
    """Every metric source; add, change, test and remove them."""

    CSS_PATH = "sources.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("t", "test", "Test"),
        Binding("d", "remove", "Remove"),
        Binding("u", "app.undo", "Undo"),
        Binding("j", "row(1)", "↓", show=False),
        Binding("k", "row(-1)", "↑", show=False),
    ]

    def __init__(self, store: Store, *, select: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.sources: list[MetricSource] = []
        self.select_id = select
        self.loaded = False
        self.results: dict[int, Any] = {}  # source id -> its last test here
        self.testing: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static(
            "Metric sources · a add · e/enter edit · t test · d remove · esc back",
            id="sources-title",
        )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="sources-table")
        yield Static(id="sources-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        self.reload()
        self.set_interval(RELOAD_SECONDS, self.reload)
        # The form and the presets import the fetching code (httpx): ~0.5 s cold, so in a
        # thread, never in a key press.
        self._preload = self.run_worker(_preload_form, thread=True, exit_on_error=False)

    # Data -------------------------------------------------------------------------------
    def reload(self) -> None:
        app: Any = self.app
        app.store_job(lambda store: store.metrics.metric_sources(), self._show, quiet=True)

    def history_replayed(self) -> None:
        """``u`` / ``ctrl+r`` on this screen: the undo may have brought a source back."""
        self.reload()

    def _show(self, sources: list[MetricSource]) -> None:
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        keep = self.select_id if self.select_id is not None else self.current_id()
        self.select_id = None
        self.sources = sources
        self.loaded = True
        now = clock.now()
        table.clear()
        for source in sources:
            table.add_row(*row_cells(source, now), key=str(source.id))
        ids = [s.id for s in sources]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.show_detail()

    def current(self) -> MetricSource | None:
        if not self.sources:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.sources[min(max(row, 0), len(self.sources) - 1)]

    def current_id(self) -> int | None:
        source = self.current()
        return source.id if source else None

    def show_detail(self) -> None:
        detail = self.query_one("#sources-detail", Static)
        source = self.current()
        if source is None:
            detail.update(
                Text(
                    "No metric sources yet: a adds one (from a preset such as "
                    "plausible, ga4 or stripe, or a URL and selectors).",
                    style="dim",
                )
            )
            return
        text = Text.assemble((source.name, "bold"), f"  {source.method} {source.url}")
        if source.last_error:
            text.append("\nlast error: ", style="bold red")
            text.append(source.last_error)
        if source.id in self.testing:
            text.append("\ntesting… (one fetch; nothing is stored)", style="italic")
        elif source.id in self.results:
            text.append("\n")
            text.append_text(result_text(source.name, self.results[source.id]))
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # Actions ----------------------------------------------------------------------------
    def action_row(self, step: int) -> None:
        table = self.query_one(DataTable)
        (table.action_cursor_down if step > 0 else table.action_cursor_up)()

    def _open_form(self, editing: MetricSource | None) -> None:
        """The form, once its modules are loaded (at once, unless the screen just opened)."""

        async def when_loaded() -> None:
            await self._preload.wait()
            from mtui.core.config.user_config import active_config
            from mtui.ui.metrics.source_form import SourceForm

            interval = active_config().metric_refresh_seconds
            if self.is_current:
                self.app.push_screen(SourceForm(editing=editing, default_interval=interval),
                                     self._form_closed)  # fmt: skip

        self.run_worker(when_loaded(), group="source-form", exclusive=True, exit_on_error=False)

    def _form_closed(self, saved: MetricSource | None) -> None:
        if saved is None:
            return
        self.select_id = saved.id
        self.results.pop(saved.id, None)
        self.reload()
        reload_side_panes = getattr(self.app, "reload_side_panes", None)
        if reload_side_panes is not None:
            reload_side_panes()

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        source = self.current()
        if source is not None:
            self._open_form(source)

    def action_test(self) -> None:
        """Fetch the highlighted source once in a thread; nothing is stored."""
        source = self.current()
        if source is None or source.id in self.testing:
            return
        from dataclasses import asdict

        from mtui.core.metrics.source_input import try_fields

        self.testing.add(source.id)
        self.show_detail()
        fields = asdict(source)

        def run() -> None:
            try:
                result = try_fields(fields, source_id=source.id)
            except Exception as exc:  # fetch_source never raises: a defect, in one line
                self.app.call_from_thread(
                    self.app.notify, f"Test failed: {exc!r}", severity="error", markup=False
                )
                result = None
            self.app.call_from_thread(self._tested, source.id, result)

        self.run_worker(run, thread=True, group=TEST_GROUP, exit_on_error=False)

    def _tested(self, source_id: int, result: Any) -> None:
        self.testing.discard(source_id)
        if result is not None:
            self.results[source_id] = result
        if self.is_attached:
            self.show_detail()

    def action_remove(self) -> None:
        source = self.current()
        if source is None:
            return
        from mtui.ui.shell.confirm import ConfirmScreen

        slug = source_slug(source.name)
        question = f"Remove source {slug}?"
        detail = (
            f"Its metrics ({', '.join(source.selectors) or 'none named'}) and their "
            "history go with it. u undoes: the source comes back, its history does not."
        )
        self.app.push_screen(
            ConfirmScreen(question, detail, yes="Remove"),
            lambda yes: self._remove(source) if yes else None,
        )

    def _remove(self, source: MetricSource) -> None:
        from mtui.core.undo.history import new_action_id

        app: Any = self.app
        action = new_action_id()

        def job(store: Store) -> None:
            store.metrics.delete_metric_source(source.id, action_id=action)

        def done(_: None) -> None:
            app.history.record(action)
            self.notify(
                f"Removed source {source_slug(source.name)} (u undoes)", timeout=3, markup=False
            )
            self.results.pop(source.id, None)
            self.reload()
            reload_side_panes = getattr(app, "reload_side_panes", None)
            if reload_side_panes is not None:
                reload_side_panes()

        app.store_job(job, done, lambda exc: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)
