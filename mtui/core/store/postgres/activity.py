"""The activity log of everything that is not a task, and how each entry is undone."""

from __future__ import annotations

import json
from typing import Any

from mtui.core.errors import ConflictError, ValidationError
from mtui.core.model import BRIEF_FIELDS, ActivityEvent
from mtui.core.store.feed import METRICS, NAMES, SETTINGS, STANDUPS, STRATEGY
from mtui.core.store.postgres.metrics import HISTORY_TABLES
from mtui.core.store.postgres.records import insert_row, record_changes, translated
from mtui.core.store.postgres.session import PgRepository, Tx, translating
from mtui.core.store.postgres.settings import _UPSERT
from mtui.core.store.postgres.strategy import insert_brief, set_campaign_goals

# entity -> (table, feed topic)
_TABLES = {
    "goal": ("goal", STRATEGY),
    "campaign": ("campaign", STRATEGY),
    "source": ("metric_source", METRICS),
    "status": ("status", NAMES),
}
# Columns an activity entry may name (``field`` is spliced into SQL only if listed here).
_COLUMNS: dict[str, set[str]] = {}


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def _columns(tx: Tx, table: str) -> set[str]:
    if table not in _COLUMNS:
        _COLUMNS[table] = {
            row[0]
            for row in tx.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
        } - {"board_id"}
    return _COLUMNS[table]


@translating
class PgActivity(PgRepository):
    def events(
        self,
        *,
        action_id: str | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        since: str | None = None,
    ) -> list[ActivityEvent]:
        where: list[str] = ["board_id = %s"]
        params: list[Any] = [self.board]
        for clause, value in (
            ("action_id = %s", action_id),
            ("entity = %s", entity),
            ("entity_id = %s", entity_id),
            ("at >= %s", since),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        rows = self.query(
            "SELECT id, entity, entity_id, at, kind, field, old, new, action_id, undo_of, actor, "
            f"seq FROM activity WHERE {' AND '.join(where)} ORDER BY seq, id",
            params,
        )
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
                    tx.execute(
                        "DELETE FROM standup WHERE board_id = %s AND id = %s",
                        [self.board, event.entity_id],
                    )
                    tx.log(STANDUPS, "standup", event.entity_id, "deleted", action_id,
                           old=event.new, undo_of=undo_of)  # fmt: skip
                elif event.kind == "deleted" and event.old:
                    insert_row(tx, "standup", {"id": event.entity_id,
                                               "held_at": event.old["held_at"]})  # fmt: skip
                    tx.log(STANDUPS, "standup", event.entity_id, "created", action_id,
                           new=event.old, undo_of=undo_of)  # fmt: skip
            elif event.entity == "setting" and event.field:
                current = tx.execute(
                    "SELECT value FROM setting WHERE board_id = %s AND key = %s",
                    [self.board, event.field],
                ).fetchone()
                if (current[0] if current else None) != event.new:
                    raise ConflictError(
                        f"setting {event.field} was changed again since; not undone"
                    )
                if event.old is None:
                    tx.execute(
                        "DELETE FROM setting WHERE board_id = %s AND key = %s",
                        [self.board, event.field],
                    )
                else:
                    tx.execute(_UPSERT, [self.board, event.field, event.old])
                tx.log(SETTINGS, "setting", None, "changed", action_id, event.field, event.new,
                       event.old, undo_of)  # fmt: skip
            elif event.entity in _TABLES:
                self._revert_row(tx, event, action_id, undo_of)
            # channels created on first use stay: a name is harmless and may be in use

    def _revert_brief(self, tx: Tx, event: ActivityEvent, action_id: str, undo_of: str) -> None:
        if event.field not in BRIEF_FIELDS:
            return
        latest = tx.execute(
            f"SELECT {', '.join(BRIEF_FIELDS)} FROM brief WHERE board_id = %s "
            "ORDER BY version DESC LIMIT 1",
            [self.board],
        ).fetchone()
        current = dict(zip(BRIEF_FIELDS, latest or [""] * len(BRIEF_FIELDS), strict=True))
        if (current[event.field] or "") != (event.new or ""):
            raise ConflictError(f"the brief's {event.field} was changed again since; not undone")
        merged = {k: v or "" for k, v in {**current, event.field: event.old}.items()}
        version = insert_brief(tx, merged)
        record_changes(tx, "brief", version, {event.field: (event.new, event.old)}, action_id,
                       STRATEGY, undo_of)  # fmt: skip

    def _revert_row(self, tx: Tx, event: ActivityEvent, action_id: str, undo_of: str) -> None:
        table, topic = _TABLES[event.entity]
        row_id = event.entity_id
        if event.kind == "created":
            in_use = False
            if table in ("goal", "campaign", "status"):
                key = {"goal": "goal_id", "campaign": "campaign_id", "status": "status_id"}[table]
                in_use = bool(tx.execute(
                    f"SELECT 1 FROM task WHERE board_id = %s AND {key} = %s LIMIT 1",
                    [self.board, row_id],
                ).fetchone())  # fmt: skip
            if in_use:  # checked first: a refused DELETE would end the transaction
                raise ConflictError(
                    f"the {event.entity} is in use now (tasks point at it); not undone"
                )
            try:
                with translated():
                    if table == "campaign":
                        set_campaign_goals(tx, row_id, [])  # type: ignore[arg-type]
                    if table == "metric_source":
                        for history in HISTORY_TABLES:
                            tx.execute(
                                f"DELETE FROM {history} WHERE board_id = %s AND source_id = %s",
                                [self.board, row_id],
                            )
                    tx.execute(
                        f"DELETE FROM {table} WHERE board_id = %s AND id = %s", [self.board, row_id]
                    )
            except ValidationError:
                raise ConflictError(
                    f"the {event.entity} is in use now (other records point at it); not undone"
                ) from None
            tx.log(topic, event.entity, row_id, "deleted", action_id, old=event.new,
                   undo_of=undo_of)  # fmt: skip
        elif event.kind == "deleted" and isinstance(event.old, dict):
            values = {k: v for k, v in event.old.items() if k in _columns(tx, table)}
            insert_row(tx, table, values)
            tx.log(topic, event.entity, row_id, "created", action_id, new=values, undo_of=undo_of)
        elif event.kind == "changed" and event.field:
            self._revert_field(tx, table, topic, event, action_id, undo_of)

    def _revert_field(
        self, tx: Tx, table: str, topic: str, event: ActivityEvent, action_id: str, undo_of: str
    ) -> None:
        field, row_id = event.field, event.entity_id
        assert field is not None
        if field == "goal_ids":  # a campaign's goals live in their link table
            current: Any = [r[0] for r in tx.execute(
                "SELECT goal_id FROM campaign_goal WHERE board_id = %s AND campaign_id = %s "
                "ORDER BY goal_id",
                [self.board, row_id],
            )]  # fmt: skip
        else:
            if field not in _columns(tx, table):
                raise ConflictError(f"the {event.entity} has no field {field}; not undone")
            row = tx.execute(
                f"SELECT {field} FROM {table} WHERE board_id = %s AND id = %s", [self.board, row_id]
            ).fetchone()
            if row is None:
                raise ConflictError(f"the {event.entity} is gone; not undone")
            current = row[0]
        if current != event.new:
            raise ConflictError(f"the {event.entity}'s {field} was changed again since; not undone")
        if field == "goal_ids":
            set_campaign_goals(tx, row_id, list(event.old or []))  # type: ignore[arg-type]
        else:
            with translated():
                tx.execute(
                    f"UPDATE {table} SET {field} = %s WHERE board_id = %s AND id = %s",
                    [event.old, self.board, row_id],
                )
        record_changes(tx, event.entity, row_id, {field: (event.new, event.old)}, action_id, topic,
                       undo_of)  # fmt: skip
