"""The one exception family of the metrics package.

Every failure that can be explained to a user is a ``MetricError`` whose message is a
single readable line. ``fetch_source`` turns these (and anything unexpected) into the
``error`` text of a ``FetchResult``, so callers never see them raised.
"""

from __future__ import annotations


class MetricError(Exception):
    """A readable, one-line reason why a metric could not be fetched or read.

    ``attempts`` is how many HTTP requests were made before it was raised (0 when it
    happened before any request), so a failed fetch reports the real number."""

    attempts: int = 0


class SelectorError(MetricError):
    """A selector is malformed, or does not match the response."""


class CoercionError(MetricError):
    """A selected value is not a number."""


class AuthError(MetricError):
    """Credentials are missing, malformed, or would be sent insecurely."""


class ResponseError(MetricError):
    """The HTTP exchange failed or the body is not what the source kind expects.

    For an HTTP error answer, ``status`` is its code (also a 429 or 5xx that outlasted
    the retries). For a 4xx answer, ``service_message`` is the service's own error message
    in full (scrubbed), so a kind can explain it, and ``body`` the start of the body (at
    most 64 KB), so a caller that knows the service can explain it better (Google's token
    endpoint and APIs); the body is never shown as it is."""

    status: int | None = None
    service_message: str = ""
    body: bytes = b""
