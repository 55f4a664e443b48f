"""The change feed on PostgreSQL: ``board.seq`` and one ``change_feed`` row per write."""

from __future__ import annotations

import json

from mtui.core.store.feed import FeedBatch, FeedEntry
from mtui.core.store.postgres.session import PgRepository, translating

_POSITION = "SELECT seq FROM board WHERE id = %s"


@translating
class PgFeed(PgRepository):
    def position(self) -> int:
        return self.query(_POSITION, [self.board]).fetchone()[0]  # type: ignore[index]

    def changes(self, after: int, *, limit: int = 1000) -> FeedBatch:
        with self.session.read() as conn:
            rows = conn.execute(
                "SELECT seq, at, actor, action_id, topics, task_ids FROM change_feed "
                "WHERE board_id = %s AND seq > %s ORDER BY seq LIMIT %s",
                [self.board, after, limit],
            ).fetchall()
            position = conn.execute(_POSITION, [self.board]).fetchone()[0]  # type: ignore[index]
            oldest = conn.execute(
                "SELECT min(seq) FROM change_feed WHERE board_id = %s", [self.board]
            ).fetchone()[0]  # type: ignore[index]
        entries = [
            FeedEntry(seq, at, actor, action_id, frozenset(topics.split(",")),
                      None if task_ids is None else tuple(json.loads(task_ids)))
            for seq, at, actor, action_id, topics, task_ids in rows
        ]  # fmt: skip
        # A reader ahead of the board (a restored dump), or behind what is kept (pruned
        # entries): it cannot know what changed and must read everything.
        if after > position or (after < position and (oldest is None or oldest > after + 1)):
            return FeedBatch(position, [], gap=True)
        return FeedBatch(entries[-1].seq if entries else position, entries)
