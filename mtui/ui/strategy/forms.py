"""Goal and campaign forms: one compact input per field, errors shown under the field.

Validation is ``mtui.core.strategy.input`` (the same rules as ``mtui goal add``); a bad
value keeps everything typed, puts the message under the field and focuses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mtui.core.errors import MtuiError
from mtui.core.model import Campaign, Goal
from mtui.core.store.contract import Store
from mtui.core.strategy.goals import format_value
from mtui.core.strategy.input import (
    FieldError,
    campaign_changes,
    goal_changes,
)
from mtui.core.undo.history import new_action_id

# key, label, placeholder
FormField = tuple[str, str, str]


class FieldForm(ModalScreen[Any]):
    """A titled list of labelled inputs; subclasses say what to validate and save."""

    TITLE_TEXT = ""
    FIELDS: tuple[FormField, ...] = ()
    DEFAULT_CSS = """
    FieldForm { align: center middle; }
    FieldForm > Vertical {
        width: 90%; max-width: 76; height: auto; max-height: 95%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    FieldForm #title { text-style: bold; color: $primary; margin: 0 0 1 0; }
    FieldForm VerticalScroll { height: auto; max-height: 1fr; }
    FieldForm .row { height: 1; }
    FieldForm .row Label { width: 12; color: $text-muted; }
    FieldForm .row Input { width: 1fr; }
    FieldForm .field-error { color: $error; padding: 0 0 0 12; height: auto; display: none; }
    FieldForm .field-error.-shown { display: block; }
    FieldForm #error { color: $error; height: auto; }
    FieldForm #buttons { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    FieldForm Button { margin: 0 0 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def initial(self) -> dict[str, str]:
        """Values to start from (the record being edited)."""
        return {}

    def compose(self) -> ComposeResult:
        values = self.initial()
        with Vertical():
            yield Static(f"{self.TITLE_TEXT} · enter/ctrl+s saves · esc cancels", id="title")
            with VerticalScroll():
                for key, label, placeholder in self.FIELDS:
                    with Horizontal(classes="row"):
                        yield Label(label)
                        yield Input(values.get(key, ""), placeholder=placeholder, id=f"f-{key}",
                                    compact=True)  # fmt: skip
                    yield Static("", classes="field-error", id=f"e-{key}")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def raw(self) -> dict[str, str]:
        return {key: self.query_one(f"#f-{key}", Input).value for key, _, _ in self.FIELDS}

    def show_error(self, field: str | None, message: str) -> None:
        for error in self.query(".field-error"):
            error.remove_class("-shown")
        self.query_one("#error", Static).update("")
        target = self.query(f"#e-{field}") if field else None
        if target:
            target.first(Static).update(message)
            target.first(Static).add_class("-shown")
            self.query_one(f"#f-{field}", Input).focus()
        else:
            self.query_one("#error", Static).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    saving = False

    def save_job(self, raw: dict[str, str], action_id: str) -> Callable[[Store], Any]:
        """What saving ``raw`` does to the store (validation included: it needs the
        goals and campaigns as the store has them), as one undoable action."""
        raise NotImplementedError

    def saved_message(self, saved: Any) -> str:
        raise NotImplementedError

    def action_save(self) -> None:
        """Validate and save in the background; errors come back next to their field."""
        if self.saving:
            return
        self.saving = True
        action = new_action_id()
        app: Any = self.app

        def done(saved: Any) -> None:
            self.saving = False
            app.history.record(action)
            self.notify(self.saved_message(saved), timeout=2)
            self.dismiss(saved)

        def refused(exc: MtuiError) -> None:
            self.saving = False
            self.show_error(exc.field if isinstance(exc, FieldError) else None, str(exc))

        app.store_job(self.save_job(self.raw(), action), done, refused, quiet=True)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _number(value: float | None) -> str:
    return "" if value is None else format_value(value, "count").replace(",", "")


class GoalForm(FieldForm):
    """Add a goal, or edit one (``editing``). Dismisses with the saved Goal or None."""

    FIELDS = (
        ("title", "Title", "Grow trial signups"),
        ("slug", "Slug", "auto from the title; used as ^slug"),
        ("stage", "Stage", "align, attract or engage (default attract)"),
        ("kpi_metric", "KPI metric", "metric key, e.g. plausible.visitors"),
        ("unit", "Unit", "count, percent, currency or ratio"),
        ("direction", "Direction", "up (more is better) or down"),
        ("baseline", "Baseline", "value at the start, e.g. 600"),
        ("target", "Target", "value to reach, e.g. 2000"),
        ("current", "Current", "value now"),
        ("start_date", "Start", "today, 2026-10-01, …"),
        ("due_date", "Due", "eoq, dec31, +6w, 2027-01-31, …"),
        ("owner", "Owner", "ana"),
        ("parent", "Parent", "parent goal slug (makes this a key result)"),
        ("status", "Status", "auto, or on track / at risk / off track / achieved / missed"),
    )

    def __init__(
        self, store: Store, *, editing: Goal | None = None, goals: Sequence[Goal] = ()
    ) -> None:
        super().__init__(store)
        self.editing = editing
        self.goals = goals  # for the parent's slug (read by the opener, off the event loop)
        self.TITLE_TEXT = f"Edit goal ^{editing.slug}" if editing else "New goal"

    def initial(self) -> dict[str, str]:
        g = self.editing
        if g is None:
            return {}
        parent = next((p.slug for p in self.goals if p.id == g.parent_id), "")
        return {
            "title": g.title, "slug": g.slug, "stage": g.stage, "kpi_metric": g.kpi_metric or "",
            "unit": g.unit, "direction": g.direction, "baseline": _number(g.baseline),
            "target": _number(g.target), "current": _number(g.current),
            "start_date": g.start_date or "", "due_date": g.due_date or "",
            "owner": g.owner or "", "parent": parent, "status": g.status_override or "",
        }  # fmt: skip

    def save_job(self, raw: dict[str, str], action_id: str) -> Callable[[Store], Goal]:
        editing = self.editing

        def job(store: Store) -> Goal:
            changes = goal_changes(raw, goals=store.strategy.goals(), editing=editing)
            return store.strategy.save_goal(
                changes, editing.id if editing else None, action_id=action_id
            )

        return job

    def saved_message(self, saved: Goal) -> str:
        return f"Goal ^{saved.slug} saved"


class CampaignForm(FieldForm):
    """Add a campaign, or edit one. Dismisses with the saved Campaign or None."""

    FIELDS = (
        ("name", "Name", "Spring launch"),
        ("slug", "Slug", "auto from the name; used as c:slug"),
        ("goals", "Goals", "goal slugs it serves, e.g. signups, mqls"),
        ("status", "Status", "planned, active, paused or done"),
        ("owner", "Owner", "ana"),
        ("start_date", "Start", "today, mon, 2026-12-01, …"),
        ("end_date", "End", "eom, +6w, …"),
        ("budget", "Budget", "12000"),
        ("spend", "Spend", "0"),
        ("spend_metric", "Spend from", "SOURCE.KEY: a metric pacing follows, e.g. sheet.ad_spend"),
        ("colour", "Colour", "#e0719e or a colour name"),
        ("utm_campaign", "UTM", "utm_campaign value"),
    )

    def __init__(
        self, store: Store, *, editing: Campaign | None = None, goals: Sequence[Goal] = ()
    ) -> None:
        super().__init__(store)
        self.editing = editing
        self.goals = goals  # for the goals' slugs (read by the opener, off the event loop)
        self.TITLE_TEXT = f"Edit campaign c:{editing.slug}" if editing else "New campaign"

    def initial(self) -> dict[str, str]:
        c = self.editing
        if c is None:
            return {}
        slugs = {g.id: g.slug for g in self.goals}
        return {
            "name": c.name, "slug": c.slug, "status": c.status, "owner": c.owner or "",
            "goals": ", ".join(slugs[g] for g in c.goal_ids if g in slugs),
            "start_date": c.start_date or "", "end_date": c.end_date or "",
            "budget": _number(c.budget), "spend": _number(c.spend), "colour": c.colour or "",
            "utm_campaign": c.utm_campaign or "", "spend_metric": c.spend_metric or "",
        }  # fmt: skip

    def save_job(self, raw: dict[str, str], action_id: str) -> Callable[[Store], Campaign]:
        editing = self.editing

        def job(store: Store) -> Campaign:
            from mtui.core.metrics.values import known_metrics

            metrics = known_metrics(store) if raw.get("spend_metric") else None
            changes = campaign_changes(raw, campaigns=store.strategy.campaigns(),
                                       goals=store.strategy.goals(), editing=editing,
                                       metrics=metrics)  # fmt: skip
            return store.strategy.save_campaign(
                changes, editing.id if editing else None, action_id=action_id
            )

        return job

    def saved_message(self, saved: Campaign) -> str:
        return f"Campaign c:{saved.slug} saved"


__all__ = ["CampaignForm", "FieldForm", "GoalForm", "Label"]
