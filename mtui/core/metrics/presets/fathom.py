"""Fathom Analytics: the aggregations API, ``GET /v1/aggregations`` for a site."""

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
    period_option,
    url_option,
)

AGGREGATES = ("visits", "uniques", "pageviews", "avg_duration", "bounce_rate")


def build(values: Mapping[str, str]) -> dict[str, Any]:
    site = values["site"].strip()
    if not site.isalnum():
        raise ValidationError(f"preset fathom: --site {site!r} is not a Fathom site id")
    metrics = metric_list(values["metrics"], "fathom", AGGREGATES)
    period = parse_period(values["period"], "fathom")
    query = {
        "entity": "pageview",
        "entity_id": site,
        "aggregates": ",".join(metrics),
        "date_from": period.placeholder("datetime"),
        "timezone": "UTC",
    }
    return {
        "kind": "json",
        "url": f"{base_url(values, 'fathom')}/v1/aggregations?{urlencode(query, safe=',{}:-')}",
        "method": "GET",
        # The documented list object, or the bare array older accounts get.
        "selectors": {m: f"data[0].{m} | [0].{m}" for m in metrics},
        "auth_type": "bearer",
    }


PRESET = Preset(
    name="fathom",
    summary="Fathom Analytics: visits, uniques, pageviews, duration, bounce rate for a site",
    needs=(
        "an API token in $FATHOM_API_KEY (Settings → API → Create new) with read access "
        "to the site ('Read only (all sites)' or the site alone); the site id "
        "(Settings → Sites, e.g. CDBUGS)"
    ),
    options=(
        PresetOption("site", "the site id, e.g. CDBUGS"),
        metrics_option("visits,uniques,pageviews,avg_duration,bounce_rate", AGGREGATES),
        period_option(),
        url_option("https://api.usefathom.com"),
    ),
    build=build,
    units={"bounce_rate": "fraction", "avg_duration": "seconds"},
    default_env="FATHOM_API_KEY",
    notes=("Fathom allows 10 aggregation requests a minute; keep the interval at 5m or more",),
)
