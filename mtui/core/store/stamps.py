"""The one stored form of a fetch time, shared by every backend (text that sorts)."""

from __future__ import annotations

from datetime import UTC, datetime

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def normal_stamp(text: str) -> str:
    """Any ISO 8601 time (``+00:00``, ``Z``, naive = UTC) in ``utc_stamp`` form."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)
