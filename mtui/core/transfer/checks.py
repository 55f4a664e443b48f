"""Checking imported records field by field, before anything is written.

An import is all or nothing: every record is checked here first, and the first problem
stops the import with one line naming the record and the field. The rules are the ones
the CLI and the forms apply (``TaskActions.validate_fields``, quick-add's estimate
bound, the stored ISO forms of dates), so an import can never store what a user could
not type, and whatever mtui exports imports again.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping

from mtui.core.errors import ValidationError
from mtui.core.language.quickadd import MAX_ESTIMATE_MINUTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
MAX_TEXT = 100_000  # characters in one text field (a title, notes, a brief section)
EVENT_KINDS = ("created", "changed", "moved", "deleted", "restored")
_UID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_INT_TEXT = re.compile(r"[+-]?\d{1,30}")


class RecordError(ValidationError):
    """A record that cannot be imported: which one, which field, and why."""

    def __init__(self, where: str, field: str | None, problem: str) -> None:
        at = where if field is None else f"{where}, field {shown(field)}"
        super().__init__(f"{at}: {problem}; nothing was imported")
        self.where = where
        self.field = field


def shown(value: Any, limit: int = 40) -> str:
    """A value as one short, escaped line for an error message."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)[: limit * 2]
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_of(value: Any) -> str:
    """What a JSON value is, in the words of a JSON file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Fields:
    """Reads one record's fields, raising RecordError that names record and field."""

    def __init__(self, record: Mapping[str, Any], where: str, *, from_text: bool = False) -> None:
        self.record = record
        self.where = where
        self.from_text = from_text  # CSV: every cell is text, "" is empty

    def fail(self, field: str | None, problem: str) -> RecordError:
        return RecordError(self.where, field, problem)

    def raw(self, name: str) -> Any:
        value = self.record.get(name)
        return None if self.from_text and value == "" else value

    def unknown(self, allowed: tuple[str, ...] | set[str]) -> None:
        extra = [k for k in self.record if k not in allowed]
        if extra:
            raise self.fail(extra[0], "unknown field (a typo, or a file from another program?)")

    def text(self, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip() and not required):
            if required:
                raise self.fail(name, "is required")
            return None
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, not {kind_of(value)}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        if len(value) > limit:
            raise self.fail(name, f"is longer than {limit:,} characters")
        return value

    def name(self, name: str, *, prefix: str = "") -> str | None:
        """An owner or channel: one line of text (``@``/``#`` prefix dropped)."""
        value = self.text(name, limit=200)
        if value is None:
            return None
        value = value.strip().removeprefix(prefix).strip()
        if not value or any(ch in value for ch in "\r\n\t"):
            raise self.fail(name, f"{shown(value)} is not a name")
        return value

    def slug(self, name: str) -> str | None:
        value = self.text(name, limit=100)
        if value is None:
            return None
        if not _SLUG.fullmatch(value):
            raise self.fail(name, f"{shown(value)} is not a slug (lower-case letters, digits, -)")
        return value

    def integer(self, name: str, low: int, high: int, what: str = "") -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if self.from_text and isinstance(value, str):
            if not _INT_TEXT.fullmatch(value.strip()):
                raise self.fail(name, f"{shown(value)} is not a whole number")
            value = int(value)
        if isinstance(value, float) and value.is_integer() and not self.from_text:
            value = int(value)  # 3.0 from a spreadsheet's JSON is 3
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, what or f"must be a whole number, not {kind_of(value)}")
        if not low <= value <= high:
            raise self.fail(name, what or f"{value} is out of range ({low} to {high:,})")
        return value

    def number(self, name: str) -> float | None:
        value = self.raw(name)
        if value is None:
            return None
        if self.from_text and isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise self.fail(name, f"{shown(value)} is not a number") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, not {kind_of(value)}")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail(name, "is too large") from None
        if not math.isfinite(number):
            raise self.fail(name, f"{shown(self.raw(name))} is not a finite number")
        return number

    def stamp(self, name: str) -> str | None:
        """A time as stored: ISO 8601 (``2026-11-26T10:00:00.000000Z`` or with an offset)."""
        value = self.text(name, limit=64)
        if value is None:
            return None
        try:
            _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(name, f"{shown(value)} is not an ISO 8601 time") from None
        return value

    def date(self, name: str) -> str | None:
        """A plain ISO date (``2026-12-03``)."""
        value = self.text(name, limit=32)
        if value is None:
            return None
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise self.fail(name, f"{shown(value)} is not an ISO 8601 date") from None

    def due(self, name: str) -> str | None:
        value = self.text(name, limit=64)
        if value is None:
            return None
        from mtui.core.language.dates import DateError, Due  # pendulum: only when used

        try:
            Due.from_iso(value.strip())
        except (DateError, ValueError, OverflowError):
            raise self.fail(name, f"{shown(value)} is not a date (use 2026-12-03)") from None
        return value.strip()

    def uid(self, name: str = "uid") -> str | None:
        value = self.text(name, limit=64)
        if value is not None and not _UID.fullmatch(value):
            raise self.fail(name, f"{shown(value)} is not an id (letters, digits, - and _)")
        return value

    def words(self, name: str) -> list[str]:
        """Tags: a list of words (in CSV, that list as JSON)."""
        value = self.raw(name)
        if value is None:
            return []
        if self.from_text and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise self.fail(name, f"{shown(value)} is not a JSON list of words") from None
        if not isinstance(value, list):
            raise self.fail(name, f"must be a list of words, not {kind_of(value)}")
        words: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip() or len(item) > 100:
                raise self.fail(name, f"{shown(item)} is not a tag (a word of text)")
            if any(ch.isspace() for ch in item):
                raise self.fail(name, f"{shown(item)} is not a tag (no spaces in a tag)")
            words.append(item.lstrip("+"))
        return list(dict.fromkeys(words))


TASK_RECORD_FIELDS = (
    "id", "uid", "title", "status", "position", "notes", "priority", "owner", "due",
    "channel", "campaign", "goal", "tags", "estimate_minutes", "blocked_reason",
    "created_at", "updated_at", "done_at", "deleted_at", "version", "events",
)  # fmt: skip


def check_task(
    record: Any, number: int, *, from_text: bool = False, label: str = "record"
) -> dict[str, Any]:
    """One task record → typed values, or RecordError naming ``record N`` and the field."""
    where = f"{label} {number}"
    if not isinstance(record, dict):
        raise RecordError(where, None, f"must be an object with a title, not {kind_of(record)}")
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        where += f" ({shown(title.strip(), 30)})"
    f = Fields(record, where, from_text=from_text)
    f.unknown(TASK_RECORD_FIELDS)
    task: dict[str, Any] = {
        "id": f.integer("id", 1, MAX_ID),
        "uid": f.uid(),
        "title": f.text("title", required=True, limit=10_000),
        "status": f.text("status", limit=200),
        "position": f.number("position"),
        "notes": f.text("notes") or "",
        "priority": f.integer("priority", 1, 3, "must be 1 (high), 2 (med), 3 (low) or empty"),
        "owner": f.name("owner", prefix="@"),
        "due": f.due("due"),
        "channel": f.name("channel", prefix="#"),
        "campaign": f.slug("campaign"),
        "goal": f.slug("goal"),
        "tags": f.words("tags"),
        "estimate_minutes": f.integer("estimate_minutes", 0, MAX_ESTIMATE_MINUTES,
                                      f"must be whole minutes from 0 to {MAX_ESTIMATE_MINUTES:,}"),
        "blocked_reason": f.text("blocked_reason", limit=10_000),
        "created_at": f.stamp("created_at"),
        "updated_at": f.stamp("updated_at"),
        "done_at": f.stamp("done_at"),
        "deleted_at": f.stamp("deleted_at"),
        "version": f.integer("version", 1, MAX_VERSION),
    }  # fmt: skip
    task["events"] = check_events(record.get("events"), f)
    return task


def check_events(value: Any, parent: Fields) -> list[dict[str, Any]] | None:
    """A task's history as exported: a list of events (``None`` when the file has none)."""
    if value is None or (parent.from_text and value == ""):
        return None
    if not isinstance(value, list):
        raise parent.fail("events", f"must be a list of events, not {kind_of(value)}")
    events = []
    for index, event in enumerate(value, start=1):
        where = f"{parent.where}, event {index}"
        if not isinstance(event, dict):
            raise RecordError(where, None, f"must be an object, not {kind_of(event)}")
        f = Fields(event, where)
        f.unknown(("at", "kind", "field", "old", "new", "action_id", "undo_of", "actor"))
        kind = f.text("kind", required=True, limit=20)
        if kind not in EVENT_KINDS:
            raise f.fail("kind", f"{shown(kind)} is not one of {', '.join(EVENT_KINDS)}")
        at = f.stamp("at")
        if at is None:
            raise f.fail("at", "is required")
        events.append({
            "at": at,
            "kind": kind,
            "field": f.text("field", limit=64),
            "old": event.get("old"),
            "new": event.get("new"),
            "action_id": f.text("action_id", required=True, limit=64),
            "undo_of": f.text("undo_of", limit=64),
            "actor": f.text("actor", limit=200),
        })  # fmt: skip
    return events


def check_unique(tasks: list[dict[str, Any]], *, label: str = "record") -> None:
    """No id or uid twice in one file (which of the two would win?)."""
    for key in ("id", "uid"):
        seen: dict[Any, int] = {}
        for number, task in enumerate(tasks, start=1):
            value = task[key]
            if value is None:
                continue
            if value in seen:
                where = f"{label} {number} ({shown(task['title'].strip(), 30)})"
                raise RecordError(where, key, f"{shown(value)} is also record {seen[value]}'s")
            seen[value] = number
