"""Metric commands: ``mtui source add|ls|rm|test`` and ``mtui metrics poll|ls``.

``mtui metrics poll`` is made for cron: it polls every source once, stores the results
and exits with 1 when any source failed. Secrets come from environment variables whose
*names* are stored; no output of these commands ever contains a secret's value.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
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
    partial = f"  partial: {', '.join(result.partial)}" if result.partial else ""
    if result.ok:
        return f"ok    {name}  {values}  ({result.duration_ms} ms){partial}"
    return f"FAIL  {name}  {result.error}" + (f"  (read: {values})" if values else "")


def _note_lines(result) -> list[str]:
    return [f"  note: {note}" for note in result.notes]


# ------------------------------------------------------------------------ sources


@main.group()
def source() -> None:
    """Metric sources: where live numbers come from."""


# Named options that fill a preset option of the same name (``--site`` is ``--set site=``).
_PRESET_SHORTCUTS = ("property", "site", "metrics", "period", "campaign", "project", "query")
# Options that describe the request itself: a preset writes those.
_REQUEST_OPTIONS = {"kind": "--kind", "method": "--method", "headers": "--header",
                    "body": "--body", "metrics": "--metric", "auth_type": "--auth",
                    "auth_param": "--auth-param"}  # fmt: skip


def _preset_fields(preset_name: str, url: str | None, settings: tuple[str, ...],
                   shortcuts: dict[str, str | None], given: Mapping[str, object],
                   auth_env: str | None) -> dict[str, Any]:  # fmt: skip
    """The source a preset writes for the command line's values (ValidationError else)."""
    from mtui.core.errors import ValidationError
    from mtui.core.metrics.presets import preset_named
    from mtui.core.metrics.source_input import preset_fields

    preset = preset_named(preset_name)
    clashing = [flag for key, flag in _REQUEST_OPTIONS.items() if given.get(key)]
    if clashing:
        raise ValidationError(
            f"{clashing[0]} cannot be combined with --preset (the preset writes the request; "
            "change its options with --set KEY=VALUE)"
        )
    values = _pairs(settings, "=", "--set")
    named = {key: value for key, value in shortcuts.items() if value is not None}
    if url is not None:
        named["url"] = url
    for key, value in named.items():
        if key in values and values[key] != value.strip():
            raise ValidationError(f"--{key} and --set {key}= disagree; give it once")
        values[key] = value.strip()
    return preset_fields(preset, values, auth_env)


@source.command(name="add")
@click.argument("name")
@click.option("--preset", "preset_name",
              help="Build the source from a preset (see `mtui source presets`).")  # fmt: skip
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="A preset option, e.g. --set dc=us21 (repeatable).")  # fmt: skip
@click.option("--property", help="Preset option: a property id (--set property=).")
@click.option("--site", help="Preset option: a site or website id (--set site=).")
@click.option("--metrics", "metric_names", help="Preset option: metric names, comma-separated.")
@click.option("--period", help="Preset option: 7d, 30d, today… (each preset lists its own).")
@click.option("--campaign", help="Preset option: a campaign id (--set campaign=).")
@click.option("--project", help="Preset option: a project id (--set project=).")
@click.option("--query", help="Preset option: a query (--set query=).")
@click.option("--kind",
              help="json, csv, plausible, matomo, stripe, ga4, search_console or sheets "
                   "(without --preset).")  # fmt: skip
@click.option("--url", help="The URL to fetch; with --preset, the service's address.")
@click.option("--method", help="GET or POST (default GET).")
@click.option("--header", "headers", multiple=True, help="'Name: value' (repeatable; no secrets).")
@click.option("--body", help="Request body (POST), e.g. JSON or form data.")
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    help="KEY=SELECTOR, e.g. visitors=results.visitors.value (repeatable).",
)
@click.option("--auth", "auth_type",
              help="none (default), bearer, basic, header, query, body or "
                   "google-service-account (the variable holds a key file's path or JSON).")  # fmt: skip
@click.option("--auth-env",
              help="Name of the environment variable holding the secret (overrides a "
                   "preset's suggestion).")  # fmt: skip
@click.option("--auth-param",
              help="Header/query/body parameter name for the secret; the OAuth scope for "
                   "google-service-account.")  # fmt: skip
@click.option(
    "--interval",
    help="How often: 300, 30s, 5m, 1h (default: the config's metric_refresh_seconds, 5m).",
)
@click.option("--timeout", default="10", show_default=True, help="Seconds per request, 1–120.")
@click.option("--unit", "units", multiple=True, metavar="KEY=UNIT",
              help="What a metric is: count, percent, fraction (0–1, shown as %), seconds, "
                   "currency or currency:EUR (repeatable; presets fill these in).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the source as JSON.")
@pass_cli
def source_add(cli: CliContext, name: str, preset_name: str | None, settings: tuple[str, ...],
               property: str | None, site: str | None, metric_names: str | None,
               period: str | None, campaign: str | None, project: str | None,
               query: str | None, kind: str | None, url: str | None, method: str | None,
               headers: tuple[str, ...], body: str | None, metrics: tuple[str, ...],
               auth_type: str | None, auth_env: str | None, auth_param: str | None,
               interval: str | None, timeout: str, units: tuple[str, ...],
               as_json: bool) -> None:  # fmt: skip
    """Add a metric source (nothing is fetched; try it with `mtui source test NAME`).

    Spell the request out (--kind, --url, --metric …) or start from a preset:
    `mtui source add web --preset plausible --site example.com --period 7d`.
    """
    from mtui.core.errors import ValidationError
    from mtui.core.metrics.source_input import save_source
    from mtui.core.metrics.sources import parse_duration, parse_timeout, source_record
    from mtui.core.metrics.units import merge_units, parse_unit_options

    def default_interval() -> int:
        from mtui.core.config.user_config import active_config

        return active_config().metric_refresh_seconds

    shortcuts = {"property": property, "site": site, "metrics": metric_names, "period": period,
                 "campaign": campaign, "project": project, "query": query}  # fmt: skip
    timeout_seconds = parse_timeout(timeout)
    if preset_name is not None:
        given = {"kind": kind, "method": method, "headers": headers, "body": body,
                 "metrics": metrics, "auth_type": auth_type, "auth_param": auth_param}  # fmt: skip
        fields = _preset_fields(preset_name, url, settings, shortcuts, given, auth_env)
    else:
        named = [f"--{key}" for key, value in shortcuts.items() if value is not None]
        if settings or named:
            flag = (named or ["--set"])[0]
            raise ValidationError(f"{flag} is a preset option: add --preset NAME "
                                  "(see mtui source presets)")  # fmt: skip
        if not kind or not url:
            raise ValidationError(
                f"{'--kind' if not kind else '--url'} is needed (or --preset NAME; "
                "see mtui source presets)"
            )
        fields = {
            "kind": kind.lower(),
            "url": url.strip(),
            "method": (method or "GET").upper(),
            "headers": _pairs(headers, ":", "--header"),
            "body": body,
            "selectors": _pairs(metrics, "=", "--metric"),
            "auth_type": (auth_type or "none").lower(),
            "auth_env": auth_env,
            "auth_param": auth_param,
        }
    if interval:
        fields["interval_seconds"] = parse_duration(interval)
    if units:
        fields["units"] = merge_units(fields.get("units") or {}, parse_unit_options(units))
    fields.setdefault("interval_seconds", None)
    if fields["interval_seconds"] is None:
        fields["interval_seconds"] = default_interval()
    saved = save_source(cli.store, {**fields, "name": name, "timeout_seconds": timeout_seconds})
    record = source_record(saved)
    if as_json:
        print_json({**record, "preset": preset_name} if preset_name else record)
        return
    origin = f", preset {preset_name}" if preset_name else ""
    click.echo(f"added source #{saved.id} {record['slug']} ({saved.kind}{origin})")
    if preset_name and saved.auth_env:
        click.echo(f"  set ${saved.auth_env}, then try it: mtui source test {record['slug']}")


@source.command(name="presets")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def source_presets(as_json: bool) -> None:
    """List the presets: what each reads, what it needs, and its options."""
    from mtui.core.metrics.presets import presets

    records: list[dict[str, Any]] = [
        {
            "name": p.name,
            "summary": p.summary,
            "needs": p.needs,
            "auth_env": p.default_env,
            "options": [
                {
                    "name": o.name,
                    "help": o.help,
                    "required": o.required and o.default is None,
                    "default": o.default,
                    "flag": f"--{o.name}" if o.name in (*_PRESET_SHORTCUTS, "url") else None,
                }
                for o in p.options
            ],
            "notes": list(p.notes),
        }
        for p in presets().values()
    ]
    if as_json:
        print_json(records)
        return
    for r in records:
        click.echo(f"{r['name']}  {r['summary']}")
        click.echo(f"  needs: {r['needs']}")
        for o in r["options"]:
            flag = o["flag"] or f"--set {o['name']}="
            extra = "required" if o["required"] else (f"default {o['default']}" if o["default"]
                                                     else "optional")  # fmt: skip
            click.echo(f"  {flag:<18} {o['help']} ({extra})")
        for note in r["notes"]:
            click.echo(f"  note: {note}")
        click.echo("")


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
        if auth and r["auth_param"]:  # the header/parameter name, or a Google scope
            what = "scope" if r["auth_type"] == "google-service-account" else "as"
            auth += f" ({what} {r['auth_param']})"
        click.echo(f"#{r['id']} {r['slug']}  [{r['kind']}]  every {r['interval_seconds']}s  "
                   f"{status}  {r['url']}{auth}")  # fmt: skip
        if r["method"] != "GET" or r["body"]:
            click.echo(f"    {r['method']}" + (f" body {r['body']}" if r["body"] else ""))
        if r["headers"]:
            click.echo("    headers: " + ", ".join(f"{k}: {v}" for k, v in r["headers"].items()))
        if r["metrics"]:
            picks = ", ".join(f"{key}={sel}" for key, sel in r["metrics"].items())
            click.echo(f"    metrics: {picks}")
        if r["units"]:
            click.echo("    units: " + ", ".join(f"{k}={u}" for k, u in r["units"].items()))


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


@source.command(name="unit")
@click.argument("ref", metavar="SOURCE")
@click.argument("units", nargs=-1, required=True, metavar="KEY=UNIT...")
@click.option("--json", "as_json", is_flag=True, help="Print the source as JSON.")
@pass_cli
def source_unit(cli: CliContext, ref: str, units: tuple[str, ...], as_json: bool) -> None:
    """Say what a source's metrics are: KEY=percent, KEY=currency:EUR… (KEY= clears).

    Units: count, percent, fraction (a 0–1 share, shown as %), seconds, currency or
    currency:CODE. Cards, `mtui metrics ls` and the stand-up show values in them.
    """
    from mtui.core.metrics.sources import find_source, known_keys, source_record
    from mtui.core.metrics.units import check_units, merge_units, parse_unit_options

    found = find_source(cli.store, ref)
    merged = merge_units(found.units, parse_unit_options(units))
    fields = {"kind": found.kind, "url": found.url, "selectors": found.selectors}
    checked = check_units(merged, known_keys(fields))
    saved = cli.store.metrics.save_metric_source({"units": checked}, found.id)
    record = source_record(saved)
    if as_json:
        print_json(record)
        return
    shown = ", ".join(f"{k}={u}" for k, u in record["units"].items()) or "none"
    click.echo(f"source {record['slug']}: units {shown}")


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
            lower_bound = "  (partial: the real value is higher)" if key in result.partial else ""
            click.echo(f"  would store {metric_name(found, key)} = {value:g}{lower_bound}")
        for line in _note_lines(result):
            click.echo(line)
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
            for line in _note_lines(r):
                click.echo(line)
        if not results:
            click.echo("no sources to poll" + (" (none due)" if due_only else ""))
    if any(not r.ok for r in results):
        sys.exit(1)


@metrics.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def metrics_ls(cli: CliContext, as_json: bool) -> None:
    """List every metric's latest value, change and state (ok, stale, error, never)."""
    from mtui.core import clock
    from mtui.core.metrics import delta_percent
    from mtui.core.metrics.cards import age_text, card_state, load_cards
    from mtui.core.metrics.units import format_metric, unit_record

    now = clock.current()  # the app's clock: MTUI_FROZEN_NOW freezes it as everywhere
    cards = load_cards(cli.store, now)
    records: list[dict[str, Any]] = []
    for card in cards:
        state = card_state(card, now)
        records.append({
            "metric": card.name if card.key else None,
            "source": card.name.split(".", 1)[0],
            "key": card.key,
            "label": card.label if card.key else None,
            "value": card.value,
            "shown": format_metric(card.value, card.unit) if card.value is not None else None,
            **unit_record(card.unit),
            "partial": card.partial,
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
        value = r["shown"] or "—"
        if r["partial"]:
            value = f"≥{value} (partial)"
        delta = f"  {r['delta_percent']:+.1f}%" if r["delta_percent"] is not None else ""
        extra = f"  {r['error']}" if r["error"] else ""
        click.echo(f"{r['metric'] or r['source'] + '.*'}  {value}{delta}  {r['state']}  "
                   f"{age_text(card.fetched_at, now)}{extra}")  # fmt: skip
