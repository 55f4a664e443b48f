"""Export → import round trips keep every field; re-imports are detected."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from mtui.core import clock
from mtui.core.demo.plan import seed_demo
from mtui.core.store import open_store
from mtui.core.tasks.actions import TaskActions
from mtui.core.transfer.board import BoardFile, check_board, export_board, import_board
from mtui.core.transfer.records import (
    RECORD_FIELDS,
    export_records,
    read_records,
    write_records,
)


@pytest.fixture(scope="module")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, seeded once for this module (seeding takes most of a second)."""
    path = tmp_path_factory.mktemp("transfer") / "source.db"
    store = open_store(path)
    with clock.frozen_at(clock.now().replace(year=2026, month=11, day=26, hour=10)):
        seed_demo(store)
    store.close()  # the last connection checkpoints: the file alone is the whole board
    return path


@pytest.fixture
def demo_store(tmp_path: Path, seeded_demo: Path):
    """This test's own copy of the seeded demo, plus a deleted task with awkward text."""
    shutil.copyfile(seeded_demo, tmp_path / "source.db")
    store = open_store(tmp_path / "source.db")
    actions = TaskActions(store)
    task = actions.add({"title": 'Quote "this", a comma\nand a newline', "notes": "multi\nline, notes",
                        "tags": ["copy", "ünïcode"], "estimate_minutes": 90, "priority": 1})  # fmt: skip
    actions.delete(task)
    return store


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_task_round_trip_keeps_every_field(demo_store, tmp_path: Path, fmt: str) -> None:
    original = export_records(demo_store)
    buffer = io.StringIO()
    write_records(original, fmt, buffer)
    target = open_store(tmp_path / f"target-{fmt}.db")

    summary = import_board(target, BoardFile(read_records(io.StringIO(buffer.getvalue()), fmt)))

    assert summary.kind("tasks").added == len(original) > 60
    named = {f"goal {r['goal']}" for r in original if r["goal"]}
    named |= {f"campaign {r['campaign']}" for r in original if r["campaign"]}
    assert set(summary.created) == named, "strategy named in the file is created, and reported"
    again = export_records(target)
    assert again == original
    assert set(original[0]) == set(RECORD_FIELDS)
    assert any(r["deleted_at"] for r in again), "deleted tasks travel too"


def test_reimport_skips_duplicates_or_adds_copies(demo_store) -> None:
    records = export_records(demo_store)
    skipped = import_board(
        demo_store, BoardFile(read_records(io.StringIO(json.dumps(records)), "json"))
    )
    assert (skipped.kind("tasks").added, skipped.kind("tasks").skipped) == (0, len(records))
    assert skipped.lines()[0] == f"tasks: {len(records)} skipped as duplicates"
    copies = import_board(demo_store, check_board(records), on_duplicate="new")
    assert copies.kind("tasks").added == len(records)
    assert len(demo_store.tasks.list_tasks(include_deleted=True)) == 2 * len(records)


def test_full_export_restores_exactly(demo_store, tmp_path: Path) -> None:
    """Item 11: export → import into a fresh db → export again gives the same document."""
    demo_store.tasks.set_wip_limit(demo_store.tasks.statuses()[1].id, 7)
    demo_store.settings.set_setting("theme", "nord")
    demo_store.strategy.save_brief({"mission": "Second version of the mission"})
    goals = demo_store.strategy.goals()
    demo_store.strategy.save_goal({"parent_id": goals[0].id}, goals[1].id)
    original = export_board(demo_store)
    assert len(original["brief"]) >= 2 and original["settings"] == {"theme": "nord"}
    assert any(c["budget"] and c["start_date"] for c in original["campaigns"])
    assert any(t["events"] and len(t["events"]) > 1 for t in original["tasks"])
    target = open_store(tmp_path / "fresh.db")

    import_board(target, check_board(json.loads(json.dumps(original))))

    assert export_board(target) == original


def _export_with(demo_store, change) -> dict:
    data = json.loads(json.dumps(export_board(demo_store)))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["goals"][1].update(uid=d["goals"][0]["uid"]), "goals record 2, field 'uid'"),
        (lambda d: d["campaigns"][0].update(goals=["nope"]), "campaigns record 1"),
        (
            lambda d: (
                d["goals"][0].update(parent=d["goals"][1]["slug"])
                or d["goals"][1].update(parent=d["goals"][0]["slug"])
            ),
            "make a loop",
        ),
        (lambda d: d["goals"][0].update(baseline="NaN"), "field 'baseline'"),
        (lambda d: d["campaigns"][0].update(budget=-5), "field 'budget'"),
        (lambda d: d["campaigns"][0].update(end_date="2020-01-01"), "field 'end_date'"),
        (
            lambda d: d["metric_sources"][0].update(headers={"Authorization": "Bearer x"}),
            "looks like a credential",
        ),
        (lambda d: d["columns"][0].update(wip_limit=-1), "columns record 1"),
        (lambda d: d["tasks"][3]["events"][0].update(kind="exploded"), "event 1, field 'kind'"),
    ],
)
def test_bad_board_files_name_the_record_and_change_nothing(demo_store, tmp_path: Path,
                                                            change, message: str) -> None:  # fmt: skip
    from mtui.core.errors import ValidationError

    data = _export_with(demo_store, change)
    target = open_store(tmp_path / "target.db")
    target.strategy.save_goal({"title": "Existing", "slug": "existing"})
    before = export_board(target)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        import_board(target, check_board(data))
    assert export_board(target) == before
