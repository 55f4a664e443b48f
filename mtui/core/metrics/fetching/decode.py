"""Bodies to data: JSON and CSV, with the failures users actually meet named plainly.

A login page instead of JSON ("expected JSON, got HTML"), Matomo's XML default
("got XML"), a body cut off mid-transfer ("truncated JSON"). Large bodies are parsed in
a worker thread so a big response does not stall the event loop that draws the UI.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

from mtui.core.metrics.fetching.errors import ResponseError

# Above this size, parsing moves off the event loop (json.loads of 256 KB is ~1 ms).
THREAD_THRESHOLD = 256 * 1024


def _sniff_markup(body: bytes, content_type: str) -> str | None:
    """'HTML' or 'XML' if the body is markup, else None."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"html" in content_type.lower().encode() or head.startswith((b"<!doctype html", b"<html")):
        return "HTML"
    if head.startswith(b"<?xml") or "xml" in content_type.lower():
        return "XML"
    if head.startswith(b"<"):
        return "HTML"
    return None


def parse_json_bytes(body: bytes, content_type: str = "") -> Any:
    """Parse a JSON body; ResponseError with a one-line reason otherwise."""
    if not body.strip():
        raise ResponseError("empty response body, expected JSON")
    markup = _sniff_markup(body, content_type)
    if markup is not None:
        hint = " (Matomo needs format=JSON)" if markup == "XML" else ""
        raise ResponseError(f"expected JSON, got {markup}{hint}")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResponseError("expected JSON, got bytes that are not UTF-8") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise ResponseError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise ResponseError("truncated JSON") from None
        raise ResponseError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def parse_csv_bytes(body: bytes, content_type: str = "") -> list[dict[str, str]]:
    """Parse a CSV body with a header row into dicts; ResponseError otherwise."""
    if not body.strip():
        raise ResponseError("empty response body, expected CSV")
    markup = _sniff_markup(body, content_type)
    if markup is not None:
        raise ResponseError(f"expected CSV, got {markup} (is the sheet published as CSV?)")
    text = body.decode("utf-8-sig", errors="replace")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise ResponseError("CSV has no header row")
        names = [cell.strip() for cell in header]
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            rows.append(dict(zip(names, record, strict=False)))
    except csv.Error as exc:
        raise ResponseError(f"invalid CSV: {exc}") from None
    return rows


async def parse_json_async(body: bytes, content_type: str = "") -> Any:
    """``parse_json_bytes``, in a worker thread when the body is large."""
    if len(body) > THREAD_THRESHOLD:
        return await asyncio.to_thread(parse_json_bytes, body, content_type)
    return parse_json_bytes(body, content_type)


async def parse_csv_async(body: bytes, content_type: str = "") -> list[dict[str, str]]:
    """``parse_csv_bytes``, in a worker thread when the body is large."""
    if len(body) > THREAD_THRESHOLD:
        return await asyncio.to_thread(parse_csv_bytes, body, content_type)
    return parse_csv_bytes(body, content_type)
