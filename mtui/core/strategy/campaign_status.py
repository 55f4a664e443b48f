"""Campaign status: dates, tasks per column, budget pacing, goals and flags.

Shared by the campaign screen (``C``), ``mtui campaign status`` and the stand-up report,
so all three say the same thing. Pure functions over model objects; ``campaign_status``
is the thin part that reads the store.

Pacing compares the share of budget spent with the share of time elapsed:

- days are counted inclusively: a campaign from the 1st to the 30th lasts 30 days, and on
  the 16th 16 of them have elapsed (today counts, as money is spent during it);
- ``pacing % = (spend / budget) / (elapsed days / total days) × 100``;
- ``projected spend = spend / elapsed days × total days``;
- beyond ±``PACING_TOLERANCE`` points from 100 % the campaign is flagged as over- or
  under-pacing. Campaigns that have not started, or lack dates or a budget, have none.

A campaign with a ``spend_metric`` (``SOURCE.KEY``, e.g. an ad-spend column of a sheet)
paces on that metric's newest value instead of the typed spend, and says how old that
value is; when its source has failed since, or the value is older than twice the
source's interval, the spend is marked stale (and flagged). Until the metric has a
value, the typed spend is used and a flag says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pendulum

from mtui.core.language.dates import parse_day
from mtui.core.model import Campaign, Goal, Status
from mtui.core.strategy.goals import format_value, goal_current, goal_status

if TYPE_CHECKING:
    from mtui.core.metrics.values import KpiAge
    from mtui.core.store.contract import Store  # a type only: the module costs start-up

PACING_TOLERANCE = 20.0
"""Pacing within 100 % ± this many points is fine; beyond it is flagged."""


@dataclass(frozen=True, slots=True)
class Pacing:
    budget: float
    spend: float
    elapsed_days: int
    total_days: int
    percent: float
    projected_spend: float

    @property
    def flag(self) -> str | None:
        """``over`` / ``under`` beyond the tolerance, else None."""
        if self.percent > 100 + PACING_TOLERANCE:
            return "over"
        if self.percent < 100 - PACING_TOLERANCE:
            return "under"
        return None


def _days_between(first: pendulum.Date, second: pendulum.Date) -> int:
    """Signed whole days from ``first`` to ``second``."""
    return second.toordinal() - first.toordinal()


def pacing(campaign: Campaign, today: pendulum.Date, spend: float | None = None) -> Pacing | None:
    """Budget pacing at ``today`` (see the module docstring), or None when undefined;
    ``spend`` (a live spend metric's value) instead of the campaign's typed spend."""
    start, end = parse_day(campaign.start_date), parse_day(campaign.end_date)
    if start is None or end is None or not campaign.budget or campaign.status == "planned":
        return None
    total = _days_between(start, end) + 1
    elapsed = min(_days_between(start, today) + 1, total)
    if total <= 0 or elapsed <= 0:
        return None
    spend = (campaign.spend if spend is None else spend) or 0.0
    percent = (spend / campaign.budget) / (elapsed / total) * 100.0
    return Pacing(campaign.budget, spend, elapsed, total, percent, spend / elapsed * total)


@dataclass(slots=True)
class GoalState:
    goal: Goal
    current: float | None
    status: str | None


@dataclass(slots=True)
class CampaignRow:
    """One campaign as the status screen shows it."""

    campaign: Campaign
    days_left: int | None
    counts: dict[int, int]
    counts_text: str
    done: int
    total: int
    pacing: Pacing | None
    goals: list[GoalState] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    spend_live: float | None = None  # the spend metric's newest value, when it has one
    spend_age: KpiAge | None = None  # how old that value is, and whether it is stale

    @property
    def spend(self) -> float | None:
        """What has been spent: the spend metric's value when there is one, else typed."""
        return self.campaign.spend if self.spend_live is None else self.spend_live

    def spend_note(self, now: datetime) -> str:
        """``from sheet.ad_spend, as of 3h ago`` ("" for a typed spend; the flags say
        when that value is stale)."""
        metric = self.campaign.spend_metric
        if not metric:
            return ""
        if self.spend_live is None:
            return f"from {metric}: no value yet"
        return f"from {metric}, {self.spend_age.text(now) if self.spend_age else 'as of ?'}"

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def progress(self) -> float | None:
        return self.done / self.total if self.total else None


def counts_text(counts: Mapping[int, int], statuses: Iterable[Status]) -> str:
    """``4 next · 2 doing · 1 blocked · 9 done``: board order, empty columns left out."""
    ordered = sorted(statuses, key=lambda s: (s.position, s.id))
    return " · ".join(f"{counts[s.id]} {s.name.lower()}" for s in ordered if counts.get(s.id))


def campaign_counts(
    rows: Iterable[tuple[int | None, int | None, int, int]],
) -> dict[int, dict[int, int]]:
    """Campaign id → status id → live tasks, from ``store.tasks.task_alignment_counts()`` rows."""
    result: dict[int, dict[int, int]] = {}
    for _goal_id, campaign_id, status_id, count in rows:
        if campaign_id is not None:
            per = result.setdefault(campaign_id, {})
            per[status_id] = per.get(status_id, 0) + count
    return result


def campaign_rows(
    campaigns: Iterable[Campaign],
    goals: Iterable[Goal],
    statuses: list[Status],
    counts_by_campaign: Mapping[int, Mapping[int, int]],
    metric_values: Mapping[str, float],
    now: pendulum.DateTime,
    metric_ages: Mapping[str, KpiAge] | None = None,
) -> list[CampaignRow]:
    """One row per campaign, in the store's order (``metric_ages``: the spend metrics'
    ages, ``values.metric_ages``)."""
    goals_by_id = {g.id: g for g in goals}
    done_ids = {s.id for s in statuses if s.is_done}
    today = now.date()
    rows = []
    for campaign in campaigns:
        counts = dict(counts_by_campaign.get(campaign.id, {}))
        end = parse_day(campaign.end_date)
        live = metric_values.get(campaign.spend_metric) if campaign.spend_metric else None
        row = CampaignRow(
            campaign=campaign,
            days_left=_days_between(today, end) if end else None,
            counts=counts,
            counts_text=counts_text(counts, statuses),
            done=sum(n for sid, n in counts.items() if sid in done_ids),
            total=sum(counts.values()),
            pacing=pacing(campaign, today, live),
            spend_live=live,
            spend_age=(metric_ages or {}).get(campaign.spend_metric or "") if live is not None else None,
        )  # fmt: skip
        for goal_id in campaign.goal_ids:
            goal = goals_by_id.get(goal_id)
            if goal is None:
                continue
            current = goal_current(goal, metric_values)
            row.goals.append(GoalState(goal, current, goal_status(goal, now, current)))
            if goal.kpi_metric and goal.kpi_metric in metric_values:
                row.metrics[goal.kpi_metric] = metric_values[goal.kpi_metric]
        row.flags = campaign_flags(row, today, now)
        rows.append(row)
    return rows


def campaign_flags(
    row: CampaignRow, today: pendulum.Date, now: datetime | None = None
) -> list[str]:
    """Why a campaign needs attention, as short sentences (empty when all is well)."""
    flags = []
    status = row.campaign.status
    if status == "active" and row.open == 0:
        flags.append("active with no open tasks")
    end = parse_day(row.campaign.end_date)
    if end is not None and end < today and row.open and status != "done":
        days = _days_between(end, today)
        flags.append(f"ended {days}d ago with {row.open} open task{'s' * (row.open != 1)}")
    metric = row.campaign.spend_metric
    if metric and row.spend_live is None:
        flags.append(f"spend metric {metric} has no value yet: pacing uses the typed spend")
    elif metric and row.spend_age is not None and row.spend_age.stale:
        when = f" ({row.spend_age.text(now)})" if now is not None else ""
        flags.append(f"spend from {metric} is stale{when}")
    if row.pacing and row.pacing.flag:
        projected = format_value(round(row.pacing.projected_spend), "currency")
        flags.append(f"{row.pacing.flag}-pacing: projected {projected} of "
                     f"{format_value(row.pacing.budget, 'currency')}")  # fmt: skip
    return flags


def campaign_status_record(row: CampaignRow, statuses: list[Status]) -> dict[str, object]:
    """A row as JSON-ready data (``mtui campaign status --json``)."""
    c, p = row.campaign, row.pacing
    names = {s.id: s.name for s in statuses}
    return {
        "slug": c.slug,
        "name": c.name,
        "status": c.status,
        "owner": c.owner,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "days_left": row.days_left,
        "tasks": {names.get(sid, str(sid)): n for sid, n in row.counts.items()},
        "tasks_summary": row.counts_text,
        "done": row.done,
        "total": row.total,
        "progress": round(row.progress, 4) if row.progress is not None else None,
        "budget": c.budget,
        "spend": row.spend,
        "spend_metric": c.spend_metric,
        "spend_as_of": row.spend_age.fetched_at if row.spend_age else None,
        "spend_stale": row.spend_age.stale if row.spend_age else None,
        "pacing_percent": round(p.percent, 1) if p else None,
        "projected_spend": round(p.projected_spend, 2) if p else None,
        "pacing_flag": p.flag if p else None,
        "goals": [
            {"slug": g.goal.slug, "current": g.current, "target": g.goal.target, "status": g.status}
            for g in row.goals
        ],
        "metrics": row.metrics,
        "flags": row.flags,
    }


def campaign_status(store: Store, now: pendulum.DateTime | None = None) -> list[CampaignRow]:
    """Read what the rows need from the store (one aggregate query for the counts)."""
    from mtui.core import clock
    from mtui.core.metrics.values import latest_values, metric_ages

    now = now or clock.now()
    campaigns = store.strategy.campaigns()
    spend_metrics = [c.spend_metric for c in campaigns if c.spend_metric]
    return campaign_rows(
        campaigns,
        store.strategy.goals(),
        store.tasks.statuses(),
        campaign_counts(store.tasks.task_alignment_counts()),
        latest_values(store),
        now,
        metric_ages(store, spend_metrics, now) if spend_metrics else None,
    )
