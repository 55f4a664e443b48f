"""What a quick-add line means, token by token, for the live preview (pure, no Textual).

Each understood field becomes a ``Chip``; each problem (a bad token, or a goal/campaign/
status that is not in the database) becomes a ``Problem`` with its offsets so the input
can highlight it. Name lists are passed in (``Names``), cached by the screen, so this
runs on every keystroke without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum

from mtui.core import clock
from mtui.core.language.dates import distance_warning, humanize_due, parse_when
from mtui.core.language.quickadd import (
    TEXT_KINDS,
    QuickAddError,
    Token,
    format_estimate,
    parse_estimate,
    parse_priority,
    scan,
    title_of,
)
from mtui.core.language.resolve import ResolveError, resolve_campaign, resolve_goal, resolve_status
from mtui.core.model import Campaign, Channel, Goal, Status

PRIORITY_NAMES = {1: "high", 2: "med", 3: "low"}


@dataclass(frozen=True, slots=True)
class Names:
    """The rows names are resolved against (read once per screen, refreshed after saves)."""

    statuses: list[Status]
    goals: list[Goal]
    campaigns: list[Campaign]
    channels: list[Channel]
    default_status: str
    owners: frozenset[str] = frozenset()  # casefolded owners already in use
    me: str | None = None  # who ``@me`` is (the store's actor)


@dataclass(frozen=True, slots=True)
class Chip:
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Problem:
    start: int
    end: int
    message: str
    pending: bool = False  # the token being typed: not an error yet


@dataclass(slots=True)
class Preview:
    title: str
    chips: list[Chip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Things worth a second look that do not stop the save (a due date years away).
    warnings: list[str] = field(default_factory=list)

    @property
    def first_error(self) -> Problem | None:
        return next((p for p in self.problems if not p.pending), None)


def due_label(iso: str, now: pendulum.DateTime) -> str:
    """``Fri 27 Nov · tomorrow`` (the real date and how far away it is)."""
    due = parse_when(iso, now)
    day = due.day
    text = day.format("ddd D MMM") + (f" {day.year}" if day.year != now.year else "")
    if due.at is not None:
        text += " " + due.at.in_timezone(clock.zone_of(now)).format("HH:mm")
    return f"{text} · {humanize_due(due.iso, now)}"


def _chip(token: Token, names: Names, now: pendulum.DateTime) -> Chip:
    """The chip for a valid field token; raises ResolveError/ValueError when it is not."""
    kind, value = token.kind, token.value
    if kind == "priority":
        priority = parse_priority(value)
        return Chip(kind, f"!{priority} {PRIORITY_NAMES[priority]}")
    if kind == "due":
        return Chip(kind, "due " + due_label(value, now))
    if kind == "estimate":
        return Chip(kind, "est " + format_estimate(parse_estimate(value)))
    if kind == "goal":
        goal = resolve_goal(value, names.goals, token.start)
        return Chip(kind, f"^{goal.slug} {goal.title}")
    if kind == "campaign":
        campaign = resolve_campaign(value, names.campaigns, token.start)
        return Chip(kind, f"c:{campaign.slug} {campaign.name}")
    if kind == "status":
        return Chip(kind, "→ " + resolve_status(value, names.statuses, token.start).name)
    if kind == "channel":
        known = any(c.name.casefold() == value.casefold() for c in names.channels)
        return Chip(kind, f"#{value}" + ("" if known else " (new)"))
    if kind == "owner":
        if value.casefold() == "me" and names.me:
            return Chip(kind, f"@me ({names.me})")
        return Chip(kind, f"@{value}" + ("" if value.casefold() in names.owners else " (new)"))
    return Chip(kind, "+" + value)


def build_preview(
    text: str, now: pendulum.DateTime, names: Names, cursor: int | None = None
) -> Preview:
    """Chips and problems for ``text``; a problem in the token ending at ``cursor`` is
    marked pending (the user is still typing it), so the preview does not shout early."""
    tokens = scan(text, now)
    title = title_of(tokens, text)
    preview = Preview(title=title)
    has_status = False
    for token in tokens:
        if token.kind in TEXT_KINDS:
            continue
        pending = cursor is not None and token.start < cursor <= token.end
        if token.kind == "error":
            message = token.message or "invalid token"
            preview.problems.append(Problem(token.start, token.end, message, pending))
            continue
        try:
            preview.chips.append(_chip(token, names, now))
        except (ResolveError, QuickAddError, ValueError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            preview.problems.append(Problem(token.start, token.end, message, pending))
            continue
        if token.kind == "due" and (
            warning := distance_warning(parse_when(token.value, now).iso, now)
        ):
            preview.warnings.append(warning)
        has_status = has_status or token.kind == "status"
    if not has_status:
        preview.chips.insert(0, Chip("status", "→ " + names.default_status))
    if not title and tokens:
        preview.problems.append(Problem(0, 0, "a task needs a title: add some words", True))
    return preview
