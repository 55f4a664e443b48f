"""The stand-up report as Markdown for chat, as rich text, and as JSON.

All three come from one list of ``ReportSection`` objects whose items are runs of text tagged
with a role (owner, muted, good, bad, warn, strong), so the Markdown, the terminal text
and the TUI (which maps roles to theme variables) always say the same thing.

Markdown is written for Slack and Teams: bold section titles and ``-`` bullets only, no
headings, tables, nesting or HTML, which Slack would show literally.

The Markdown and text forms list at most ``LIST_LIMIT`` tasks per section, then say how
many more there are and which command lists them all ("… and 2,341 more overdue (mtui ls
--filter 'due:overdue')"): at 100,000 tasks a full report is megabytes nobody reads. The
JSON form is always complete.

JSON (``mtui standup --format json``), schema ``mtui.standup/1``::

    {
      "schema": "mtui.standup/1",
      "team": str,                      # the brief's product/brand name
      "generated_at": ISO datetime,     # local time with offset
      "window": {"start": ISO, "end": ISO, "from_standup": bool},
      "owner": str | null,              # the --owner filter, if any
      "done" | "started" | "added" | "overdue" | "due_today": [TASK, ...],
      "blocked": [TASK + {"reason": str|null, "since": ISO|null, "seconds": int|null}],
      "in_progress": [TASK + {"since": ISO|null, "seconds": int|null}],
      "goals": [{"slug", "title", "unit", "current", "target", "status", "previous",
                 "change", "kpi_fetched_at", "kpi_stale"}],
                                        # previous/change: KPI value at the window start;
                                        # kpi_*: for a live KPI, its reading's time and
                                        # whether its source failed since (else null)
      "campaigns": [{"slug", "name", "status", "budget", "spend", "pacing_percent",
                     "projected_spend", "pacing_flag", "flags": [str]}],
      "metrics": [{"source", "key", "value", "fetched_at", "previous", "delta",
                   "delta_percent"}]
    }

    TASK = {"id": int, "title": str, "owner": str|null, "status": str, "due": str|null,
            "priority": int|null, "goal": slug|null, "campaign": slug|null,
            "new": bool}              # new: blocked / started inside the window

Numbers are plain JSON numbers; times are ISO 8601; absent values are null.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import pendulum

from mtui.core import clock
from mtui.core.clock import elapsed
from mtui.core.language.clean import escape_controls
from mtui.core.language.dates import humanize_due
from mtui.core.metrics.display import delta_percent
from mtui.core.metrics.units import format_metric
from mtui.core.standup.report import StandupReport, TaskLine
from mtui.core.strategy.goals import format_value

SCHEMA = "mtui.standup/1"
Run = tuple[str, str]  # (text, role); role "" is plain
LIST_LIMIT = 25  # tasks per section in Markdown and text
FULL_LISTING = "mtui standup --format json"  # lists every task of every section


@dataclass(slots=True)
class ReportSection:
    key: str
    title: str
    items: list[list[Run]] = field(default_factory=list)
    count: int | None = None
    empty: str = "none"


# ------------------------------------------------------------------ shared wording


def age(since: str | pendulum.DateTime | None, now: pendulum.DateTime) -> str:
    """``35m`` / ``5h`` / ``3d``: how long ago ``since`` (a UTC stamp or a moment) was."""
    if not since:
        return "?"
    return elapsed((now - clock.moment(since)).total_seconds())


def _local(stamp_or_moment: Any, now: pendulum.DateTime) -> pendulum.DateTime:
    return clock.moment(stamp_or_moment).in_timezone(clock.zone_of(now))


def window_phrase(report: StandupReport) -> str:
    """``Since the stand-up on Mon 9 Mar 09:30 (23h ago)``."""
    start = _local(report.window.start, report.now)
    when = start.format("ddd D MMM HH:mm")
    ago = age(report.window.start, report.now)
    what = "the stand-up on " if report.window.from_standup else ""
    return f"Since {what}{when} ({ago} ago)"


def _task_runs(line: TaskLine, *, owner: bool = True) -> list[Run]:
    runs: list[Run] = [(line.task.title, "")]
    if owner and line.owner:
        runs += [(" · ", "muted"), (f"@{line.owner}", "owner")]
    if line.goal:
        runs += [(" · ", "muted"), (f"^{line.goal}", "muted")]
    return runs


def _reason(line: TaskLine) -> Run:
    """Why a task is blocked; a missing reason is said, since it is what to ask about."""
    if line.task.blocked_reason:
        return (line.task.blocked_reason, "")
    return ("no reason given", "warn")


def _grouped(
    lines: list[TaskLine], now: pendulum.DateTime, with_age: bool, sep: str = " · "
) -> list[list[Run]]:
    """One item per owner: ``@ana: Task A (3d) · Task B (1d)`` (``sep`` between tasks)."""
    items = []
    for owner, group in groupby(lines, key=lambda line: line.owner):
        runs: list[Run] = [(f"@{owner}" if owner else "unassigned", "owner"), (": ", "")]
        for index, line in enumerate(group):
            if index:
                runs.append((sep, "muted"))
            runs.append((line.task.title, ""))
            if with_age:
                runs.append((f" ({age(line.since, now)})", "warn" if line.new else "muted"))
        items.append(runs)
    return items


def _signed(value: float, unit: str) -> str:
    arrow = "▲" if value > 0 else "▼" if value < 0 else "="
    return f"{arrow} {format_value(abs(value), unit)}" if value else "= no change"


def _goal_role(status: str | None) -> str:
    return {"on track": "good", "achieved": "good", "at risk": "warn"}.get(
        status or "", "bad" if status else "muted"
    )


def _money(value: float | None) -> str:
    return format_value(value, "currency") if value is not None else "—"


# ------------------------------------------------------------------ sections


def sections(
    report: StandupReport,
    *,
    sep: str = " · ",
    limit: int | None = None,
    full_listing: str = FULL_LISTING,
) -> list[ReportSection]:
    """The report's sections in reading order: the team's changes, then the plan.

    ``sep`` separates one owner's tasks (a newline on screen, `` · `` in chat). With
    ``limit`` each task section shows that many tasks, then a line saying how many more
    and the command that lists them (``full_listing`` for the window's changes).
    """
    now = report.now

    def capped(key: str) -> list[TaskLine]:
        lines: list[TaskLine] = getattr(report, key)
        return lines if limit is None else lines[:limit]

    out = [
        ReportSection("done", "Done", _grouped(capped("done"), now, False, sep), report.count("done")),
        ReportSection("started", "Started", [_task_runs(t) for t in capped("started")],
                report.count("started")),
        ReportSection("added", "Added", [_task_runs(t) for t in capped("added")], report.count("added")),
        ReportSection("blocked", "Blocked", [
            [*_task_runs(t), (f" · blocked {age(t.since, now)}", "bad"),
             *([(" (new)", "warn")] if t.new else []),
             (" — ", "muted"), _reason(t)]
            for t in capped("blocked")], report.count("blocked")),
        ReportSection("overdue", "Overdue", [
            [*_task_runs(t), (f" · {humanize_due(t.task.due or '', now)}", "bad")]
            for t in capped("overdue")], report.count("overdue")),
        ReportSection("due_today", "Due today", [_task_runs(t) for t in capped("due_today")],
                report.count("due_today")),
        ReportSection("in_progress", "In progress",
                _grouped(capped("in_progress"), now, True, sep), report.count("in_progress")),
        ReportSection("goals", "Goals", _goal_items(report), empty="no goals yet"),
        ReportSection("campaigns", "Campaigns", _campaign_items(report), empty="no active campaigns"),
        ReportSection("metrics", "Metrics", _metric_items(report), empty="no metric values yet"),
    ]  # fmt: skip
    if limit is not None:
        for section in out:
            more = (section.count or 0) - min(section.count or 0, limit)
            if more:
                command = _listing_command(report, section.key, full_listing)
                section.items.append(_more_item(more, section.title.lower(), command))
    return out


def _quoted(text: str) -> str:
    """``text`` as one shell word, always in single quotes (as a user would type it)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _listing_command(report: StandupReport, key: str, full_listing: str) -> str:
    """A command that lists every task of a section: ``mtui ls`` where the filter
    language says the same thing, else the complete JSON report."""
    owner = f" @{report.owner.lstrip('@')}" if report.owner else ""
    if key == "overdue":
        return f"mtui ls --filter {_quoted('due:overdue' + owner)}"
    if key == "due_today":
        return f"mtui ls --filter {_quoted('due:today' + owner)}"
    if key in ("blocked", "in_progress"):
        lines: list[TaskLine] = getattr(report, key)
        column = f"mtui ls --status {_quoted(lines[0].status)}"
        return column + (f" --filter {_quoted(owner.strip())}" if owner else "")
    return full_listing


def _more_item(more: int, what: str, command: str) -> list[Run]:
    return [(f"… and {more:,} more {what} (", "muted"), (command, "code"), (")", "muted")]


def _goal_items(report: StandupReport) -> list[list[Run]]:
    items = []
    for g in report.goals:
        unit = g.goal.unit
        runs: list[Run] = [(g.goal.title, "strong"), (f" ^{g.goal.slug}", "muted"), (": ", ""),
                           (f"{format_value(g.current, unit)} / {format_value(g.goal.target, unit)}", ""),
                           (" · ", "muted"), (g.status or "no status", _goal_role(g.status))]  # fmt: skip
        if g.change is not None:
            runs += [(" · ", "muted"), (f"{_signed(g.change, unit)} since", "muted")]
        if g.kpi_age is not None and g.kpi_age.stale:
            runs += [(" · ", "muted"), (f"⚠ stale KPI, {g.kpi_age.text(report.now)}", "warn")]
        items.append(runs)
    return items


def _campaign_items(report: StandupReport) -> list[list[Run]]:
    items = []
    for row in report.campaigns:
        c, p = row.campaign, row.pacing
        runs: list[Run] = [(c.name, "strong"), (": ", "")]
        spend = round(row.spend_live) if row.spend_live is not None else row.spend
        runs.append((f"{_money(spend)} of {_money(c.budget)} spent", ""))
        if c.spend_metric:
            runs += [(" ", ""), (f"({row.spend_note(report.now)})", "muted")]
        if p:
            role = "warn" if p.flag else "good"
            runs += [(" · ", "muted"), (f"pacing {p.percent:.0f}%", role)]
        if row.days_left is not None and row.days_left >= 0:
            runs += [(" · ", "muted"), (f"{row.days_left}d left", "muted")]
        for flag in row.flags:
            runs += [(" · ", "muted"), (f"⚠ {flag}", "warn")]
        items.append(runs)
    return items


def _metric_items(report: StandupReport) -> list[list[Run]]:
    items = []
    for m in sorted(report.metrics, key=lambda m: (m.source, m.key)):
        runs: list[Run] = [(m.key, "strong"), (f" ({m.source})", "muted"), (": ", ""),
                           (format_metric(m.value, m.unit, compact=True), "")]  # fmt: skip
        pct = delta_percent(m.previous, m.value)
        if pct is not None:
            role = "good" if pct > 0 else "bad" if pct < 0 else "muted"
            arrow = "▲" if pct > 0 else "▼" if pct < 0 else "="
            runs += [(" ", ""), (f"{arrow}{abs(pct):.1f}%", role), (" since", "muted")]
        elif m.previous is None:
            runs.append((" (no earlier value)", "muted"))
        items.append(runs)
    return items


# ------------------------------------------------------------------ Markdown


def heading(report: StandupReport) -> str:
    team = f" · {report.team}" if report.team else ""
    who = f" · @{report.owner.lstrip('@')}" if report.owner else ""
    return escape_controls(f"Stand-up{team}{who} · {report.now.format('ddd D MMM YYYY HH:mm')}")


def _md_runs(runs: Iterable[Run]) -> str:
    """Runs as Markdown; control characters in stored text are shown escaped."""
    return "".join(
        f"**{escape_controls(text)}**"
        if role == "strong"
        else f"`{escape_controls(text)}`"
        if role == "code"
        else escape_controls(text)
        for text, role in runs
    )


def to_markdown(
    report: StandupReport, *, limit: int | None = LIST_LIMIT, full_listing: str = FULL_LISTING
) -> str:
    """Chat-ready Markdown (Slack, Teams): bold titles and ``-`` bullets; at most
    ``limit`` tasks per section (None: all)."""
    lines = [f"**{heading(report)}**", window_phrase(report)]
    for section in sections(report, limit=limit, full_listing=full_listing):
        count = f" ({section.count})" if section.count is not None else ""
        lines += ["", f"**{section.title}{count}**"]
        lines += [f"- {_md_runs(item)}" for item in section.items] or [f"- {section.empty}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ rich text

RICH_STYLES = {"strong": "bold", "owner": "cyan", "muted": "dim", "good": "green",
               "bad": "red", "warn": "yellow", "code": "bold cyan", "": ""}  # fmt: skip


def to_rich(
    report: StandupReport, *, limit: int | None = LIST_LIMIT, full_listing: str = FULL_LISTING
):
    """A rich renderable for terminals (rich drops the colours when piped); at most
    ``limit`` tasks per section (None: all)."""
    from rich.console import Group
    from rich.text import Text

    parts = [Text(heading(report), style="bold"), Text(window_phrase(report), style="dim")]
    for section in sections(report, limit=limit, full_listing=full_listing):
        count = f" ({section.count})" if section.count is not None else ""
        parts += [Text(""), Text(f"{section.title}{count}", style="bold underline")]
        for item in section.items or [[(section.empty, "muted")]]:
            text = Text("  • ")
            for chunk, role in item:
                text.append(escape_controls(chunk), style=RICH_STYLES.get(role, ""))
            parts.append(text)
    return Group(*parts)


# ------------------------------------------------------------------ JSON


def _iso(stamp: str | None, now: pendulum.DateTime) -> str | None:
    return _local(stamp, now).isoformat() if stamp else None


def _seconds(stamp: str | None, now: pendulum.DateTime) -> int | None:
    return int((now - clock.moment(stamp)).total_seconds()) if stamp else None


def _task_record(line: TaskLine) -> dict[str, Any]:
    t = line.task
    return {"id": t.id, "title": t.title, "owner": t.owner, "status": line.status, "due": t.due,
            "priority": t.priority, "goal": line.goal, "campaign": line.campaign, "new": line.new}  # fmt: skip


def to_json(report: StandupReport) -> dict[str, Any]:
    """The report as data; the schema is in the module docstring."""
    now = report.now
    tasks = {key: [_task_record(t) for t in getattr(report, key)]
             for key in ("done", "started", "added", "overdue", "due_today")}  # fmt: skip
    return {
        "schema": SCHEMA,
        "team": report.team,
        "generated_at": now.isoformat(),
        "window": {
            "start": report.window.start.isoformat(),
            "end": report.window.end.isoformat(),
            "from_standup": report.window.from_standup,
        },
        "owner": report.owner,
        **tasks,
        "blocked": [
            {
                **_task_record(t),
                "reason": t.task.blocked_reason,
                "since": _iso(t.since, now),
                "seconds": _seconds(t.since, now),
            }
            for t in report.blocked
        ],
        "in_progress": [
            {**_task_record(t), "since": _iso(t.since, now), "seconds": _seconds(t.since, now)}
            for t in report.in_progress
        ],
        "goals": [
            {
                "slug": g.goal.slug,
                "title": g.goal.title,
                "unit": g.goal.unit,
                "current": g.current,
                "target": g.goal.target,
                "status": g.status,
                "previous": g.previous,
                "change": g.change,
                "kpi_fetched_at": g.kpi_age.fetched_at if g.kpi_age else None,
                "kpi_stale": g.kpi_age.stale if g.kpi_age else None,
            }
            for g in report.goals
        ],
        "campaigns": [
            {
                "slug": r.campaign.slug,
                "name": r.campaign.name,
                "status": r.campaign.status,
                "budget": r.campaign.budget,
                "spend": r.spend,
                "spend_metric": r.campaign.spend_metric,
                "spend_as_of": r.spend_age.fetched_at if r.spend_age else None,
                "spend_stale": r.spend_age.stale if r.spend_age else None,
                "pacing_percent": round(r.pacing.percent, 1) if r.pacing else None,
                "projected_spend": round(r.pacing.projected_spend, 2) if r.pacing else None,
                "pacing_flag": r.pacing.flag if r.pacing else None,
                "flags": r.flags,
            }
            for r in report.campaigns
        ],
        "metrics": [
            {
                "source": m.source,
                "key": m.key,
                "value": m.value,
                "unit": m.unit,
                "fetched_at": m.fetched_at,
                "previous": m.previous,
                "delta": m.delta,
                "delta_percent": delta_percent(m.previous, m.value),
            }
            for m in report.metrics
        ],
    }
