"""``mtui db copy SOURCE DEST``: a whole board from one backend to another.

A copy is the full export (``board.export_board``: tasks with their ids, uids and
history, every brief version, goals, campaigns, columns, channels, metric sources
without secrets, stand-ups, settings) restored into an empty board, plus what an export
leaves out: the metric history (every snapshot, re-recorded in order, which rebuilds the
newest values and the daily rollups). It is one transaction on the destination: all of
it, or nothing. The source is only read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mtui.core.errors import ValidationError
from mtui.core.store.contract import Store
from mtui.core.transfer.board import (
    ImportSummary,
    board_is_empty,
    check_board,
    export_board,
    import_board,
)


@dataclass
class CopySummary:
    imported: ImportSummary
    snapshots: int

    def lines(self) -> list[str]:
        return [*self.imported.lines(), f"metric snapshots: {self.snapshots:,} copied"]


def copy_board(source: Store, dest: Store) -> CopySummary:
    """Copy ``source`` into ``dest``, which must be an empty board (refused otherwise,
    with nothing written: a copy never merges into a board in use)."""
    import json

    document = json.loads(json.dumps(export_board(source)))  # exactly what a file holds
    board = check_board(document)
    with dest.batch():
        if not board_is_empty(dest):
            raise ValidationError(
                f"{dest.admin.location} already holds a board in use; "
                "copy into a new database or board (nothing was written)"
            )
        imported = import_board(dest, board, on_duplicate="skip")
        snapshots = _copy_metric_history(source, dest)
    return CopySummary(imported, snapshots)


def _copy_metric_history(source: Store, dest: Store) -> int:
    """Every snapshot of every source, re-recorded per fetch time in time order."""
    dest_ids = {s.name: s.id for s in dest.metrics.metric_sources()}
    keys: dict[int, set[str]] = defaultdict(set)
    partial: dict[tuple[int, str], str] = {}  # a newest value that is a lower bound
    for latest in source.metrics.latest_metrics():
        keys[latest.source_id].add(latest.metric_key)
        if latest.partial:
            partial[(latest.source_id, latest.metric_key)] = latest.fetched_at
    copied = 0
    for src in source.metrics.metric_sources():
        target = dest_ids.get(src.name)
        if target is None:
            continue
        fetches: dict[tuple[str, str | None], dict[str, float]] = defaultdict(dict)
        for key in sorted(keys[src.id]):
            for snap in source.metrics.snapshots(src.id, key):
                fetches[(snap.fetched_at, snap.period)][key] = snap.value
                copied += 1
        for (fetched_at, period), values in sorted(fetches.items(), key=lambda i: i[0][0]):
            marked = [k for k in values if partial.get((src.id, k)) == fetched_at]
            dest.metrics.record_fetch(
                target,
                fetched_at=fetched_at,
                values=values,
                error=None,
                period=period,
                partial=marked,
            )
    return copied
