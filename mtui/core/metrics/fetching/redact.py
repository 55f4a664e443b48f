"""Keep secrets out of every message, log line and repr.

A secret can leak in forms other than its literal text: URL-encoded in a query string
(httpx logs request URLs at INFO, and error texts may quote URLs) or base64-encoded in
a Basic header. ``secret_variants`` lists those forms; ``scrub`` replaces them. A Google
service account adds three secrets: its private key (``private_key_variants``: whole,
JSON-escaped and line by line), the signed assertion exchanged for a token, and the
access token itself (both through ``secret_variants``).

While a fetch runs, its variants are registered here and a logging filter on the
``httpx``/``httpcore`` loggers (and ours) rewrites any record that contains one, so a
caller's log handler never sees them.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, quote_plus

import httpx

MASK = "***"
MAX_KEY_CHARS = 64  # a metric key read from a response (JSON key, CSV header)
MAX_PERIOD_CHARS = 80  # "2026-11-20T00:00:00Z/2026-11-22T23:59:59Z" is 41
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_PERCENT = re.compile(r"%[0-9A-F]{2}")

_lock = threading.Lock()
_active: Counter[str] = Counter()

FILTERED_LOGGERS = (
    "mtui.core.metrics",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)


def _encodings(value: str) -> set[str]:
    """``value`` raw, URL-encoded (every way httpx and servers write it, upper- and
    lower-case hex) and base64-encoded."""
    httpx_form = str(httpx.QueryParams({"k": value}))[2:]  # how httpx writes it in a URL
    forms = {value, quote(value, safe=""), quote_plus(value), quote(value), httpx_form}
    forms |= {_PERCENT.sub(lambda m: m.group().lower(), form) for form in forms}
    raw = value.encode()
    forms |= {base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    forms |= {form.rstrip("=") for form in forms if form.endswith("=") and len(form) > 8}
    return forms


def secret_variants(secret: str, auth_type: str = "") -> tuple[str, ...]:
    """The literal secret and the encodings it may appear in: URL-encoded (a query
    string), base64 (a Basic header; for every auth type, since a server may echo any
    credential encoded) and, for ``user:password``, the password on its own."""
    if not secret:
        return ()
    forms = _encodings(secret)
    if auth_type == "basic":
        _user, sep, password = secret.partition(":")
        if sep and password:
            forms |= _encodings(password)
    # Longest first, so a variant that contains another is replaced whole.
    return tuple(sorted((f for f in forms if f), key=len, reverse=True))


def private_key_variants(pem: str) -> tuple[str, ...]:
    """The forms a PEM private key may be quoted in: whole (as read and as written
    inside a JSON key file, with ``\\n``), its base64 body in one piece, and each base64
    line of it on its own (a server or a traceback may quote a fragment)."""
    if not pem.strip():
        return ()
    forms = {pem, pem.strip(), json.dumps(pem)[1:-1], json.dumps(pem.strip())[1:-1]}
    body = [
        line.strip()
        for line in pem.replace("\\n", "\n").splitlines()
        if line.strip() and not line.strip().startswith("-----")
    ]
    forms.add("".join(body))
    forms |= {line for line in body if len(line) >= 16}
    return tuple(sorted((f for f in forms if f), key=len, reverse=True))


def scrub(text: str, variants: Iterable[str]) -> str:
    """``text`` with every variant replaced by ``***``."""
    for variant in variants:
        if variant and variant in text:
            text = text.replace(variant, MASK)
    return text


def clean_read_text(text: str, variants: Iterable[str], limit: int) -> str:
    """A text read out of a response (a metric key, a period) made safe to store and
    show: secrets scrubbed first (a cut could leave an unrecognisable prefix), control
    characters dropped, then cut to ``limit`` characters."""
    text = _CONTROL.sub("", scrub(text, variants)).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clean_read_values(
    values: dict[str, float], variants: Iterable[str], limit: int = MAX_KEY_CHARS
) -> dict[str, float]:
    """``values`` with every key cleaned by ``clean_read_text``; when two keys clean to
    the same text (both were the secret, both cut alike) the first one wins."""
    forms = tuple(variants)
    cleaned: dict[str, float] = {}
    for key, value in values.items():
        cleaned.setdefault(clean_read_text(str(key), forms, limit) or MASK, value)
    return cleaned


def scrub_active(text: str) -> str:
    """``text`` with every currently registered secret variant replaced."""
    with _lock:
        variants = sorted(_active, key=len, reverse=True)
    return scrub(text, variants)


def shorten(text: str, limit: int) -> str:
    """Scrub active secrets, then cut to ``limit`` characters.

    Scrubbing must come first: a cut through the middle of a secret would leave a
    prefix that no later scrub recognises.
    """
    text = scrub_active(text)
    return text if len(text) <= limit else text[: max(0, limit - 3)] + "..."


@contextmanager
def active_secrets(variants: Iterable[str]) -> Iterator[None]:
    """Register ``variants`` for log scrubbing while the block runs."""
    forms = [v for v in variants if v]
    with _lock:
        _active.update(forms)
    try:
        yield
    finally:
        with _lock:
            _active.subtract(forms)
            for form in forms:
                if _active[form] <= 0:
                    del _active[form]


class SecretLogFilter(logging.Filter):
    """Rewrites log records that contain an active secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _active:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        cleaned = scrub_active(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info or record.exc_text:
            # Tracebacks may quote URLs; keep only the scrubbed summary line.
            record.exc_info, record.exc_text = None, None
        return True


_FILTER = SecretLogFilter()


def install_log_filter() -> None:
    """Attach the filter to the loggers that may see secrets (idempotent)."""
    for name in FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
