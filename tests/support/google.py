"""A local stand-in for Google's token endpoint, and service-account keys to use with it.

The tests generate a real RSA key, write a service-account key file whose ``token_uri``
points at a pytest-httpserver, and check every assertion mtui sends there: its RS256
signature with the public key and its claims. Imported explicitly by the Google tests.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from werkzeug import Request, Response

from tests.support.metrics import fixture_bytes

CLIENT_EMAIL = "mtui-reader@acme-analytics.iam.gserviceaccount.com"
KEY_ID = "3f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"
GA4_SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@cache
def rsa_key_pem() -> str:
    """A fresh 2048-bit RSA private key (PKCS#8 PEM, as Google's key files hold it)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def service_account(token_uri: str, pem: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A service-account key as Google Cloud console downloads it."""
    return {
        "type": "service_account",
        "project_id": "acme-analytics",
        "private_key_id": KEY_ID,
        "private_key": pem or rsa_key_pem(),
        "client_email": CLIENT_EMAIL,
        "client_id": "109876543210987654321",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
        **overrides,
    }


def write_key(path: Path, token_uri: str, **overrides: Any) -> Path:
    path.write_text(json.dumps(service_account(token_uri, **overrides), indent=2))
    return path


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_assertion(assertion: str, pem: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JWT's header and claims, after checking its RS256 signature with the public
    half of ``pem`` (raises InvalidSignature otherwise)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    header_b64, claims_b64, signature_b64 = assertion.split(".")
    public = serialization.load_pem_private_key(pem.encode(), password=None).public_key()
    public.verify(  # type: ignore[union-attr,call-arg]
        _b64decode(signature_b64),
        f"{header_b64}.{claims_b64}".encode(),
        padding.PKCS1v15(),  # type: ignore[call-arg]
        hashes.SHA256(),  # type: ignore[call-arg]
    )
    return json.loads(_b64decode(header_b64)), json.loads(_b64decode(claims_b64))


@dataclass
class TokenEndpoint:
    """Plays https://oauth2.googleapis.com/token: checks each assertion and hands out
    numbered tokens (``ya29.test-token-1``, ``-2``…), or answers with ``error_body``."""

    pem: str = field(default_factory=rsa_key_pem)
    expires_in: int = 3599
    error_body: bytes | None = None
    error_status: int = 400
    delay: float = 0.0
    assertions: list[tuple[dict[str, Any], dict[str, Any], str]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        form = parse_qs(request.get_data(as_text=True))
        assert request.method == "POST"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert form["grant_type"] == [JWT_GRANT]
        (assertion,) = form["assertion"]
        header, claims = verify_assertion(assertion, self.pem)
        with self.lock:
            self.assertions.append((header, claims, assertion))
            if self.error_body is not None:
                return Response(self.error_body, status=self.error_status,
                                mimetype="application/json")  # fmt: skip
            token = f"ya29.test-token-{len(self.issued) + 1}"
            self.issued.append(token)
        body = {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}
        return Response(json.dumps(body), mimetype="application/json")


def bearer_api(endpoint: TokenEndpoint, fixture: str):
    """A Google API that answers ``fixture`` to a token the endpoint issued, else 401."""

    def handler(request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in endpoint.issued:
            return Response(fixture_bytes("google_unauthenticated.json"), status=401,
                            mimetype="application/json")  # fmt: skip
        return Response(fixture_bytes(fixture), mimetype="application/json")

    return handler
