"""The change feed in SQLite: ``board.seq`` and one ``change_feed`` row per write."""

from __future__ import annotations

import json

from mtui.core.store.feed import FeedBatch, FeedEntry, PollingListener
from mtui.core.store.sqlite.session import SqliteRepository, translating


@translating
class SqliteFeed(SqliteRepository):
    def position(self) -> int:
        return self.conn.execute("SELECT seq FROM board WHERE id = 1").fetchone()[0]

    def changes(self, after: int, *, limit: int = 1000) -> FeedBatch:
        with self.session.read() as conn:
            rows = conn.execute(
                "SELECT seq, at, actor, action_id, topics, task_ids FROM change_feed "
                "WHERE seq > ? ORDER BY seq LIMIT ?",
                [after, limit],
            ).fetchall()
            position = conn.execute("SELECT seq FROM board WHERE id = 1").fetchone()[0]
            oldest = conn.execute("SELECT min(seq) FROM change_feed").fetchone()[0]
        entries = [
            FeedEntry(seq, at, actor, action_id, frozenset(topics.split(",")),
                      None if task_ids is None else tuple(json.loads(task_ids)))
            for seq, at, actor, action_id, topics, task_ids in rows
        ]  # fmt: skip
        # A reader ahead of the board (a file restored from a backup), or behind what is
        # kept (pruned entries): it cannot know what changed and must read everything.
        if after > position or (after < position and (oldest is None or oldest > after + 1)):
            return FeedBatch(position, [], gap=True)
        return FeedBatch(entries[-1].seq if entries else position, entries)

    def listener(self) -> PollingListener:
        """SQLite has no notifications: a second handle reads the position 20 times a
        second (see ``PollingListener``)."""
        from mtui.core.store.sqlite.admin import SqliteAdmin

        return PollingListener(SqliteAdmin(self.session).new_handle)
