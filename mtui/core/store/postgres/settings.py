"""Preferences and stand-up times on PostgreSQL: small records, logged like the rest."""

from __future__ import annotations

from mtui.core.store.feed import SETTINGS, STANDUPS
from mtui.core.store.postgres.records import new_action
from mtui.core.store.postgres.session import PgRepository, translating

_UPSERT = (
    "INSERT INTO setting (board_id, key, value) VALUES (%s, %s, %s) "
    "ON CONFLICT (board_id, key) DO UPDATE SET value = excluded.value"
)


@translating
class PgSettings(PgRepository):
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.query(
            "SELECT value FROM setting WHERE board_id = %s AND key = %s", [self.board, key]
        ).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str, *, action_id: str | None = None) -> None:
        with self.write() as tx:
            old = self.get_setting(key)
            if old == value:
                return
            tx.execute(_UPSERT, [self.board, key, value])
            tx.log(SETTINGS, "setting", None, "changed", action_id or new_action(), key, old, value)

    def mark_standup(self, held_at: str, *, action_id: str | None = None) -> None:
        with self.write() as tx:
            standup_id = tx.next_id("standup")
            tx.execute(
                "INSERT INTO standup (board_id, id, held_at) VALUES (%s, %s, %s)",
                [self.board, standup_id, held_at],
            )
            tx.log(STANDUPS, "standup", standup_id, "created", action_id or new_action(),
                   new={"held_at": held_at})  # fmt: skip

    def standups(self) -> list[str]:
        return [
            r[0]
            for r in self.query(
                "SELECT held_at FROM standup WHERE board_id = %s ORDER BY held_at", [self.board]
            )
        ]
