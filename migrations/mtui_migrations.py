"""mtui's schema, built and evolved only by these sqlite-utils migrations.

Append new migrations at the end; never edit one that has shipped. The migration set's
name ("mtui") is also how mtui recognises its own database files.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "mtui"
migrations = Migrations(MIGRATION_SET)

DEFAULT_COLUMNS = [
    # name, position, WIP limit, is_done
    ("Backlog", 0, None, 0),
    ("Next", 1, None, 0),
    ("Doing", 2, 4, 0),
    ("Blocked", 3, None, 0),
    ("Done", 4, None, 1),
]


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db["brief"].create(
        {
            "version": int,
            "updated_at": str,
            "name": str,
            "mission": str,
            "avatar_name": str,
            "avatar_profile": str,
            "avatar_pains": str,
            "avatar_desires": str,
            "offer": str,
            "pos_for": str,
            "pos_who_need": str,
            "pos_category": str,
            "pos_benefit": str,
            "pos_unlike": str,
            "pos_differentiator": str,
            "key_message": str,
            "brand_voice": str,
            "mix_product": str,
            "mix_price": str,
            "mix_place": str,
            "mix_promotion": str,
        },
        pk="version",
        not_null={"updated_at"},
    )
    db["goal"].create(
        {
            "id": int,
            "title": str,
            "slug": str,
            "stage": str,
            "kpi_metric": str,
            "unit": str,
            "direction": str,
            "baseline": float,
            "target": float,
            "current": float,
            "start_date": str,
            "due_date": str,
            "owner": str,
            "status_override": str,
            "parent_id": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"title", "slug"},
        defaults={"stage": "attract", "unit": "count", "direction": "up"},
        foreign_keys=[("parent_id", "goal", "id")],
    )
    db["goal"].create_index(["slug"], unique=True)
    db["campaign"].create(
        {
            "id": int,
            "name": str,
            "slug": str,
            "status": str,
            "owner": str,
            "start_date": str,
            "end_date": str,
            "budget": float,
            "spend": float,
            "colour": str,
            "utm_campaign": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "slug"},
        defaults={"status": "planned"},
    )
    db["campaign"].create_index(["slug"], unique=True)
    db["campaign_goal"].create(
        {"campaign_id": int, "goal_id": int},
        pk=("campaign_id", "goal_id"),
        foreign_keys=[("campaign_id", "campaign", "id"), ("goal_id", "goal", "id")],
    )
    db["campaign_goal"].create_index(["goal_id"])
    db["channel"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.execute("CREATE UNIQUE INDEX idx_channel_name ON channel(name COLLATE NOCASE)")
    db["status"].create(
        {"id": int, "name": str, "position": int, "wip_limit": int, "is_done": int},
        pk="id",
        not_null={"name", "position", "is_done"},
        defaults={"is_done": 0},
    )
    db.execute("CREATE UNIQUE INDEX idx_status_name ON status(name COLLATE NOCASE)")
    db["status"].insert_all(
        [{"name": n, "position": p, "wip_limit": w, "is_done": d} for n, p, w, d in DEFAULT_COLUMNS]
    )
    db["task"].create(
        {
            "id": int,
            "title": str,
            "notes": str,
            "status_id": int,
            "position": float,
            "priority": int,
            "owner": str,
            "due": str,
            "channel_id": int,
            "campaign_id": int,
            "goal_id": int,
            "tags": str,
            "estimate_minutes": int,
            "blocked_reason": str,
            "created_at": str,
            "updated_at": str,
            "done_at": str,
            "deleted_at": str,
            "version": int,
        },
        pk="id",
        not_null={"title", "status_id", "position", "version", "created_at", "updated_at"},
        defaults={"notes": "", "tags": "[]", "version": 1},
        foreign_keys=[
            ("status_id", "status", "id"),
            ("channel_id", "channel", "id"),
            ("campaign_id", "campaign", "id"),
            ("goal_id", "goal", "id"),
        ],
    )
    # The board reads live tasks column by column in position order.
    db.execute("CREATE INDEX idx_task_board ON task(status_id, position) WHERE deleted_at IS NULL")
    db["task"].create_index(["due"])
    db["task"].create_index(["owner"])
    db["task"].create_index(["campaign_id"])
    db["task"].create_index(["goal_id"])
    db["task"].create_index(["updated_at"])
    db["task_event"].create(
        {
            "id": int,
            "task_id": int,
            "at": str,
            "kind": str,
            "field": str,
            "old": str,
            "new": str,
            "action_id": str,
            "undo_of": str,
        },
        pk="id",
        not_null={"task_id", "at", "kind", "action_id"},
        foreign_keys=[("task_id", "task", "id")],
    )
    # Stand-ups read a time window; undo reads one action; history reads one task.
    db["task_event"].create_index(["at"])
    db["task_event"].create_index(["task_id", "at"])
    db["task_event"].create_index(["action_id"])
    db["metric_source"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "url": str,
            "method": str,
            "headers": str,
            "body": str,
            "selectors": str,
            "auth_type": str,
            "auth_env": str,
            "auth_param": str,
            "interval_seconds": int,
            "timeout_seconds": float,
            "last_fetch_at": str,
            "last_ok_at": str,
            "last_status": str,
            "last_error": str,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "kind", "url"},
        defaults={
            "method": "GET",
            "headers": "{}",
            "selectors": "{}",
            "auth_type": "none",
            "interval_seconds": 300,
            "timeout_seconds": 10.0,
        },
    )
    db["metric_source"].create_index(["name"], unique=True)
    db["metric_snapshot"].create(
        {
            "id": int,
            "source_id": int,
            "metric_key": str,
            "value": float,
            "period": str,
            "fetched_at": str,
        },
        pk="id",
        not_null={"source_id", "metric_key", "value", "fetched_at"},
        foreign_keys=[("source_id", "metric_source", "id")],
    )
    # History and sparklines read one metric over a time range.
    db["metric_snapshot"].create_index(["source_id", "metric_key", "fetched_at"])
    db["standup"].create({"id": int, "held_at": str}, pk="id", not_null={"held_at"})
    db["standup"].create_index(["held_at"])


@migrations(name="0002_settings")
def m0002_settings(db: Database) -> None:
    """Small per-database preferences (the chosen theme, the default column, ...)."""
    db["setting"].create({"key": str, "value": str}, pk="key")


@migrations(name="0003_metric_history")
def m0003_metric_history(db: Database) -> None:
    """Keep a year of 5-minute metric history fast to read.

    ``metric_latest`` holds each metric's newest and previous value (the strip's cards
    read 20 rows instead of grouping 2M), ``metric_daily`` a per-day rollup (count, sum,
    min, max) so long-range sparklines read 365 rows per metric, and the snapshot index
    now covers ``value`` so short-range reads never touch the table.
    """
    db["metric_latest"].create(
        {
            "source_id": int,
            "metric_key": str,
            "value": float,
            "fetched_at": str,
            "period": str,
            "prev_value": float,
            "prev_fetched_at": str,
        },
        pk=("source_id", "metric_key"),
        not_null={"value", "fetched_at"},
        foreign_keys=[("source_id", "metric_source", "id")],
    )
    # WITHOUT ROWID: one metric's days sit together in the primary-key b-tree.
    db.execute(
        "CREATE TABLE metric_daily (source_id INTEGER NOT NULL REFERENCES metric_source(id), "
        "metric_key TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL, total REAL NOT NULL, "
        "lo REAL NOT NULL, hi REAL NOT NULL, PRIMARY KEY (source_id, metric_key, day)) "
        "WITHOUT ROWID"
    )
    db.execute("DROP INDEX IF EXISTS idx_metric_snapshot_source_id_metric_key_fetched_at")
    db.execute(
        "CREATE INDEX idx_metric_snapshot_series "
        "ON metric_snapshot(source_id, metric_key, fetched_at, value)"
    )
    db.execute(
        "INSERT INTO metric_daily (source_id, metric_key, day, n, total, lo, hi) "
        "SELECT source_id, metric_key, substr(fetched_at, 1, 10), count(*), sum(value), "
        "min(value), max(value) FROM metric_snapshot GROUP BY 1, 2, 3"
    )
    db.execute(
        # SQLite takes the bare columns from the row holding max(): one index scan.
        "INSERT INTO metric_latest (source_id, metric_key, value, fetched_at, period) "
        "SELECT source_id, metric_key, value, max(fetched_at), period FROM metric_snapshot "
        "GROUP BY source_id, metric_key"
    )


@migrations(name="0004_done_column_index")
def m0004_done_column_index(db: Database) -> None:
    """Read a Done column's newest cards without sorting all of it.

    The board's first frame reads one page per column (``SqliteTasks.board_page``);
    a Done column is ordered newest first, which without this index meant sorting
    every done task (~10 ms at 2,000) before the first paint.
    """
    db.execute(
        "CREATE INDEX idx_task_done_order ON task(status_id, coalesce(done_at, updated_at, ''), id) "
        "WHERE deleted_at IS NULL"
    )


@migrations(name="0005_change_feed")
def m0005_change_feed(db: Database) -> None:
    """A change feed in commit order, actors, and an activity log for everything else.

    ``board`` holds the change counter. Every write transaction bumps it once and writes
    one ``change_feed`` row with that sequence number; other clients read "everything
    after my position" from it (mtui.core.store.feed). Orderings never come from ids or
    rowids, which a server database does not hand out in commit order.

    ``task_event`` and the new ``activity`` log (briefs, goals, campaigns, columns,
    sources, stand-ups, settings) record the transaction's sequence and its actor, so
    undo can revert any action and every change says who made it.

    ``metric_latest.first_fetched_at`` orders a source's metrics by when each was first
    seen (cards used to rely on rowid order).
    """
    db["board"].create(
        {"id": int, "name": str, "seq": int}, pk="id", not_null={"name", "seq"}, defaults={"seq": 0}
    )
    db["board"].insert({"id": 1, "name": "main", "seq": 0})
    db["change_feed"].create(
        {"seq": int, "at": str, "actor": str, "action_id": str, "topics": str, "task_ids": str},
        pk="seq",
        not_null={"at", "topics"},
    )
    db["task_event"].add_column("seq", int)
    db["task_event"].add_column("actor", str)
    db["activity"].create(
        {
            "id": int,
            "seq": int,
            "at": str,
            "actor": str,
            "action_id": str,
            "undo_of": str,
            "entity": str,
            "entity_id": int,
            "kind": str,
            "field": str,
            "old": str,
            "new": str,
        },
        pk="id",
        not_null={"at", "action_id", "entity", "kind"},
    )
    db["activity"].create_index(["action_id"])
    db["activity"].create_index(["entity", "entity_id", "at"])
    db["activity"].create_index(["at"])
    db["metric_latest"].add_column("first_fetched_at", str)
    db.execute(
        "UPDATE metric_latest SET first_fetched_at = coalesce((SELECT min(fetched_at) "
        "FROM metric_snapshot s WHERE s.source_id = metric_latest.source_id "
        "AND s.metric_key = metric_latest.metric_key), fetched_at)"
    )


@migrations(name="0006_record_uids")
def m0006_record_uids(db: Database) -> None:
    """A stable identity for tasks, goals and campaigns that travels with an export.

    Ids are local to one database (an import into a used board renumbers), so ``uid``
    is what tells ``mtui import`` that a record is already here (``--on-duplicate``).
    Existing rows get a random uid; a trigger gives one to any row inserted without.
    """
    for table in ("task", "goal", "campaign"):
        db[table].add_column("uid", str)
        db.execute(f"UPDATE {table} SET uid = lower(hex(randomblob(16)))")
        db.execute(f"CREATE UNIQUE INDEX idx_{table}_uid ON {table}(uid)")
        db.execute(
            f"CREATE TRIGGER {table}_uid AFTER INSERT ON {table} WHEN NEW.uid IS NULL "
            f"BEGIN UPDATE {table} SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END"
        )


@migrations(name="0007_standup_indexes")
def m0007_standup_indexes(db: Database) -> None:
    """Indexes that keep the stand-up report quick on a big board with a long history.

    For each task in progress or blocked the report reads when it entered its column
    and when it was blocked: only those fields' entries in its history
    (``events(task_ids=…, fields=…)``), one index seek per task and field instead of
    the task's whole history. Its overdue list reads the open columns' tasks due by a
    day (``tasks_due_by``): a range per column, not every task that has a due date.
    """
    db.execute("CREATE INDEX idx_task_event_task_field ON task_event(task_id, field)")
    db.execute("CREATE INDEX idx_task_open_due ON task(status_id, due) WHERE deleted_at IS NULL")


@migrations(name="0008_metric_units_spend_metric")
def m0008_metric_units_spend_metric(db: Database) -> None:
    """What a metric's number means, whether it is complete, and spend from a metric.

    ``metric_source.units`` maps a metric key to its unit (``percent``, ``fraction``,
    ``seconds``, ``currency:EUR``…; JSON, like ``selectors``), so cards show 12.3 %,
    €1,234 or 2m 05s. ``metric_latest.partial`` is 1 when the newest value is a lower
    bound (a Stripe list read only to the page limit). ``campaign.spend_metric`` names a
    ``SOURCE.KEY`` whose newest value is the campaign's spend for budget pacing.
    """
    db["metric_source"].add_column("units", str, not_null_default="{}")
    db["metric_latest"].add_column("partial", int, not_null_default=0)
    db["campaign"].add_column("spend_metric", str)
