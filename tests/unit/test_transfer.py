"""Export → import round trips keep every task field."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mtui.core import clock
from mtui.core.demo.plan import seed_demo
from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.core.transfer.records import (
    RECORD_FIELDS,
    export_records,
    import_records,
    read_records,
    write_records,
)


@pytest.fixture
def demo_store(tmp_path: Path):
    store = open_store(tmp_path / "source.db")
    with clock.frozen_at(clock.now().replace(year=2026, month=11, day=26, hour=10)):
        seed_demo(store)
    actions = TaskActions(store)
    task = actions.add({"title": 'Quote "this", a comma\nand a newline', "notes": "multi\nline, notes",
                        "tags": ["copy", "ünïcode"], "estimate_minutes": 90, "priority": 1})  # fmt: skip
    actions.delete(task)
    return store


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_keeps_every_field(demo_store, tmp_path: Path, fmt: str) -> None:
    original = export_records(demo_store)
    buffer = io.StringIO()
    write_records(original, fmt, buffer)
    target = open_store(tmp_path / f"target-{fmt}.db")

    count, created = import_records(target, read_records(io.StringIO(buffer.getvalue()), fmt))

    assert count == len(original) > 60
    named = {f"goal {r['goal']}" for r in original if r["goal"]}
    named |= {f"campaign {r['campaign']}" for r in original if r["campaign"]}
    assert set(created) == named, "strategy named in the file is created, and reported"
    again = export_records(target)
    assert again == original
    assert set(original[0]) == set(RECORD_FIELDS)
    assert any(r["deleted_at"] for r in again), "deleted tasks travel too"


def test_import_into_a_used_database_never_overwrites(demo_store, tmp_path: Path) -> None:
    records = export_records(demo_store)
    count, _ = import_records(demo_store, records)
    assert count == len(records)
    assert len(demo_store.tasks.list_tasks(include_deleted=True)) == 2 * len(records)
