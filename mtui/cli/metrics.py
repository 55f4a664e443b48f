"""Metric commands: ``mtui source add|ls|rm|test`` and ``mtui metrics poll|ls``.

``mtui metrics poll`` is made for cron: it polls every source once, stores the results
and exits with 1 when any source failed. Secrets come from environment variables whose
*names* are stored; no output of these commands ever contains a secret's value.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from mtui.cli.base import CliContext, main, pass_cli, print_json


def _pairs(items: tuple[str, ...], sep: str, what: str) -> dict[str, str]:
    from mtui.core.errors import ValidationError

    out: dict[str, str] = {}
    for item in items:
        key, found, value = item.partition(sep)
        if not found or not key.strip():
            raise ValidationError(f"{what} {item!r}: expected NAME{sep}VALUE")
        out[key.strip()] = value.strip()
    return out


def _result_line(name: str, result) -> str:
    from mtui.core.metrics import compact_number

    values = "  ".join(f"{k}={compact_number(v)}" for k, v in result.values.items())
    if result.ok:
        return f"ok    {name}  {values}  ({result.duration_ms} ms)"
    return f"FAIL  {name}  {result.error}" + (f"  (read: {values})" if values else "")


# ------------------------------------------------------------------------ sources


@main.group()
def source() -> None:
    """Metric sources: where live numbers come from."""


@source.command(name="add")
@click.argument("name")
@click.option("--kind", required=True,
              help="json, csv, plausible, matomo, ga4, search_console or sheets.")  # fmt: skip
@click.option("--url", required=True, help="The URL to fetch.")
@click.option("--method", default="GET", show_default=True, help="GET or POST.")
@click.option("--header", "headers", multiple=True, help="'Name: value' (repeatable; no secrets).")
@click.option("--body", help="Request body (POST), e.g. JSON or form data.")
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    help="KEY=SELECTOR, e.g. visitors=results.visitors.value (repeatable).",
)
@click.option("--auth", "auth_type", default="none", show_default=True,
              help="none, bearer, basic, header, query, body or google-service-account "
                   "(the variable holds a key file's path or JSON).")  # fmt: skip
@click.option("--auth-env", help="Name of the environment variable holding the secret.")
@click.option("--auth-param",
              help="Header/query/body parameter name for the secret; the OAuth scope for "
                   "google-service-account.")  # fmt: skip
@click.option(
    "--interval",
    help="How often: 300, 30s, 5m, 1h (default: the config's metric_refresh_seconds, 5m).",
)
@click.option("--timeout", default="10", show_default=True, help="Seconds per request, 1–120.")
@click.option("--json", "as_json", is_flag=True, help="Print the source as JSON.")
@pass_cli
def source_add(cli: CliContext, name: str, kind: str, url: str, method: str,
               headers: tuple[str, ...], body: str | None, metrics: tuple[str, ...],
               auth_type: str, auth_env: str | None, auth_param: str | None, interval: str | None,
               timeout: str, as_json: bool) -> None:  # fmt: skip
    """Add a metric source (nothing is fetched; try it with `mtui source test NAME`)."""
    from mtui.core.metrics.sources import check_source, parse_duration, parse_timeout, source_record

    def default_interval() -> int:
        from mtui.core.config.user_config import active_config

        return active_config().metric_refresh_seconds

    timeout_seconds = parse_timeout(timeout)
    fields = check_source(
        {
            "name": name,
            "kind": kind.lower(),
            "url": url.strip(),
            "method": method.upper(),
            "headers": _pairs(headers, ":", "--header"),
            "body": body,
            "selectors": _pairs(metrics, "=", "--metric"),
            "auth_type": auth_type.lower(),
            "auth_env": auth_env,
            "auth_param": auth_param,
            "interval_seconds": parse_duration(interval) if interval else default_interval(),
            "timeout_seconds": timeout_seconds,
        },
        cli.store.metrics.metric_sources(),
    )
    saved = cli.store.metrics.save_metric_source(fields)
    if as_json:
        print_json(source_record(saved))
    else:
        click.echo(f"added source #{saved.id} {source_record(saved)['slug']} ({saved.kind})")


@source.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def source_ls(cli: CliContext, as_json: bool) -> None:
    """List metric sources with their last fetch status."""
    from mtui.core.metrics.sources import source_record

    records = [source_record(s) for s in cli.store.metrics.metric_sources()]
    if as_json:
        print_json(records)
        return
    for r in records:
        status = r["last_status"] or "never fetched"
        if r["last_error"]:
            status += f": {r['last_error']}"
        auth = f"  auth {r['auth_type']} from ${r['auth_env']}" if r["auth_env"] else ""
        click.echo(f"#{r['id']} {r['slug']}  [{r['kind']}]  every {r['interval_seconds']}s  "
                   f"{status}  {r['url']}{auth}")  # fmt: skip


@source.command(name="rm")
@click.argument("ref", metavar="SOURCE")
@click.option("--json", "as_json", is_flag=True, help="Print the removed source as JSON.")
@pass_cli
def source_rm(cli: CliContext, ref: str, as_json: bool) -> None:
    """Remove a source and its history (by id, name or slug)."""
    from mtui.core.metrics.sources import find_source, source_record

    found = find_source(cli.store, ref)
    cli.store.metrics.delete_metric_source(found.id)
    if as_json:
        print_json(source_record(found))
    else:
        click.echo(f"removed source #{found.id} {source_record(found)['slug']} and its history")


@source.command(name="test")
@click.argument("ref", metavar="SOURCE")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def source_test(cli: CliContext, ref: str, as_json: bool) -> None:
    """Fetch a source once and show what would be stored (stores nothing)."""
    from mtui.core.metrics.service import test_once
    from mtui.core.metrics.sources import find_source
    from mtui.core.strategy.kpi import metric_name, source_slug

    found = find_source(cli.store, ref)
    result = test_once(cli.store, found)
    if as_json:
        print_json({"source": source_slug(found.name), **result.to_dict()})
    else:
        click.echo(_result_line(source_slug(found.name), result))
        for key, value in result.values.items():
            click.echo(f"  would store {metric_name(found, key)} = {value:g}")
    if not result.ok:
        sys.exit(1)


# ------------------------------------------------------------------------ metrics


@main.group()
def metrics() -> None:
    """Live metric values: poll sources, list the latest numbers."""


@metrics.command(name="poll")
@click.option("--due", "due_only", is_flag=True, help="Only sources whose interval has passed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def metrics_poll(cli: CliContext, due_only: bool, as_json: bool) -> None:
    """Poll every source once and store the results (exit 1 if any failed; for cron)."""
    from mtui.core.metrics import due_sources
    from mtui.core.metrics.service import poll_once
    from mtui.core.strategy.kpi import source_slug

    sources = cli.store.metrics.metric_sources()
    if due_only:
        sources = due_sources(sources)
    names = {s.id: source_slug(s.name) for s in sources}
    results = poll_once(cli.store, sources) if sources else []
    if as_json:
        print_json([{"source": names[r.source_id], **r.to_dict()} for r in results])
    else:
        for r in results:
            click.echo(_result_line(names[r.source_id], r))
        if not results:
            click.echo("no sources to poll" + (" (none due)" if due_only else ""))
    if any(not r.ok for r in results):
        sys.exit(1)


@metrics.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def metrics_ls(cli: CliContext, as_json: bool) -> None:
    """List every metric's latest value, change and state (ok, stale, error, never)."""
    from datetime import UTC, datetime

    from mtui.core.metrics import compact_number, delta_percent
    from mtui.core.metrics.cards import age_text, card_state, load_cards

    now = datetime.now(UTC)
    cards = load_cards(cli.store, now)
    records: list[dict[str, Any]] = []
    for card in cards:
        state = card_state(card, now)
        records.append({
            "metric": card.name if card.key else None,
            "source": card.name.split(".", 1)[0],
            "key": card.key,
            "value": card.value,
            "fetched_at": card.fetched_at,
            "previous": card.prev_value,
            "delta_percent": delta_percent(card.prev_value, card.value),
            "at_last_standup": card.standup_value,
            "state": state,
            "error": card.source.last_error if state == "error" else None,
        })  # fmt: skip
    if as_json:
        print_json(records)
        return
    for card, r in zip(cards, records, strict=True):
        value = compact_number(r["value"]) if r["value"] is not None else "—"
        delta = f"  {r['delta_percent']:+.1f}%" if r["delta_percent"] is not None else ""
        extra = f"  {r['error']}" if r["error"] else ""
        click.echo(f"{r['metric'] or r['source'] + '.*'}  {value}{delta}  {r['state']}  "
                   f"{age_text(card.fetched_at, now)}{extra}")  # fmt: skip
