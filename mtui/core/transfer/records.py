"""Tasks as portable records: ``--json`` output, export and import.

Records name things (column name, channel name, goal and campaign slugs) rather than
carrying ids, so a file exported from one database imports into another. Every task
field is present, so an export → import → export round trip is lossless.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from mtui.core.errors import ValidationError
from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import new_action_id
from mtui.core.tasks.lookups import Lookups

RECORD_FIELDS = (
    "id",
    "title",
    "status",
    "position",
    "notes",
    "priority",
    "owner",
    "due",
    "channel",
    "campaign",
    "goal",
    "tags",
    "estimate_minutes",
    "blocked_reason",
    "created_at",
    "updated_at",
    "done_at",
    "deleted_at",
    "version",
)
_INT_FIELDS = ("id", "priority", "estimate_minutes", "version")


def task_record(task: Task, names: Lookups) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "status": names.status_name(task),
        "position": task.position,
        "notes": task.notes,
        "priority": task.priority,
        "owner": task.owner,
        "due": task.due,
        "channel": names.channel_name(task),
        "campaign": names.campaign_slug(task),
        "goal": names.goal_slug(task),
        "tags": list(task.tags),
        "estimate_minutes": task.estimate_minutes,
        "blocked_reason": task.blocked_reason,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "done_at": task.done_at,
        "deleted_at": task.deleted_at,
        "version": task.version,
    }


def export_records(store: Store) -> list[dict[str, Any]]:
    names = Lookups.load(store)
    return [task_record(t, names) for t in store.tasks.list_tasks(include_deleted=True)]


def write_records(records: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            row = dict(record)
            row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
            row["position"] = repr(row["position"])
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    elif fmt == "md":
        by_status: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            if not record["deleted_at"]:
                by_status.setdefault(record["status"], []).append(record)
        for status, items in by_status.items():
            out.write(f"## {status} ({len(items)})\n\n")
            for r in items:
                extras = [f"@{r['owner']}" if r["owner"] else "", f"#{r['channel']}" if r["channel"] else "",
                          f"due {r['due']}" if r["due"] else ""]  # fmt: skip
                tail = " ".join(e for e in extras if e)
                out.write(
                    f"- [{'x' if r['done_at'] else ' '}] {r['title']}{' — ' + tail if tail else ''}\n"
                )
            out.write("\n")
    else:
        raise ValidationError(f"unknown export format {fmt!r}; use csv, json or md")


def read_records(text_stream: TextIO, fmt: str) -> Iterator[dict[str, Any]]:
    """Parse an export file back into records (CSV cells become typed values again)."""
    if fmt == "json":
        data = json.load(text_stream)
        if not isinstance(data, list):
            raise ValidationError("a JSON import must be a list of task objects")
        yield from data
        return
    for line_no, row in enumerate(csv.DictReader(text_stream), start=2):
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items() if k}
        try:
            for name in _INT_FIELDS:
                if record.get(name) is not None:
                    record[name] = int(record[name])
            if record.get("position") is not None:
                record["position"] = float(record["position"])
            record["tags"] = json.loads(record["tags"]) if record.get("tags") else []
            record["notes"] = record.get("notes") or ""
        except (ValueError, json.JSONDecodeError) as exc:
            raise ValidationError(f"line {line_no}: {exc}") from exc
        yield record


def detect_format(filename: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    raise ValidationError("cannot tell the format from the file name; pass --format csv|json")


class _Resolver:
    """Turns record names back into ids, creating channels, goals and campaigns if absent."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.statuses = {s.name.lower(): s.id for s in store.tasks.statuses()}
        self.channels = {c.name.lower(): c.id for c in store.tasks.channels()}
        self.goals = {g.slug: g.id for g in store.strategy.goals()}
        self.campaigns = {c.slug: c.id for c in store.strategy.campaigns()}
        self.created: list[str] = []

    def status(self, name: str | None, line: int) -> int:
        if not name:
            return next(iter(self.statuses.values()))
        try:
            return self.statuses[name.lower()]
        except KeyError:
            raise ValidationError(f"record {line}: no column named {name!r}") from None

    def channel(self, name: str | None) -> int | None:
        if not name:
            return None
        if name.lower() not in self.channels:
            self.channels[name.lower()] = self.store.tasks.ensure_channel(name)
        return self.channels[name.lower()]

    def goal(self, slug: str | None) -> int | None:
        if not slug:
            return None
        if slug not in self.goals:
            self.goals[slug] = self.store.strategy.save_goal({"title": slug, "slug": slug}).id
            self.created.append(f"goal {slug}")
        return self.goals[slug]

    def campaign(self, slug: str | None) -> int | None:
        if not slug:
            return None
        if slug not in self.campaigns:
            self.campaigns[slug] = self.store.strategy.save_campaign(
                {"name": slug, "slug": slug}
            ).id
            self.created.append(f"campaign {slug}")
        return self.campaigns[slug]


def import_records(
    store: Store,
    records: Iterable[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """Import records in one transaction; returns the count and what had to be created.

    Ids are kept when the database has none of them (a restore into a fresh file);
    otherwise tasks get new ids, so nothing existing is overwritten.
    """
    resolver = _Resolver(store)
    rows: list[dict[str, Any]] = []
    for line, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not str(record.get("title") or "").strip():
            raise ValidationError(f"record {line}: every task needs a title")
        rows.append(
            {
                "id": record.get("id"),
                "title": record["title"],
                "status_id": resolver.status(record.get("status"), line),
                "position": float(
                    record.get("position") if record.get("position") is not None else line
                ),
                "notes": record.get("notes") or "",
                "priority": record.get("priority"),
                "owner": record.get("owner"),
                "due": record.get("due"),
                "channel_id": resolver.channel(record.get("channel")),
                "campaign_id": resolver.campaign(record.get("campaign")),
                "goal_id": resolver.goal(record.get("goal")),
                "tags": list(record.get("tags") or []),
                "estimate_minutes": record.get("estimate_minutes"),
                "blocked_reason": record.get("blocked_reason"),
                "created_at": record.get("created_at"),
                "updated_at": record.get("updated_at"),
                "done_at": record.get("done_at"),
                "deleted_at": record.get("deleted_at"),
                "version": record.get("version"),
            }
        )
    existing = {t.id for t in store.tasks.list_tasks(include_deleted=True)}
    keep_ids = all(r["id"] is not None for r in rows) and not existing.intersection(
        r["id"] for r in rows
    )

    def counted() -> Iterator[dict[str, Any]]:
        for index, row in enumerate(rows, start=1):
            if progress and index % 1000 == 0:
                progress(1000)
            yield row
        if progress:
            progress(len(rows) % 1000)

    count = len(store.tasks.create_tasks(counted(), action_id=new_action_id(), keep_ids=keep_ids))
    return count, resolver.created


def records_to_text(records: list[dict[str, Any]], fmt: str) -> str:
    buffer = io.StringIO()
    write_records(records, fmt, buffer)
    return buffer.getvalue()
