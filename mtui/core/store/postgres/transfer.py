"""What a full export reads and a restore writes that no other repository offers, on
PostgreSQL (the twin of ``sqlite/transfer.py``: the contract suite runs both).

Everything here is a plain read or a write inside the caller's ``store.batch()``: an
import or a ``db copy`` is one transaction. Each write is logged like any other,
except restored task history, which *is* the log being restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mtui.core.model import BRIEF_FIELDS
from mtui.core.store.feed import NAMES, STRATEGY, TASKS
from mtui.core.store.postgres.records import new_action
from mtui.core.store.postgres.session import PgRepository, _json, translating


@translating
class PgTransfer(PgRepository):
    def settings(self) -> dict[str, str]:
        """Every preference, by key."""
        rows = self.query(
            "SELECT key, value FROM setting WHERE board_id = %s ORDER BY key", [self.board]
        )
        return dict(rows.fetchall())

    def add_status(
        self,
        name: str,
        position: int,
        wip_limit: int | None,
        is_done: bool,
        *,
        action_id: str | None = None,
    ) -> int:
        """A new board column (a restore of a board with columns this one lacks)."""
        with self.write() as tx:
            status_id = tx.next_id("status")
            tx.execute(
                "INSERT INTO status (board_id, id, name, position, wip_limit, is_done) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [self.board, status_id, name, position, wip_limit, int(is_done)],
            )
            tx.log(NAMES, "status", status_id, "created", action_id or new_action(),
                   new={"name": name, "position": position, "wip_limit": wip_limit,
                        "is_done": bool(is_done)})  # fmt: skip
            return status_id

    def add_brief_version(
        self,
        fields: Mapping[str, str],
        updated_at: str,
        version: int | None,
        *,
        action_id: str | None = None,
    ) -> int:
        """One brief version as it was (its time, and its number when that is free)."""
        with self.write() as tx:
            taken = (
                version is not None
                and tx.execute(
                    "SELECT 1 FROM brief WHERE board_id = %s AND version = %s",
                    [self.board, version],
                ).fetchone()
            )
            if version is None or taken:
                version = tx.execute(
                    "SELECT coalesce(max(version), 0) + 1 FROM brief WHERE board_id = %s",
                    [self.board],
                ).fetchone()[0]
            values = [fields.get(name) or "" for name in BRIEF_FIELDS]
            tx.execute(
                f"INSERT INTO brief (board_id, version, updated_at, {', '.join(BRIEF_FIELDS)}) "
                f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(BRIEF_FIELDS))})",
                [self.board, version, updated_at, *values],
            )
            tx.log(STRATEGY, "brief", version, "created", action_id or new_action(),
                   new={"updated_at": updated_at})  # fmt: skip
            return int(version)

    def add_task_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Restore task history: the events as exported, in this transaction's commit."""
        with self.write() as tx:
            rows = [
                (self.board, e["task_id"], e["at"], e["kind"], e.get("field"),
                 _json(e.get("old")), _json(e.get("new")), e["action_id"], e.get("undo_of"),
                 tx.seq, e.get("actor"))
                for e in events
            ]  # fmt: skip
            if not rows:
                return
            tx.executemany(
                "INSERT INTO task_event (board_id, task_id, at, kind, field, old, new, "
                "action_id, undo_of, seq, actor) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
            tx.action_id = tx.action_id or rows[0][7]
            tx.touch(TASKS, dict.fromkeys(row[1] for row in rows))
