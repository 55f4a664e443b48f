"""Fetch one metric source: request, read, pick values, and report, never raise.

``fetch_source`` is what the store, the CLI (``mtui metrics poll``, ``mtui source test``)
and the TUI call. Whatever happens (bad config, network, HTTP error, unreadable body,
a bug) comes back as ``FetchResult(ok=False, error=<one line>)`` with the secret
scrubbed, so a failing source can show its reason next to its last good value.
Only cancellation propagates.
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from mtui.core.metrics.fetching import google
from mtui.core.metrics.fetching.auth import build_request, check_secure, read_secret
from mtui.core.metrics.fetching.errors import MetricError, ResponseError
from mtui.core.metrics.fetching.google import GOOGLE_AUTH
from mtui.core.metrics.fetching.kinds import PAGED_READERS, check_kind, prepare_source, read_body
from mtui.core.metrics.fetching.redact import (
    MAX_PERIOD_CHARS,
    active_secrets,
    clean_read_text,
    clean_read_values,
    install_log_filter,
    scrub,
    secret_variants,
)
from mtui.core.metrics.fetching.templates import render
from mtui.core.metrics.fetching.transport import (
    MAX_BODY_BYTES,
    Exchange,
    RetryPolicy,
    effective_timeout,
    send,
)
from mtui.core.model import MetricSnapshot, MetricSource

logger = logging.getLogger("mtui.core.metrics")
install_log_filter()

MAX_ERROR_CHARS = 300


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch.

    ``values`` holds every metric that was read, even when ``ok`` is False because
    another metric of the same source failed (``error`` then names the failed one).
    ``fetched_at`` is ISO 8601 UTC (``2026-11-22T09:12:44+00:00``); ``period`` is what
    the service reports the numbers for (``30d``, ``day:yesterday``,
    ``2026-11-20T00:00:00Z/2026-11-22T23:59:59Z``) when known. ``partial`` names the
    metrics whose value is incomplete (a count that stopped at a page limit: the real
    value is higher) and ``notes`` says why; the result is still ``ok``.
    """

    source_id: int
    ok: bool
    values: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    fetched_at: str = ""
    period: str | None = None
    duration_ms: int = 0
    attempts: int = 0
    partial: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def snapshots(self) -> list[MetricSnapshot]:
        """One MetricSnapshot per value read, ready to store."""
        return [
            MetricSnapshot(
                source_id=self.source_id,
                metric_key=key,
                value=value,
                fetched_at=self.fetched_at,
                period=self.period,
            )
            for key, value in self.values.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for ``--json`` output)."""
        return {
            "source_id": self.source_id,
            "ok": self.ok,
            "values": dict(self.values),
            "error": self.error,
            "fetched_at": self.fetched_at,
            "period": self.period,
            "duration_ms": self.duration_ms,
            "attempts": self.attempts,
            "partial": list(self.partial),
            "notes": list(self.notes),
        }


def iso_utc(moment: datetime | None = None) -> str:
    """``moment`` (default now) as ISO 8601 UTC to the second; naive means UTC."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """Whitespace collapsed to single spaces, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _summarise(errors: list[str]) -> str:
    if len(errors) == 1:
        return errors[0]
    return f"{errors[0]} (and {len(errors) - 1} more)"


async def fetch_source(
    client: httpx.AsyncClient,
    source: MetricSource,
    *,
    now: datetime | None = None,
    retry: RetryPolicy | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> FetchResult:
    """Fetch ``source`` and read its metrics. Never raises (except on cancellation).

    ``now`` stamps ``fetched_at`` (default: the current time); ``retry`` and
    ``max_bytes`` override the 429/5xx retry policy and the 5 MB body cap.
    """
    started = time.perf_counter()
    fetched_at = iso_utc(now)
    variants: tuple[str, ...] = ()
    values: dict[str, float] = {}
    period: str | None = None
    attempts = 0
    partial: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None
    moment = now or datetime.now(UTC)
    try:
        check_kind(source)
        source = prepare_source(source, moment)
        secret = read_secret(source)
        timeout = effective_timeout(source.timeout_seconds)
        key = None
        if source.auth_type == GOOGLE_AUTH and secret is not None:
            # The variable holds a key; what is sent is a token obtained with it.
            key = google.load_key(secret, source.auth_env or "")
            variants = key.secret_forms()
            with active_secrets(variants):
                check_secure(render(source.url, moment))
                secret, token_id = await google.access_token(
                    client, key, google.scope_of(source), timeout=timeout, retry=retry
                )
            variants = secret_variants(secret) + variants
        else:
            variants = secret_variants(secret or "", source.auth_type)
        with active_secrets(variants):
            request = build_request(source, secret, moment)
            paged = PAGED_READERS.get(source.kind)
            try:
                if paged is not None:
                    exchange = Exchange(client, request, timeout=timeout, max_bytes=max_bytes,
                                        retry=retry, now=moment)  # fmt: skip
                    try:
                        extraction = await paged(exchange, source)
                    finally:
                        attempts = exchange.attempts
                else:
                    raw = await send(
                        client, request, timeout=timeout, max_bytes=max_bytes, retry=retry
                    )
                    attempts = raw.attempts
                    extraction = await read_body(raw.body, raw.content_type, source)
            except ResponseError as exc:
                if key is not None and secret is not None:
                    if exc.status == 401:
                        google.TOKENS.forget(token_id, secret)
                    google.explain_api_error(exc, key, source)
                raise
        # Keys and the period come out of the response: a server may echo the
        # credential into them, and they are stored and printed.
        values = clean_read_values(extraction.values, variants)
        if extraction.period is not None:
            period = clean_read_text(extraction.period, variants, MAX_PERIOD_CHARS) or None
        partial = tuple(name for name in extraction.partial if name in values)
        notes = tuple(one_line(scrub(note, variants)) for note in extraction.notes)
        error = _summarise(extraction.errors) if extraction.errors else None
        if error is None and not values:
            error = "no metrics found in the response"
    except MetricError as exc:
        error = str(exc)
        attempts = exc.attempts or attempts
        if (
            isinstance(exc, ResponseError)
            and exc.status in (401, 403)
            and source.auth_env
            and source.auth_type != GOOGLE_AUTH  # explained above, with what to grant
            and "$" not in error
        ):
            error += f" (check the credential in ${source.auth_env} and what it may read)"
    except Exception as exc:  # fetch_source must never raise: report the bug instead
        error = f"unexpected error: {type(exc).__name__}: {exc}"
        detail = scrub("".join(traceback.format_exception(exc)), variants)
        logger.debug("source %s: %s", source.id, detail)
    duration_ms = round((time.perf_counter() - started) * 1000)
    if error is not None:
        error = one_line(scrub(error, variants))
        logger.info("source %s (%s) failed: %s", source.id, source.name, error)
    else:
        logger.debug("source %s (%s): %d values", source.id, source.name, len(values))
    return FetchResult(
        source_id=source.id,
        ok=error is None,
        values=values,
        error=error,
        fetched_at=fetched_at,
        period=period,
        duration_ms=duration_ms,
        attempts=attempts,
        partial=partial,
        notes=notes,
    )
