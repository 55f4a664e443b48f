"""Preferences and stand-up times: small records, logged like everything else."""

from __future__ import annotations

from mtui.core.store.feed import SETTINGS, STANDUPS
from mtui.core.store.sqlite.records import new_action
from mtui.core.store.sqlite.session import SqliteRepository, Tx, translating


def write_setting(tx: Tx, key: str, value: str | None) -> None:
    """Set ``key`` to ``value`` (None removes it), unlogged: the caller logs."""
    if value is None:
        tx.execute("DELETE FROM setting WHERE key = ?", [key])
        return
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


@translating
class SqliteSettings(SqliteRepository):
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str, *, action_id: str | None = None) -> None:
        with self.write() as tx:
            old = self.get_setting(key)
            if old == value:
                return
            write_setting(tx, key, value)
            tx.log(SETTINGS, "setting", None, "changed", action_id or new_action(), key, old, value)

    def mark_standup(self, held_at: str, *, action_id: str | None = None) -> None:
        with self.write() as tx:
            standup_id = tx.execute("INSERT INTO standup (held_at) VALUES (?)", [held_at]).lastrowid
            tx.log(STANDUPS, "standup", standup_id, "created", action_id or new_action(),
                   new={"held_at": held_at})  # fmt: skip

    def standups(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT held_at FROM standup ORDER BY held_at")]
