"""Reading an import file into checked records, before the database is touched.

Bytes that are not UTF-8 (a latin-1 spreadsheet export), JSON that does not parse, a
CSV that does not split into rows: each is one line saying what is wrong with the file
and how to fix it, never a Python exception.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.transfer.checks import check_task, check_unique, kind_of
from mtui.core.wording import count

NOT_IMPORTED = "nothing was imported"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a leading BOM is dropped), or a ValidationError saying where it breaks."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            f"save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet) and import again; "
            f"{NOT_IMPORTED}"
        ) from None


def parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"{NOT_IMPORTED}"
        ) from None
    except (RecursionError, ValueError) as exc:  # absurd nesting; a 5,000-digit number
        raise ValidationError(f"{name}: not JSON mtui can read ({exc}); {NOT_IMPORTED}") from None


def parse_csv(text: str, name: str) -> list[dict[str, Any]]:
    """CSV rows as dicts of text cells (the header row names the fields)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise ValidationError(
            f"{name}: not a CSV file mtui can read ({exc}); {NOT_IMPORTED}"
        ) from None
    finally:
        csv.field_size_limit(previous)
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]  # "Title" from a spreadsheet is title
    if len(set(header)) != len(header):
        raise ValidationError(f"{name}: a column name appears twice in the header; {NOT_IMPORTED}")
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines
        if len(row) > len(header):
            raise ValidationError(
                f"{name}: line {line} has {count(len(row), 'cell')} but the header names {len(header)}; "
                f"{NOT_IMPORTED}"
            )
        records.append({key: cell for key, cell in zip(header, row, strict=False) if key})
    return records


def read_tasks(data: bytes, fmt: str, name: str) -> list[dict[str, Any]]:
    """The checked task records of a CSV file or of a JSON list of tasks."""
    text = decode(data, name)
    if fmt == "csv":
        raw = parse_csv(text, name)
        tasks = [check_task(r, n, from_text=True) for n, r in enumerate(raw, start=1)]
    else:
        raw = parse_json(text, name)
        if not isinstance(raw, list):
            raise ValidationError(
                f"{name}: a JSON import is a list of tasks or an mtui export, not {kind_of(raw)}; "
                f"{NOT_IMPORTED}"
            )
        tasks = [check_task(r, n) for n, r in enumerate(raw, start=1)]
    check_unique(tasks)
    return tasks


def read_file(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read it ({exc.strerror}); {NOT_IMPORTED}") from None
