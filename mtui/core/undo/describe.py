"""An action in words, for the undo toast: "moved 'Launch email' Done → Doing".

Built from the action's events (``task_event`` and ``activity``) and the names they
point at, so the words say what really happened, not what a key was meant to do.
"""

from __future__ import annotations

from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mtui.core.model import ActivityEvent, TaskEvent
    from mtui.core.store.contract import Store

TITLE_WIDTH = 40
_BRIEF_LABELS = {
    "name": "name", "mission": "mission", "avatar_name": "ideal customer",
    "avatar_profile": "ideal customer", "avatar_pains": "pains", "avatar_desires": "desires",
    "offer": "offer", "key_message": "key message", "brand_voice": "brand voice",
}  # fmt: skip


def describe(store: Store, action_id: str, *, undoing: bool = False) -> str:
    """What ``action_id`` did, in a few words.

    With ``undoing`` (``action_id`` is an undo's inverse, shown after "Undone:") a
    stand-up is named by what was undone: "Undone: recorded the stand-up of …", not by
    what the inverse did ("removed the stand-up"), which would read as the opposite.
    """
    task_events = store.tasks.events(action_id=action_id)
    other = store.activity.events(action_id=action_id)
    parts = _describe_tasks(store, task_events) + _describe_other(store, other, undoing)
    if not parts:
        return "nothing changed"
    if len(parts) > 2:
        return f"{parts[0]} and {len(parts) - 1} more changes"
    return "; ".join(parts)


def quoted(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > TITLE_WIDTH:
        title = title[: TITLE_WIDTH - 1] + "…"
    return f"'{title}'"


def _describe_tasks(store: Store, events: Sequence[TaskEvent]) -> list[str]:
    if not events:
        return []
    by_task: dict[int, list[TaskEvent]] = {}
    for event in events:
        by_task.setdefault(event.task_id, []).append(event)
    kinds = {e.kind for e in events}
    if len(by_task) > 1 and kinds <= {"created", "deleted", "restored"} and len(kinds) == 1:
        verb = {"created": "added", "deleted": "deleted", "restored": "restored"}[kinds.pop()]
        return [f"{verb} {len(by_task)} tasks"]
    columns = {s.id: s.name for s in store.tasks.statuses()}
    titles = {t.id: t.title for t in store.tasks.get_tasks(by_task)}
    return [
        _describe_task(titles.get(tid, f"#{tid}"), evs, columns) for tid, evs in by_task.items()
    ]


def _describe_task(title: str, events: list[TaskEvent], columns: dict[int, str]) -> str:
    name = quoted(title)
    kinds = [e.kind for e in events]
    for kind, verb in (("created", "added"), ("deleted", "deleted"), ("restored", "restored")):
        if kind in kinds:
            return f"{verb} {name}"
    fields = {e.field: e for e in events if e.field}
    if "status_id" in fields:
        move = fields["status_id"]
        old = columns.get(move.old, "?") if isinstance(move.old, int) else "?"
        new = columns.get(move.new, "?") if isinstance(move.new, int) else "?"
        return f"moved {name} {old} → {new}"
    if set(fields) == {"position"}:
        return f"reordered {name}"
    changed = ", ".join(sorted(f.replace("_id", "").replace("_", " ") for f in fields))
    return f"edited {name} ({changed})"


def _describe_other(
    store: Store, events: Sequence[ActivityEvent], undoing: bool = False
) -> list[str]:
    parts: list[str] = []
    seen: dict[tuple[str, int | None, str], list[ActivityEvent]] = {}
    for event in events:
        seen.setdefault((event.entity, event.entity_id, event.kind), []).append(event)
    for (entity, _entity_id, kind), group in seen.items():
        if entity == "channel":
            continue  # created on first use, alongside the task that named it
        if entity == "brief":
            names = sorted({_BRIEF_LABELS.get(e.field or "", (e.field or "").replace("_", " "))
                            for e in group})  # fmt: skip
            parts.append(f"edited the brief ({', '.join(names)})")
        elif entity == "standup":
            held = (group[0].new or group[0].old or {}).get("held_at", "")
            recorded = (kind == "created") != undoing
            what = "recorded the stand-up" if recorded else "removed the stand-up"
            parts.append(f"{what} of {held[:16].replace('T', ' ')}".strip())
        elif entity == "setting":
            parts.append(f"changed setting {group[0].field}")
        else:
            parts.append(_describe_record(store, entity, kind, group))
    return parts


def _record_names(store: Store, entity: str) -> dict[int, str]:
    if entity == "goal":
        return {g.id: g.slug for g in store.strategy.goals()}
    if entity == "campaign":
        return {c.id: c.slug for c in store.strategy.campaigns()}
    if entity == "source":
        return {s.id: s.name for s in store.metrics.metric_sources()}
    if entity == "status":
        return {s.id: s.name for s in store.tasks.statuses()}
    return {}


def _describe_record(store: Store, entity: str, kind: str, group: list[ActivityEvent]) -> str:
    record = group[0].new if kind == "created" else group[0].old
    label = {"source": "source", "status": "column"}.get(entity, entity)
    if isinstance(record, dict):
        name = str(record.get("slug") or record.get("name") or record.get("title") or "")
    else:
        entity_id = group[0].entity_id
        name = _record_names(store, entity).get(entity_id, f"#{entity_id}") if entity_id else ""
    if kind == "created":
        return f"added {label} {name}".strip()
    if kind == "deleted":
        return f"deleted {label} {name}".strip()
    fields = ", ".join(sorted({(e.field or "").replace("_", " ") for e in group}))
    return f"edited {label} {name} ({fields})"
