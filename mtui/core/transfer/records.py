"""Tasks as portable records: ``--json`` output, export and import.

Records name things (column name, channel name, goal and campaign slugs) rather than
carrying ids, so a file exported from one database imports into another. Every task
field is present, so an export → import → export round trip is lossless.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from mtui.core.errors import ValidationError
from mtui.core.model import Task
from mtui.core.plain import Record
from mtui.core.tasks.lookups import Lookups

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from mtui.core.store.contract import Store

RECORD_FIELDS = (
    "id",
    "uid",
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


def task_record(task: Task, names: Lookups) -> dict[str, Any]:
    return {
        "id": task.id,
        "uid": task.uid,
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
    return list(iter_export_records(store))


def iter_export_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every task (deleted ones too) as a record, read in batches as they are used."""
    names = Lookups.load(store)
    for batch in store.tasks.iter_tasks(include_deleted=True):
        for task in batch:
            yield task_record(task, names)


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write records as they come: one batch of text at a time, never the whole list
    (Markdown keeps only its lines until the end, to head each column with its count)."""
    if fmt == "json":
        from mtui.core.transfer.json_text import JsonText

        JsonText().write_array(records, out.write)
        out.write("\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(RECORD_FIELDS)
        tags_text = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False)
        rows: list[list[Any]] = []
        for record in records:
            row = dict(record)
            row["tags"] = tags_text(row["tags"]) if row["tags"] else "[]"
            row["position"] = repr(row["position"])
            rows.append(["" if (v := row.get(k)) is None else v for k in RECORD_FIELDS])
            if len(rows) >= 500:
                writer.writerows(rows)
                rows.clear()
        writer.writerows(rows)
    elif fmt == "md":
        by_status: dict[str, list[str]] = {}
        for r in records:
            if not r["deleted_at"]:
                extras = [f"@{r['owner']}" if r["owner"] else "", f"#{r['channel']}" if r["channel"] else "",
                          f"due {r['due']}" if r["due"] else ""]  # fmt: skip
                tail = " ".join(e for e in extras if e)
                by_status.setdefault(r["status"], []).append(
                    f"- [{'x' if r['done_at'] else ' '}] {r['title']}{' — ' + tail if tail else ''}\n"
                )
        for status, lines in by_status.items():
            out.write(f"## {status} ({len(lines)})\n\n")
            out.write("".join(lines))
            out.write("\n")
    else:
        raise ValidationError(f"unknown export format {fmt!r}; use csv, json or md")


def read_records(text_stream: TextIO, fmt: str) -> list[dict[str, Any]]:
    """Parse and check an export file's tasks (CSV cells become typed values again)."""
    from mtui.core.transfer.reading import read_tasks

    return read_tasks(text_stream.read().encode("utf-8"), fmt, "the file")


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
    """Turns record names back into ids, creating channels, goals and campaigns if absent.

    Used inside the import's one transaction: if anything fails, none of what it
    created is kept.
    """

    def __init__(self, store: Store, action_id: str) -> None:
        self.store = store
        self.action_id = action_id
        self.statuses = {s.name.lower(): s.id for s in store.tasks.statuses()}
        self.channels = {c.name.lower(): c.id for c in store.tasks.channels()}
        self.goals = {g.slug: g.id for g in store.strategy.goals()}
        self.campaigns = {c.slug: c.id for c in store.strategy.campaigns()}
        self.created: list[str] = []

    def check_statuses(self, tasks: list[dict[str, Any]]) -> None:
        """Every column a record names exists (checked before anything is written)."""
        from mtui.core.transfer.checks import RecordError, shown  # an import's; not --json's

        for number, task in enumerate(tasks, start=1):
            name = task["status"]
            if name and name.strip().lower() not in self.statuses:
                raise RecordError(
                    f"record {number}", "status",
                    f"no column named {shown(name)} (columns: {', '.join(self.statuses)})",
                )  # fmt: skip

    def status(self, name: str | None) -> int:
        if not name:
            return next(iter(self.statuses.values()))
        return self.statuses[name.strip().lower()]

    def channel(self, name: str | None) -> int | None:
        if not name:
            return None
        if name.lower() not in self.channels:
            self.channels[name.lower()] = self.store.tasks.ensure_channel(
                name, action_id=self.action_id
            )
        return self.channels[name.lower()]

    def goal(self, slug: str | None) -> int | None:
        if not slug:
            return None
        if slug not in self.goals:
            self.goals[slug] = self.store.strategy.save_goal(
                {"title": slug, "slug": slug}, action_id=self.action_id
            ).id
            self.created.append(f"goal {slug}")
        return self.goals[slug]

    def campaign(self, slug: str | None) -> int | None:
        if not slug:
            return None
        if slug not in self.campaigns:
            self.campaigns[slug] = self.store.strategy.save_campaign(
                {"name": slug, "slug": slug}, action_id=self.action_id
            ).id
            self.created.append(f"campaign {slug}")
        return self.campaigns[slug]


class TaskImport(Record):
    """Checked task records (``checks.check_task``), written by ``board.import_board``
    inside its one transaction. Ids are kept when the database has none of them (a
    restore into a fresh file); otherwise tasks get new ids, so nothing existing is
    overwritten. (A record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("resolver", "store", "tasks")
    _fields = ("store", "tasks", "resolver")

    def __init__(self, store: Store, tasks: list[dict[str, Any]], resolver: _Resolver) -> None:
        self.store = store
        self.tasks = tasks
        self.resolver = resolver

    def write(
        self, progress: Callable[[int], None] | None = None, *, log_created: bool = True
    ) -> list[int]:
        """Insert the tasks (inside the caller's transaction); their new ids in order."""
        store, resolver = self.store, self.resolver
        rows = [
            {
                **{k: v for k, v in task.items() if k not in _NAMED},
                "status_id": resolver.status(task["status"]),
                "position": task["position"] if task["position"] is not None else float(n),
                "channel_id": resolver.channel(task["channel"]),
                "campaign_id": resolver.campaign(task["campaign"]),
                "goal_id": resolver.goal(task["goal"]),
            }
            for n, task in enumerate(self.tasks, start=1)
        ]
        existing = {t.id for t in store.tasks.list_tasks(include_deleted=True)}
        keep_ids = all(r["id"] is not None for r in rows) and not existing.intersection(
            r["id"] for r in rows
        )

        def counted() -> Iterator[dict[str, Any]]:
            for index, row in enumerate(rows, start=1):
                if progress and index % 1000 == 0:
                    progress(1000)
                yield row
            if progress and len(rows) % 1000:
                progress(len(rows) % 1000)

        return store.tasks.create_tasks(
            counted(), action_id=resolver.action_id, keep_ids=keep_ids, log_created=log_created
        )


_NAMED = ("status", "channel", "campaign", "goal", "events")


def records_to_text(records: list[dict[str, Any]], fmt: str) -> str:
    import io

    buffer = io.StringIO()
    write_records(records, fmt, buffer)
    return buffer.getvalue()
