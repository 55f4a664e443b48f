"""The stand-up report: what changed in a window, who is stuck, is the plan on track.

Changes come from the activity log, never from ``updated_at``. Each task touched in the
window is rewound from its current state by reverting its later events, which gives its
state at the window's start and end; only the net effect counts. So a task moved Doing →
Blocked → Doing → Done inside the window is reported once, as done, and one created and
deleted inside it appears nowhere. Undo events are ordinary changes here.

``build_report`` is pure (model objects in, report out); ``standup_report`` reads the
store. ``resolve_window`` turns ``--since`` into a window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pendulum

from mtui.core.errors import ValidationError
from mtui.core.metrics.values import KpiAge, MetricReading
from mtui.core.model import Campaign, Goal, Status, Task, TaskEvent
from mtui.core.strategy.campaign_status import CampaignRow
from mtui.core.strategy.goals import goal_current, goal_status, goal_tree

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SINCE_FORMS = (
    "last (stand-up), today, yesterday, week, a weekday (monday), 3d, 12h, or a date (2026-03-09)"
)


# ------------------------------------------------------------------ window


@dataclass(frozen=True, slots=True)
class Window:
    """The report covers ``start <= at < end``; ``from_standup`` if it starts at one."""

    start: pendulum.DateTime
    end: pendulum.DateTime
    from_standup: bool = False


def resolve_window(
    since: str | None, standups: list[str], now: pendulum.DateTime, week_start: str = "monday"
) -> Window:
    """``--since`` (or the last stand-up by default) → the report's window, up to now.

    Without a stand-up on record the default is the start of yesterday. Weekday names
    mean the last such day before today (on a Monday, ``monday`` is a week ago).
    """
    tz = now.timezone or pendulum.UTC
    phrase = (since or "last").strip().lower()
    today = now.start_of("day")
    if phrase in ("last", "standup", "stand-up"):
        held = [s for s in standups if s <= _stamp(now)]
        if held:
            return Window(_parse_stamp(held[-1]).in_timezone(tz), now, from_standup=True)
        return Window(today.subtract(days=1), now)
    if phrase == "today":
        return Window(today, now)
    if phrase == "yesterday":
        return Window(today.subtract(days=1), now)
    if phrase in ("week", "this week"):  # the config's week_start: monday or sunday
        first = WEEKDAYS.index(week_start) if week_start in WEEKDAYS else 0
        return Window(today.subtract(days=(now.weekday() - first) % 7), now)
    for index, name in enumerate(WEEKDAYS):
        if len(phrase) >= 3 and name.startswith(phrase):
            back = (now.weekday() - index) % 7 or 7
            return Window(today.subtract(days=back), now)
    match = re.fullmatch(r"-?(\d+)\s*([dhw])", phrase)
    if match:
        amount, unit = int(match.group(1)), {"d": "days", "h": "hours", "w": "weeks"}[match[2]]
        return Window(now.subtract(**{unit: amount}), now)
    try:
        parsed = pendulum.parse(since or "", tz=tz)
    except ValueError:
        parsed = None
    if isinstance(parsed, pendulum.DateTime) and parsed <= now:
        return Window(parsed, now)
    if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
        return Window(pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=tz), now)
    raise ValidationError(f"--since {since!r}: not understood; use {SINCE_FORMS}")


def _stamp(moment: pendulum.DateTime) -> str:
    from mtui.core import clock

    return clock.utc_stamp(moment)


def _parse_stamp(text: str) -> pendulum.DateTime:
    parsed = pendulum.parse(text)
    assert isinstance(parsed, pendulum.DateTime)
    return parsed


# ------------------------------------------------------------------ rewinding


def rewind(task: Task, later: Iterable[TaskEvent]) -> dict[str, Any] | None:
    """The task's fields before ``later`` (its events from some moment on, oldest first).

    None when the task did not exist or was deleted at that moment.
    """
    fields = task.fields()
    exists, alive = True, task.deleted_at is None
    for event in reversed(list(later)):
        if event.kind == "created":
            exists = False
        elif event.kind == "deleted":
            alive = True
        elif event.kind == "restored":
            alive = False
        elif event.field in fields:
            fields[event.field] = event.old
    return fields if exists and alive else None


# The log entries ``task_changes`` reads: a column change, or none of one field (a
# task's creation, deletion, restoring).
CHANGE_FIELDS = ("status_id", None)

# The lists a capped report reads only the first tasks of (``standup_report(shown=…)``).
CAPPED = ("overdue", "due_today", "in_progress")

# What ``entered_column`` and ``_blocked_since`` read from a task's history.
HISTORY_FIELDS = ("status_id", "blocked_reason")


def entered_column(history: Iterable[TaskEvent], status_id: int) -> str | None:
    """When the task last moved into ``status_id`` (None if the log never shows it)."""
    moments = [e.at for e in history if e.kind == "moved" and e.field == "status_id"
               and e.new == status_id]  # fmt: skip
    return moments[-1] if moments else None


# ------------------------------------------------------------------ the report


@dataclass(slots=True)
class TaskLine:
    """A task as the report shows it. ``since`` is when it entered its column (blocked,
    in progress) as a UTC stamp; ``new`` marks a state reached inside the window."""

    task: Task
    status: str
    goal: str | None = None
    campaign: str | None = None
    since: str | None = None
    new: bool = False

    @property
    def owner(self) -> str | None:
        return self.task.owner


@dataclass(slots=True)
class GoalLine:
    goal: Goal
    current: float | None
    previous: float | None
    status: str | None
    kpi_age: KpiAge | None = None  # set when ``current`` is a live metric value

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(slots=True)
class StandupReport:
    window: Window
    now: pendulum.DateTime
    team: str = ""
    owner: str | None = None
    done: list[TaskLine] = field(default_factory=list)
    started: list[TaskLine] = field(default_factory=list)
    added: list[TaskLine] = field(default_factory=list)
    blocked: list[TaskLine] = field(default_factory=list)
    overdue: list[TaskLine] = field(default_factory=list)
    due_today: list[TaskLine] = field(default_factory=list)
    in_progress: list[TaskLine] = field(default_factory=list)
    goals: list[GoalLine] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    metrics: list[MetricReading] = field(default_factory=list)
    # A list read only up to what is shown (``standup_report(shown=…)``): how many
    # tasks it has in all. A list not named here is complete.
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        """How many tasks the list ``key`` (``overdue``, ``in_progress``…) has in all."""
        lines: list[TaskLine] = getattr(self, key)
        return self.counts.get(key, len(lines))


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns the report cares about, found by name (board columns are user data)."""

    done: frozenset[int]
    doing: int | None
    blocked: int | None
    names: Mapping[int, str]

    @classmethod
    def of(cls, statuses: list[Status]) -> Columns:
        by_name = {s.name.lower(): s.id for s in statuses}
        open_ids = [s.id for s in sorted(statuses, key=lambda s: s.position) if not s.is_done]
        doing = by_name.get("doing") or by_name.get("in progress")
        blocked = by_name.get("blocked")
        if doing is None:  # the last open column that is not Blocked
            doing = next((i for i in reversed(open_ids) if i != blocked), None)
        return cls(frozenset(s.id for s in statuses if s.is_done), doing, blocked,
                   {s.id: s.name for s in statuses})  # fmt: skip


def owner_matches(task: Task, owner: str | None) -> bool:
    return owner_is(task.owner, owner)


def owner_is(name: str | None, owner: str | None) -> bool:
    """Whether a task owned by ``name`` is one of ``owner``'s (``--owner``; None: all)."""
    return owner is None or (name or "").lower() == owner.lstrip("@").lower()


def _owner_order(name: str | None, task_id: int) -> tuple[str, int]:
    """The order of lists grouped by owner: by name, the unowned last, then by id."""
    return ((name or "~").lower(), task_id)


def _by_owner(lines: list[TaskLine]) -> list[TaskLine]:
    return sorted(lines, key=lambda line: _owner_order(line.owner, line.task.id))


def task_changes(
    tasks: Mapping[int, Task], events: list[TaskEvent], window: Window, cols: Columns
) -> tuple[list[int], list[int], list[int]]:
    """Ids of tasks done, started and added in the window, by net effect; each task in
    at most one list (done before started before added)."""
    start, end = _stamp(window.start), _stamp(window.end)
    from_start: dict[int, list[TaskEvent]] = {}
    for event in events:
        if event.at >= start:
            from_start.setdefault(event.task_id, []).append(event)
    done, started, added = [], [], []
    for task_id, later in from_start.items():
        task = tasks.get(task_id)
        if task is None:
            continue
        after_end = [e for e in later if e.at > end]  # the end is inclusive: now
        if after_end:
            at_end = rewind(task, after_end)
            if at_end is None:
                continue
            status = at_end["status_id"]
        elif task.deleted_at is not None:  # rewinding nothing: the task as it is now
            continue
        else:
            status = task.status_id
        at_start = rewind(task, later)
        before = at_start["status_id"] if at_start else None
        if status in cols.done and before not in cols.done:
            done.append(task_id)
        elif status == cols.doing and before != cols.doing:
            started.append(task_id)
        elif at_start is None and any(e.kind == "created" for e in later):
            added.append(task_id)
    return done, started, added


def build_report(
    *,
    window: Window,
    now: pendulum.DateTime,
    tasks: Iterable[Task],
    events: list[TaskEvent],
    histories: Mapping[int, list[TaskEvent]],
    statuses: list[Status],
    goals: list[Goal],
    campaigns: list[Campaign],
    campaign_rows: list[CampaignRow] = (),  # type: ignore[assignment]
    metrics: list[MetricReading] = (),  # type: ignore[assignment]
    metric_values: Mapping[str, float] | None = None,
    metric_values_then: Mapping[str, float] | None = None,
    kpi_ages: Mapping[str, KpiAge] | None = None,
    owner: str | None = None,
    team: str = "",
    shown: int | None = None,
    counts: Mapping[str, int] | None = None,
) -> StandupReport:
    """The whole report. ``tasks``: every task the report may name (any others are
    ignored); ``events`` are the log from the window's start on (oldest first; its
    ``CHANGE_FIELDS`` entries at least);
    ``histories`` the log of tasks now blocked or in progress (their ``HISTORY_FIELDS``
    entries at least).

    With ``shown``, ``tasks`` need hold only the first ``shown`` tasks of each list in
    ``CAPPED`` (with their history), and ``counts`` says how many each has in all: those
    lists are cut to their first ``shown`` (any other task of theirs that ``tasks``
    holds sorts after them)."""
    cols = Columns.of(statuses)
    by_id = {t.id: t for t in tasks}
    goal_slugs = {g.id: g.slug for g in goals}
    campaigns_by_id = {c.id: c for c in campaigns}
    report = StandupReport(window=window, now=now, team=team, owner=owner)

    def line(task: Task, since: str | None = None, new: bool = False) -> TaskLine:
        campaign = campaigns_by_id.get(task.campaign_id) if task.campaign_id else None
        goal_id = task.goal_id or (campaign.goal_ids[0] if campaign and campaign.goal_ids else None)
        return TaskLine(task, cols.names.get(task.status_id, "?"), goal_slugs.get(goal_id or -1),
                        campaign.slug if campaign else None, since, new)  # fmt: skip

    done, started, added = task_changes(by_id, events, window, cols)
    for ids, target in ((done, report.done), (started, report.started), (added, report.added)):
        target.extend(_by_owner([line(by_id[i]) for i in ids if owner_matches(by_id[i], owner)]))

    start_stamp = _stamp(window.start)
    today = now.date()
    live = [t for t in by_id.values() if t.deleted_at is None and owner_matches(t, owner)]
    due_states: dict[str | None, str | None] = {}  # many tasks share a due date
    for task in sorted(live, key=lambda t: (t.due or "", t.id)):
        if task.status_id in cols.done:
            continue
        history = histories.get(task.id, [])
        if task.status_id == cols.blocked:
            since = entered_column(history, task.status_id) or _blocked_since(history, task)
            report.blocked.append(line(task, since, since >= start_stamp))
        if task.status_id == cols.doing:
            since = entered_column(history, task.status_id) or task.created_at
            report.in_progress.append(line(task, since, since >= start_stamp))
        if task.due not in due_states:
            due_states[task.due] = _due_state(task.due, now, today)
        due = due_states[task.due]
        if due == "overdue":
            report.overdue.append(line(task))
        elif due == "today":
            report.due_today.append(line(task))
    report.blocked.sort(key=lambda item: item.since or "")
    report.in_progress = _by_owner(report.in_progress)
    if shown is not None:
        for key in CAPPED:
            lines: list[TaskLine] = getattr(report, key)
            del lines[shown:]
        report.counts = dict(counts or {})

    values = metric_values or {}
    then = metric_values_then or {}
    for goal, _depth in goal_tree(goals):
        current = goal_current(goal, values)
        previous = then.get(goal.kpi_metric) if goal.kpi_metric else None
        is_live = goal.kpi_metric in values if goal.kpi_metric else False
        age = (kpi_ages or {}).get(goal.kpi_metric or "") if is_live else None
        report.goals.append(GoalLine(goal, current, previous, goal_status(goal, now, current), age))
    report.campaigns = [r for r in campaign_rows if r.campaign.status in ("active", "paused")]
    report.metrics = list(metrics)
    return report


def _blocked_since(history: list[TaskEvent], task: Task) -> str:
    reasons = [e.at for e in history if e.field == "blocked_reason" and e.new]
    return reasons[-1] if reasons else task.created_at


_DAY_FORM = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _due_state(due: str | None, now: pendulum.DateTime, today: pendulum.Date) -> str | None:
    """``overdue`` / ``today`` / None for a stored due value."""
    if not due:
        return None
    if len(due) == 10 and _DAY_FORM.fullmatch(due):  # a plain day: most due dates
        try:
            day = date.fromisoformat(due)
        except ValueError:  # 2026-02-30: pendulum refuses it too
            return None
        return "overdue" if day < today else "today" if day == today else None
    try:
        parsed = pendulum.parse(due, tz=now.timezone or pendulum.UTC)
    except ValueError:
        return None
    if not isinstance(parsed, pendulum.Date):
        return None
    if isinstance(parsed, pendulum.DateTime) and len(due) > 10:
        if parsed < now:
            return "overdue"
        return "today" if parsed.in_timezone(now.timezone or pendulum.UTC).date() == today else None
    day = parsed.date() if isinstance(parsed, pendulum.DateTime) else parsed
    if day < today:
        return "overdue"
    return "today" if day == today else None


# ------------------------------------------------------------------ reading the store


def standup_report(
    store, *, since: str | None = None, owner: str | None = None,
    now: pendulum.DateTime | None = None, shown: int | None = None,
) -> StandupReport:  # fmt: skip
    """Read everything the report needs from the store and build it.

    ``shown``: the most tasks a section will show (Markdown and text cap each list):
    then of the overdue, due today and in-progress lists only the tasks shown are read
    (with the history that says how long they have been in progress); the others are
    counted from their keys (``TaskKey``: id, column, owner, due). Blocked tasks are
    sorted by how long they have been blocked, so all of theirs is read. None (JSON,
    the TUI): everything."""
    from mtui.core import clock
    from mtui.core.metrics.values import (
        kpi_ages,
        latest_values,
        metric_ages,
        readings_since,
        values_at,
    )
    from mtui.core.strategy.campaign_status import campaign_counts, campaign_rows

    now = now or clock.now()
    from mtui.core.config.user_config import active_config

    window = resolve_window(since, store.settings.standups(), now, active_config().week_start)
    statuses, goals, campaigns = (
        store.tasks.statuses(),
        store.strategy.goals(),
        store.strategy.campaigns(),
    )
    cols = Columns.of(statuses)
    # Only the tasks the report can name, each by an index (a board of 100,000 tasks
    # and a year of history is read in milliseconds): those changed in the window,
    # and of those in progress, blocked, overdue or due today, the ones it shows.
    # Of the window's log, what can make a task done, started or added: a change of
    # column, a creation, a deletion, a restoring (``task_changes`` rewinds only those).
    # Most of a day's log edits other fields (titles, notes, positions): not read.
    events = store.tasks.events(since=_stamp(window.start), fields=CHANGE_FIELDS)
    lists = _task_lists(store, cols, owner, now)
    counts = {key: len(ids) for key, ids in lists.items()}
    if shown is not None:
        lists = {key: ids if key not in CAPPED else ids[:shown] for key, ids in lists.items()}
    wanted = {e.task_id for e in events}.union(*lists.values())
    tasks = {t.id: t for t in store.tasks.get_tasks(wanted)}
    # Of their history, only what says when they entered the column or were blocked.
    watched = [*lists["in_progress"], *lists["blocked"]]
    histories: dict[int, list[TaskEvent]] = {task_id: [] for task_id in watched}
    for event in store.tasks.events(task_ids=watched, fields=HISTORY_FIELDS):
        histories[event.task_id].append(event)
    readings = readings_since(store, window.start)
    values = latest_values(store)
    return build_report(
        window=window,
        now=now,
        tasks=tasks.values(),
        events=events,
        histories=histories,
        statuses=statuses,
        goals=goals,
        campaigns=campaigns,
        campaign_rows=campaign_rows(campaigns, goals, statuses,
                                    campaign_counts(store.tasks.task_alignment_counts(with_campaign=True)), values, now,
                                    metric_ages(store, [c.spend_metric for c in campaigns
                                                        if c.spend_metric], now)),
        metrics=readings,
        metric_values=values,
        metric_values_then=values_at(readings, goals),
        kpi_ages=kpi_ages(store, goals, now),
        owner=owner,
        team=store.strategy.brief().name,
        shown=shown,
        counts=counts,
    )  # fmt: skip


def _task_lists(
    store, cols: Columns, owner: str | None, now: pendulum.DateTime
) -> dict[str, list[int]]:
    """The ids of ``owner``'s tasks in progress, blocked, overdue and due today, each
    list in the report's order (blocked: none yet, they are sorted by their history),
    from the tasks' keys alone."""
    watched_columns = [c for c in (cols.doing, cols.blocked) if c is not None]
    keys = [k for k in store.tasks.task_keys(watched_columns) if owner_is(k[2], owner)]
    doing = sorted((k for k in keys if k[1] == cols.doing), key=lambda k: _owner_order(k[2], k[0]))
    lists = {"in_progress": [k[0] for k in doing],
             "blocked": [k[0] for k in keys if k[1] == cols.blocked],
             "overdue": [], "due_today": []}  # fmt: skip
    # A due written with a time and an offset (up to 14 hours either way) can be overdue
    # or due today here while its written date is up to two days after today.
    today = now.date()
    due_keys = [k for k in store.tasks.due_keys(today.add(days=3).isoformat())
                if owner_is(k[2], owner)]  # fmt: skip
    due_states: dict[str | None, str | None] = {}  # many tasks share a due date
    for _id, _status, _owner, due in sorted(due_keys, key=lambda k: (k[3] or "", k[0])):
        if due not in due_states:
            due_states[due] = _due_state(due, now, today)
        state = due_states[due]
        if state == "overdue" or state == "today":
            lists["overdue" if state == "overdue" else "due_today"].append(_id)
    return lists
