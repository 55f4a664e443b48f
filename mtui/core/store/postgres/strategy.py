"""The brief (versioned), goals and campaigns on PostgreSQL, each change logged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields as dc_fields
from typing import Any

from mtui.core.errors import DuplicateError, NotFound, ValidationError
from mtui.core.model import BRIEF_FIELDS, Brief, Campaign, Goal
from mtui.core.store.feed import STRATEGY
from mtui.core.store.postgres.records import new_action, record_changes, save_record
from mtui.core.store.postgres.session import PgRepository, Tx, translating

_GOAL_COLUMNS = [f.name for f in dc_fields(Goal)]
_CAMPAIGN_COLUMNS = [f.name for f in dc_fields(Campaign) if f.name != "goal_ids"]
# One statement each (board_start pipelines them with the first page): a campaign's
# goals come as an array beside its row.
GOALS_SQL = f"SELECT {', '.join(_GOAL_COLUMNS)} FROM goal WHERE board_id = %s ORDER BY id"
CAMPAIGNS_SQL = (
    f"SELECT {', '.join(_CAMPAIGN_COLUMNS)}, coalesce((SELECT array_agg(l.goal_id ORDER BY "
    "l.goal_id) FROM campaign_goal l WHERE l.board_id = campaign.board_id AND l.campaign_id "
    "= campaign.id), '{}') FROM campaign WHERE board_id = %s ORDER BY id"
)


def goals_from_rows(rows: Iterable[Sequence[Any]]) -> list[Goal]:
    return [Goal(**dict(zip(_GOAL_COLUMNS, row, strict=True))) for row in rows]


def campaigns_from_rows(rows: Iterable[Sequence[Any]]) -> list[Campaign]:
    return [
        Campaign(**dict(zip(_CAMPAIGN_COLUMNS, row[:-1], strict=True)), goal_ids=list(row[-1]))
        for row in rows
    ]


def insert_brief(tx: Tx, values: Mapping[str, Any]) -> int:
    """A new brief version (one above the board's newest) with ``values``."""
    version = tx.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM brief WHERE board_id = %s", [tx.board]
    ).fetchone()[0]  # type: ignore[index]
    tx.execute(
        f"INSERT INTO brief (board_id, version, updated_at, {', '.join(BRIEF_FIELDS)}) "
        f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(BRIEF_FIELDS))})",
        [tx.board, version, tx.at, *(values[k] for k in BRIEF_FIELDS)],
    )
    return version


@translating
class PgStrategy(PgRepository):
    # Brief ---------------------------------------------------------------------------
    def _briefs(self, limit: str = "") -> list[Brief]:
        cols = ["version", "updated_at", *BRIEF_FIELDS]
        rows = self.query(
            f"SELECT {', '.join(cols)} FROM brief WHERE board_id = %s ORDER BY version DESC {limit}",
            [self.board],
        )
        briefs = []
        for row in rows:
            values: dict[str, Any] = {
                c: (v if v is not None or c in ("version", "updated_at") else "")
                for c, v in zip(cols, row, strict=True)
            }
            briefs.append(Brief(**values))
        return briefs

    def brief(self) -> Brief:
        latest = self._briefs(limit="LIMIT 1")
        return latest[0] if latest else Brief()

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
            version = insert_brief(tx, merged)
            tx.touch(STRATEGY)
            changes = {k: (current[k], v) for k, v in merged.items() if current[k] != v}
            record_changes(tx, "brief", version, changes, action_id or new_action(), STRATEGY)
            return self.brief()

    # Goals ---------------------------------------------------------------------------
    def goals(self) -> list[Goal]:
        return goals_from_rows(self.query(GOALS_SQL, [self.board]))

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
        return campaigns_from_rows(self.query(CAMPAIGNS_SQL, [self.board]))

    def _goal_ids(self, campaign_id: int) -> list[int]:
        return [r[0] for r in self.query(
            "SELECT goal_id FROM campaign_goal WHERE board_id = %s AND campaign_id = %s "
            "ORDER BY goal_id",
            [self.board, campaign_id],
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
                    set_campaign_goals(tx, saved["id"], new)
                    record_changes(tx, "campaign", saved["id"], {"goal_ids": (old, new)},
                                   action, STRATEGY)  # fmt: skip
            found = next((c for c in self.campaigns() if c.id == saved["id"]), None)
            if found is None:
                raise NotFound(f"no campaign #{saved['id']}")
            return found


def set_campaign_goals(tx: Tx, campaign_id: int, goal_ids: list[int]) -> None:
    """Replace a campaign's goal links (a goal that does not exist: ValidationError)."""
    tx.execute(
        "DELETE FROM campaign_goal WHERE board_id = %s AND campaign_id = %s",
        [tx.board, campaign_id],
    )
    tx.executemany(
        "INSERT INTO campaign_goal (board_id, campaign_id, goal_id) VALUES (%s, %s, %s)",
        [(tx.board, campaign_id, goal_id) for goal_id in goal_ids],
    )
