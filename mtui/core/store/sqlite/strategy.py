"""The brief (versioned), goals and campaigns in SQLite."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dc_fields
from typing import Any

from mtui.core import clock
from mtui.core.errors import NotFound, ValidationError
from mtui.core.model import BRIEF_FIELDS, Brief, Campaign, Goal
from mtui.core.store.sqlite.base import SqliteBase

_GOAL_COLUMNS = [f.name for f in dc_fields(Goal)]
_CAMPAIGN_COLUMNS = [f.name for f in dc_fields(Campaign) if f.name != "goal_ids"]


class SqliteStrategy(SqliteBase):
    # Brief ---------------------------------------------------------------------------
    def _briefs(self, where: str = "", limit: str = "") -> list[Brief]:
        cols = ["version", "updated_at", *BRIEF_FIELDS]
        rows = self.conn.execute(
            f"SELECT {', '.join(cols)} FROM brief {where} ORDER BY version DESC {limit}"
        )
        return [
            Brief(**{c: (v if v is not None or c in ("version", "updated_at") else "")
                     for c, v in zip(cols, row, strict=True)})
            for row in rows
        ]  # fmt: skip

    def brief(self) -> Brief:
        latest = self._briefs(limit="LIMIT 1")
        return latest[0] if latest else Brief()

    def brief_versions(self) -> list[Brief]:
        """Every version, newest first."""
        return self._briefs()

    def save_brief(self, fields: Mapping[str, str]) -> Brief:
        unknown = set(fields) - set(BRIEF_FIELDS)
        if unknown:
            raise ValidationError(f"unknown brief field(s): {', '.join(sorted(unknown))}")
        with self.write():
            current = self.brief().fields()
            merged = {**current, **{k: (v or "") for k, v in fields.items()}}
            if merged == current and self.brief().version:
                return self.brief()
            self.conn.execute(
                f"INSERT INTO brief (updated_at, {', '.join(BRIEF_FIELDS)}) "
                f"VALUES (?, {', '.join('?' * len(BRIEF_FIELDS))})",
                [clock.utc_stamp(), *merged.values()],
            )
        return self.brief()

    # Goals ---------------------------------------------------------------------------
    def goals(self) -> list[Goal]:
        rows = self.conn.execute(f"SELECT {', '.join(_GOAL_COLUMNS)} FROM goal ORDER BY id")
        return [Goal(**dict(zip(_GOAL_COLUMNS, row, strict=True))) for row in rows]

    def save_goal(self, fields: Mapping[str, Any], goal_id: int | None = None) -> Goal:
        row = {k: v for k, v in fields.items() if k in _GOAL_COLUMNS and k != "id"}
        return Goal(**self._save("goal", _GOAL_COLUMNS, row, goal_id))

    # Campaigns -----------------------------------------------------------------------
    def campaigns(self) -> list[Campaign]:
        links: dict[int, list[int]] = {}
        for cid, gid in self.conn.execute(
            "SELECT campaign_id, goal_id FROM campaign_goal ORDER BY goal_id"
        ):
            links.setdefault(cid, []).append(gid)
        rows = self.conn.execute(f"SELECT {', '.join(_CAMPAIGN_COLUMNS)} FROM campaign ORDER BY id")
        return [
            Campaign(
                **dict(zip(_CAMPAIGN_COLUMNS, row, strict=True)), goal_ids=links.get(row[0], [])
            )
            for row in rows
        ]

    def save_campaign(self, fields: Mapping[str, Any], campaign_id: int | None = None) -> Campaign:
        row = {k: v for k, v in fields.items() if k in _CAMPAIGN_COLUMNS and k != "id"}
        with self.write() as conn:
            saved = self._save("campaign", _CAMPAIGN_COLUMNS, row, campaign_id)
            if "goal_ids" in fields:
                conn.execute("DELETE FROM campaign_goal WHERE campaign_id = ?", [saved["id"]])
                conn.executemany(
                    "INSERT INTO campaign_goal (campaign_id, goal_id) VALUES (?, ?)",
                    [(saved["id"], gid) for gid in fields["goal_ids"]],
                )
        return next(c for c in self.campaigns() if c.id == saved["id"])

    # Alignment -----------------------------------------------------------------------
    def task_alignment_counts(self) -> list[tuple[int | None, int | None, int, int]]:
        """Live tasks grouped by (goal_id, campaign_id, status_id) with their count.

        One aggregate query, so the brief pane's tactic counts and orphan count stay cheap
        at 10,000 tasks; ``mtui.core.strategy.goals.tally`` turns the rows into per-goal counts.
        """
        rows = self.conn.execute(
            "SELECT goal_id, campaign_id, status_id, COUNT(*) FROM task "
            "WHERE deleted_at IS NULL GROUP BY goal_id, campaign_id, status_id"
        )
        return [tuple(row) for row in rows]

    # Shared insert-or-update ---------------------------------------------------------
    def _save(
        self, table: str, columns: list[str], row: dict[str, Any], row_id: int | None
    ) -> dict:
        at = clock.utc_stamp()
        with self.write() as conn:
            try:
                if row_id is None:
                    row = {**row, "created_at": at, "updated_at": at}
                    row_id = conn.execute(
                        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()),
                    ).lastrowid
                elif row:
                    row = {**row, "updated_at": at}
                    cur = conn.execute(
                        f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                        [*row.values(), row_id],
                    )
                    if cur.rowcount == 0:
                        raise NotFound(f"no {table} #{row_id}")
            except Exception as exc:
                if "UNIQUE" in str(exc):
                    raise ValidationError(
                        f"a {table} with slug {row.get('slug')!r} already exists"
                    ) from exc
                raise
            values = conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [row_id]
            ).fetchone()
        if values is None:
            raise NotFound(f"no {table} #{row_id}")
        return dict(zip(columns, values, strict=True))
