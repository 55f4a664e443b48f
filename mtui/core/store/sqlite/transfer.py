"""What a full export reads and a restore writes that no other repository offers.

Everything here is a plain read or a write inside the caller's ``store.batch()``: an
import is one transaction (see ``mtui.core.transfer``). Each write is logged like any
other, except restored task history, which *is* the log being restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mtui.core.model import BRIEF_FIELDS
from mtui.core.store.feed import NAMES, STRATEGY, TASKS
from mtui.core.store.sqlite.records import new_action
from mtui.core.store.sqlite.session import SqliteRepository, _json, translating


@translating
class SqliteTransfer(SqliteRepository):
    def settings(self) -> dict[str, str]:
        """Every preference, by key."""
        return dict(self.conn.execute("SELECT key, value FROM setting ORDER BY key").fetchall())

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
            status_id = tx.execute(
                "INSERT INTO status (name, position, wip_limit, is_done) VALUES (?, ?, ?, ?)",
                [name, position, wip_limit, int(is_done)],
            ).lastrowid
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
            if (
                version is not None
                and tx.execute("SELECT 1 FROM brief WHERE version = ?", [version]).fetchone()
            ):
                version = None
            values = [fields.get(name) or "" for name in BRIEF_FIELDS]
            number = tx.execute(
                f"INSERT INTO brief (version, updated_at, {', '.join(BRIEF_FIELDS)}) "
                f"VALUES (?, ?, {', '.join('?' * len(BRIEF_FIELDS))})",
                [version, updated_at, *values],
            ).lastrowid
            tx.log(STRATEGY, "brief", number, "created", action_id or new_action(),
                   new={"updated_at": updated_at})  # fmt: skip
            return number

    def add_task_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Restore task history: the events as exported, in this transaction's commit."""
        with self.write() as tx:
            rows = [
                (e["task_id"], e["at"], e["kind"], e.get("field"), _json(e.get("old")),
                 _json(e.get("new")), e["action_id"], e.get("undo_of"), tx.seq,
                 e.get("actor"))
                for e in events
            ]  # fmt: skip
            if not rows:
                return
            tx.executemany(
                "INSERT INTO task_event (task_id, at, kind, field, old, new, action_id, undo_of, "
                "seq, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            tx.action_id = tx.action_id or rows[0][6]
            tx.touch(TASKS, dict.fromkeys(row[0] for row in rows))
