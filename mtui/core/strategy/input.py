"""Goal and campaign input as people type it (CLI options, TUI form fields) → store fields.

One validator for both front ends, so ``mtui goal add`` and the ``g`` form accept and
reject exactly the same things, with the same one-line messages. Values are strings;
``""`` clears an optional field, a key left out is left unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pendulum

from mtui.core import clock
from mtui.core.errors import NotFound, ValidationError
from mtui.core.language.clean import strip_controls
from mtui.core.language.dates import DateError, check_year, parse_when
from mtui.core.model import (
    CAMPAIGN_STATUSES,
    GOAL_STAGES,
    GOAL_STATUSES,
    GOAL_UNITS,
    Campaign,
    Goal,
)
from mtui.core.store.contract import Store
from mtui.core.strategy.kpi import parse_kpi

GOAL_INPUT_FIELDS = (
    "title", "slug", "stage", "kpi_metric", "unit", "direction", "baseline", "target",
    "current", "start_date", "due_date", "owner", "parent", "status",
)  # fmt: skip
CAMPAIGN_INPUT_FIELDS = (
    "name", "slug", "status", "owner", "start_date", "end_date", "budget", "spend",
    "colour", "utm_campaign", "goals", "spend_metric",
)  # fmt: skip
DIRECTIONS = ("up", "down")

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|[a-z]+")


class FieldError(ValidationError):
    """A ValidationError that names the input field at fault (forms show it inline)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def slugify(text: str) -> str:
    """``Grow trial signups!`` → ``grow-trial-signups``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].rstrip("-") or "item"


# ------------------------------------------------------------------ field readers


def _text(raw: Mapping[str, str | None], key: str) -> str | None:
    """The typed value without control characters or outer spaces; None when empty."""
    value = strip_controls(raw.get(key) or "").strip()
    return value or None


def _choice(key: str, value: str, choices: tuple[str, ...], what: str) -> str:
    """Exact, else unambiguous prefix (``att`` → ``attract``)."""
    lowered = value.strip().lower()
    if lowered in choices:
        return lowered
    matches = [c for c in choices if c.startswith(lowered)]
    if lowered and len(matches) == 1:
        return matches[0]
    raise FieldError(key, f"unknown {what} {value!r}: use one of {', '.join(choices)}")


# Larger magnitudes are typos; the bound also keeps inf and nan out of the store.
MAX_NUMBER = 1e15


def _number(key: str, value: str) -> float:
    """A finite number within ±MAX_NUMBER (``nan``, ``inf``, ``1e999`` are refused)."""
    cleaned = value.strip().replace(",", "").replace("_", "").lstrip("$€£").rstrip("%")
    what = key.replace("_", " ")
    try:
        number = float(cleaned)
    except ValueError:
        raise FieldError(key, f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise FieldError(key, f"{what} must be a number between -1e15 and 1e15, got {value!r}")
    return number


def _date(key: str, value: str, now: pendulum.DateTime) -> str:
    """An ISO date, or any quick-add date phrase (``eoq``, ``+2w``, ``dec3``)."""
    text = value.strip()
    try:
        day = pendulum.Date.fromisoformat(text)
    except ValueError:
        day = None
    try:
        if day is not None:
            check_year(day)
            return day.isoformat()
        return parse_when(text, now).day.isoformat()
    except DateError as exc:
        raise FieldError(key, f"bad {key.replace('_', ' ')}: {exc.message}") from None


def _slug(key: str, value: str) -> str:
    slug = value.strip().lower().lstrip("^")
    if not _SLUG.fullmatch(slug):
        raise FieldError(key, f"slug {value!r}: use lower-case letters, digits and dashes")
    return slug


def _check_dates(start: str | None, end: str | None, start_key: str, end_key: str) -> None:
    if start and end and end < start:
        raise FieldError(
            end_key,
            f"{end_key.replace('_', ' ')} {end} is before {start_key.replace('_', ' ')} {start}",
        )


def _present(raw: Mapping[str, str | None], key: str) -> bool:
    return key in raw and raw[key] is not None


# ------------------------------------------------------------------ goals


def _title_and_slug(
    raw: Mapping[str, str | None],
    title_key: str,
    what: str,
    existing: Sequence[Goal] | Sequence[Campaign],
    editing: Goal | Campaign | None,
) -> dict[str, Any]:
    """The title (a goal's ``title``, a campaign's ``name``) and a unique slug, the same
    rules for both: a title is required, the slug defaults to the title's."""
    out: dict[str, Any] = {}
    if editing is None or _present(raw, title_key):
        title = _text(raw, title_key)
        if not title:
            raise FieldError(title_key, f"a {what} needs a {title_key}")
        out[title_key] = title
    if editing is None or _present(raw, "slug"):
        slug = _slug("slug", _text(raw, "slug") or slugify(out.get(title_key, "")))
        if any(o.slug == slug and (editing is None or o.id != editing.id) for o in existing):
            raise FieldError("slug", f"a {what} with slug {slug!r} already exists")
        out["slug"] = slug
    return out


def goal_changes(
    raw: Mapping[str, str | None],
    *,
    goals: list[Goal],
    now: pendulum.DateTime | None = None,
    editing: Goal | None = None,
) -> dict[str, Any]:
    """Validate goal input and return the store fields to write.

    Raises FieldError (a ValidationError) for: a missing title, a bad or duplicate slug,
    an unknown stage/unit/direction/status, a non-number, a bad date or a due date before
    the start, an unknown parent or one that would make a loop.
    """
    now = now or clock.now()
    unknown = set(k for k in raw if raw[k] is not None) - set(GOAL_INPUT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown goal field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = _title_and_slug(raw, "title", "goal", goals, editing)
    for key, choices, what in (
        ("stage", GOAL_STAGES, "stage"),
        ("unit", GOAL_UNITS, "unit"),
        ("direction", DIRECTIONS, "direction"),
    ):
        if _text(raw, key):
            out[key] = _choice(key, raw[key] or "", choices, what)
    for key in ("kpi_metric", "owner"):
        if _present(raw, key):
            value = _text(raw, key)
            out[key] = value.lstrip("@") if value and key == "owner" else value
    for key in ("baseline", "target", "current"):
        if _present(raw, key):
            value = _text(raw, key)
            out[key] = _number(key, value) if value else None
    for key in ("start_date", "due_date"):
        if _present(raw, key):
            value = _text(raw, key)
            out[key] = _date(key, value, now) if value else None
    _check_dates(
        out.get("start_date", editing.start_date if editing else None),
        out.get("due_date", editing.due_date if editing else None),
        "start_date",
        "due_date",
    )
    if _present(raw, "status"):
        value = _text(raw, "status")
        auto = value is None or value.lower() == "auto"
        out["status_override"] = (
            None if value is None or auto else _choice("status", value, GOAL_STATUSES, "status")
        )
    if _present(raw, "parent"):
        out["parent_id"] = _parent_id(_text(raw, "parent"), goals, editing)
    return out


def _parent_id(slug: str | None, goals: list[Goal], editing: Goal | None) -> int | None:
    if not slug:
        return None
    by_slug = {g.slug: g for g in goals}
    parent = by_slug.get(slug.lower().lstrip("^"))
    if parent is None:
        known = ", ".join(sorted(by_slug)) or "none yet"
        raise FieldError("parent", f"unknown parent goal {slug!r} (goals: {known})")
    if editing is not None:
        by_id = {g.id: g for g in goals}
        walker: Goal | None = parent
        while walker is not None:
            if walker.id == editing.id:
                raise FieldError("parent", f"{slug!r} can't be the parent: that makes a loop")
            walker = by_id.get(walker.parent_id) if walker.parent_id else None
    return parent.id


def find_goal(goals: list[Goal], slug: str) -> Goal:
    wanted = slug.lower().lstrip("^")
    for goal in goals:
        if goal.slug == wanted:
            return goal
    known = ", ".join(g.slug for g in goals) or "none yet"
    raise NotFound(f"no goal {slug!r} (goals: {known})")


def save_goal_input(
    store: Store, raw: Mapping[str, str | None], *, slug: str | None = None
) -> Goal:
    """Add a goal (``slug=None``) or edit the goal with that slug, from typed input."""
    goals = store.strategy.goals()
    editing = find_goal(goals, slug) if slug else None
    changes = goal_changes(raw, goals=goals, editing=editing)
    return store.strategy.save_goal(changes, editing.id if editing else None)


# ------------------------------------------------------------------ campaigns


def campaign_changes(
    raw: Mapping[str, str | None],
    *,
    campaigns: list[Campaign],
    goals: list[Goal],
    now: pendulum.DateTime | None = None,
    editing: Campaign | None = None,
    metrics: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Validate campaign input (``goals`` is comma-separated goal slugs) → store fields.

    ``metrics`` (source slug → its known metric keys, ``values.known_metrics``) lets a
    ``spend_metric`` be checked against the sources there are; without it (an import,
    whose sources come later) only its form is checked."""
    now = now or clock.now()
    unknown = set(k for k in raw if raw[k] is not None) - set(CAMPAIGN_INPUT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown campaign field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = _title_and_slug(raw, "name", "campaign", campaigns, editing)
    if _text(raw, "status"):
        out["status"] = _choice("status", raw["status"] or "", CAMPAIGN_STATUSES, "status")
    if _present(raw, "owner"):
        owner = _text(raw, "owner")
        out["owner"] = owner.lstrip("@") if owner else None
    for key in ("budget", "spend"):
        if _present(raw, key):
            value = _text(raw, key)
            out[key] = _number(key, value) if value else None
            if out[key] is not None and out[key] < 0:
                raise FieldError(key, f"{key} can't be negative")
    for key in ("start_date", "end_date"):
        if _present(raw, key):
            value = _text(raw, key)
            out[key] = _date(key, value, now) if value else None
    _check_dates(
        out.get("start_date", editing.start_date if editing else None),
        out.get("end_date", editing.end_date if editing else None),
        "start_date",
        "end_date",
    )
    if _present(raw, "colour"):
        colour = _text(raw, "colour")
        if colour and not _COLOUR.fullmatch(colour):
            raise FieldError("colour", f"colour {colour!r}: use #rrggbb or a colour name")
        out["colour"] = colour
    if _present(raw, "utm_campaign"):
        out["utm_campaign"] = _text(raw, "utm_campaign")
    if _present(raw, "goals"):
        out["goal_ids"] = _goal_ids(_text(raw, "goals") or "", goals)
    if _present(raw, "spend_metric"):
        out["spend_metric"] = spend_metric(_text(raw, "spend_metric"), metrics)
    return out


def spend_metric(text: str | None, metrics: Mapping[str, Sequence[str]] | None) -> str | None:
    """A campaign's ``SOURCE.KEY`` to take its spend from (None: typed spend), checked
    against ``metrics`` (source slug → known keys) when given."""
    if not text:
        return None
    name = text.strip().lstrip("$")
    try:
        expr = parse_kpi(name)
    except ValidationError:
        expr = None
    if expr is None or expr.denominator is not None:
        raise FieldError(
            "spend_metric", f"spend metric {text!r}: expected SOURCE.KEY, e.g. sheet.ad_spend"
        )
    if metrics is None:
        return name
    slug, _, key = name.partition(".")
    if slug not in metrics:
        known = ", ".join(sorted(metrics)) or "none yet; add one with mtui source add"
        raise FieldError(
            "spend_metric", f"no metric source {slug!r} for {name!r} (sources: {known})"
        )
    keys = list(metrics[slug])
    if keys and key not in keys:
        raise FieldError(
            "spend_metric", f"source {slug!r} has no metric {key!r} (it has: {', '.join(keys)})"
        )
    return name


def _goal_ids(text: str, goals: list[Goal]) -> list[int]:
    ids = []
    for slug in (s.strip() for s in re.split(r"[,\s]+", text)):
        if slug:
            try:
                ids.append(find_goal(goals, slug).id)
            except NotFound as exc:
                raise FieldError("goals", str(exc)) from None
    return sorted(set(ids))


def find_campaign(campaigns: list[Campaign], slug: str) -> Campaign:
    wanted = slug.lower()
    for campaign in campaigns:
        if campaign.slug == wanted:
            return campaign
    known = ", ".join(c.slug for c in campaigns) or "none yet"
    raise NotFound(f"no campaign {slug!r} (campaigns: {known})")


def save_campaign_input(
    store: Store, raw: Mapping[str, str | None], *, slug: str | None = None
) -> Campaign:
    """Add a campaign (``slug=None``) or edit the one with that slug, from typed input."""
    from mtui.core.metrics.values import known_metrics

    campaigns, goals = store.strategy.campaigns(), store.strategy.goals()
    editing = find_campaign(campaigns, slug) if slug else None
    metrics = known_metrics(store) if raw.get("spend_metric") else None
    changes = campaign_changes(
        raw, campaigns=campaigns, goals=goals, editing=editing, metrics=metrics
    )
    return store.strategy.save_campaign(changes, editing.id if editing else None)


def campaign_record(campaign: Campaign, goals_by_id: Mapping[int, Goal]) -> dict[str, Any]:
    """A campaign as JSON-ready data, naming its goals by slug."""
    return {
        "id": campaign.id,
        "slug": campaign.slug,
        "name": campaign.name,
        "status": campaign.status,
        "owner": campaign.owner,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "budget": campaign.budget,
        "spend": campaign.spend,
        "colour": campaign.colour,
        "utm_campaign": campaign.utm_campaign,
        "spend_metric": campaign.spend_metric,
        "goals": [goals_by_id[g].slug for g in campaign.goal_ids if g in goals_by_id],
    }
