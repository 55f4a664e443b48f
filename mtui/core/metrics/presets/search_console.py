"""Google Search Console: clicks, impressions, ctr and position over a period."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets.google_common import INSTALL, PERIOD_OPTION, date_range, google_auth

ENV = "GOOGLE_KEY"
API = "https://searchconsole.googleapis.com/webmasters/v3"
SEARCH_TYPES = ("web", "image", "video", "news", "discover", "googleNews")


def _site(text: str) -> str:
    site = text.strip()
    if site.startswith("sc-domain:") and len(site) > len("sc-domain:"):
        return site
    parts = urlsplit(site)
    if parts.scheme in ("http", "https") and parts.hostname:
        return site if site.endswith("/") else site + "/"
    raise ValidationError(
        f"site {text!r}: expected the property as Search Console names it: "
        "https://www.example.com/ (URL prefix) or sc-domain:example.com (domain)"
    )


def build(values: Mapping[str, str]) -> dict[str, Any]:
    site = _site(values["site"])
    search_type = values["type"].strip()
    if search_type not in SEARCH_TYPES:
        raise ValidationError(f"type {search_type!r}: expected one of {', '.join(SEARCH_TYPES)}")
    start, end = date_range(values["period"])
    body = {"startDate": start, "endDate": end, "type": search_type}
    return {
        "kind": "search_console",
        "url": f"{API}/sites/{quote(site, safe='')}/searchAnalytics/query",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "selectors": {name: name for name in ("clicks", "impressions", "ctr", "position")},
        **google_auth("search_console", ENV),
        "interval_seconds": 3600,
    }


PRESET = Preset(
    name="search_console",
    summary="Google Search Console: clicks, impressions, ctr and position over a period",
    needs=(
        f"a service-account key: ${ENV} holds its path (or JSON); add the account's email "
        f"as a user of the Search Console property; {INSTALL}"
    ),
    options=(
        PresetOption("site", "the property: https://www.example.com/ or sc-domain:example.com"),
        PERIOD_OPTION,
        PresetOption(
            "type", "search type: web, image, video, news, discover", required=False, default="web"
        ),
    ),
    build=build,
    units={"ctr": "fraction"},
    default_env=ENV,
    notes=(
        "ctr is a fraction (0.04 is 4%); position is the average position.",
        "Search Console's data is two or three days late; the dates are Pacific time.",
    ),
)
