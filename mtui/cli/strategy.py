"""Strategy commands: ``mtui brief``, ``mtui goal add|ls|edit``, ``mtui campaign add|ls|edit``.

``campaign`` is a module-level group so other modules can add subcommands to it
(``campaign status``). Validation lives in ``mtui.core.strategy.input``; bad input
raises ValidationError/NotFound, which the root group turns into one line and exit 2.
"""

from __future__ import annotations

from typing import Any

import click

from mtui.cli.base import CliContext, echo_line, main, pass_cli, print_json

# ------------------------------------------------------------------------ brief


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def brief(ctx: click.Context, as_json: bool) -> None:
    """Show the strategic brief (with the composed positioning statement)."""
    if ctx.invoked_subcommand is not None:
        return
    from mtui.core.strategy.brief import SECTIONS, brief_record, label, positioning_statement

    cli = ctx.find_object(CliContext)
    assert cli is not None
    current = cli.store.strategy.brief()
    if as_json:
        print_json(brief_record(current))
        return
    if not current.version:
        click.echo("The brief is empty. Fill it in with `mtui brief edit`.")
        return
    echo_line(f"{current.name or 'Brief'} (version {current.version}, {current.updated_at})")
    for sec in SECTIONS:
        click.echo(f"\n{sec.title}")
        for name in sec.fields:
            value = getattr(current, name) or "—"
            echo_line(f"  {label(name)}: {value}", multiline=True)
        if sec.key == "positioning" and positioning_statement(current):
            echo_line(f"  → {positioning_statement(current)}", multiline=True)


@brief.command(name="edit")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=VALUE",
              help="Set a field without an editor (repeatable); \\n makes a new line.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the saved brief as JSON.")
@pass_cli
def brief_edit(cli: CliContext, assignments: tuple[str, ...], as_json: bool) -> None:
    """Edit the brief in $EDITOR (key: value lines), or with --set. Every save is a version."""
    from mtui.core.errors import ValidationError
    from mtui.core.strategy.brief import (
        brief_record,
        brief_to_text,
        clean_fields,
        parse_assignments,
        parse_brief_text,
    )

    before = cli.store.strategy.brief()
    if assignments:
        fields = parse_assignments(list(assignments))
    else:
        edited = click.edit(brief_to_text(before), extension=".txt", require_save=True)
        if edited is None:
            click.echo("no changes (editor closed without saving)")
            return
        try:
            fields = parse_brief_text(edited)
        except ValidationError as exc:
            _keep_text(edited)
            raise ValidationError(f"{exc} (your text is kept in {_KEPT})") from None
    after = cli.store.strategy.save_brief(clean_fields(fields))
    if as_json:
        print_json(brief_record(after))
    elif after.version == before.version:
        click.echo("no changes")
    else:
        click.echo(f"saved brief version {after.version}")


_KEPT = "mtui-brief-unsaved.txt"


def _keep_text(text: str) -> None:
    """Bad input is never lost: write the edited text next to the user."""
    with open(_KEPT, "w", encoding="utf-8") as handle:
        handle.write(text)


@brief.command(name="history")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def brief_history(cli: CliContext, as_json: bool) -> None:
    """List the brief's versions, newest first, with the fields each one changed."""
    from mtui.core.model import Brief
    from mtui.core.strategy.brief import diff_briefs

    versions = cli.store.strategy.brief_versions()
    rows: list[dict[str, Any]] = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else Brief()
        changed = [c.field for c in diff_briefs(older, version)]
        rows.append({"version": version.version, "updated_at": version.updated_at,
                     "changed": changed})  # fmt: skip
    if as_json:
        print_json(rows)
        return
    for row in rows:
        click.echo(f"v{row['version']}  {row['updated_at']}  {', '.join(row['changed'])}")


@brief.command(name="diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def brief_diff(cli: CliContext, old: int, new: int, as_json: bool) -> None:
    """Show what changed between two brief versions."""
    from mtui.core.errors import NotFound
    from mtui.core.strategy.brief import diff_briefs

    by_version = {b.version: b for b in cli.store.strategy.brief_versions()}
    for wanted in (old, new):
        if wanted not in by_version:
            raise NotFound(f"no brief version {wanted} (have: {sorted(by_version)})")
    changes = diff_briefs(by_version[old], by_version[new])
    if as_json:
        print_json([{"field": c.field, "kind": c.kind, "old": c.old, "new": c.new}
                    for c in changes])  # fmt: skip
        return
    for change in changes:
        echo_line(
            f"{change.field} ({change.kind})\n  - {change.old}\n  + {change.new}", multiline=True
        )


# ------------------------------------------------------------------------ goals

_GOAL_OPTIONS = [
    click.option("--slug", help="Short name used as ^slug (default: from the title)."),
    click.option("--stage", help="align, attract or engage."),
    click.option(
        "--kpi", "--metric", "kpi_metric", help="KPI metric: SOURCE.KEY or ctr(A, B) etc."
    ),
    click.option("--unit", help="count, percent, currency or ratio."),
    click.option("--direction", help="up (more is better) or down."),
    click.option("--baseline", help="Value at the start."),
    click.option("--target", help="Value to reach."),
    click.option("--current", help="Value now (until a live metric feeds it)."),
    click.option("--start", "start_date", help="Start date (ISO or e.g. today, +2w)."),
    click.option("--due", "due_date", help="Due date (ISO or e.g. eoq, dec31)."),
    click.option("--owner", help="Who owns it."),
    click.option("--parent", help="Parent goal slug (makes this a key result)."),
    click.option("--status", help="Set status by hand (on track, at risk, ...); 'auto' clears."),
]


def _goal_options(func):
    for option in reversed(_GOAL_OPTIONS):
        func = option(func)
    return func


def _given(values: dict[str, Any]) -> dict[str, str | None]:
    return {k: v for k, v in values.items() if v is not None}


@main.group()
def goal() -> None:
    """Goals and key results."""


@goal.command(name="add")
@click.argument("title")
@_goal_options
@click.option("--json", "as_json", is_flag=True, help="Print the goal as JSON.")
@pass_cli
def goal_add(cli: CliContext, title: str, as_json: bool, **options: str | None) -> None:
    """Add a goal."""
    from mtui.core.strategy.input import save_goal_input

    saved = save_goal_input(cli.store, {"title": title, **_given(options)})
    _show_goals(cli, [saved.id], as_json, single=True)


@goal.command(name="edit")
@click.argument("goal_slug", metavar="SLUG")
@click.option("--title", help="New title.")
@_goal_options
@click.option("--json", "as_json", is_flag=True, help="Print the goal as JSON.")
@pass_cli
def goal_edit(cli: CliContext, goal_slug: str, as_json: bool, **options: str | None) -> None:
    """Change a goal's fields; an empty value ('') clears an optional field."""
    from mtui.core.errors import ValidationError
    from mtui.core.strategy.input import save_goal_input

    given = _given(options)
    if not given:
        raise ValidationError("nothing to change: pass options such as --current 1300")
    saved = save_goal_input(cli.store, given, slug=goal_slug)
    _show_goals(cli, [saved.id], as_json, single=True)


@goal.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def goal_ls(cli: CliContext, as_json: bool) -> None:
    """List goals with computed status, progress and tactic counts."""
    _show_goals(cli, None, as_json)


def _show_goals(
    cli: CliContext, ids: list[int] | None, as_json: bool, *, single: bool = False
) -> None:
    from mtui.core.strategy.goals import format_value, goal_record, goal_tree
    from mtui.core.strategy.overview import read_goals_overview

    overview = read_goals_overview(cli.store)
    goals, now, alignment = overview.goals, overview.now, overview.alignment
    statuses, values, idle = overview.statuses, overview.metric_values, overview.idle_goal_ids
    by_id = {g.id: g for g in goals}
    records: list[tuple[dict[str, Any], int]] = []
    for g, depth in goal_tree(goals):
        if ids is not None and g.id not in ids:
            continue
        record = goal_record(g, now=now, goals_by_id=by_id, alignment=alignment,
                             statuses=statuses, latest_metric_values=values)  # fmt: skip
        record["without_execution"] = g.id in idle
        records.append((record, depth))
    if as_json:
        data = [r for r, _ in records]
        print_json(data[0] if single and data else data)
        return
    for r, depth in records:
        pct = f"{r['progress']:.0%}" if r["progress"] is not None else "—"
        line = (f"{'  ' * depth}^{r['slug']}  {r['title']}  [{r['stage']}]  "
                f"{format_value(r['current'], r['unit'])}/{format_value(r['target'], r['unit'])} "
                f"({pct})  {r['status'] or '—'}")  # fmt: skip
        line += f"  due {r['due_date']}" if r["due_date"] else ""
        line += f"  {r['tactics_summary']}" if r["tactics_summary"] else ""
        line += "  ⚠ strategy without execution" if r["without_execution"] else ""
        echo_line(line)


# ------------------------------------------------------------------------ campaigns

_CAMPAIGN_OPTIONS = [
    click.option("--slug", help="Short name used as c:slug (default: from the name)."),
    click.option("--status", help="planned, active, paused or done."),
    click.option("--owner", help="Who runs it."),
    click.option("--start", "start_date", help="Start date (ISO or e.g. today, mon)."),
    click.option("--end", "end_date", help="End date (ISO or e.g. eom)."),
    click.option("--budget", help="Budget."),
    click.option("--spend", help="Spent so far."),
    click.option("--colour", "--color", "colour", help="#rrggbb or a colour name."),
    click.option("--utm", "utm_campaign", help="utm_campaign value."),
    click.option(
        "--spend-metric",
        "spend_metric",
        metavar="SOURCE.KEY",
        help="Take the spend from this metric's newest value, e.g. sheet.ad_spend "
        "(budget pacing follows it; '' goes back to --spend).",
    ),
    click.option(
        "--goal",
        "goals",
        multiple=True,
        help="Goal slug it serves (repeatable or comma-separated).",
    ),
]


def _campaign_options(func):
    for option in reversed(_CAMPAIGN_OPTIONS):
        func = option(func)
    return func


def _campaign_input(options: dict[str, Any]) -> dict[str, str | None]:
    goals = options.pop("goals", ())
    given = _given(options)
    if goals:
        given["goals"] = ",".join(goals)
    return given


@main.group()
def campaign() -> None:
    """Campaigns: dated, budgeted pushes that serve goals."""


@campaign.command(name="add")
@click.argument("name")
@_campaign_options
@click.option("--json", "as_json", is_flag=True, help="Print the campaign as JSON.")
@pass_cli
def campaign_add(cli: CliContext, name: str, as_json: bool, **options: Any) -> None:
    """Add a campaign."""
    from mtui.core.strategy.input import save_campaign_input

    saved = save_campaign_input(cli.store, {"name": name, **_campaign_input(options)})
    _show_campaigns(cli, [saved.id], as_json, single=True)


@campaign.command(name="edit")
@click.argument("campaign_slug", metavar="SLUG")
@click.option("--name", help="New name.")
@_campaign_options
@click.option("--json", "as_json", is_flag=True, help="Print the campaign as JSON.")
@pass_cli
def campaign_edit(cli: CliContext, campaign_slug: str, as_json: bool, **options: Any) -> None:
    """Change a campaign's fields; --goal replaces the goals it serves ('' for none)."""
    from mtui.core.errors import ValidationError
    from mtui.core.strategy.input import save_campaign_input

    given = _campaign_input(options)
    if not given:
        raise ValidationError("nothing to change: pass options such as --spend 5400")
    saved = save_campaign_input(cli.store, given, slug=campaign_slug)
    _show_campaigns(cli, [saved.id], as_json, single=True)


@campaign.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def campaign_ls(cli: CliContext, as_json: bool) -> None:
    """List campaigns with the goals they serve."""
    _show_campaigns(cli, None, as_json)


def _show_campaigns(cli: CliContext, ids: list[int] | None, as_json: bool, *,
                    single: bool = False) -> None:  # fmt: skip
    from mtui.core.strategy.goals import format_value
    from mtui.core.strategy.input import campaign_record

    goals_by_id = {g.id: g for g in cli.store.strategy.goals()}
    records = [campaign_record(c, goals_by_id) for c in cli.store.strategy.campaigns()
               if ids is None or c.id in ids]  # fmt: skip
    if as_json:
        print_json(records[0] if single and records else records)
        return
    for r in records:
        dates = f"{r['start_date'] or '?'} → {r['end_date'] or '?'}"
        money = f"{format_value(r['spend'], 'currency')}/{format_value(r['budget'], 'currency')}"
        if r["spend_metric"]:
            money += f" (spend from {r['spend_metric']})"
        goals = " ".join(f"^{g}" for g in r["goals"]) or "(no goal: its tactics are orphans)"
        owner = f"@{r['owner']}" if r["owner"] else ""
        echo_line(
            f"c:{r['slug']}  {r['name']}  [{r['status']}]  {owner}  {dates}  {money}  {goals}"
        )
