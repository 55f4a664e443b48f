"""The activity log of everything that is not a task, and how each entry is undone."""

from __future__ import annotations

import json
from typing import Any

from mtui.core.errors import ConflictError, ValidationError
from mtui.core.model import BRIEF_FIELDS, ActivityEvent
from mtui.core.store.feed import METRICS, NAMES, SETTINGS, STANDUPS, STRATEGY
from mtui.core.store.sqlite.records import record_changes
from mtui.core.store.sqlite.session import SqliteRepository, Tx, translated, translating
from mtui.core.store.sqlite.settings import write_setting

# entity -> (table, feed topic)
_TABLES = {
    "goal": ("goal", STRATEGY),
    "campaign": ("campaign", STRATEGY),
    "source": ("metric_source", METRICS),
    "status": ("status", NAMES),
}


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


@translating
class SqliteActivity(SqliteRepository):
    def events(
        self,
        *,
        action_id: str | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        since: str | None = None,
    ) -> list[ActivityEvent]:
        where: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("action_id = ?", action_id),
            ("entity = ?", entity),
            ("entity_id = ?", entity_id),
            ("at >= ?", since),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql = (
            "SELECT id, entity, entity_id, at, kind, field, old, new, action_id, undo_of, actor, "
            "seq FROM activity"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY seq, id", params)
        return [
            ActivityEvent(i, e, eid, at, k, f, _loads(o), _loads(n), a, u, actor, seq)
            for i, e, eid, at, k, f, o, n, a, u, actor, seq in rows
        ]

    def revert(self, event: ActivityEvent, *, action_id: str, undo_of: str) -> None:
        with self.write() as tx:
            if event.entity == "brief":
                self._revert_brief(tx, event, action_id, undo_of)
            elif event.entity == "standup":
                if event.kind == "created":
                    tx.execute("DELETE FROM standup WHERE id = ?", [event.entity_id])
                    tx.log(STANDUPS, "standup", event.entity_id, "deleted", action_id,
                           old=event.new, undo_of=undo_of)  # fmt: skip
                elif event.kind == "deleted" and event.old:
                    tx.execute("INSERT INTO standup (id, held_at) VALUES (?, ?)",
                               [event.entity_id, event.old["held_at"]])  # fmt: skip
                    tx.log(STANDUPS, "standup", event.entity_id, "created", action_id,
                           new=event.old, undo_of=undo_of)  # fmt: skip
            elif event.entity == "setting" and event.field:
                current = tx.execute(
                    "SELECT value FROM setting WHERE key = ?", [event.field]
                ).fetchone()
                if (current[0] if current else None) != event.new:
                    raise ConflictError(
                        f"setting {event.field} was changed again since; not undone"
                    )
                write_setting(tx, event.field, event.old)
                tx.log(SETTINGS, "setting", None, "changed", action_id, event.field, event.new,
                       event.old, undo_of)  # fmt: skip
            elif event.entity in _TABLES:
                self._revert_row(tx, event, action_id, undo_of)
            # channels created on first use stay: a name is harmless and may be in use

    def _revert_brief(self, tx: Tx, event: ActivityEvent, action_id: str, undo_of: str) -> None:
        if event.field not in BRIEF_FIELDS:
            return
        latest = tx.execute(
            f"SELECT {', '.join(BRIEF_FIELDS)} FROM brief ORDER BY version DESC LIMIT 1"
        ).fetchone()
        current = dict(zip(BRIEF_FIELDS, latest or [""] * len(BRIEF_FIELDS), strict=True))
        if (current[event.field] or "") != (event.new or ""):
            raise ConflictError(f"the brief's {event.field} was changed again since; not undone")
        merged = {k: v or "" for k, v in {**current, event.field: event.old}.items()}
        version = tx.insert(
            f"INSERT INTO brief (updated_at, {', '.join(BRIEF_FIELDS)}) "
            f"VALUES (?, {', '.join('?' * len(BRIEF_FIELDS))})",
            [tx.at, *merged.values()],
        )
        record_changes(tx, "brief", version, {event.field: (event.new, event.old)}, action_id,
                       STRATEGY, undo_of)  # fmt: skip

    def _revert_row(self, tx: Tx, event: ActivityEvent, action_id: str, undo_of: str) -> None:
        table, topic = _TABLES[event.entity]
        row_id = event.entity_id
        if event.kind == "created":
            try:
                with translated():
                    if table == "campaign":
                        tx.execute("DELETE FROM campaign_goal WHERE campaign_id = ?", [row_id])
                    if table == "metric_source":
                        for history in ("metric_snapshot", "metric_latest", "metric_daily"):
                            tx.execute(f"DELETE FROM {history} WHERE source_id = ?", [row_id])
                    tx.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
            except ValidationError:
                raise ConflictError(
                    f"the {event.entity} is in use now (tasks point at it); not undone"
                ) from None
            tx.log(topic, event.entity, row_id, "deleted", action_id, old=event.new,
                   undo_of=undo_of)  # fmt: skip
        elif event.kind == "deleted" and isinstance(event.old, dict):
            values = dict(event.old)
            tx.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            tx.log(topic, event.entity, row_id, "created", action_id, new=values, undo_of=undo_of)
        elif event.kind == "changed" and event.field:
            self._revert_field(tx, table, topic, event, action_id, undo_of)

    def _revert_field(
        self, tx: Tx, table: str, topic: str, event: ActivityEvent, action_id: str, undo_of: str
    ) -> None:
        field, row_id = event.field, event.entity_id
        assert field is not None and row_id is not None
        if field == "goal_ids":  # a campaign's goals live in their link table
            current: Any = [r[0] for r in tx.execute(
                "SELECT goal_id FROM campaign_goal WHERE campaign_id = ? ORDER BY goal_id", [row_id]
            )]  # fmt: skip
        else:
            row = tx.execute(f"SELECT {field} FROM {table} WHERE id = ?", [row_id]).fetchone()
            if row is None:
                raise ConflictError(f"the {event.entity} is gone; not undone")
            current = row[0]
        if current != event.new:
            raise ConflictError(f"the {event.entity}'s {field} was changed again since; not undone")
        if field == "goal_ids":
            tx.execute("DELETE FROM campaign_goal WHERE campaign_id = ?", [row_id])
            tx.executemany("INSERT INTO campaign_goal (campaign_id, goal_id) VALUES (?, ?)",
                           [(row_id, goal_id) for goal_id in event.old or []])  # fmt: skip
        else:
            with translated():
                tx.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", [event.old, row_id])
        record_changes(tx, event.entity, row_id, {field: (event.new, event.old)}, action_id, topic,
                       undo_of)  # fmt: skip
