"""Google service-account auth: a signed assertion exchanged for an access token.

The environment variable named by ``source.auth_env`` holds the key file's **path** or
its JSON **content** (never stored). For each fetch:

1. the key is read (``load_key``) and the scope taken from ``source.auth_param``
   (space-separated scopes, e.g. ``https://www.googleapis.com/auth/analytics.readonly``);
2. if a token for that key and scope is in memory and not within 5 minutes of its
   expiry, it is used;
3. otherwise an RS256 JWT (``iss`` the service account, ``scope``, ``aud`` the key's
   ``token_uri``, ``iat``, ``exp`` one hour later), signed with ``cryptography`` in a
   worker thread, is POSTed to the key's ``token_uri``
   (``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer``) and the token kept.

One token per (key, scope) is shared by every source that uses it; an ``asyncio.Lock``
per key and scope makes concurrent fetches wait for the one request in flight (and
share its failure, so a bad key costs one request per poll, not one per source). The
token lives only in this process's memory: never in the database, a log, ``--json``
output or an error (``fetch`` registers it, the assertion and the private key with
``redact`` for scrubbing). ``token_uri`` must be https, or http to a loopback address.

``cryptography`` is the optional ``google`` extra, imported only here, on the first
token request: without it the source's error says how to install it.

Google's error answers become one line that says what to do: ``invalid_grant`` (a
deleted or revoked key, a clock that is off), ``invalid_scope``, a disabled account,
and an API's ``403 PERMISSION_DENIED`` (naming the account's email to grant access to).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from mtui.core.metrics.fetching.auth import PreparedRequest, is_loopback_host
from mtui.core.metrics.fetching.errors import AuthError, MetricError, ResponseError
from mtui.core.metrics.fetching.redact import (
    active_secrets,
    private_key_variants,
    scrub,
    secret_variants,
    shorten,
)
from mtui.core.metrics.fetching.transport import RetryPolicy, send
from mtui.core.model import MetricSource

GOOGLE_AUTH = "google-service-account"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = 3600  # seconds; Google accepts at most one hour
REFRESH_MARGIN = 300.0  # a token is replaced this long before it expires
INSTALL_HINT = "pip install 'mtui[google]' (or uv sync --extra google)"
SCOPE_EXAMPLE = "https://www.googleapis.com/auth/analytics.readonly"
MAX_KEY_FILE_BYTES = 64 * 1024  # a service-account key file is about 2.3 KB


@dataclass(frozen=True)
class ServiceAccountKey:
    """What mtui needs from a service-account key file. The repr shows no key."""

    client_email: str
    private_key: str = field(repr=False)
    private_key_id: str = ""
    token_uri: str = DEFAULT_TOKEN_URI
    origin: str = ""  # "the key file /path/key.json" or "$GA4_KEY", for messages

    def __repr__(self) -> str:
        return f"ServiceAccountKey(client_email={self.client_email!r}, origin={self.origin!r})"

    @property
    def cache_id(self) -> str:
        """A digest naming this key (a new key, even with the same id, is another)."""
        parts = (self.token_uri, self.client_email, self.private_key_id, self.private_key)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def secret_forms(self) -> tuple[str, ...]:
        """The private key in every form ``redact`` should scrub."""
        return private_key_variants(self.private_key)


def _read_key_text(value: str, env_name: str) -> tuple[str, str]:
    """The key's JSON text and where it came from, for messages."""
    if value.lstrip().startswith("{"):
        return value, f"${env_name}"
    path = Path(value).expanduser()
    origin = f"the key file {path}"
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise AuthError(
            f"${env_name} names a key file that does not exist: {path} "
            "(set it to the path of the service-account key, or to its JSON)"
        ) from None
    except IsADirectoryError:
        raise AuthError(f"${env_name} names a folder, not a key file: {path}") from None
    except PermissionError:
        raise AuthError(f"cannot read {origin}: permission denied") from None
    except OSError as exc:
        raise AuthError(f"cannot read {origin}: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise AuthError(f"{origin} is too large to be a service-account key")
    try:
        return data.decode("utf-8-sig"), origin
    except UnicodeDecodeError:
        raise AuthError(f"{origin} is not a JSON service-account key (not UTF-8 text)") from None


def load_key(value: str, env_name: str) -> ServiceAccountKey:
    """The key in ``value`` (a path, or the JSON itself); AuthError with one line."""
    text, origin = _read_key_text(value, env_name)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise AuthError(
            f"{origin} is not a JSON service-account key "
            "(download one in Google Cloud console: IAM → Service accounts → Keys)"
        ) from None
    if not isinstance(data, dict):
        raise AuthError(f"{origin} is not a service-account key (expected a JSON object)")
    kind = data.get("type")
    if kind != "service_account":
        raise AuthError(
            f"{origin} holds a {str(kind)[:40]!r} credential, not a service-account key "
            "(its type must be service_account)"
        )
    fields: dict[str, str] = {}
    for name in ("client_email", "private_key"):
        value_ = data.get(name)
        if not isinstance(value_, str) or not value_.strip():
            raise AuthError(f"{origin} has no {name}; download a new key for the service account")
        fields[name] = value_.strip() if name == "client_email" else value_
    token_uri = data.get("token_uri") or DEFAULT_TOKEN_URI
    key_id = data.get("private_key_id") or ""
    if not isinstance(token_uri, str) or not isinstance(key_id, str):
        raise AuthError(f"{origin} has a token_uri or private_key_id that is not text")
    return ServiceAccountKey(
        client_email=fields["client_email"],
        private_key=fields["private_key"],
        private_key_id=key_id.strip(),
        token_uri=token_uri.strip(),
        origin=origin,
    )


def scope_of(source: MetricSource) -> str:
    """The source's OAuth scopes, space-separated (commas accepted)."""
    scope = " ".join((source.auth_param or "").replace(",", " ").split())
    if not scope:
        raise AuthError(
            f"{GOOGLE_AUTH} auth needs auth_param: the OAuth scope, e.g. {SCOPE_EXAMPLE}"
        )
    return scope


def check_token_uri(key: ServiceAccountKey) -> None:
    parts = urlsplit(key.token_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuthError(f"the token_uri in {key.origin} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise AuthError(
            f"refusing to send the service-account assertion over plain http to "
            f"{parts.hostname}; the key's token_uri must be https"
        )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _crypto() -> Any:
    """cryptography's RSA signing pieces, or AuthError saying how to install them."""
    try:
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
    except ImportError:
        raise AuthError(
            f"{GOOGLE_AUTH} auth needs the cryptography package: {INSTALL_HINT}"
        ) from None
    return hashes, serialization, padding, rsa, UnsupportedAlgorithm


def sign_assertion(key: ServiceAccountKey, scope: str, now: float) -> str:
    """The RS256 JWT that asks ``key.token_uri`` for a token for ``scope``.

    Runs in a worker thread (importing cryptography and signing take milliseconds the
    event loop that draws the dashboard should not spend)."""
    hashes, serialization, padding, rsa, unsupported = _crypto()
    header: dict[str, str] = {"alg": "RS256", "typ": "JWT"}
    if key.private_key_id:
        header["kid"] = key.private_key_id
    issued = int(now)
    claims: dict[str, str | int] = {
        "iss": key.client_email,
        "scope": scope,
        "aud": key.token_uri,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
    }
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    try:
        # OpenSSL's RSA key check (are p and q prime?) takes 80-130 ms here while
        # holding the GIL, so even in this worker thread it froze the event loop that
        # long on every token request. The signature is verified with the public half
        # below instead: an inconsistent key cannot sign anything that verifies, and a
        # faulty signature (which could leak the key) is never sent.
        private = serialization.load_pem_private_key(
            key.private_key.encode(), password=None, unsafe_skip_rsa_key_validation=True
        )
    except (ValueError, TypeError, unsupported):
        raise AuthError(
            f"the private_key in {key.origin} is not a readable PEM key; "
            "download a new key for the service account"
        ) from None
    if not isinstance(private, rsa.RSAPrivateKey):
        raise AuthError(f"the private_key in {key.origin} is not an RSA key")
    from cryptography.exceptions import InvalidSignature

    message = signing_input.encode("ascii")
    try:
        signature = private.sign(message, padding.PKCS1v15(), hashes.SHA256())
        private.public_key().verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, InvalidSignature):
        raise AuthError(
            f"the private_key in {key.origin} is not a valid RSA key; "
            "download a new key for the service account"
        ) from None
    return f"{signing_input}.{_b64url(signature)}"


# --- the token cache ---------------------------------------------------------------

CacheKey = tuple[str, str]  # (key digest, scope)


@dataclass(slots=True)
class _Token:
    value: str = field(repr=False)
    refresh_at: float


def refresh_after(lifetime: float) -> float:
    """Seconds after issue when a token of ``lifetime`` seconds is replaced: 5 minutes
    before it expires, or at half its life when it is shorter than 10 minutes."""
    return max(lifetime - REFRESH_MARGIN, lifetime / 2)


class TokenCache:
    """Access tokens in memory, one per (key, scope), refreshed shortly before expiry.

    ``clock`` (monotonic seconds) may be replaced in tests to make a token expire."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._tokens: dict[CacheKey, _Token] = {}
        # asyncio locks belong to one event loop; the CLI and tests run several in turn.
        self._locks: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[CacheKey, asyncio.Lock]
        ] = weakref.WeakKeyDictionary()
        self._answered: dict[CacheKey, int] = {}
        # The last failure per key: (its request's number, error type, message). Only the
        # text is kept, not the exception, whose traceback holds the signed assertion.
        self._failures: dict[CacheKey, tuple[int, type[MetricError], str]] = {}

    def __repr__(self) -> str:
        return f"TokenCache({len(self._tokens)} tokens)"

    def clear(self) -> None:
        self._tokens.clear()
        self._failures.clear()

    def fresh(self, key: CacheKey) -> str | None:
        token = self._tokens.get(key)
        if token is None or self.clock() >= token.refresh_at:
            return None
        return token.value

    def forget(self, key: CacheKey, value: str) -> None:
        """Drop ``value`` (an API refused it) so the next fetch asks for a new one."""
        token = self._tokens.get(key)
        if token is not None and token.value == value:
            del self._tokens[key]

    def _answer(self, key: CacheKey) -> int:
        self._answered[key] = done = self._answered.get(key, 0) + 1
        return done

    def _lock(self, key: CacheKey) -> asyncio.Lock:
        per_loop = self._locks.setdefault(asyncio.get_running_loop(), {})
        return per_loop.setdefault(key, asyncio.Lock())

    async def get(self, key: CacheKey, request: Callable[[], Awaitable[tuple[str, float]]]) -> str:
        """The cached token for ``key``, or the one ``request()`` gets (once, however
        many fetches ask at the same time; they share its failure too)."""
        token = self.fresh(key)
        if token is not None:
            return token
        seen = self._answered.get(key, 0)  # token requests finished before this fetch asked
        async with self._lock(key):
            token = self.fresh(key)
            if token is not None:
                return token
            failed = self._failures.get(key)
            if failed is not None and failed[0] > seen:
                # The request this fetch waited for failed: report that, do not retry now.
                raise failed[1](failed[2])
            started = self.clock()
            try:
                value, lifetime = await request()
            except MetricError as exc:
                self._failures[key] = (self._answer(key), type(exc), str(exc))
                raise
            except BaseException:
                self._answer(key)
                raise
            self._answer(key)
            self._failures.pop(key, None)
            self._tokens[key] = _Token(value, started + refresh_after(lifetime))
            return value


TOKENS = TokenCache()


# --- the token request -------------------------------------------------------------


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _token_error(exc: ResponseError, key: ServiceAccountKey, scope: str) -> MetricError:
    """Google's token endpoint errors, as what to do about them."""
    data = _json_object(exc.body)
    code = str(data.get("error") or "")
    description = " ".join(str(data.get("error_description") or "").split())
    said = f"{code}: {description}" if description else code
    lowered = description.lower()
    who = key.client_email
    if code == "invalid_grant":
        if "signature" in lowered:
            message = (
                f"Google refused the key of {who} ({said}): the key was deleted or revoked, "
                "or is not the one Google knows; create a new key for the service account"
            )
        elif any(word in lowered for word in ("iat", "exp", "timeframe", "short-lived")):
            message = (
                f"Google refused the token request of {who} ({said}): this computer's clock "
                "is off; set it to the right time (NTP) and retry"
            )
        elif "not found" in lowered or "deleted" in lowered:
            message = (
                f"Google does not know the service account {who} ({said}): it was deleted; "
                "create a service account and a key, and grant it access again"
            )
        else:
            message = (
                f"Google refused the key of {who} ({said}): check that the key is current "
                "and this computer's clock is right"
            )
    elif code == "invalid_scope":
        message = (
            f"Google refused the scope {scope!r} ({said}): set auth_param to e.g. {SCOPE_EXAMPLE}"
        )
    elif code in ("invalid_client", "unauthorized_client", "disabled_client", "deleted_client"):
        message = (
            f"Google refused the service account {who} ({said}): the account or its key "
            "is disabled or deleted; enable it or create a new key"
        )
    else:
        message = f"token request failed: {exc}"
    error: MetricError = AuthError(message) if code else ResponseError(message)
    error.attempts = exc.attempts
    return error


def _parse_token(body: bytes) -> tuple[str, float]:
    data = _json_object(body)
    token = data.get("access_token")
    if not isinstance(token, str) or not token.strip():
        raise ResponseError("the token endpoint answered without an access_token")
    if not all(" " <= char <= "~" for char in token):
        raise ResponseError("the token endpoint sent an access token unfit for an HTTP header")
    expires_in = data.get("expires_in", ASSERTION_LIFETIME)
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        lifetime = float(ASSERTION_LIFETIME)
    if not lifetime > 0:  # also nan
        lifetime = 0.0
    return token.strip(), min(lifetime, float(ASSERTION_LIFETIME) * 24)


async def request_token(
    client: httpx.AsyncClient,
    key: ServiceAccountKey,
    scope: str,
    *,
    timeout: float,
    retry: RetryPolicy | None = None,
) -> tuple[str, float]:
    """A new access token and its lifetime in seconds, from ``key.token_uri``."""
    check_token_uri(key)
    assertion = await asyncio.to_thread(sign_assertion, key, scope, time.time())
    variants = secret_variants(assertion) + secret_variants(assertion.rsplit(".", 1)[-1])
    request = PreparedRequest(
        method="POST",
        url=key.token_uri,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        content=urlencode({"grant_type": JWT_BEARER_GRANT, "assertion": assertion}).encode(),
        follow_redirects=False,
    )
    with active_secrets(variants):
        try:
            raw = await send(client, request, timeout=timeout, retry=retry)
        except ResponseError as exc:
            error = _token_error(exc, key, scope)
            error.args = (scrub(str(error), variants),)
            raise error from None
        except MetricError as exc:
            exc.args = (f"token request: {scrub(str(exc), variants)}",)
            raise
    try:
        return _parse_token(raw.body)
    except MetricError as exc:
        exc.attempts = raw.attempts
        raise


async def access_token(
    client: httpx.AsyncClient,
    key: ServiceAccountKey,
    scope: str,
    *,
    timeout: float,
    retry: RetryPolicy | None = None,
    cache: TokenCache | None = None,
) -> tuple[str, CacheKey]:
    """A token for ``key`` and ``scope``: the cached one while fresh, else a new one."""
    tokens = cache if cache is not None else TOKENS
    cache_key = (key.cache_id, scope)
    token = await tokens.get(
        cache_key, lambda: request_token(client, key, scope, timeout=timeout, retry=retry)
    )
    return token, cache_key


# --- what an API's refusal means ---------------------------------------------------

_GRANT_HINTS = {
    "ga4": "add {email} as a Viewer on the GA4 property (Admin → Property access management)",
    "search_console": "add {email} as a user of the Search Console property "
    "(Settings → Users and permissions)",
    "sheets": "share the sheet with {email} (Viewer)",
}
_HOST_KINDS = {
    "analyticsdata.googleapis.com": "ga4",
    "searchconsole.googleapis.com": "search_console",
    "sheets.googleapis.com": "sheets",
}


def _grant_hint(source: MetricSource, email: str) -> str:
    parts = urlsplit(source.url)
    kind = source.kind if source.kind in _GRANT_HINTS else _HOST_KINDS.get(parts.hostname or "")
    if kind is None and "/webmasters/" in parts.path:
        kind = "search_console"
    template = _GRANT_HINTS.get(kind or "", "grant {email} access to what the source reads")
    return template.format(email=email)


def explain_api_error(exc: ResponseError, key: ServiceAccountKey, source: MetricSource) -> None:
    """Rewrite a Google API's 401/403 answer as what to do (in place)."""
    data = _json_object(exc.body)
    raw_error = data.get("error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    status = str(error.get("status") or "")
    message = " ".join(str(error.get("message") or "").split())
    reasons = " ".join(
        str(detail.get("reason") or "")
        for detail in error.get("details") or []
        if isinstance(detail, dict)
    )
    google_says = f" (Google says: {shorten(message, 120)})" if message else ""
    if exc.status == 401:
        exc.args = (
            f"HTTP 401 Unauthorized: Google refused the access token of {key.client_email}; "
            f"a new one is requested on the next poll{google_says}",
        )
    elif exc.status == 403:
        if (
            "SERVICE_DISABLED" in reasons
            or "has not been used" in message
            or ("is disabled" in message and "API" in message)
        ):
            exc.args = (
                "HTTP 403 Forbidden: the API is not enabled in the service account's "
                f"Google Cloud project; enable it there (APIs & Services){google_says}",
            )
        elif status in ("PERMISSION_DENIED", "") or "permission" in message.lower():
            exc.args = (
                f"HTTP 403 Forbidden: permission denied: {_grant_hint(source, key.client_email)}"
                f"{google_says}",
            )
