"""The source form: add or change a metric source, from a preset or spelled out.

The preset picker at the top decides the fields below it: a preset's own options
(``site``, ``property``, ``period``…), or for ``custom`` the request itself (kind, URL,
method, headers, body, ``key=selector`` lines, auth). The secret is never typed here:
the form asks for the *name* of the environment variable holding it and says whether
that variable is set (``✓ set`` / ``✗ not set — export NAME=…``), never its value.

``ctrl+t`` tests: the draft is checked and fetched once in a thread worker, and the
numbers it would store are shown (nothing is stored). ``ctrl+s`` saves through
``mtui.core.metrics.source_input.save_source`` (what ``mtui source add`` uses) on the
app's store thread, as one undoable action. A bad value is shown under its field.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from mtui.core.errors import MtuiError, ValidationError
from mtui.core.metrics.presets import Preset, presets
from mtui.core.metrics.source_input import (
    CUSTOM,
    SourceDraft,
    draft_fields,
    draft_from_source,
    duration_text,
    sends_credential,
    try_fields,
)
from mtui.core.model import AUTH_TYPES, SOURCE_KINDS, MetricSource
from mtui.core.strategy.input import FieldError
from mtui.core.undo.history import new_action_id
from mtui.ui.metrics.source_text import TEST_GROUP, env_line, result_text

_CUSTOM_HELP = (
    "Spell the request out: the URL to fetch and a key=selector line per metric "
    "(a JSON path such as results.visitors.value, a CSV column, sum(column)…)."
)


def _row(label: str, widget: Widget, field: str, hint: str = "") -> list[Widget]:
    """A labelled field, its hint and its (hidden) error line."""
    row = Horizontal(Label(label), widget, classes="row")
    out: list[Widget] = [row]
    if hint:
        out.append(Static(hint, classes="hint", markup=False))
    out.append(Static("", classes="field-error", id=f"e-{field}", markup=False))
    return out


class SourceForm(Screen[MetricSource | None]):
    """Add a source, or change ``editing``. Dismisses with the saved source or None."""

    CSS_PATH = "sources.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+t", "test", "Test", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "#f-preset"

    def __init__(self, *, editing: MetricSource | None = None, default_interval: int = 300) -> None:
        super().__init__()
        self.editing = editing
        self.default_interval = default_interval
        self.presets: dict[str, Preset] = presets()
        draft = (
            draft_from_source(editing)
            if editing
            else SourceDraft(preset=_first_preset(self.presets))
        )
        self.draft = draft
        self.preset_name = draft.preset
        # What was typed per preset, so switching back and forth keeps it.
        self.typed: dict[str, dict[str, str]] = {}
        self.test_token = 0
        self.saving = False

    # Layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = f"Edit source {self.editing.name}" if self.editing else "New metric source"
        yield Static(
            f"{title} · ctrl+t tests · ctrl+s saves · esc cancels", id="form-title", markup=False
        )
        with VerticalScroll(id="form-body"):
            choices = [(f"{p.name} · {p.summary}", p.name) for p in self.presets.values()]
            choices.append((f"{CUSTOM} · {_CUSTOM_HELP.split(':')[0]}: URL and selectors", CUSTOM))
            picker = Select(
                choices, value=self.preset_name, allow_blank=False, id="f-preset", compact=True
            )
            yield from _row("Preset", picker, "preset")
            yield Static("", id="preset-needs", classes="hint", markup=False)
            yield from _row(
                "Name",
                Input(
                    self.draft.name,
                    placeholder="web (its metrics: web.KEY)",
                    id="f-name",
                    compact=True,
                ),
                "name",
            )
            yield Vertical(id="request")
            with Vertical(id="env-row"):
                yield from _row(
                    "Secret in",
                    Input(
                        self.draft.auth_env,
                        placeholder="VARIABLE_NAME",
                        id="f-auth_env",
                        compact=True,
                    ),
                    "auth_env",
                )
                yield Static("", id="env-status")
            yield from _row(
                "Every",
                Input(
                    self.draft.interval,
                    id="f-interval",
                    compact=True,
                    placeholder="how often, e.g. 5m, 1h or 300 (blank: the preset's, "
                    f"else the default {duration_text(self.default_interval)})",
                ),
                "interval",
            )
            yield from _row(
                "Timeout",
                Input(
                    self.draft.timeout,
                    id="f-timeout",
                    compact=True,
                    placeholder="seconds per request, 1–120",
                ),
                "timeout",
            )
            yield Static("", id="e-", classes="field-error", markup=False)
        yield Static(
            Text("ctrl+t fetches once and shows what would be stored", style="dim"),
            id="test-result",
        )
        with Horizontal(id="buttons"):
            yield Button("Test (ctrl+t)", id="test", compact=True)
            yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    async def on_mount(self) -> None:
        await self._build_request(self.preset_name, first=True)

    # The request part: a preset's options or the custom fields -----------------------
    def _request_widgets(self, name: str, first: bool) -> list[Widget]:
        typed = self.typed.get(name, {})
        draft = self.draft if first else SourceDraft()
        if name == CUSTOM:

            def value(key: str, default: str = "") -> str:
                return typed.get(key, getattr(draft, key) if first else default)

            headers = TextArea(
                value("headers"),
                id="f-headers",
                compact=True,
                show_line_numbers=False,
                soft_wrap=False,
            )
            metrics = TextArea(
                value("metrics"),
                id="f-metrics",
                compact=True,
                show_line_numbers=False,
                soft_wrap=False,
            )
            kinds = [(k, k) for k in SOURCE_KINDS]
            kind = typed.get("kind", draft.kind if first else "json")
            method = typed.get("method", draft.method if first else "GET")
            auth = typed.get("auth_type", draft.auth_type if first else "none")
            return [
                *_row(
                    "Kind",
                    Select(
                        kinds,
                        value=kind if kind in SOURCE_KINDS else "json",
                        allow_blank=False,
                        id="f-kind",
                        compact=True,
                    ),
                    "kind",
                ),
                *_row(
                    "URL",
                    Input(
                        value("url"),
                        placeholder="https://api.example.com/stats",
                        id="f-url",
                        compact=True,
                    ),
                    "url",
                ),
                *_row(
                    "Method",
                    Select(
                        [("GET", "GET"), ("POST", "POST")],
                        value=method if method in ("GET", "POST") else "GET",
                        allow_blank=False,
                        id="f-method",
                        compact=True,
                    ),
                    "method",
                ),
                *_row("Headers", headers, "headers", "one 'Name: value' a line; no secrets"),
                *_row(
                    "Body",
                    Input(
                        value("body"),
                        placeholder="request body (POST), optional",
                        id="f-body",
                        compact=True,
                    ),
                    "body",
                ),
                *_row(
                    "Metrics",
                    metrics,
                    "metrics",
                    "one key=selector a line, e.g. visitors=results.visitors.value",
                ),
                *_row(
                    "Auth",
                    Select(
                        [(a, a) for a in AUTH_TYPES],
                        value=auth if auth in AUTH_TYPES else "none",
                        allow_blank=False,
                        id="f-auth_type",
                        compact=True,
                    ),
                    "auth_type",
                ),
                *_row(
                    "Auth as",
                    Input(
                        value("auth_param"),
                        id="f-auth_param",
                        compact=True,
                        placeholder="header/parameter name, or the OAuth scope",
                    ),
                    "auth_param",
                ),
            ]
        preset = self.presets[name]
        widgets: list[Widget] = []
        for option in preset.options:
            if option.default:
                placeholder = f"default {option.default}"
            else:
                placeholder = "required" if option.required else "optional"
            field = f"opt-{option.name}"
            given = typed.get(field, draft.options.get(option.name, "") if first else "")
            widgets += _row(
                option.name,
                Input(given, placeholder=placeholder, id=f"f-{field}", compact=True),
                field,
                option.help,
            )
        return widgets

    async def _build_request(self, name: str, *, first: bool = False) -> None:
        box = self.query_one("#request", Vertical)
        if not first:
            self.typed[self.preset_name] = self._request_values()
        await box.remove_children()
        self.preset_name = name
        await box.mount_all(self._request_widgets(name, first))
        needs = self.query_one("#preset-needs", Static)
        if name == CUSTOM:
            needs.update(_CUSTOM_HELP)
        else:
            preset = self.presets[name]
            lines = [f"needs: {preset.needs}", *(f"note: {n}" for n in preset.notes)]
            needs.update("\n".join(lines))
            env = self.query_one("#f-auth_env", Input)
            suggested = {p.default_env for p in self.presets.values()}
            if not env.value.strip() or (not first and env.value.strip() in suggested):
                env.value = preset.default_env or ""
        self._clear_errors()
        self._update_env()

    def _request_values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for widget in self.query_one("#request", Vertical).query("Input, TextArea, Select"):
            key = (widget.id or "").removeprefix("f-")
            if isinstance(widget, Input):
                out[key] = widget.value
            elif isinstance(widget, TextArea):
                out[key] = widget.text
            elif isinstance(widget, Select) and isinstance(widget.value, str):
                out[key] = widget.value
        return out

    # Reading the form -------------------------------------------------------------------
    def current_draft(self) -> SourceDraft:
        values = self._request_values()

        def text(field: str) -> str:
            return self.query_one(f"#f-{field}", Input).value

        common: dict[str, Any] = {
            "name": text("name"),
            "auth_env": text("auth_env"),
            "interval": text("interval"),
            "timeout": text("timeout"),
        }
        if self.preset_name == CUSTOM:
            return SourceDraft(
                preset=CUSTOM,
                **common,
                kind=values.get("kind", "json"),
                url=values.get("url", ""),
                method=values.get("method", "GET"),
                headers=values.get("headers", ""),
                body=values.get("body", ""),
                metrics=values.get("metrics", ""),
                auth_type=values.get("auth_type", "none"),
                auth_param=values.get("auth_param", ""),
            )
        options = {k.removeprefix("opt-"): v for k, v in values.items() if k.startswith("opt-")}
        return SourceDraft(preset=self.preset_name, options=options, **common)

    def _needs_secret(self) -> bool:
        if self.preset_name == CUSTOM:
            return self._request_values().get("auth_type", "none") != "none"
        options = {
            k.removeprefix("opt-"): v.strip()
            for k, v in self._request_values().items()
            if v.strip()
        }
        return sends_credential(self.presets[self.preset_name], options)

    def _update_env(self) -> None:
        needed = self._needs_secret()
        self.query_one("#env-row").display = needed
        if needed:
            name = self.query_one("#f-auth_env", Input).value
            self.query_one("#env-status", Static).update(
                env_line(name)
                if name.strip()
                else Text("✗ name the variable that holds the secret", style="red")
            )

    # Events -----------------------------------------------------------------------------
    @on(Select.Changed, "#f-preset")
    async def _preset_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self.preset_name:
            await self._build_request(event.value)

    @on(Select.Changed, "#f-auth_type")
    def _auth_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._update_env()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "f-auth_env" or (event.input.id or "").startswith("f-opt-"):
            self._update_env()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"save": self.action_save, "test": self.action_test}.get(
            event.button.id or "", self.action_cancel
        )()

    # Errors -----------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        for error in self.query(".field-error"):
            error.remove_class("-shown")

    def show_error(self, field: str, message: str) -> None:
        """``message`` under ``field`` (or at the bottom), and focus the field."""
        self._clear_errors()
        targets = list(self.query(f"#e-{field}")) if field else []
        if not targets:
            targets = [self.query_one("#e-", Static)]
            field = ""
        target = targets[0]
        assert isinstance(target, Static)
        target.update(message)
        target.add_class("-shown")
        widget = next(iter(self.query(f"#f-{field}")), None) if field else None
        if widget is not None:
            widget.focus()
            self.query_one("#form-body", VerticalScroll).scroll_to_widget(target, animate=False)

    # Test -------------------------------------------------------------------------------
    def action_test(self) -> None:
        """Check and fetch the draft once in a thread; show what it would store."""
        self.test_token += 1
        token, draft = self.test_token, self.current_draft()
        source_id = self.editing.id if self.editing else 0
        self._clear_errors()
        self.query_one("#test-result", Static).update(
            Text("testing… (one fetch; nothing is stored)", style="italic")
        )

        def run() -> None:
            try:
                fields = draft_fields(draft, self.default_interval)
            except ValidationError as exc:
                field = exc.field if isinstance(exc, FieldError) else ""
                self.app.call_from_thread(self._test_refused, token, field, str(exc))
                return
            try:
                result = try_fields(fields, source_id=source_id)
            except Exception as exc:  # fetch_source never raises; a defect: say it in a line
                self.app.call_from_thread(self._test_refused, token, None, f"test failed: {exc!r}")
                return
            self.app.call_from_thread(self._test_done, token, draft.name.strip(), result)

        self.run_worker(run, thread=True, group=TEST_GROUP, exit_on_error=False)

    def _test_refused(self, token: int, field: str | None, message: str) -> None:
        if token != self.test_token or not self.is_attached:
            return
        self.query_one("#test-result", Static).update(
            Text.assemble(("✗ not tested: ", "bold red"), message)
        )
        if field is not None:
            self.show_error(field, message)

    def _test_done(self, token: int, name: str, result: Any) -> None:
        if token != self.test_token or not self.is_attached:
            return
        self.query_one("#test-result", Static).update(result_text(name, result))

    # Save -------------------------------------------------------------------------------
    def action_save(self) -> None:
        """Check and save on the store thread as one undoable action."""
        if self.saving:
            return
        self.saving = True
        draft, action = self.current_draft(), new_action_id()
        source_id = self.editing.id if self.editing else None
        default_interval = self.default_interval
        app: Any = self.app

        def job(store: Any) -> MetricSource:
            from mtui.core.metrics.source_input import save_source

            return save_source(
                store, draft_fields(draft, default_interval), source_id, action_id=action
            )

        def done(saved: MetricSource) -> None:
            self.saving = False
            app.history.record(action)
            verb = "changed" if self.editing else "added"
            self.notify(f"Source {saved.name} {verb} (u undoes)", timeout=3, markup=False)
            self.dismiss(saved)

        def refused(exc: MtuiError) -> None:
            self.saving = False
            if isinstance(exc, ValidationError):
                self.show_error(exc.field if isinstance(exc, FieldError) else "", str(exc))
            else:  # the store refused (read-only, locked, gone): a notice
                app.report_error(exc)

        app.store_job(job, done, refused, quiet=True)

    def action_cancel(self) -> None:
        self.test_token += 1  # a test still running is no longer shown
        self.dismiss(None)


def _first_preset(found: dict[str, Preset]) -> str:
    return "plausible" if "plausible" in found else next(iter(found), CUSTOM)
