"""Matomo: a Reporting API method (``VisitsSummary.get`` by default) for one site."""

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


def build(values: Mapping[str, str]) -> dict[str, Any]:
    site = values["site"].strip()
    if not site.isdigit():
        raise ValidationError(f"preset matomo: --site {site!r} is not a Matomo site id (idSite)")
    method = values["method"].strip()
    if not method.replace(".", "").replace("_", "").isalnum() or "." not in method:
        raise ValidationError(f"preset matomo: method {method!r} is not Module.action")
    period = parse_period(values["period"], "matomo")
    if period.word == "days":
        when = {"period": "range", "date": f"last{period.days}"}
    else:
        when = {"period": "day" if period.word == "today" else "month", "date": "today"}
    root = base_url(values, "matomo")
    if not root.endswith(".php"):
        root += "/index.php"
    query = {"module": "API", "method": method, "idSite": site, **when, "format": "JSON"}
    metrics = metric_list(values["metrics"], "matomo")
    return {
        "kind": "matomo",
        "url": f"{root}?{urlencode(query)}",
        "method": "POST",
        "selectors": {m: m for m in metrics},
        "auth_type": "body",
        "auth_param": "token_auth",
    }


PRESET = Preset(
    name="matomo",
    summary="Matomo: visits, actions, bounce rate… (VisitsSummary.get or another API method)",
    needs=(
        "an auth token in $MATOMO_TOKEN (Matomo → Administration → Personal → Security → "
        "Auth tokens) of a user with view access to the site; the site id (idSite) and "
        "Matomo's address (--url https://analytics.example.com)"
    ),
    options=(
        url_option(None, "Matomo's address, e.g. https://analytics.example.com"),
        PresetOption("site", "the site id (idSite), e.g. 1"),
        metrics_option("nb_visits,nb_actions,bounce_rate,avg_time_on_site"),
        period_option(),
        PresetOption("method", "the API method, e.g. Goals.get", default="VisitsSummary.get"),
    ),
    build=build,
    units={"bounce_rate": "percent", "avg_time_on_site": "seconds"},
    default_env="MATOMO_TOKEN",
    notes=("the token goes in the POST body (token_auth), never in the URL",),
)
