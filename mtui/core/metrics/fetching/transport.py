"""One HTTP exchange with a deadline, a body size cap and bounded retries.

- The whole attempt (connect, headers, body) runs under ``asyncio.timeout``, so a server
  that trickles bytes cannot hold a source past its ``timeout_seconds``.
- The body is streamed and abandoned once it passes ``max_bytes`` (a declared
  Content-Length over the cap fails before reading anything).
- 429 and 5xx are retried with exponential backoff (``base_delay * 2**n``) or the
  server's ``Retry-After`` (seconds or an HTTP date). Waits are capped per wait
  (``max_delay``) and in total (``max_total_wait``): a server asking for longer is
  reported instead of waited for. Timeouts and refused connections are not retried;
  the next poll is the retry.

Failures raise ``ResponseError`` with one readable line; httpx's own messages are not
passed through where they could quote the URL.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx

from mtui.core.metrics.fetching.auth import PreparedRequest
from mtui.core.metrics.fetching.errors import MetricError, ResponseError
from mtui.core.metrics.fetching.redact import shorten

MAX_BODY_BYTES = 5 * 1024 * 1024
MIN_TIMEOUT_SECONDS = 1.0  # what `source add --timeout` accepts
MAX_TIMEOUT_SECONDS = 120.0
DEFAULT_TIMEOUT_SECONDS = 10.0
_ERROR_BODY_BYTES = 64 * 1024


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How 429/5xx answers are retried. Inject ``sleep`` (and ``clock``) in tests."""

    max_retries: int = 2
    base_delay: float = 1.0
    max_delay: float = 10.0
    max_total_wait: float = 20.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], datetime] = field(default=_utcnow, repr=False)


NO_RETRY = RetryPolicy(max_retries=0)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """A successful (2xx) response body, read within the size cap."""

    status: int
    content_type: str
    body: bytes
    attempts: int


def effective_timeout(value: object) -> float:
    """The deadline a fetch uses for a stored ``timeout_seconds``: finite, positive and
    at most 120 s, so a row written before the bound (or by another tool) cannot make a
    poll hang on a silent server. ``nan``, zero or junk mean the 10 s default."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT_SECONDS
    if math.isnan(seconds) or seconds <= 0:
        return DEFAULT_TIMEOUT_SECONDS
    return max(0.05, min(seconds, MAX_TIMEOUT_SECONDS))


def format_size(size: int) -> str:
    """``5 MB``, ``64 KB``, ``100 bytes``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def format_seconds(seconds: float) -> str:
    """``10s``, ``0.3s``."""
    return f"{seconds:g}s"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _reason(response: httpx.Response) -> str:
    """The standard phrase for the status (servers vary: ``SERVICE UNAVAILABLE``, none
    at all over HTTP/2), else whatever the server sent."""
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or ""


def _status_line(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {_reason(response)}".rstrip()


def _error_detail(body: bytes, limit: int = 160) -> str:
    """The service's own error message from a JSON error body, if it has one."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    for key in ("error", "message", "detail", "title"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value.strip():
            return shorten(" ".join(value.split()), limit)
    return ""


async def _read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; the flag says whether the body was longer."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return b"".join(chunks), True
        chunks.append(chunk)
    return b"".join(chunks), False


def _declared_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers.get("content-length", ""))
    except ValueError:
        return None


@dataclass(slots=True)
class _Retryable:
    status_line: str
    retry_after: str | None
    status: int = 0


async def _attempt(
    client: httpx.AsyncClient, request: PreparedRequest, timeout: float, max_bytes: int
) -> RawResponse | _Retryable:
    async with client.stream(
        request.method,
        request.url,
        headers=request.headers,
        content=request.content,
        timeout=timeout,
        follow_redirects=request.follow_redirects,
    ) as response:
        status = response.status_code
        if status == 429 or status >= 500:
            return _Retryable(_status_line(response), response.headers.get("retry-after"), status)
        if 300 <= status < 400:
            target = urlsplit(response.headers.get("location", "")).hostname or "elsewhere"
            raise ResponseError(
                f"{_status_line(response)}: redirect to {target} not followed "
                "(credentials are never forwarded)"
            )
        if not 200 <= status < 300:
            body, _ = await _read_capped(response, _ERROR_BODY_BYTES)
            detail = _error_detail(body)
            error = ResponseError(_status_line(response) + (f": {detail}" if detail else ""))
            error.status, error.body = status, body
            error.service_message = _error_detail(body, 600)
            raise error
        declared = _declared_length(response)
        if declared is not None and declared > max_bytes:
            raise ResponseError(f"response larger than {format_size(max_bytes)}")
        body, too_big = await _read_capped(response, max_bytes)
        if too_big:
            raise ResponseError(f"response larger than {format_size(max_bytes)}")
        return RawResponse(
            status=status,
            content_type=response.headers.get("content-type", ""),
            body=body,
            attempts=1,
        )


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from (httpx wraps the OS error twice)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _describe_connect_error(exc: httpx.ConnectError, host: str) -> str:
    chain = _causes(exc)
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return f"cannot resolve host {host}"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return f"TLS error talking to {host}"
    text = " ".join(str(e).lower() for e in chain)
    if "refused" in text:
        return "connection refused"
    if any(hint in text for hint in ("name or service", "nodename", "name resolution")):
        return f"cannot resolve host {host}"
    return f"cannot connect to {host}"


def describe_http_error(exc: httpx.HTTPError, host: str) -> str:
    """A short reason for an httpx failure that never quotes the URL."""
    if isinstance(exc, httpx.ConnectError):
        return _describe_connect_error(exc, host)
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection or broke the HTTP protocol"
    if isinstance(exc, httpx.NetworkError):
        return f"network error talking to {host}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "invalid URL"
    return f"HTTP error ({type(exc).__name__})"


def _status_error(message: str, status: int) -> ResponseError:
    error = ResponseError(message)
    error.status = status
    return error


async def send(
    client: httpx.AsyncClient,
    request: PreparedRequest,
    *,
    timeout: float,
    max_bytes: int = MAX_BODY_BYTES,
    retry: RetryPolicy | None = None,
) -> RawResponse:
    """Send ``request`` with the deadline, size cap and retries described above.

    A failure raised here carries the number of requests made (``attempts``)."""
    made = [0]
    try:
        return await _send(client, request, timeout, max_bytes, retry, made)
    except MetricError as exc:
        exc.attempts = made[0]
        raise


async def _send(
    client: httpx.AsyncClient,
    request: PreparedRequest,
    timeout: float,
    max_bytes: int,
    retry: RetryPolicy | None,
    made: list[int],
) -> RawResponse:
    policy = retry or RetryPolicy()
    host = urlsplit(request.url).hostname or "the server"
    waited = 0.0
    attempts = 0
    while True:
        attempts += 1
        made[0] = attempts
        try:
            async with asyncio.timeout(timeout):
                outcome = await _attempt(client, request, timeout, max_bytes)
        except (TimeoutError, httpx.TimeoutException):
            raise ResponseError(f"timed out after {format_seconds(timeout)}") from None
        except httpx.HTTPError as exc:
            raise ResponseError(describe_http_error(exc, host)) from None
        if isinstance(outcome, RawResponse):
            return replace(outcome, attempts=attempts)
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        if attempts > policy.max_retries:
            raise _status_error(outcome.status_line + tries, outcome.status)
        asked = parse_retry_after(outcome.retry_after, policy.clock())
        delay = asked if asked is not None else policy.base_delay * 2 ** (attempts - 1)
        if delay > policy.max_delay or waited + delay > policy.max_total_wait:
            if asked is not None:
                raise _status_error(
                    f"{outcome.status_line}: server asks to retry in {math.ceil(asked)}s{tries}",
                    outcome.status,
                )
            raise _status_error(outcome.status_line + tries, outcome.status)
        await policy.sleep(delay)
        waited += delay


class Exchange:
    """Several requests for one fetch (a kind that pages through a list, like Stripe's).

    ``get_json(url)`` sends the source's prepared request (its credentials, headers and
    deadline) to another URL of the same host, with the same retries for 429/5xx, and
    parses the JSON answer. ``attempts`` counts every request made, also when one fails.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        request: PreparedRequest,
        *,
        timeout: float,
        max_bytes: int = MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        now: datetime | None = None,
    ) -> None:
        self.client = client
        self.request = request
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retry = retry
        self.now = now or _utcnow()
        self.attempts = 0

    async def get_json(self, url: str) -> object:
        from mtui.core.metrics.fetching.decode import parse_json_async

        if urlsplit(url).netloc != urlsplit(self.request.url).netloc:
            raise ResponseError("refusing to send the credentials to another host")
        request = replace(self.request, method="GET", url=url, content=None)
        try:
            raw = await send(
                self.client, request, timeout=self.timeout, max_bytes=self.max_bytes,
                retry=self.retry,
            )  # fmt: skip
        except MetricError as exc:
            self.attempts += exc.attempts
            exc.attempts = self.attempts
            raise
        self.attempts += raw.attempts
        return await parse_json_async(raw.body, raw.content_type)
