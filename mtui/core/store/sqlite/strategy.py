"""The brief (versioned), goals and campaigns in SQLite, each change in the activity log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dc_fields

from mtui.core.errors import DuplicateError, NotFound, ValidationError
from mtui.core.model import BRIEF_FIELDS, Campaign, Goal
from mtui.core.store.sqlite.records import new_action, record_changes, save_record
from mtui.core.store.sqlite.session import SqliteRepository, translating
from mtui.core.store.topics import STRATEGY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mtui.core.model import Brief  # built on first use (mtui.core.model_more)

_GOAL_COLUMNS = [f.name for f in dc_fields(Goal)]
_CAMPAIGN_COLUMNS = [f.name for f in dc_fields(Campaign) if f.name != "goal_ids"]


@translating
class SqliteStrategy(SqliteRepository):
    # Brief ---------------------------------------------------------------------------
    def _briefs(self, where: str = "", limit: str = "") -> list[Brief]:
        from typing import Any, cast  # only here: a quick-add never loads typing

        from mtui.core.model import Brief

        cols = ["version", "updated_at", *BRIEF_FIELDS]
        rows = self.conn.execute(
            f"SELECT {', '.join(cols)} FROM brief {where} ORDER BY version DESC {limit}"
        )
        return [
            Brief(**cast(dict[str, Any], {c: (v if v is not None or c in ("version", "updated_at") else "")
                     for c, v in zip(cols, row, strict=True)}))
            for row in rows
        ]  # fmt: skip

    def brief(self) -> Brief:
        latest = self._briefs(limit="LIMIT 1")
        if latest:
            return latest[0]
        from mtui.core.model import Brief

        return Brief()

    def brief_versions(self) -> list[Brief]:
        """Every version, newest first."""
        return self._briefs()

    def save_brief(self, fields: Mapping[str, str], *, action_id: str | None = None) -> Brief:
        unknown = set(fields) - set(BRIEF_FIELDS)
        if unknown:
            raise ValidationError(f"unknown brief field(s): {', '.join(sorted(unknown))}")
        with self.write() as tx:
            latest = self.brief()
            current = latest.fields()
            merged = {**current, **{k: (v or "") for k, v in fields.items()}}
            if merged == current:  # on a new board too: an empty version 1 undoes nothing
                return latest
            version = tx.execute(
                f"INSERT INTO brief (updated_at, {', '.join(BRIEF_FIELDS)}) "
                f"VALUES (?, {', '.join('?' * len(BRIEF_FIELDS))})",
                [tx.at, *merged.values()],
            ).lastrowid
            tx.touch(STRATEGY)
            changes = {k: (current[k], v) for k, v in merged.items() if current[k] != v}
            record_changes(tx, "brief", version, changes, action_id or new_action(), STRATEGY)
            return self.brief()

    # Goals ---------------------------------------------------------------------------
    def goals(self) -> list[Goal]:
        rows = self.conn.execute(f"SELECT {', '.join(_GOAL_COLUMNS)} FROM goal ORDER BY id")
        return [Goal(**dict(zip(_GOAL_COLUMNS, row, strict=True))) for row in rows]

    def save_goal(
        self, fields: Mapping[str, Any], goal_id: int | None = None, *, action_id: str | None = None
    ) -> Goal:
        row = {k: v for k, v in fields.items() if k in _GOAL_COLUMNS and k != "id"}
        with self.write() as tx:
            try:
                saved = save_record(tx, "goal", _GOAL_COLUMNS, row, goal_id,
                                    action_id or new_action(), STRATEGY)  # fmt: skip
            except DuplicateError:
                raise DuplicateError(
                    f"a goal with slug {row.get('slug')!r} already exists"
                ) from None
            return Goal(**saved)

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

    def _goal_ids(self, campaign_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute(
            "SELECT goal_id FROM campaign_goal WHERE campaign_id = ? ORDER BY goal_id",
            [campaign_id],
        )]  # fmt: skip

    def save_campaign(
        self,
        fields: Mapping[str, Any],
        campaign_id: int | None = None,
        *,
        action_id: str | None = None,
    ) -> Campaign:
        row = {k: v for k, v in fields.items() if k in _CAMPAIGN_COLUMNS and k != "id"}
        action = action_id or new_action()
        with self.write() as tx:
            try:
                saved = save_record(tx, "campaign", _CAMPAIGN_COLUMNS, row, campaign_id, action,
                                    STRATEGY)  # fmt: skip
            except DuplicateError:
                raise DuplicateError(
                    f"a campaign with slug {row.get('slug')!r} already exists"
                ) from None
            if "goal_ids" in fields:
                old = [] if campaign_id is None else self._goal_ids(saved["id"])
                new = sorted(dict.fromkeys(int(g) for g in fields["goal_ids"]))
                if old != new:
                    tx.execute("DELETE FROM campaign_goal WHERE campaign_id = ?", [saved["id"]])
                    tx.executemany(
                        "INSERT INTO campaign_goal (campaign_id, goal_id) VALUES (?, ?)",
                        [(saved["id"], gid) for gid in new],
                    )
                    record_changes(tx, "campaign", saved["id"], {"goal_ids": (old, new)},
                                   action, STRATEGY)  # fmt: skip
            found = next((c for c in self.campaigns() if c.id == saved["id"]), None)
            if found is None:
                raise NotFound(f"no campaign #{saved['id']}")
            return found
