"""A whole board as one JSON document: a backup that ``mtui import`` restores exactly.

``export_board`` writes tasks (with their ids, uids and history), every version of the
brief, goals, campaigns (dates, budgets, goals), channels, columns (WIP limits), metric
sources (the *name* of the variable holding a secret, never a secret; no fetch results)
and settings (with stand-up times). Records refer to each other by name or slug, so a
file imports into any board.

``import_board`` is one transaction. Into a new, empty database it restores the export
exactly (export → import → export gives the same file). Into a board in use, a record
that is already there (same uid; for files without uids, the same slug, name or title
and creation time) is a duplicate: ``skip`` leaves it alone, ``update`` overwrites it
with the file's values (logged, like an edit), ``new`` adds a copy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from mtui.core import clock
from mtui.core.errors import ValidationError
from mtui.core.model import BRIEF_FIELDS, Brief, Campaign, Goal, MetricSource, TaskEvent
from mtui.core.store.contract import Store
from mtui.core.strategy.input import campaign_changes, goal_changes
from mtui.core.strategy.kpi import source_slug
from mtui.core.tasks.actions import new_action_id
from mtui.core.tasks.lookups import Lookups
from mtui.core.transfer.checks import (
    Fields,
    RecordError,
    check_task,
    check_unique,
    kind_of,
    shown,
)
from mtui.core.transfer.json_text import JsonText
from mtui.core.transfer.records import task_record
from mtui.core.wording import count

FORMAT = "mtui-export"
FORMAT_VERSION = 1
ON_DUPLICATE = ("skip", "update", "new")
SECTIONS = (
    "format", "version", "columns", "channels", "settings", "standups", "brief", "goals",
    "campaigns", "metric_sources", "tasks",
)  # fmt: skip
GOAL_KEYS = (
    "uid", "slug", "title", "stage", "kpi_metric", "unit", "direction", "baseline", "target",
    "current", "start_date", "due_date", "owner", "status", "parent",
)  # fmt: skip
CAMPAIGN_KEYS = (
    "uid", "slug", "name", "status", "owner", "start_date", "end_date", "budget", "spend",
    "colour", "utm_campaign", "goals", "spend_metric",
)  # fmt: skip
SOURCE_KEYS = (
    "name", "kind", "url", "method", "headers", "body", "selectors", "auth_type", "auth_env",
    "auth_param", "interval_seconds", "timeout_seconds", "units",
)  # fmt: skip
COLUMN_KEYS = ("name", "position", "wip_limit", "is_done")
# Task events that hold an id hold a name in the file (ids are local to a database).
_ID_FIELDS = {"status_id": "status", "channel_id": "channel", "goal_id": "goal",
              "campaign_id": "campaign"}  # fmt: skip
_NAME_FIELDS = {name: id_field for id_field, name in _ID_FIELDS.items()}


# ---------------------------------------------------------------------------- export


def export_board(store: Store) -> dict[str, Any]:
    """The whole board as JSON-ready data (see the module docstring)."""
    head, tasks = export_board_parts(store)
    return {**head, "tasks": list(tasks)}


def write_board(store: Store, out: TextIO) -> None:
    """``json.dump(export_board(store), out, indent=2, ensure_ascii=False)`` and a
    newline, written as the tasks are read: a batch of tasks and their history at a
    time, so a board of any size exports in little memory."""
    head, tasks = export_board_parts(store)
    text = JsonText()
    opening = text.encode({**head, "tasks": []})
    empty = "[]\n}"
    assert opening.endswith(empty)
    out.write(opening[: -len(empty)])
    text.write_array(tasks, out.write, level=1)
    out.write("\n}\n")


def export_board_parts(store: Store) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """Everything but the tasks, and the tasks' records (with their history) as an
    iterator that reads them from the store in batches."""
    names = Lookups.load(store)
    goals = names.goals
    head = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "columns": [
            {
                "name": s.name,
                "position": s.position,
                "wip_limit": s.wip_limit,
                "is_done": bool(s.is_done),
            }
            for s in store.tasks.statuses()
        ],
        "channels": [c.name for c in store.tasks.channels()],
        "settings": store.transfer.settings(),
        "standups": store.settings.standups(),
        "brief": [_brief_record(b) for b in reversed(store.strategy.brief_versions())],
        "goals": [_goal_record(g, goals) for g in store.strategy.goals()],
        "campaigns": [_campaign_record(c, goals) for c in store.strategy.campaigns()],
        "metric_sources": [_source_record(s) for s in store.metrics.metric_sources()],
    }
    return head, _task_records(store, names)


def _task_records(store: Store, names: Lookups) -> Iterator[dict[str, Any]]:
    for batch in store.tasks.iter_tasks(include_deleted=True):
        history: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for event in store.tasks.events(task_ids=[task.id for task in batch]):
            history[event.task_id].append(_event_record(event, names))
        for task in batch:
            record = task_record(task, names)
            record["events"] = history.get(task.id, [])
            yield record


def _event_record(event: TaskEvent, names: Lookups) -> dict[str, Any]:
    name, old, new = event.field, event.old, event.new
    if name in _ID_FIELDS:
        name = _ID_FIELDS[name]
        old, new = _name_of(names, name, old), _name_of(names, name, new)
    return {"at": event.at, "kind": event.kind, "field": name, "old": old, "new": new,
            "action_id": event.action_id, "undo_of": event.undo_of, "actor": event.actor}  # fmt: skip


def _name_of(names: Lookups, kind: str, value: Any) -> str | None:
    if not isinstance(value, int):
        return None
    if kind == "status":
        found: Any = names.statuses.get(value)
        return found.name if found else None
    if kind == "channel":
        found = names.channels.get(value)
        return found.name if found else None
    found = (names.goals if kind == "goal" else names.campaigns).get(value)
    return found.slug if found else None


def _brief_record(brief: Brief) -> dict[str, Any]:
    return {"version": brief.version, "updated_at": brief.updated_at, **brief.fields()}


def _goal_record(goal: Goal, goals: dict[int, Goal]) -> dict[str, Any]:
    parent = goals.get(goal.parent_id) if goal.parent_id else None
    return {
        "uid": goal.uid, "slug": goal.slug, "title": goal.title, "stage": goal.stage,
        "kpi_metric": goal.kpi_metric, "unit": goal.unit, "direction": goal.direction,
        "baseline": goal.baseline, "target": goal.target, "current": goal.current,
        "start_date": goal.start_date, "due_date": goal.due_date, "owner": goal.owner,
        "status": goal.status_override, "parent": parent.slug if parent else None,
    }  # fmt: skip


def _campaign_record(campaign: Campaign, goals: dict[int, Goal]) -> dict[str, Any]:
    return {
        "uid": campaign.uid, "slug": campaign.slug, "name": campaign.name,
        "status": campaign.status, "owner": campaign.owner,
        "start_date": campaign.start_date, "end_date": campaign.end_date,
        "budget": campaign.budget, "spend": campaign.spend, "colour": campaign.colour,
        "utm_campaign": campaign.utm_campaign, "spend_metric": campaign.spend_metric,
        "goals": [goals[g].slug for g in campaign.goal_ids if g in goals],
    }  # fmt: skip


def _source_record(source: MetricSource) -> dict[str, Any]:
    """A source's configuration; never a secret (only the variable's name), no results."""
    return {key: getattr(source, key) for key in SOURCE_KEYS}


# ---------------------------------------------------------------------------- reading


@dataclass
class BoardFile:
    """A checked import file: a full export, or only tasks (CSV, a JSON list)."""

    tasks: list[dict[str, Any]]
    full: bool = False
    columns: list[dict[str, Any]] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    standups: list[str] = field(default_factory=list)
    brief: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def check_board(data: Any) -> BoardFile:
    """A parsed JSON import → checked records; RecordError names section, record, field."""
    if isinstance(data, list):
        tasks = [check_task(r, n) for n, r in enumerate(data, start=1)]
        check_unique(tasks)
        return BoardFile(tasks)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            f"a JSON import is a list of tasks or an mtui export, not {kind_of(data)}; "
            "nothing was imported"
        )
    top = Fields(data, "the file")
    top.unknown(SECTIONS)
    version = top.integer("version", 1, 10**6)
    if version is not None and version > FORMAT_VERSION:
        raise top.fail("version", f"{version} is from a newer mtui; upgrade mtui to import it")
    tasks_raw = _section(data, "tasks")
    tasks = [check_task(r, n, label="tasks record") for n, r in enumerate(tasks_raw, start=1)]
    check_unique(tasks, label="tasks record")
    board = BoardFile(tasks, full=True)
    board.columns = [_column(r, n) for n, r in enumerate(_section(data, "columns"), start=1)]
    board.channels = [_channel(r, n) for n, r in enumerate(_section(data, "channels"), start=1)]
    board.settings = _settings(data.get("settings"))
    board.standups = [_standup(r, n) for n, r in enumerate(_section(data, "standups"), start=1)]
    board.brief = [_brief(r, n) for n, r in enumerate(_section(data, "brief"), start=1)]
    board.goals = [_goal(r, n) for n, r in enumerate(_section(data, "goals"), start=1)]
    board.campaigns = [_campaign(r, n) for n, r in enumerate(_section(data, "campaigns"), 1)]
    board.sources = [_source(r, n) for n, r in enumerate(_section(data, "metric_sources"), 1)]
    for section, key in (("goals", "slug"), ("campaigns", "slug"), ("columns", "name"),
                         ("goals", "uid"), ("campaigns", "uid")):  # fmt: skip
        _unique(section, getattr(board, section), key)
    return board


def _section(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError("the file", name, f"must be a list, not {kind_of(value)}")
    return value


def _unique(section: str, records: list[dict[str, Any]], key: str) -> None:
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        name = record["fields"][key] if key in record.get("fields", {}) else record[key]
        if name is None:
            continue
        value = str(name).lower()
        if value in seen:
            raise RecordError(f"{section} record {number}", key,
                              f"{shown(name)} is also record {seen[value]}'s")  # fmt: skip
        seen[value] = number


def _record(section: str, record: Any, number: int, keys: tuple[str, ...]) -> Fields:
    where = f"{section} record {number}"
    if not isinstance(record, dict):
        raise RecordError(where, None, f"must be an object, not {kind_of(record)}")
    label = record.get("slug") or record.get("name")
    if isinstance(label, str) and label.strip():
        where += f" ({shown(label.strip(), 30)})"
    fields = Fields(record, where)
    fields.unknown(keys)
    return fields


def _column(record: Any, number: int) -> dict[str, Any]:
    f = _record("columns", record, number, COLUMN_KEYS)
    is_done = record.get("is_done", False)
    if not isinstance(is_done, bool):
        raise f.fail("is_done", f"must be true or false, not {kind_of(is_done)}")
    return {
        "name": (f.text("name", required=True, limit=100) or "").strip(),
        "position": f.integer("position", -1_000_000, 1_000_000) or 0,
        "wip_limit": f.integer("wip_limit", 0, 1_000_000),
        "is_done": is_done,
    }


def _channel(value: Any, number: int) -> str:
    name = Fields({"name": value}, f"channels record {number}").name("name", prefix="#")
    if name is None:
        raise RecordError(f"channels record {number}", None, "must be a channel name")
    return name


def _settings(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError("the file", "settings", f"must be an object, not {kind_of(value)}")
    f = Fields(value, "settings")
    for key in value:
        if len(key) > 100:
            raise f.fail(key[:40], "is not a setting name (too long)")
        f.text(key, required=True, limit=10_000)
    return dict(value)


def _standup(value: Any, number: int) -> str:
    held = Fields({"held_at": value}, f"standups record {number}").stamp("held_at")
    if held is None:
        raise RecordError(f"standups record {number}", "held_at", "is required")
    return held


def _brief(record: Any, number: int) -> dict[str, Any]:
    f = _record("brief", record, number, ("version", "updated_at", *BRIEF_FIELDS))
    updated_at = f.stamp("updated_at")
    if updated_at is None:
        raise f.fail("updated_at", "is required")
    return {
        "version": f.integer("version", 1, 2**31 - 1),
        "updated_at": updated_at,
        "fields": {name: f.text(name) or "" for name in BRIEF_FIELDS},
    }


def _typed_input(f: Fields, texts: tuple[str, ...], numbers: tuple[str, ...]) -> dict[str, Any]:
    """Fields as a form would hand them over (text), after their JSON types are checked."""
    raw: dict[str, Any] = {key: f.text(key, limit=1000) for key in texts}
    for key in numbers:
        value = f.number(key)
        raw[key] = None if value is None else repr(value)
    return raw


def _strategy_error(f: Fields, exc: ValidationError) -> RecordError:
    return f.fail(getattr(exc, "field", None), str(exc))


def _goal(record: Any, number: int) -> dict[str, Any]:
    f = _record("goals", record, number, GOAL_KEYS)
    raw = _typed_input(
        f,
        ("title", "slug", "stage", "kpi_metric", "unit", "direction", "start_date",
         "due_date", "owner", "status"),
        ("baseline", "target", "current"),
    )  # fmt: skip
    if raw["slug"] is None:
        raise f.fail("slug", "is required")
    try:
        fields = goal_changes(raw, goals=[], now=clock.now())
    except ValidationError as exc:
        raise _strategy_error(f, exc) from None
    for key in ("kpi_metric", "baseline", "target", "current", "start_date", "due_date", "owner",
                "status_override"):  # fmt: skip
        fields.setdefault(key, None)  # empty in the file: empty here too (``update``)
    return {"fields": fields, "uid": f.uid(), "parent": f.slug("parent")}


def _campaign(record: Any, number: int) -> dict[str, Any]:
    f = _record("campaigns", record, number, CAMPAIGN_KEYS)
    raw = _typed_input(
        f,
        (
            "name",
            "slug",
            "status",
            "owner",
            "start_date",
            "end_date",
            "colour",
            "utm_campaign",
            "spend_metric",
        ),
        ("budget", "spend"),
    )
    if raw["slug"] is None:
        raise f.fail("slug", "is required")
    try:
        fields = campaign_changes(raw, campaigns=[], goals=[], now=clock.now())
    except ValidationError as exc:
        raise _strategy_error(f, exc) from None
    for key in ("owner", "start_date", "end_date", "budget", "spend", "colour", "utm_campaign",
                "spend_metric"):  # fmt: skip
        fields.setdefault(key, None)
    goals = record.get("goals") or []
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        raise f.fail("goals", "must be a list of goal slugs")
    return {"fields": fields, "uid": f.uid(), "goals": goals}


def _source(record: Any, number: int) -> dict[str, Any]:
    from mtui.core.metrics.sources import check_source

    f = _record("metric_sources", record, number, SOURCE_KEYS)
    fields: dict[str, Any] = {
        key: f.text(key, required=key in ("name", "kind", "url"), limit=10_000)
        for key in ("name", "kind", "url", "method", "body", "auth_type", "auth_env", "auth_param")
    }
    fields["method"] = (fields["method"] or "GET").upper()
    if fields["method"] not in ("GET", "POST"):
        raise f.fail("method", f"{shown(fields['method'])} is not GET or POST")
    for key in ("headers", "selectors", "units"):
        value = record.get(key) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise f.fail(key, "must be an object of text values")
        fields[key] = value
    fields["interval_seconds"] = f.integer("interval_seconds", 1, 366 * 86400) or 300
    timeout = f.number("timeout_seconds")
    if timeout is not None and not 0 < timeout <= 3600:
        raise f.fail("timeout_seconds", f"{timeout} is out of range (above 0, at most 3600)")
    fields["timeout_seconds"] = timeout or 10.0
    try:
        return check_source(fields, [])
    except ValidationError as exc:
        raise f.fail(None, str(exc)) from None


# ---------------------------------------------------------------------------- import


@dataclass
class Counts:
    added: int = 0
    skipped: int = 0
    updated: int = 0

    def __str__(self) -> str:
        parts = (
            [f"{self.added:,} added"] if self.added or not (self.skipped or self.updated) else []
        )
        parts += [f"{self.updated:,} updated"] if self.updated else []
        parts += [f"{self.skipped:,} skipped as duplicates"] if self.skipped else []
        return ", ".join(parts)


@dataclass
class ImportSummary:
    counts: dict[str, Counts] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)  # named by tasks, not in file nor board
    notes: list[str] = field(default_factory=list)

    def kind(self, name: str) -> Counts:
        return self.counts.setdefault(name, Counts())

    def lines(self) -> list[str]:
        """``tasks: 12 added, 40 skipped as duplicates`` (tasks first, empty kinds left out)."""
        out = [f"tasks: {self.kind('tasks')}"]
        out += [f"{name}: {counts}" for name, counts in self.counts.items()
                if name != "tasks" and (counts.added or counts.updated or counts.skipped)]  # fmt: skip
        return out

    def created_lines(self, shown_names: int = 10) -> list[str]:
        """Goals and campaigns that tasks named and had to be created, one line per kind."""
        out = []
        for kind in ("goal", "campaign"):
            names = [item.split(" ", 1)[1] for item in self.created if item.startswith(kind + " ")]
            if names:
                listed = ", ".join(names[:shown_names])
                more = f" and {len(names) - shown_names:,} more" if len(names) > shown_names else ""
                out.append(f"created {count(len(names), kind)} "
                           f"named in the file but not in this database: {listed}{more}")  # fmt: skip
        return out


def _free(name: str, taken: set[str], sep: str = "-") -> str:
    """``name``, or ``name-2``, ``name-3``… when it is taken (a copy under ``new``)."""
    number = 2
    candidate = name
    while candidate.lower() in taken:
        candidate, number = f"{name}{sep}{number}", number + 1
    return candidate


class _BoardImport:
    """One import, run inside one ``store.batch()`` (see ``import_board``)."""

    def __init__(self, store: Store, board: BoardFile, on_duplicate: str) -> None:
        self.store = store
        self.board = board
        self.mode = on_duplicate
        self.action = new_action_id()
        self.summary = ImportSummary()
        self.restore = False  # a new, empty database: take the file's board settings too
        self.goal_ids: dict[str, int] = {}  # slug in the file → goal id here
        self.campaign_ids: dict[str, int] = {}

    def run(self, progress: Callable[[int], None] | None) -> ImportSummary:
        self.restore = board_is_empty(self.store)
        self._columns()
        self._channels()
        self._settings()
        self._brief()
        self._goals()
        self._campaigns()
        self._sources()
        self._tasks(progress)
        return self.summary

    # Board settings ---------------------------------------------------------------
    def _columns(self) -> None:
        counts = self.summary.kind("columns")
        existing = {s.name.lower(): s for s in self.store.tasks.statuses()}
        for column in self.board.columns:
            status = existing.get(column["name"].lower())
            if status is None:
                self.store.transfer.add_status(column["name"], column["position"],
                                               column["wip_limit"], column["is_done"],
                                               action_id=self.action)  # fmt: skip
                counts.added += 1
            elif status.wip_limit == column["wip_limit"]:
                counts.skipped += 1
            elif self.restore or self.mode == "update":
                self.store.tasks.set_wip_limit(
                    status.id, column["wip_limit"], action_id=self.action
                )
                counts.updated += 1
            else:
                counts.skipped += 1

    def _channels(self) -> None:
        counts = self.summary.kind("channels")
        known = {c.name.lower() for c in self.store.tasks.channels()}
        for name in self.board.channels:
            if name.lower() in known:
                counts.skipped += 1
                continue
            self.store.tasks.ensure_channel(name, action_id=self.action)
            known.add(name.lower())
            counts.added += 1

    def _settings(self) -> None:
        counts = self.summary.kind("settings")
        current = self.store.transfer.settings()
        for key, value in self.board.settings.items():
            if current.get(key) == value or (
                key in current and not (self.restore or self.mode == "update")
            ):
                counts.skipped += 1
                continue
            self.store.settings.set_setting(key, value, action_id=self.action)
            counts.added += key not in current
            counts.updated += key in current
        held = set(self.store.settings.standups())
        standups = self.summary.kind("stand-ups")
        for stamp in self.board.standups:
            if stamp in held:
                standups.skipped += 1
                continue
            self.store.settings.mark_standup(stamp, action_id=self.action)
            held.add(stamp)
            standups.added += 1

    def _brief(self) -> None:
        if not self.board.brief:
            return
        counts = self.summary.kind("brief versions")
        versions = self.store.strategy.brief_versions()
        have = {(b.updated_at, tuple(b.fields().values())) for b in versions}
        if versions and self.mode != "new":
            # A board with its own brief keeps its history; ``update`` makes the file's
            # latest version the current one (a new version, like an edit).
            latest = self.board.brief[-1]["fields"]
            if self.mode == "update" and latest != versions[0].fields():
                self.store.strategy.save_brief(latest, action_id=self.action)
                counts.updated += 1
            counts.skipped += len(self.board.brief) - counts.updated
            return
        for version in self.board.brief:
            key = (version["updated_at"], tuple(version["fields"][n] for n in BRIEF_FIELDS))
            if key in have and self.mode != "new":
                counts.skipped += 1
                continue
            self.store.transfer.add_brief_version(
                version["fields"], version["updated_at"],
                None if versions else version["version"], action_id=self.action,
            )  # fmt: skip
            counts.added += 1

    # Strategy -----------------------------------------------------------------------
    def _goals(self) -> None:
        counts = self.summary.kind("goals")
        existing = self.store.strategy.goals()
        by_uid = {g.uid: g for g in existing if g.uid}
        by_slug = {g.slug: g for g in existing}
        self.goal_ids = {g.slug: g.id for g in existing}
        placed: list[tuple[int, dict[str, Any]]] = []
        for goal in self.board.goals:
            fields, slug = dict(goal["fields"]), goal["fields"]["slug"]
            match = (by_uid.get(goal["uid"]) if goal["uid"] else None) or by_slug.get(slug)
            if match and self.mode == "skip":
                self.goal_ids[slug] = match.id
                counts.skipped += 1
                continue
            if match and self.mode == "update":
                if slug != match.slug and slug in by_slug:
                    del fields["slug"]  # the slug belongs to another goal here
                saved = self.store.strategy.save_goal(fields, match.id, action_id=self.action)
                counts.updated += 1
            else:
                if match:  # ``new``: a copy with its own slug and uid
                    fields["slug"] = _free(slug, set(by_slug))
                else:
                    fields["uid"] = goal["uid"]
                saved = self.store.strategy.save_goal(fields, action_id=self.action)
                counts.added += 1
            by_slug[saved.slug] = saved
            self.goal_ids[slug] = saved.id
            placed.append((saved.id, goal))
        self._goal_parents(placed)

    def _goal_parents(self, placed: list[tuple[int, dict[str, Any]]]) -> None:
        parents = {g.id: g.parent_id for g in self.store.strategy.goals()}
        changes: dict[int, int | None] = {}
        for number, (goal_id, goal) in enumerate(placed, start=1):
            if goal["parent"] is None:
                continue
            parent_id = self.goal_ids.get(goal["parent"])
            if parent_id is None:
                raise RecordError(f"goals record {number} ({shown(goal['fields']['slug'])})",
                                  "parent", f"no goal {shown(goal['parent'])}")  # fmt: skip
            parents[goal_id] = changes[goal_id] = parent_id
        for goal_id in changes:  # a loop would hang every tree walk
            seen: set[int] = set()
            walker: int | None = goal_id
            while walker is not None:
                if walker in seen:
                    raise RecordError("goals", "parent", "the parents make a loop")
                seen.add(walker)
                walker = parents.get(walker)
        for goal_id, parent_id in changes.items():
            self.store.strategy.save_goal({"parent_id": parent_id}, goal_id,
                                          action_id=self.action)  # fmt: skip

    def _campaigns(self) -> None:
        counts = self.summary.kind("campaigns")
        existing = self.store.strategy.campaigns()
        by_uid = {c.uid: c for c in existing if c.uid}
        by_slug = {c.slug: c for c in existing}
        self.campaign_ids = {c.slug: c.id for c in existing}
        for number, campaign in enumerate(self.board.campaigns, start=1):
            fields, slug = dict(campaign["fields"]), campaign["fields"]["slug"]
            goal_ids = []
            for goal_slug in campaign["goals"]:
                if goal_slug not in self.goal_ids:
                    raise RecordError(f"campaigns record {number} ({shown(slug)})", "goals",
                                      f"no goal {shown(goal_slug)}")  # fmt: skip
                goal_ids.append(self.goal_ids[goal_slug])
            fields["goal_ids"] = goal_ids
            match = (by_uid.get(campaign["uid"]) if campaign["uid"] else None) or by_slug.get(slug)
            if match and self.mode == "skip":
                self.campaign_ids[slug] = match.id
                counts.skipped += 1
                continue
            if match and self.mode == "update":
                if slug != match.slug and slug in by_slug:
                    del fields["slug"]
                saved = self.store.strategy.save_campaign(fields, match.id, action_id=self.action)
                counts.updated += 1
            else:
                if match:
                    fields["slug"] = _free(slug, set(by_slug))
                else:
                    fields["uid"] = campaign["uid"]
                saved = self.store.strategy.save_campaign(fields, action_id=self.action)
                counts.added += 1
            by_slug[saved.slug] = saved
            self.campaign_ids[slug] = saved.id

    def _sources(self) -> None:
        counts = self.summary.kind("metric sources")
        existing = {source_slug(s.name): s for s in self.store.metrics.metric_sources()}
        for source in self.board.sources:
            slug = source_slug(source["name"])
            match = existing.get(slug)
            if match and self.mode == "skip":
                counts.skipped += 1
                continue
            if match and self.mode == "update":
                self.store.metrics.save_metric_source(source, match.id, action_id=self.action)
                counts.updated += 1
                continue
            fields = dict(source)
            if match:
                taken = {*existing}
                number = 2
                while source_slug(f"{source['name']} {number}") in taken:
                    number += 1
                fields["name"] = f"{source['name']} {number}"
            saved = self.store.metrics.save_metric_source(fields, action_id=self.action)
            existing[source_slug(saved.name)] = saved
            counts.added += 1

    # Tasks --------------------------------------------------------------------------
    def _tasks(self, progress: Callable[[int], None] | None) -> None:
        from mtui.core.transfer.records import TaskImport, _Resolver

        counts = self.summary.kind("tasks")
        resolver = _Resolver(self.store, self.action)
        resolver.goals.update(self.goal_ids)
        resolver.campaigns.update(self.campaign_ids)
        resolver.check_statuses(self.board.tasks)
        existing = self.store.tasks.list_tasks(include_deleted=True)
        by_uid = {t.uid: t for t in existing if t.uid}
        by_stamp = {(t.title, t.created_at): t for t in existing}
        adds, updates = [], []
        for task in self.board.tasks:
            if task["uid"]:
                match = by_uid.get(task["uid"])
            else:
                match = by_stamp.get((task["title"], task["created_at"]))
            if match is None:
                adds.append(task)
            elif self.mode == "skip":
                counts.skipped += 1
            elif self.mode == "update":
                updates.append((match, task))
            else:
                adds.append({**task, "uid": None, "id": None})
        for match, task in updates:
            if self._update_task(match, task, resolver):
                counts.updated += 1
            else:
                counts.skipped += 1  # already as in the file
        plan = TaskImport(self.store, adds, resolver)
        ids = plan.write(progress, log_created=False)
        counts.added += len(ids)
        self._history(adds, ids, resolver)
        self.summary.created = resolver.created

    def _update_task(self, match: Any, task: dict[str, Any], resolver: Any) -> bool:
        """Make the task as the file has it (logged, like an edit); False if it was."""
        tasks = self.store.tasks
        changes = {
            "title": task["title"], "notes": task["notes"],
            "status_id": resolver.status(task["status"]), "priority": task["priority"],
            "owner": task["owner"], "due": task["due"],
            "channel_id": resolver.channel(task["channel"]),
            "campaign_id": resolver.campaign(task["campaign"]),
            "goal_id": resolver.goal(task["goal"]), "tags": task["tags"],
            "estimate_minutes": task["estimate_minutes"],
            "blocked_reason": task["blocked_reason"],
        }  # fmt: skip
        if task["position"] is not None:
            changes["position"] = task["position"]
        changed = False
        if match.deleted_at and not task["deleted_at"]:
            match = tasks.restore_task(match.id, action_id=self.action)
            changed = True
        if not (match.deleted_at and task["deleted_at"]):
            updated = tasks.update_task(match.id, changes, action_id=self.action)
            changed = changed or updated.version != match.version
        if task["deleted_at"] and not match.deleted_at:
            tasks.delete_task(match.id, action_id=self.action)
            changed = True
        return changed

    def _history(self, adds: list[dict[str, Any]], ids: list[int], resolver: Any) -> None:
        """The file's history of each added task (ids as names mapped back), or one
        ``created`` event by this import for a task that comes without history."""
        statuses = {s.name.lower(): s.id for s in self.store.tasks.statuses()}
        channels = {c.name.lower(): c.id for c in self.store.tasks.channels()}
        lookup = {
            "status_id": lambda v: statuses.get(v.lower()),
            "channel_id": lambda v: channels.get(v.lower()),
            "goal_id": lambda v: resolver.goals.get(v),
            "campaign_id": lambda v: resolver.campaigns.get(v),
        }
        now = clock.utc_stamp()
        events: list[dict[str, Any]] = []
        for task, task_id in zip(adds, ids, strict=True):
            if task["events"] is None:
                events.append({"task_id": task_id, "at": task["created_at"] or now,
                               "kind": "created", "new": task["title"],
                               "action_id": self.action, "actor": self.store.actor})  # fmt: skip
                continue
            for event in task["events"]:
                name = event["field"]
                row = {**event, "task_id": task_id}
                if name in _NAME_FIELDS:
                    find = lookup[_NAME_FIELDS[name]]
                    row["field"] = _NAME_FIELDS[name]
                    row["old"] = find(event["old"]) if isinstance(event["old"], str) else None
                    row["new"] = find(event["new"]) if isinstance(event["new"], str) else None
                events.append(row)
        self.store.transfer.add_task_events(events)


def board_is_empty(store: Store) -> bool:
    """Nothing on the board but its columns: an import restores it exactly, and
    ``mtui db copy`` may write into it."""
    return not (
        store.tasks.count_tasks() or store.tasks.list_tasks(deleted_only=True)
        or store.strategy.goals() or store.strategy.campaigns()
        or store.strategy.brief_versions() or store.metrics.metric_sources()
        or store.tasks.channels() or store.transfer.settings() or store.settings.standups()
    )  # fmt: skip


def import_board(
    store: Store,
    board: BoardFile,
    *,
    on_duplicate: str = "skip",
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a checked file in one transaction: all of it, or (on any error) nothing."""
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationError(f"--on-duplicate must be one of {', '.join(ON_DUPLICATE)}")
    with store.batch():
        return _BoardImport(store, board, on_duplicate).run(progress)
