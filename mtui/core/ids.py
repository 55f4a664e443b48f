"""Random ids: the 32 hex digits of a version 4 UUID (``uuid.uuid4().hex``), made
without importing ``uuid``, which loads ``platform`` and costs every ``mtui add``."""

from __future__ import annotations

import os


def uuid4_hex() -> str:
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    return raw.hex()
