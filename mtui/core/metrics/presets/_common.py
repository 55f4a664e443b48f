"""What the presets share: the period words, metric lists, base URLs, option shapes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import PresetOption

PERIOD_HELP = "Nd (the last N days, e.g. 7d, 30d), today or month (this month so far)"
_PERIOD = re.compile(r"^\s*(\d{1,4})\s*d\s*$|^\s*(today|month)\s*$", re.I)
_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_:$.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Period:
    """A period a marketer says: ``days`` (the last N days), ``today`` or ``month``."""

    word: str  # "days", "today", "month"
    days: int = 0

    @property
    def text(self) -> str:
        return f"{self.days}d" if self.word == "days" else self.word

    def placeholder(self, fmt: str) -> str:
        """Where the period starts, as a date placeholder (``{{now-7d:ms}}``)."""
        base = f"now-{self.days}d" if self.word == "days" else self.word
        return "{{" + base + ":" + fmt + "}}"


def parse_period(text: str, preset: str) -> Period:
    match = _PERIOD.match(text or "")
    if match is None:
        raise ValidationError(f"preset {preset}: period {text!r} is not {PERIOD_HELP}")
    if match[2]:
        return Period(match[2].lower())
    days = int(match[1])
    if not 1 <= days <= 3660:
        raise ValidationError(f"preset {preset}: period {text!r}: from 1d to 3660d")
    return Period("days", days)


def metric_list(text: str, preset: str, known: Iterable[str] | None = None) -> list[str]:
    """``sessions, conversions`` as names; ValidationError for an unknown or odd one."""
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not names:
        raise ValidationError(f"preset {preset}: --metrics needs at least one name")
    allowed = list(known) if known is not None else None
    for name in names:
        if allowed is not None and name not in allowed:
            raise ValidationError(
                f"preset {preset}: no metric {name!r} (it reads: {', '.join(allowed)})"
            )
        if not _NAME.match(name):
            raise ValidationError(f"preset {preset}: {name!r} is not a metric name")
    if len(set(names)) != len(names):
        raise ValidationError(f"preset {preset}: a metric is named twice in {text!r}")
    return names


def base_url(values: Mapping[str, str], preset: str) -> str:
    """The service's address (``--url`` / ``--set url=``) without a trailing slash."""
    url = values["url"].strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValidationError(f"preset {preset}: --url {url!r} is not an http(s) address")
    return url


def path_part(value: str, what: str, preset: str) -> str:
    """An id that goes into a URL path, percent-encoded; no empty or slash-only ids."""
    text = value.strip()
    if not text or "/" in text or text in (".", ".."):
        raise ValidationError(f"preset {preset}: {what} {value!r} is not an id")
    return quote(text, safe="")


def url_option(default: str | None, help_text: str = "") -> PresetOption:
    return PresetOption(
        "url",
        help_text or "the API's address (for a self-hosted server or a test server)",
        required=default is None,
        default=default,
    )


def period_option(default: str = "30d") -> PresetOption:
    return PresetOption("period", PERIOD_HELP, required=True, default=default)


def metrics_option(default: str, known: Iterable[str] | None = None) -> PresetOption:
    names = f" (any of: {', '.join(known)})" if known is not None else ""
    return PresetOption("metrics", "comma-separated metric names" + names, default=default)
