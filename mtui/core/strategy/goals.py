"""Goal arithmetic: progress, status, and how much execution serves each goal.

Pure functions over model objects, shared by the brief pane, ``mtui goal ls``, the
stand-up report and the campaign screen. Nothing here reads the store.

Status rules (``goal_status``), in order:

1. ``status_override`` set by hand wins.
2. No target or no current value: ``None`` (unknown; shown as "—").
3. Target reached (``current >= target`` going up, ``<=`` going down): **achieved**.
4. Past the due date and not reached: **missed**.
5. Otherwise progress (share of the way from baseline to target) is compared with
   elapsed time (share of the way from start to due date). With ``gap = elapsed -
   progress``: ``gap <= 0.10`` is **on track**, ``gap <= 0.25`` is **at risk**, more is
   **off track**. Without both dates there is no schedule to be behind: a goal moving
   the right way (or not yet moving) is on track, one moving the wrong way off track.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mtui.core.model import Campaign, Goal, Status, Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pendulum

ON_TRACK_SLACK = 0.10
"""Progress may trail elapsed time by this share and still be on track."""
AT_RISK_SLACK = 0.25
"""Trailing by more than ON_TRACK_SLACK and up to this is at risk; beyond, off track."""


# ------------------------------------------------------------------ current value


def goal_current(
    goal: Goal, latest_metric_values: Mapping[str, float] | None = None
) -> float | None:
    """The goal's current KPI value.

    The plug point for live metrics: pass ``latest_metric_values`` (metric key → latest
    value, e.g. from ``store.metrics.latest_snapshots()``) and a goal whose ``kpi_metric`` has a
    value there uses it; otherwise the manual ``current`` field is used.
    """
    if latest_metric_values and goal.kpi_metric and goal.kpi_metric in latest_metric_values:
        return latest_metric_values[goal.kpi_metric]
    return goal.current


# ------------------------------------------------------------------ progress and time


def goal_progress(goal: Goal, current: float | None = None) -> float | None:
    """Share of the way from baseline to target (0.0 at baseline, 1.0 at target).

    Not clamped: above 1 is beyond target, below 0 is worse than the baseline. Without a
    baseline an "up" goal starts from 0; a "down" goal without one uses target/current.
    ``current`` defaults to ``goal.current``.
    """
    value = goal.current if current is None else current
    if value is None or goal.target is None:
        return None
    baseline = goal.baseline
    if baseline is None:
        if goal.direction == "down":
            return 1.0 if value <= goal.target else (goal.target / value if value else None)
        baseline = 0.0
    span = goal.target - baseline
    if span == 0:
        return 1.0 if _reached(goal, value) else 0.0
    return (value - baseline) / span


def elapsed_fraction(goal: Goal, now: pendulum.DateTime) -> float | None:
    """Share of the time from start to due date that has passed, clamped to 0..1.

    ``None`` unless both dates are set. The due date counts as a whole day.
    """
    import pendulum

    from mtui.core.language.dates import parse_day  # pendulum: only where dates are read

    start, due = parse_day(goal.start_date), parse_day(goal.due_date)
    if start is None or due is None:
        return None
    total = (due.add(days=1) - start).in_seconds()
    if total <= 0:
        return 1.0
    passed = (now.naive() - pendulum.naive(start.year, start.month, start.day)).in_seconds()
    return min(1.0, max(0.0, passed / total))


def goal_status(goal: Goal, now: pendulum.DateTime, current: float | None = None) -> str | None:
    """On track / at risk / off track / achieved / missed (see the module docstring)."""
    if goal.status_override:
        return goal.status_override
    value = goal.current if current is None else current
    if value is None or goal.target is None:
        return None
    if _reached(goal, value):
        return "achieved"
    from mtui.core.language.dates import parse_day

    due = parse_day(goal.due_date)
    if due is not None and now.date() > due:
        return "missed"
    progress = goal_progress(goal, value)
    elapsed = elapsed_fraction(goal, now)
    if progress is None:
        return None
    if elapsed is None:
        return "off track" if progress < 0 else "on track"
    gap = elapsed - progress
    if gap <= ON_TRACK_SLACK:
        return "on track"
    if gap <= AT_RISK_SLACK:
        return "at risk"
    return "off track"


def _reached(goal: Goal, value: float) -> bool:
    assert goal.target is not None
    return value <= goal.target if goal.direction == "down" else value >= goal.target


# ------------------------------------------------------------------ goal tree


def child_goals(goal: Goal, goals: Iterable[Goal]) -> list[Goal]:
    """The key results directly under ``goal``."""
    return [g for g in goals if g.parent_id == goal.id]


def goal_tree(goals: Iterable[Goal]) -> list[tuple[Goal, int]]:
    """Goals in display order with their depth: each objective followed by its key
    results. Goals whose parent is missing are shown at the top level."""
    goals = list(goals)
    ids = {g.id for g in goals}
    ordered: list[tuple[Goal, int]] = []
    seen: set[int] = set()

    def walk(goal: Goal, depth: int) -> None:
        if goal.id in seen:
            return
        seen.add(goal.id)
        ordered.append((goal, depth))
        for child in child_goals(goal, goals):
            walk(child, depth + 1)

    for goal in goals:
        if goal.parent_id is None or goal.parent_id not in ids:
            walk(goal, 0)
    for goal in goals:  # cycles (never written by mtui, but be safe)
        walk(goal, 0)
    return ordered


# ------------------------------------------------------------------ alignment


def served_goals(
    goal_id: int | None, campaign_id: int | None, campaign_goals: Mapping[int, Iterable[int]]
) -> set[int]:
    """The goals a tactic serves: its own goal plus those of its campaign."""
    served = {goal_id} if goal_id else set()
    if campaign_id:
        served.update(campaign_goals.get(campaign_id, ()))
    return served


def campaign_goal_map(campaigns: Iterable[Campaign]) -> dict[int, list[int]]:
    return {c.id: list(c.goal_ids) for c in campaigns}


@dataclass(slots=True)
class Alignment:
    """How execution maps onto the goals.

    ``by_goal`` maps goal id → status id → number of live tasks serving that goal
    (directly or through a campaign; a task counts once per goal). ``orphans`` counts
    open tasks (not in a done column) serving no goal at all.
    """

    by_goal: dict[int, dict[int, int]] = field(default_factory=dict)
    orphans: int = 0

    def counts(self, goal_id: int) -> dict[int, int]:
        return self.by_goal.get(goal_id, {})

    def open_count(self, goal_id: int, done_status_ids: Iterable[int]) -> int:
        done = set(done_status_ids)
        return sum(n for sid, n in self.counts(goal_id).items() if sid not in done)


def tally(
    rows: Iterable[tuple[int | None, int | None, int, int]],
    campaigns: Iterable[Campaign],
    done_status_ids: Iterable[int],
) -> Alignment:
    """Build an Alignment from ``(goal_id, campaign_id, status_id, count)`` rows, the
    shape of ``store.tasks.task_alignment_counts()`` (one aggregate query, even at 10k tasks)."""
    campaign_goals = campaign_goal_map(campaigns)
    done = set(done_status_ids)
    result = Alignment()
    for goal_id, campaign_id, status_id, count in rows:
        served = served_goals(goal_id, campaign_id, campaign_goals)
        if not served and status_id not in done:
            result.orphans += count
        for gid in served:
            per_status = result.by_goal.setdefault(gid, {})
            per_status[status_id] = per_status.get(status_id, 0) + count
    return result


def tally_tasks(
    tasks: Iterable[Task], campaigns: Iterable[Campaign], done_status_ids: Iterable[int]
) -> Alignment:
    """``tally`` over task objects (for callers that already hold the tasks)."""
    return tally(
        ((t.goal_id, t.campaign_id, t.status_id, 1) for t in tasks if t.deleted_at is None),
        campaigns,
        done_status_ids,
    )


def orphan_tasks(
    tasks: Iterable[Task], campaigns: Iterable[Campaign], done_status_ids: Iterable[int]
) -> list[Task]:
    """Open, live tasks that serve no goal, directly or through their campaign."""
    campaign_goals = campaign_goal_map(campaigns)
    done = set(done_status_ids)
    return [
        t
        for t in tasks
        if t.deleted_at is None
        and t.status_id not in done
        and not served_goals(t.goal_id, t.campaign_id, campaign_goals)
    ]


def goals_without_execution(
    goals: Iterable[Goal], alignment: Alignment, done_status_ids: Iterable[int]
) -> list[Goal]:
    """Goals that no open tactic serves: "strategy without execution".

    A goal already achieved or closed (by hand, or its manual current value reached the
    target) is not flagged, and an objective whose key results have open tactics counts
    as executed.
    """
    goals = list(goals)
    done = set(done_status_ids)
    executed = {g.id for g in goals if alignment.open_count(g.id, done)}
    for goal, _depth in reversed(goal_tree(goals)):  # children before parents
        if goal.parent_id is not None and goal.id in executed:
            executed.add(goal.parent_id)
    return [g for g in goals if g.id not in executed and not _closed(g)]


def _closed(goal: Goal) -> bool:
    if goal.status_override in ("achieved", "missed"):
        return True
    return goal.current is not None and goal.target is not None and _reached(goal, goal.current)


def format_tactic_counts(counts: Mapping[int, int], statuses: Iterable[Status]) -> str:
    """``3 doing · 5 next · 12 done``: open columns from nearest-done backwards, then the
    done column(s); empty columns are left out. "" when there are no tactics."""
    ordered = sorted(statuses, key=lambda s: (s.is_done, -s.position))
    parts = [f"{counts[s.id]} {s.name.lower()}" for s in ordered if counts.get(s.id)]
    return " · ".join(parts)


# ------------------------------------------------------------------ display helpers


def format_value(value: float | None, unit: str, *, compact: bool = False) -> str:
    """A KPI value for people: ``1,240`` / ``12.3k`` (compact), ``2.1%``, ``0.42``."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}%".replace(".0%", "%")
    if unit == "ratio":
        return f"{value:.2f}"
    prefix = "$" if unit == "currency" else ""
    if compact and abs(value) >= 10_000:
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= size:
                return f"{prefix}{value / size:.1f}{suffix}".replace(".0" + suffix, suffix)
    if float(value).is_integer():
        return f"{prefix}{int(value):,}"
    return f"{prefix}{value:,.1f}"


def goal_record(
    goal: Goal,
    *,
    now: pendulum.DateTime,
    goals_by_id: Mapping[int, Goal],
    alignment: Alignment,
    statuses: list[Status],
    latest_metric_values: Mapping[str, float] | None = None,
) -> dict[str, object]:
    """A goal as JSON-ready data with its computed status, progress and tactic counts
    (``mtui goal ls --json``; the stand-up report can reuse it)."""
    current = goal_current(goal, latest_metric_values)
    done_ids = {s.id for s in statuses if s.is_done}
    counts = alignment.counts(goal.id)
    names = {s.id: s.name for s in statuses}
    progress = goal_progress(goal, current)
    parent = goals_by_id.get(goal.parent_id) if goal.parent_id else None
    return {
        "id": goal.id,
        "slug": goal.slug,
        "title": goal.title,
        "stage": goal.stage,
        "kpi_metric": goal.kpi_metric,
        "unit": goal.unit,
        "direction": goal.direction,
        "baseline": goal.baseline,
        "target": goal.target,
        "current": current,
        "start_date": goal.start_date,
        "due_date": goal.due_date,
        "owner": goal.owner,
        "parent": parent.slug if parent else None,
        "status": goal_status(goal, now, current),
        "status_override": goal.status_override,
        "progress": round(progress, 4) if progress is not None else None,
        "elapsed": _rounded(elapsed_fraction(goal, now)),
        "tactics": {names[sid]: n for sid, n in counts.items() if sid in names},
        "open_tactics": alignment.open_count(goal.id, done_ids),
        "tactics_summary": format_tactic_counts(counts, statuses),
    }


def _rounded(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
