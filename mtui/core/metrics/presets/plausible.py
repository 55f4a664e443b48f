"""Plausible Analytics: Stats API v2 ``POST /api/v2/query`` (default) or v1 aggregate."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import (
    Period,
    base_url,
    metric_list,
    metrics_option,
    parse_period,
    period_option,
    url_option,
)

_V2_RANGES = {7: "7d", 28: "28d", 30: "30d", 91: "91d"}
_V1_PERIODS = {7: "7d", 30: "30d"}


def _v2_range(period: Period) -> Any:
    if period.word == "today":
        return "day"
    if period.word == "month":
        return "month"
    if period.days in _V2_RANGES:
        return _V2_RANGES[period.days]
    return ["{{today-" + f"{period.days - 1}d:date" + "}}", "{{today:date}}"]


def _v1_period(period: Period) -> dict[str, str]:
    if period.word == "today":
        return {"period": "day"}
    if period.word == "month":
        return {"period": "month"}
    if period.days in _V1_PERIODS:
        return {"period": _V1_PERIODS[period.days]}
    return {
        "period": "custom",
        "date": "{{today-" + f"{period.days - 1}d:date" + "}},{{today:date}}",
    }


def build(values: Mapping[str, str]) -> dict[str, Any]:
    site = values["site"].strip()
    if not site or "/" in site:
        raise ValidationError(f"preset plausible: --site {site!r} is not a site domain")
    metrics = metric_list(values["metrics"], "plausible")
    period = parse_period(values["period"], "plausible")
    root = base_url(values, "plausible")
    api = values["api"].strip().lower()
    common = {"kind": "plausible", "selectors": {m: m for m in metrics}, "auth_type": "bearer"}
    if api == "v2":
        body = {"site_id": site, "metrics": metrics, "date_range": _v2_range(period)}
        return {**common, "url": f"{root}/api/v2/query", "method": "POST",
                "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}  # fmt: skip
    if api == "v1":
        query = {"site_id": site, **_v1_period(period), "metrics": ",".join(metrics)}
        url = f"{root}/api/v1/stats/aggregate?{urlencode(query, safe=',{}:')}"
        return {**common, "url": url, "method": "GET"}
    raise ValidationError(f"preset plausible: api {api!r} is not v1 or v2")


PRESET = Preset(
    name="plausible",
    summary="Plausible Analytics: visitors, pageviews, bounce rate… for a site over a period",
    needs=(
        "a Stats API key in $PLAUSIBLE_API_KEY (Plausible → Settings → API keys → "
        "'Stats API'); the site's domain as added in Plausible (--site example.com)"
    ),
    options=(
        PresetOption("site", "the site's domain in Plausible, e.g. example.com"),
        metrics_option("visitors,visits,pageviews,bounce_rate,visit_duration"),
        period_option(),
        PresetOption("api", "v2 (POST /api/v2/query) or v1 (GET aggregate)", default="v2"),
        url_option("https://plausible.io", "Plausible's address (a self-hosted Plausible CE)"),
    ),
    build=build,
    units={"bounce_rate": "percent", "visit_duration": "seconds", "conversion_rate": "percent"},
    default_env="PLAUSIBLE_API_KEY",
)
