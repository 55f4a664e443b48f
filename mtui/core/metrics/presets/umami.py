"""Umami: a website's stats, ``GET /websites/{id}/stats`` (Umami Cloud) or
``/api/websites/{id}/stats`` (self-hosted: ``--url https://umami.example.com/api``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import (
    base_url,
    metric_list,
    metrics_option,
    parse_period,
    path_part,
    period_option,
    url_option,
)

STATS = ("pageviews", "visitors", "visits", "bounces", "totaltime")
CLOUD = "https://api.umami.is/v1"


def build(values: Mapping[str, str]) -> dict[str, Any]:
    website = path_part(values["site"], "--site", "umami")
    metrics = metric_list(values["metrics"], "umami", STATS)
    period = parse_period(values["period"], "umami")
    root = base_url(values, "umami")
    auth = values.get("auth", "api-key" if root == CLOUD else "bearer").strip().lower()
    if auth not in ("api-key", "bearer"):
        raise ValidationError(f"preset umami: auth {auth!r} is not api-key or bearer")
    query = urlencode({"startAt": period.placeholder("ms"), "endAt": "{{now:ms}}"}, safe="{}:-")
    fields: dict[str, Any] = {
        "kind": "json",
        "url": f"{root}/websites/{website}/stats?{query}",
        "method": "GET",
        # Umami 2 answers {"pageviews": {"value": 5, "prev": 3}}, later versions {"pageviews": 5}.
        "selectors": {m: f"{m}.value | {m}" for m in metrics},
        "auth_type": "header" if auth == "api-key" else "bearer",
    }
    if auth == "api-key":
        fields["auth_param"] = "x-umami-api-key"
    return fields


PRESET = Preset(
    name="umami",
    summary="Umami: a website's pageviews, visitors, visits, bounces and total time",
    needs=(
        "Umami Cloud: an API key in $UMAMI_API_KEY (Settings → API keys); self-hosted: "
        "a token from POST /api/auth/login in it and --url https://umami.example.com/api; "
        "the website id (Settings → Websites → Edit)"
    ),
    options=(
        PresetOption("site", "the website id (a UUID)"),
        metrics_option("pageviews,visitors,visits,bounces,totaltime", STATS),
        period_option(),
        url_option(CLOUD, "the API root: https://api.umami.is/v1 or https://HOST/api"),
        PresetOption(
            "auth", "api-key (x-umami-api-key, Cloud) or bearer (self-hosted)", required=False
        ),
    ),
    build=build,
    units={"totaltime": "seconds"},
    default_env="UMAMI_API_KEY",
)
