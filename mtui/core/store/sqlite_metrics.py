"""Metric sources, their fetch status and their snapshots in SQLite.

Only the *name* of the environment variable holding a secret is stored, never the secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields as dc_fields
from typing import Any

from mtui.core.errors import NotFound, ValidationError
from mtui.core.model import MetricSnapshot, MetricSource
from mtui.core.store.sqlite_base import SqliteBase

_SOURCE_COLUMNS = [f.name for f in dc_fields(MetricSource)]
_JSON_COLUMNS = ("headers", "selectors")


def _source_from_row(row: tuple) -> MetricSource:
    data = dict(zip(_SOURCE_COLUMNS, row, strict=True))
    for name in _JSON_COLUMNS:
        data[name] = json.loads(data[name] or "{}")
    return MetricSource(**data)


class SqliteMetrics(SqliteBase):
    def metric_sources(self) -> list[MetricSource]:
        rows = self.conn.execute(
            f"SELECT {', '.join(_SOURCE_COLUMNS)} FROM metric_source ORDER BY id"
        )
        return [_source_from_row(r) for r in rows]

    def save_metric_source(
        self, fields: Mapping[str, Any], source_id: int | None = None
    ) -> MetricSource:
        row = {k: v for k, v in fields.items() if k in _SOURCE_COLUMNS and k != "id"}
        for name in _JSON_COLUMNS:
            if name in row:
                row[name] = json.dumps(row[name] or {})
        with self.write() as conn:
            try:
                if source_id is None:
                    source_id = conn.execute(
                        f"INSERT INTO metric_source ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()),
                    ).lastrowid
                elif row:
                    conn.execute(
                        f"UPDATE metric_source SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                        [*row.values(), source_id],
                    )
            except Exception as exc:
                if "UNIQUE" in str(exc):
                    raise ValidationError(
                        f"a source named {fields.get('name')!r} already exists"
                    ) from exc
                raise
        found = [s for s in self.metric_sources() if s.id == source_id]
        if not found:
            raise NotFound(f"no metric source #{source_id}")
        return found[0]

    def delete_metric_source(self, source_id: int) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM metric_snapshot WHERE source_id = ?", [source_id])
            if conn.execute("DELETE FROM metric_source WHERE id = ?", [source_id]).rowcount == 0:
                raise NotFound(f"no metric source #{source_id}")

    def record_fetch(
        self,
        source_id: int,
        *,
        fetched_at: str,
        values: Mapping[str, float] | None,
        error: str | None,
        period: str | None = None,
    ) -> None:
        """Store one fetch: snapshots on success, and the source's status either way."""
        with self.write() as conn:
            if error is None:
                conn.executemany(
                    "INSERT INTO metric_snapshot (source_id, metric_key, value, period, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (source_id, k, float(v), period, fetched_at)
                        for k, v in (values or {}).items()
                    ],
                )
                conn.execute(
                    "UPDATE metric_source SET last_fetch_at = ?, last_ok_at = ?, last_status = 'ok', "
                    "last_error = NULL WHERE id = ?",
                    [fetched_at, fetched_at, source_id],
                )
            else:
                conn.execute(
                    "UPDATE metric_source SET last_fetch_at = ?, last_status = 'error', last_error = ? "
                    "WHERE id = ?",
                    [fetched_at, error, source_id],
                )

    def snapshots(
        self, source_id: int, metric_key: str, *, since: str | None = None, until: str | None = None
    ) -> list[MetricSnapshot]:
        sql = (
            "SELECT source_id, metric_key, value, fetched_at, period FROM metric_snapshot "
            "WHERE source_id = ? AND metric_key = ?"
        )
        params: list[Any] = [source_id, metric_key]
        if since:
            sql += " AND fetched_at >= ?"
            params.append(since)
        if until:
            sql += " AND fetched_at < ?"
            params.append(until)
        rows = self.conn.execute(sql + " ORDER BY fetched_at", params)
        return [MetricSnapshot(*r) for r in rows]

    def latest_snapshots(self) -> list[MetricSnapshot]:
        """The newest value of every metric of every source."""
        rows = self.conn.execute(
            "SELECT s.source_id, s.metric_key, s.value, s.fetched_at, s.period FROM metric_snapshot s "
            "JOIN (SELECT source_id, metric_key, max(fetched_at) AS at FROM metric_snapshot "
            "GROUP BY source_id, metric_key) latest "
            "ON s.source_id = latest.source_id AND s.metric_key = latest.metric_key AND s.fetched_at = latest.at "
            "ORDER BY s.source_id, s.metric_key"
        )
        return [MetricSnapshot(*r) for r in rows]
