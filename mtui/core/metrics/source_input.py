"""A source as a person gives it, from the TUI's form or ``mtui source add``.

- ``SourceDraft`` is what the form holds: a preset and its options, or a request spelled
  out (``custom``), plus the *name* of the variable holding the secret. There is no field
  for a secret: mtui reads it from the environment when it fetches.
- ``draft_fields`` turns a draft into the fields of a source, or a ``FieldError`` naming
  the field at fault (the form shows it under that field).
- ``preset_fields`` is the one place a preset writes a source (the CLI uses it too);
  ``save_source`` is the one place a new or changed source is checked and saved (one
  transaction, with the actor and the caller's action id in the activity log).
- ``env_state`` says whether a variable is set; it never returns the value.
- ``try_fields`` fetches a draft once and stores nothing (the form's "test").
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from mtui.core.errors import ValidationError
from mtui.core.model import MetricSource
from mtui.core.store.contract import Store
from mtui.core.strategy.input import FieldError

if TYPE_CHECKING:
    from mtui.core.metrics import FetchResult, RetryPolicy
    from mtui.core.metrics.presets import Preset

CUSTOM = "custom"  # the form's choice for a request spelled out (no preset)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Every request column a saved source has: a changed source gets all of them, so a value
# the old request had (a header, a body) never lingers under a new one.
REQUEST_DEFAULTS: dict[str, Any] = {
    "method": "GET",
    "headers": {},
    "body": None,
    "selectors": {},
    "auth_type": "none",
    "auth_env": None,
    "auth_param": None,
}

EnvState = Literal["set", "empty", "unset", "invalid"]


@dataclass(frozen=True)
class SourceDraft:
    """The form's values, as typed. Blank ``interval``: the preset's, else the config's."""

    name: str = ""
    preset: str = CUSTOM
    options: Mapping[str, str] = field(default_factory=dict)
    auth_env: str = ""
    interval: str = ""
    timeout: str = "10"
    # A request spelled out (preset == CUSTOM)
    kind: str = "json"
    url: str = ""
    method: str = "GET"
    headers: str = ""  # one "Name: value" a line
    body: str = ""
    metrics: str = ""  # one "key=selector" a line
    auth_type: str = "none"
    auth_param: str = ""


def draft_from_source(source: MetricSource) -> SourceDraft:
    """A saved source as a custom draft (a source does not remember its preset)."""
    return SourceDraft(
        name=source.name,
        preset=CUSTOM,
        auth_env=source.auth_env or "",
        interval=duration_text(source.interval_seconds),
        timeout=f"{source.timeout_seconds:g}",
        kind=source.kind,
        url=source.url,
        method=source.method,
        headers="\n".join(f"{k}: {v}" for k, v in source.headers.items()),
        body=source.body or "",
        metrics="\n".join(f"{k}={v}" for k, v in source.selectors.items()),
        auth_type=source.auth_type,
        auth_param=source.auth_param or "",
    )


def duration_text(seconds: int) -> str:
    """``300`` as ``5m``, ``3600`` as ``1h``, ``90`` as ``90s`` (what ``parse_duration`` reads)."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# Environment ---------------------------------------------------------------------------
def env_state(name: str, environ: Mapping[str, str] | None = None) -> EnvState:
    """Whether the variable ``name`` is set (and not blank). Never the value."""
    name = name.strip()
    if not _ENV_NAME.match(name):
        return "invalid"
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return "unset"
    return "set" if value.strip() else "empty"


def looks_like_secret(name: str) -> bool:
    """A "variable name" that is more likely the secret itself, pasted into the wrong
    field: long, mixed case or lower case with digits (``sk_live_51Hx…``, ``phc_a8F…``).
    Variable names are conventionally upper case (``STRIPE_API_KEY``)."""
    text = name.strip()
    if len(text) < 16 or text.isupper() or not any(ch.isdigit() for ch in text):
        return False
    return any(ch.islower() for ch in text)


def check_env_name(name: str) -> str:
    """The variable's name, or FieldError("auth_env") (never echoing a pasted secret)."""
    text = name.strip()
    if looks_like_secret(text):
        raise FieldError(
            "auth_env",
            "that looks like a secret itself: type the NAME of the variable holding it "
            "(e.g. STRIPE_API_KEY) and export the secret in the shell that starts mtui",
        )
    if not _ENV_NAME.match(text):
        raise FieldError("auth_env", "a variable's name: letters, digits and _, e.g. GA4_KEY")
    return text


# Presets -------------------------------------------------------------------------------
def preset_fields(
    preset: Preset, values: Mapping[str, str], auth_env: str | None
) -> dict[str, Any]:
    """The source ``preset`` writes for ``values``; ``auth_env`` overrides the variable
    it suggests (ValidationError when the preset sends no credential)."""
    fields = preset.source_fields(values)
    if fields.get("auth_type", "none") == "none":
        if auth_env:
            raise ValidationError(f"preset {preset.name} sends no credential: drop --auth-env")
    else:
        fields["auth_env"] = auth_env or fields.get("auth_env") or preset.default_env
    return fields


def sends_credential(preset: Preset, values: Mapping[str, str]) -> bool:
    """Whether ``preset`` (with ``values``) reads a secret. Presets that can go without
    one say so through their options; when the values do not build yet, assume yes."""
    try:
        return preset.source_fields(values).get("auth_type", "none") != "none"
    except ValidationError:
        return preset.default_env is not None


def _option_at_fault(message: str, names: Iterable[str]) -> str | None:
    """The option a preset's error message is about: the one named first in it
    (``needs --set site=…``, ``period 'x' is not…``, ``property '12x': expected…``)."""
    text = message.lower()
    found = [
        (match.start(), name)
        for name in names
        if (match := re.search(rf"(?<![a-z0-9_]){re.escape(name)}(?![a-z0-9_])", text))
    ]
    return min(found)[1] if found else None


# Drafts --------------------------------------------------------------------------------
def _lines(text: str, sep: str, what: str, field_name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, found, value = line.partition(sep)
        if not found or not key.strip():
            raise FieldError(field_name, f"{what} {line.strip()!r}: expected NAME{sep}VALUE")
        out[key.strip()] = value.strip()
    return out


def draft_fields(draft: SourceDraft, default_interval: int) -> dict[str, Any]:
    """The fields to save for ``draft`` (not yet checked against the other sources'
    names), or FieldError naming the field at fault."""
    from mtui.core.metrics.presets import preset_named
    from mtui.core.metrics.sources import parse_duration, parse_timeout

    if not draft.name.strip():
        raise FieldError("name", "a source needs a name, e.g. web (its metrics are web.KEY)")
    if draft.preset != CUSTOM:
        preset = preset_named(draft.preset)
        values = {k: v.strip() for k, v in draft.options.items() if v.strip()}
        names = [o.name for o in preset.options]
        for option in preset.options:
            if option.required and option.default is None and option.name not in values:
                raise FieldError(f"opt-{option.name}", f"needed: {option.help}")
        env = None
        if sends_credential(preset, values):
            env = check_env_name(draft.auth_env or preset.default_env or "")
        try:
            fields = preset_fields(preset, values, env)
        except ValidationError as exc:
            at_fault = _option_at_fault(str(exc), names)
            raise FieldError(f"opt-{at_fault}" if at_fault else "", str(exc)) from None
    else:
        auth = (draft.auth_type or "none").strip().lower()
        fields = {
            "kind": draft.kind.strip().lower(),
            "url": draft.url.strip(),
            "method": (draft.method or "GET").strip().upper(),
            "headers": _lines(draft.headers, ":", "header", "headers"),
            "body": draft.body.strip() or None,
            "selectors": _lines(draft.metrics, "=", "metric", "metrics"),
            "auth_type": auth,
            "auth_env": check_env_name(draft.auth_env) if auth != "none" else None,
            "auth_param": draft.auth_param.strip() or None,
        }
        if not fields["url"]:
            raise FieldError("url", "the address to fetch, e.g. https://api.example.com/stats")
        if not fields["selectors"]:
            raise FieldError("metrics", "name at least one metric: key=selector, one a line")
    try:
        if draft.interval.strip():
            fields["interval_seconds"] = parse_duration(draft.interval)
    except ValidationError as exc:
        raise FieldError("interval", str(exc)) from None
    if not fields.get("interval_seconds"):
        fields["interval_seconds"] = default_interval
    try:
        fields["timeout_seconds"] = parse_timeout(draft.timeout or "10")
    except ValidationError as exc:
        raise FieldError("timeout", str(exc).removeprefix("--timeout ")) from None
    fields = {**REQUEST_DEFAULTS, **fields, "name": draft.name.strip()}
    return checked(fields, [])


_CHECK_FIELDS = (  # check_source's messages, by the field they are about (first match)
    ("header ", "headers"),
    ("url parameter", "url"),
    ("the url carries", "url"),
    ("the body carries", "body"),
    ("already uses the name", "name"),
    ("a source needs a name", "name"),
    ("kind must be", "kind"),
    ("auth must be", "auth_type"),
    ("--auth-env", "auth_env"),
    ("--auth-param", "auth_param"),
    ("header", "headers"),
    ("metric", "metrics"),
    ("body", "body"),
    ("url", "url"),
    ("credentials are only sent", "url"),
    ("--timeout", "timeout"),
)


def checked(fields: Mapping[str, Any], others: Iterable[MetricSource]) -> dict[str, Any]:
    """``check_source`` (the CLI's rules), its refusal as a FieldError where it can say
    which field."""
    from mtui.core.metrics.sources import check_source  # brings in the fetching code

    try:
        return check_source(fields, others)
    except ValidationError as exc:
        text = str(exc).lower()
        at_fault = next((name for words, name in _CHECK_FIELDS if words in text), "")
        if text.startswith("metric "):  # "metric 'key': …" (a selector)
            at_fault = "metrics"
        raise FieldError(at_fault, str(exc)) from None


def save_source(
    store: Store,
    fields: Mapping[str, Any],
    source_id: int | None = None,
    *,
    action_id: str | None = None,
) -> MetricSource:
    """Check ``fields`` against the other sources (names stay unique as slugs) and save
    them: a new source, or ``source_id`` changed. One transaction."""
    others = [s for s in store.metrics.metric_sources() if s.id != source_id]
    return store.metrics.save_metric_source(checked(fields, others), source_id, action_id=action_id)


# Testing -------------------------------------------------------------------------------
def try_fields(
    fields: Mapping[str, Any], *, source_id: int = 0, retry: RetryPolicy | None = None
) -> FetchResult:
    """Fetch a source built from ``fields`` once, storing nothing. Blocks: call it from
    a thread (it runs its own event loop and HTTP client)."""
    import asyncio

    import httpx

    from mtui.core.metrics import fetch_source, warm_up

    known = set(MetricSource.__dataclass_fields__) - {"id"}
    source = MetricSource(id=source_id, **{k: v for k, v in fields.items() if k in known})

    async def main() -> FetchResult:
        await warm_up()
        async with httpx.AsyncClient() as client:
            return await fetch_source(client, source, retry=retry)

    return asyncio.run(main())


try_fields.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
