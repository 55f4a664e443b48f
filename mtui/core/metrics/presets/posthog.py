"""PostHog: a HogQL query, ``POST /api/projects/{id}/query/`` (kind ``HogQLQuery``).

The numbers are the first row of ``results``, one metric per column, in order. Without
``--query`` it counts an event (``$pageview``) and the people who sent it in the period.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import (
    Period,
    base_url,
    metric_list,
    parse_period,
    path_part,
    period_option,
    url_option,
)

_EVENT = re.compile(r"^[A-Za-z0-9_$ .:/-]{1,100}$")


def _since(period: Period) -> str:
    if period.word == "today":
        return "toStartOfDay(now())"
    if period.word == "month":
        return "toStartOfMonth(now())"
    return f"now() - INTERVAL {period.days} DAY"


def build(values: Mapping[str, str]) -> dict[str, Any]:
    project = path_part(values["project"], "--project", "posthog")
    if "query" in values:
        query = " ".join(values["query"].split())
        names = metric_list(values.get("metrics", "value"), "posthog")
    else:
        event = values["event"]
        if not _EVENT.match(event):
            raise ValidationError(f"preset posthog: event {event!r} is not an event name")
        period = parse_period(values["period"], "posthog")
        names = metric_list(values.get("metrics", "events,people"), "posthog")
        if any(not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name) for name in names):
            raise ValidationError(
                "preset posthog: metric names become column names: letters, digits and _"
            )
        if len(names) != 2:
            raise ValidationError(
                "preset posthog: without --query it reads two numbers (events, people); "
                "name them with --metrics A,B or write your own --query"
            )
        query = (
            f"SELECT count() AS {names[0]}, count(DISTINCT person_id) AS {names[1]} "
            f"FROM events WHERE event = '{event}' AND timestamp >= {_since(period)}"
        )
    body = {"query": {"kind": "HogQLQuery", "query": query}, "name": "mtui metric"}
    return {
        "kind": "json",
        "url": f"{base_url(values, 'posthog')}/api/projects/{project}/query/",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "selectors": {name: f"results[0][{i}]" for i, name in enumerate(names)},
        "auth_type": "bearer",
    }


PRESET = Preset(
    name="posthog",
    summary="PostHog: numbers from a HogQL query (by default an event's count and people)",
    needs=(
        "a personal API key with the Query Read scope (query:read) in $POSTHOG_API_KEY "
        "(Settings → Personal API keys); the project id (Project settings); "
        "--url https://eu.posthog.com for EU Cloud"
    ),
    options=(
        PresetOption("project", "the project id, e.g. 12345"),
        PresetOption("event", "without --query: the event to count", default="$pageview"),
        period_option(),
        PresetOption(
            "query", "your own HogQL, one row; its columns become the metrics", required=False
        ),
        PresetOption(
            "metrics",
            "names for the query's columns, in order (default: events,people; with --query: value)",
            required=False,
        ),
        url_option("https://us.posthog.com"),
    ),
    build=build,
    default_env="POSTHOG_API_KEY",
    notes=("a --query's period is whatever its WHERE says (e.g. now() - INTERVAL 7 DAY)",),
)
