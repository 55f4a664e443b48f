"""``mtui standup`` (the stand-up report) and ``mtui campaign status``."""

from __future__ import annotations

import click

from mtui.cli.base import CliContext, echo_line, main, pass_cli, print_json
from mtui.cli.strategy import campaign


@main.command()
@click.option(
    "--since",
    metavar="WHEN",
    help="Window start: yesterday, monday, 3d, a date… (default: the last stand-up).",
)
@click.option("--owner", metavar="NAME", help="Only this owner's tasks (@ana or ana).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "text", "json"]),
    default="md",
    show_default=True,
    help="md pastes into Slack/Teams; text is for terminals.",
)
@click.option("--mark", is_flag=True, help="Record a stand-up held now (starts the next window).")
@pass_cli
def standup(cli: CliContext, since: str | None, owner: str | None, fmt: str, mark: bool) -> None:
    """Print the stand-up report: what changed, who is stuck, is the plan on track.

    md and text list at most 25 tasks per section, then how many more and the command
    that lists them all; json is complete. With --mark the report is printed first, then
    the stand-up is recorded, so the next report starts from now.
    """  # fmt: skip
    from mtui.cli.fast_standup import run_standup

    run_standup(cli, since, owner, fmt, mark)


@campaign.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def campaign_status_command(cli: CliContext, as_json: bool) -> None:
    """Each campaign: dates, tasks by column, budget pacing, goals and flags."""
    from mtui.core import clock
    from mtui.core.strategy.campaign_status import campaign_status, campaign_status_record
    from mtui.core.strategy.goals import format_value

    rows = campaign_status(cli.store)
    statuses = cli.store.tasks.statuses()
    if as_json:
        print_json([campaign_status_record(row, statuses) for row in rows])
        return
    for row in rows:
        c = row.campaign
        left = (
            f", {row.days_left}d left" if row.days_left is not None and row.days_left >= 0 else ""
        )
        echo_line(f"c:{c.slug}  {c.name}  [{c.status}]  {c.start_date or '?'} → "
                  f"{c.end_date or '?'}{left}")  # fmt: skip
        progress = f" ({row.progress:.0%} done)" if row.progress is not None else ""
        click.echo(f"  tasks: {row.counts_text or 'none'}{progress}")
        if c.budget:
            pace = f", pacing {row.pacing.percent:.0f}%" if row.pacing else ""
            spend = round(row.spend or 0) if row.spend_live is not None else row.spend or 0
            click.echo(f"  budget: {format_value(spend, 'currency')} of "
                       f"{format_value(c.budget, 'currency')}{pace}")  # fmt: skip
        if c.spend_metric:
            click.echo(f"  spend {row.spend_note(clock.now())}")
        if row.goals:
            echo_line(
                "  goals: " + ", ".join(f"^{g.goal.slug} {g.status or '—'}" for g in row.goals)
            )
        for flag in row.flags:
            click.echo(f"  ⚠ {flag}")
