"""Checking and describing metric sources for the CLI and the TUI.

The rule that matters most lives here: a secret must never reach the database. Sources
store the *name* of an environment variable; a header, URL or body that visibly carries
a credential is refused with a pointer to ``--auth`` / ``--auth-env``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from mtui.core.errors import NotFound, ValidationError
from mtui.core.metrics import MetricError, is_loopback_host, parse_row_selector
from mtui.core.metrics.fetching.json_paths import parse_selector
from mtui.core.metrics.fetching.kinds.stripe import DEFAULT_SELECTORS as STRIPE_DEFAULTS
from mtui.core.metrics.fetching.kinds.stripe import parse_stripe_selector
from mtui.core.metrics.fetching.rows import looks_like_row_selector
from mtui.core.metrics.fetching.templates import check_placeholders
from mtui.core.metrics.fetching.transport import (
    DEFAULT_TIMEOUT_SECONDS,
    MAX_TIMEOUT_SECONDS,
    MIN_TIMEOUT_SECONDS,
)
from mtui.core.metrics.units import check_units
from mtui.core.model import AUTH_TYPES, SOURCE_KINDS, MetricSource
from mtui.core.store.contract import Store
from mtui.core.strategy.kpi import source_slug

_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"}
_SECRET_WORDS = re.compile(r"token|secret|passw|api[-_]?key|apikey|auth", re.I)
_SECRET_PARAMS = re.compile(r"^(token|token_auth|access_token|api_key|apikey|key|secret|password)$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_INTERVAL_SECONDS = 30 * 86400
_USE_AUTH = "keep the secret in an environment variable: --auth TYPE --auth-env VAR"


def parse_duration(text: str | int | float) -> int:
    """``300``, ``30s``, ``5m``, ``1h``, ``1d`` as whole seconds (at least 1)."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValidationError(f"{text!r} is not a duration (e.g. 300, 30s, 5m, 1h)")
    amount = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if not amount <= MAX_INTERVAL_SECONDS:  # also inf from 400 digits: round() would raise
        raise ValidationError(f"{text!r} is too long: at most 30 days")
    seconds = round(amount)
    if seconds < 1:
        raise ValidationError(f"{text!r} is too short: at least 1 second")
    return seconds


def parse_timeout(value: str | int | float) -> float:
    """Seconds per request, 1–120; ValidationError for anything else (inf, nan, -5).

    An unbounded timeout lets a silent server hold a poll forever, and ``inf``/``nan``
    are not JSON, so they are refused where the value comes in."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = math.nan
    if not (MIN_TIMEOUT_SECONDS <= seconds <= MAX_TIMEOUT_SECONDS):  # also false for nan
        raise ValidationError(
            f"--timeout {str(value)!r}: expected seconds from {MIN_TIMEOUT_SECONDS:g} "
            f"to {MAX_TIMEOUT_SECONDS:g}, e.g. 10"
        )
    return seconds


def _finite_or_none(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def _check_no_secrets(fields: Mapping[str, Any]) -> None:
    for name in fields.get("headers") or {}:
        if name.lower() in _SECRET_HEADERS or _SECRET_WORDS.search(name):
            raise ValidationError(f"header {name!r} looks like a credential; {_USE_AUTH}")
    parts = urlsplit(fields.get("url") or "")
    if parts.username or parts.password:
        raise ValidationError(f"the URL carries a user name or password; {_USE_AUTH}")
    for key, _value in parse_qsl(parts.query):
        if _SECRET_PARAMS.match(key.lower()):
            raise ValidationError(
                f"URL parameter {key!r} looks like a credential; {_USE_AUTH} --auth-param {key}"
            )
    body = fields.get("body") or ""
    if re.search(r"(^|[&\"'\s{,])(token_auth|api_key|access_token|password)\b", body):
        raise ValidationError(f"the body carries a credential; {_USE_AUTH} (type body)")


def _check_selectors(kind: str, selectors: Mapping[str, str]) -> None:
    for key, selector in selectors.items():
        if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_:-]*$", key):
            raise ValidationError(f"metric key {key!r}: use letters, digits, _ - or :")
        try:
            if kind == "json":
                parse_selector(selector)
            elif kind == "csv":
                parse_row_selector(selector)
            elif kind == "stripe":
                parse_stripe_selector(selector)
            elif kind in ("ga4", "search_console", "sheets"):
                # a name, a row selector, or a JSON path (with | alternatives) into the response
                if looks_like_row_selector(selector):
                    parse_row_selector(selector)
                else:
                    parse_selector(selector)
        except Exception as exc:
            raise ValidationError(f"metric {key!r}: {exc}") from exc


def check_source(fields: Mapping[str, Any], others: Iterable[MetricSource]) -> dict[str, Any]:
    """The fields to save for a new or changed source, or ValidationError.

    ``others`` are the existing sources apart from the one being changed (names must
    stay unique as ``SOURCE`` slugs, since goals refer to ``SOURCE.KEY``).
    """
    data = dict(fields)
    name = (data.get("name") or "").strip()
    if not source_slug(name):
        raise ValidationError("a source needs a name with letters or digits")
    clash = [s.name for s in others if source_slug(s.name) == source_slug(name)]
    if clash:
        raise ValidationError(f"source {clash[0]!r} already uses the name {source_slug(name)!r}")
    data["name"] = name
    if data.get("kind") not in SOURCE_KINDS:
        raise ValidationError(f"kind must be one of {', '.join(SOURCE_KINDS)}")
    auth = data.get("auth_type") or "none"
    if auth not in AUTH_TYPES:
        raise ValidationError(f"auth must be one of {', '.join(AUTH_TYPES)}")
    data["auth_type"] = auth
    parts = urlsplit(data.get("url") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{data.get('url')!r} is not an http(s) URL")
    if auth != "none":
        env = data.get("auth_env") or ""
        if not _ENV_NAME.match(env):
            raise ValidationError(f"--auth {auth} needs --auth-env VAR (the variable's name)")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise ValidationError("credentials are only sent over https (or http to localhost)")
    if auth == "google-service-account" and not (data.get("auth_param") or "").strip():
        raise ValidationError(
            "--auth google-service-account needs --auth-param SCOPE, the OAuth scope, e.g. "
            "https://www.googleapis.com/auth/analytics.readonly"
        )
    data["timeout_seconds"] = parse_timeout(data.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS))
    _check_no_secrets(data)
    _check_selectors(data["kind"], data.get("selectors") or {})
    data["units"] = check_units(data.get("units") or {}, known_keys(data))
    for part in ("url", "body"):
        try:
            check_placeholders(data.get(part))
        except MetricError as exc:
            raise ValidationError(f"--{part}: {exc}") from None
    return data


def known_keys(fields: Mapping[str, Any]) -> list[str] | None:
    """The metric keys a source will read, when known before it is fetched."""
    if fields.get("selectors"):
        return list(fields["selectors"])
    if fields.get("kind") == "stripe":
        return list(STRIPE_DEFAULTS)
    if fields.get("kind") == "plausible":
        wanted = parse_qs(urlsplit(fields.get("url") or "").query).get("metrics", [""])[0]
        return [m for m in wanted.split(",") if m] or None
    return None


def find_source(store: Store, ref: str) -> MetricSource:
    """A source by id, exact name or ``SOURCE`` slug."""
    sources = store.metrics.metric_sources()
    for source in sources:
        if (
            ref == str(source.id)
            or ref == source.name
            or source_slug(ref) == source_slug(source.name)
        ):
            return source
    names = ", ".join(source_slug(s.name) for s in sources) or "none yet"
    raise NotFound(f"no metric source {ref!r} (sources: {names})")


def source_record(source: MetricSource) -> dict[str, Any]:
    """A source as JSON-ready data: the variable's *name* only, never its value."""
    return {
        "id": source.id,
        "name": source.name,
        "slug": source_slug(source.name),
        "kind": source.kind,
        "url": source.url,
        "method": source.method,
        "headers": dict(source.headers),
        "body": source.body,
        "metrics": dict(source.selectors),
        "units": dict(source.units),
        "auth_type": source.auth_type,
        "auth_env": source.auth_env,
        "auth_param": source.auth_param,
        "interval_seconds": source.interval_seconds,
        "timeout_seconds": _finite_or_none(source.timeout_seconds),
        "last_fetch_at": source.last_fetch_at,
        "last_ok_at": source.last_ok_at,
        "last_status": source.last_status,
        "last_error": source.last_error,
    }
