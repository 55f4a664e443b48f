"""Text for the brief pane: sections and goals as Textual content markup.

Kept apart from the widgets so the layout rules (what a 30-column pane shows, what the
selected item expands to) are plain functions. Colours are theme variables only.
"""

from __future__ import annotations

import textwrap

import pendulum
from textual.markup import escape

from mtui.core.model import Brief, Goal
from mtui.core.strategy import brief as briefs
from mtui.core.strategy.goals import (
    elapsed_fraction,
    format_tactic_counts,
    format_value,
    goal_current,
    goal_progress,
    goal_status,
)
from mtui.core.strategy.overview import GoalsOverview

STATUS_STYLE = {
    "on track": "$success",
    "achieved": "$success",
    "at risk": "$warning",
    "off track": "$error",
    "missed": "$error",
    None: "$text-muted",
}
STATUS_MARK = {"achieved": "✔", "missed": "✖", None: "○"}


def clip(text: str, width: int, lines: int) -> list[str]:
    """Wrap ``text`` to ``width`` and keep at most ``lines`` lines, ending in "…" if cut."""
    wrapped = textwrap.wrap(" ".join(text.split()), max(8, width)) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = kept[-1][: max(1, width - 1)].rstrip() + "…"
    return kept


def _join(lines: list[str]) -> str:
    return "\n".join(escape(line) for line in lines)


# ------------------------------------------------------------------ sections


def section_text(sec: briefs.BriefSection, brief: Brief, width: int, *, expanded: bool) -> str:
    """A section: its title, then a summary (collapsed) or every field (expanded).

    Empty fields show their prompt, dimmed, so a new brief reads as a guide.
    """
    filled = [f for f in sec.fields if getattr(brief, f).strip()]
    title = f"[b]{escape(sec.title)}[/b]"
    if sec.key == "brand" and brief.name.strip():
        title = f"[b $accent]{escape(brief.name.strip())}[/]"
    if not filled:
        missing = sec.fields if expanded else sec.fields[:1]
        body = [
            f"[$text-muted i]○ {_join(clip(briefs.prompt(f), width - 2, 2))}[/]" for f in missing
        ]
        return "\n".join([title, *body])
    if expanded:
        return "\n".join([title, *_expanded_body(sec, brief, width)])
    lines = SUMMARY_LINES.get(sec.key, 2)
    return "\n".join([title, _join(clip(_summary(sec, brief), width, lines))])


# How many lines a collapsed section may take: the goals must stay in view at 45 rows.
SUMMARY_LINES = {"brand": 2, "customer": 2, "offer": 2, "positioning": 3, "message": 1, "mix": 1}


def _summary(sec: briefs.BriefSection, brief: Brief) -> str:
    if sec.key == "brand":
        return brief.mission or briefs.prompt("mission")
    if sec.key == "customer":
        bits = [brief.avatar_name, brief.avatar_pains and f"Pains: {brief.avatar_pains}"]
        return " — ".join(b for b in bits if b) or brief.avatar_profile
    if sec.key == "positioning":
        return briefs.positioning_statement(brief)
    if sec.key == "message":
        return f"“{brief.key_message}”" if brief.key_message else brief.brand_voice
    if sec.key == "mix":
        return brief.mix_price or brief.mix_product or brief.mix_place or brief.mix_promotion
    return brief.offer


def _expanded_body(sec: briefs.BriefSection, brief: Brief, width: int) -> list[str]:
    lines: list[str] = []
    if sec.key == "positioning":
        lines.append(f"[i]{_join(clip(briefs.positioning_statement(brief), width, 8))}[/i]")
    for name in sec.fields:
        value = getattr(brief, name).strip()
        label = briefs.label(name)
        if sec.key == "brand" and name == "name":
            continue
        if value:
            text = _join(clip(f"{label}: {value}", width, 6))
            lines.append(text.replace(escape(label) + ":", f"[$text-muted]{escape(label)}:[/]", 1))
        else:
            lines.append(
                f"[$text-muted i]○ {escape(label)}: {_join(clip(briefs.prompt(name), width - len(label) - 4, 2))}[/]"
            )
    return lines


# ------------------------------------------------------------------ goals


GoalContext = GoalsOverview  # what every goal line needs (core/strategy/overview.py)


def progress_bar(fraction: float | None, width: int) -> str:
    """``━━━━━─────`` in theme colours; an unknown fraction is a dim line."""
    if fraction is None:
        return f"[$text-muted]{'╌' * width}[/]"
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return f"[$accent]{'━' * filled}[/][$text-muted]{'─' * (width - filled)}[/]"


def goal_text(goal: Goal, depth: int, ctx: GoalContext, width: int, *, expanded: bool) -> str:
    """A goal in a few short lines: status mark and title; value/target with a bar;
    status, stage and due date; tactic counts; the "no execution" flag."""
    indent = "  " * depth
    inner = max(10, width - len(indent) - 2)
    current = goal_current(goal, ctx.metric_values)
    status = goal_status(goal, ctx.now, current)
    style = STATUS_STYLE.get(status, "$text-muted")
    mark = STATUS_MARK.get(status, "●")
    title_lines = clip(goal.title, inner, 3 if expanded else 1)
    lines = [f"{indent}[{style}]{mark}[/] [b]{escape(title_lines[0])}[/b]"]
    lines += [f"{indent}  [b]{escape(t)}[/b]" for t in title_lines[1:]]
    progress = goal_progress(goal, current)
    values = f"{format_value(current, goal.unit, compact=True)}/{format_value(goal.target, goal.unit, compact=True)}"
    pct = f" {progress:.0%}" if progress is not None else ""
    bar_width = min(24, max(3, inner - len(values) - len(pct) - 1))
    lines.append(f"{indent}  {escape(values)} {progress_bar(progress, bar_width)}{pct}")
    due = _short_date(goal.due_date)
    # No status yet: say which number is missing (a target, or a value to compare).
    unknown = "no target" if goal.target is None else "no value yet"
    lines.append(f"{indent}  [{style}]{status or unknown}[/]" + (f" · due {due}" if due else ""))
    counts = format_tactic_counts(ctx.alignment.counts(goal.id), ctx.statuses)
    facts = " · ".join(bit for bit in (goal.stage, counts) if bit)
    lines += [
        f"{indent}  [$text-muted]{escape(line)}[/]"
        for line in clip(facts, inner, 3 if expanded else 1)
    ]
    age = ctx.kpi_ages.get(goal.kpi_metric or "") if goal.kpi_metric in ctx.metric_values else None
    if age is not None and age.stale:  # the source stopped answering: say how old the number is
        lines.append(
            f"{indent}  [$warning]{escape(clip(f'⚠ stale · {age.age(ctx.now)}', inner, 1)[0])}[/]"
        )
    if goal.id in ctx.idle_goal_ids:
        lines.append(f"{indent}  [$warning]⚠ no open tactics[/]")
    if expanded:
        lines += _goal_details(goal, ctx, indent, inner)
    return "\n".join(lines)


def _goal_details(goal: Goal, ctx: GoalContext, indent: str, inner: int) -> list[str]:
    details = [
        ("slug", f"^{goal.slug}"),
        ("KPI", _kpi_detail(goal, ctx)),
        ("owner", f"@{goal.owner}" if goal.owner else ""),
        ("from", format_value(goal.baseline, goal.unit) if goal.baseline is not None else ""),
        ("dir", "lower is better" if goal.direction == "down" else ""),
        ("time", _elapsed(goal, ctx.now)),
        ("set by hand", goal.status_override or ""),
    ]
    lines = []
    for key, value in details:
        if value:
            first, *rest = clip(f"{key} {value}", inner, 2)
            lines.append(f"{indent}  [$text-muted]{escape(key)}[/]{escape(first[len(key) :])}")
            lines += [f"{indent}  {escape(more)}" for more in rest]
    return lines


def _kpi_detail(goal: Goal, ctx: GoalContext) -> str:
    """``site.visitors (as of 5m ago)`` for a live KPI; ``manual`` without one."""
    if not goal.kpi_metric:
        return "manual"
    age = ctx.kpi_ages.get(goal.kpi_metric)
    return f"{goal.kpi_metric} ({age.text(ctx.now)})" if age is not None else goal.kpi_metric


def _elapsed(goal: Goal, now: pendulum.DateTime) -> str:
    elapsed = elapsed_fraction(goal, now)
    return f"{elapsed:.0%} elapsed" if elapsed is not None else ""


def _short_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        day = pendulum.Date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return day.format("MMM D")
