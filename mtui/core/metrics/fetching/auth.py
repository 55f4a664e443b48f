"""Credentials for metric sources, and the request that carries them.

The secret is read from the environment variable named by ``source.auth_env`` at fetch
time; it is never stored or shown (only the variable's name is). Credentials go only
over https, or plain http to a loopback address (a local Matomo or a test server):
anything else is refused before a request is made.

``auth_type`` values:

- ``none``: no credentials;
- ``bearer``: ``Authorization: Bearer <secret>`` (Plausible keys, GA4 OAuth tokens);
- ``basic``: the variable holds ``user:password`` (Mailchimp: ``anystring:<api key>``);
- ``header``: the secret in the header named by ``auth_param`` (``X-API-Key``);
- ``query``: the secret in the query parameter named by ``auth_param``;
- ``body``: the secret in the request body field named by ``auth_param``; a form body
  gets ``&param=secret`` appended, a JSON object body gets the key set, and a GET
  becomes a POST (Matomo's ``token_auth``).
- ``google-service-account``: the variable holds a service-account key file's path or
  its JSON; ``auth_param`` is the OAuth scope. The access token it is exchanged for
  (``fetching/google.py``) goes as ``Authorization: Bearer <token>``.

For ``matomo`` sources ``auth_param`` defaults to ``token_auth`` and ``format=JSON`` is
added to the query when neither the URL nor the body sets a format.

Redirects are followed only for sources without credentials (published sheets
redirect); otherwise a custom header or a body could be re-sent to another host.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from mtui.core.metrics.fetching.errors import AuthError, MetricError
from mtui.core.metrics.fetching.templates import render
from mtui.core.model import AUTH_TYPES, MetricSource


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """A request ready to send. Its repr shows no URL, header or body: they may hold
    the secret."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    follow_redirects: bool = False

    def __repr__(self) -> str:
        return f"PreparedRequest(method={self.method!r}, host={urlsplit(self.url).hostname!r})"


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped)."""
    if not host:
        return False
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def read_secret(source: MetricSource, environ: Mapping[str, str] | None = None) -> str | None:
    """The secret for ``source``, None for ``auth_type='none'``; AuthError if unset."""
    if source.auth_type not in AUTH_TYPES:
        raise AuthError(
            f"unknown auth type {source.auth_type!r} (expected one of {', '.join(AUTH_TYPES)})"
        )
    if source.auth_type == "none":
        return None
    if not source.auth_env:
        raise AuthError(f"{source.auth_type} auth needs auth_env (the environment variable name)")
    env = os.environ if environ is None else environ
    secret = env.get(source.auth_env)
    if secret is None:
        raise AuthError(f"environment variable {source.auth_env} is not set")
    if not secret.strip():
        raise AuthError(f"environment variable {source.auth_env} is empty")
    return secret.strip()


def _auth_param(source: MetricSource) -> str:
    if source.auth_param:
        return source.auth_param
    if source.kind == "matomo" and source.auth_type in ("query", "body"):
        return "token_auth"
    raise AuthError(f"{source.auth_type} auth needs auth_param (the parameter name)")


def _has_header(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name.lower() for key in headers)


def _json_object(body: str | None) -> dict | None:
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _header_safe(value: str) -> bool:
    """Printable ASCII only: httpx cannot encode anything else, and CR/LF would split headers."""
    return all(" " <= char <= "~" for char in value)


def _check_url(url: str) -> httpx.URL:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MetricError("URL must start with http:// or https:// and name a host")
    try:
        return httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        raise MetricError("invalid URL") from None


def check_secure(url: httpx.URL | str) -> None:
    """AuthError unless ``url`` is https or plain http to a loopback address."""
    checked = url if isinstance(url, httpx.URL) else _check_url(url)
    if checked.scheme == "http" and not is_loopback_host(checked.host):
        raise AuthError(
            f"refusing to send credentials over plain http to {checked.host}; use https"
        )


def build_request(
    source: MetricSource, secret: str | None, now: datetime | None = None
) -> PreparedRequest:
    """The request for ``source`` with credentials applied (see module docstring).

    Date placeholders in the URL and body (``{{now-7d:ms}}``, see ``templates``) are
    filled in for ``now`` (default: the current time) before the secret is added."""
    url = _check_url(render(source.url, now))
    method = (source.method or "GET").strip().upper()
    headers = dict(source.headers or {})
    body = render(source.body, now) if source.body else source.body

    if (
        source.kind == "matomo"
        and "format" not in parse_qs(url.query.decode())
        and "format" not in parse_qs(body or "")
    ):
        url = url.copy_add_param("format", "JSON")

    if secret is not None:
        check_secure(url)
        auth = "bearer" if source.auth_type == "google-service-account" else source.auth_type
        if auth in ("bearer", "basic", "header") and not _header_safe(secret):
            raise AuthError(
                f"environment variable {source.auth_env} holds characters "
                "that cannot go in an HTTP header"
            )
        if auth == "bearer":
            headers["Authorization"] = f"Bearer {secret}"
        elif auth == "basic":
            if ":" not in secret:
                raise AuthError(f"environment variable {source.auth_env} must hold user:password")
            token = base64.b64encode(secret.encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        elif auth == "header":
            headers[_auth_param(source)] = secret
        elif auth == "query":
            url = url.copy_add_param(_auth_param(source), secret)
        elif auth == "body":
            param = _auth_param(source)
            as_json = _json_object(body)
            if as_json is not None:
                body = json.dumps({**as_json, param: secret})
            else:
                extra = urlencode({param: secret})
                body = f"{body}&{extra}" if body else extra
            if method == "GET":
                method = "POST"

    if body and not _has_header(headers, "Content-Type"):
        is_json = _json_object(body) is not None or body.lstrip().startswith("[")
        headers["Content-Type"] = (
            "application/json" if is_json else "application/x-www-form-urlencoded"
        )
    return PreparedRequest(
        method=method,
        url=str(url),
        headers=headers,
        content=body.encode() if body else None,
        follow_redirects=secret is None,
    )
