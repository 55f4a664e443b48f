"""`mtui import` / `mtui export` through the installed entry point (items 4, 10, 11)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtui.core.store import open_store
from tests.support.cli import run_mtui, sha256


@pytest.fixture(scope="module")
def board_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small board made by the real CLI once per module (mtui checkpoints on exit, so
    the main file holds it all and its bytes can be compared)."""
    path = tmp_path_factory.mktemp("transfer") / "board.db"
    assert run_mtui("add", "First #email @ana", db=path).returncode == 0
    assert run_mtui("add", "Launch post #email @ana !1 +copy est:1h", db=path).returncode == 0
    return path


@pytest.fixture
def db(board_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the small board."""
    path = tmp_path / "board.db"
    shutil.copyfile(board_template, path)
    return path


def _task(**fields: object) -> dict[str, object]:
    return {"title": "A task", "status": "Backlog", **fields}


BAD_JSON_RECORDS = {
    "title is a list": ([_task(title=["a", "b"])], "title"),
    "owner is a list": ([_task(owner=["ana"])], "owner"),
    "notes is an object": ([_task(notes={"a": 1})], "notes"),
    "status is a number": ([_task(status=3)], "status"),
    "no such column": ([_task(status="Nowhere")], "status"),
    "channel is a number": ([_task(channel=7)], "channel"),
    "tags is a number": ([_task(tags=5)], "tags"),
    "tags is a string": ([_task(tags="abc")], "tags"),
    "position x": ([_task(position="x")], "position"),
    "position NaN": ([_task(position="NaN")], "position"),
    "id abc": ([_task(id="abc")], "id"),
    "goal an object": ([_task(goal={"slug": "x"})], "goal"),
    "duplicate ids": ([_task(id=5), _task(id=5)], "id"),
    "priority 7": ([_task(priority=7)], "priority"),
    "priority high": ([_task(priority="high")], "priority"),
    "priority 1.5": ([_task(priority=1.5)], "priority"),
    "estimate abc": ([_task(estimate_minutes="abc")], "estimate_minutes"),
    "estimate negative": ([_task(estimate_minutes=-5)], "estimate_minutes"),
    "estimate huge": ([_task(estimate_minutes=10**30)], "estimate_minutes"),
    "due not a date": ([_task(due="not a date")], "due"),
    "deleted_at 5": ([_task(deleted_at=5)], "deleted_at"),
    "not a list": ({"title": "x"}, None),
    "a record is a string": (["just text"], None),
}


@pytest.mark.parametrize("case", list(BAD_JSON_RECORDS), ids=list(BAD_JSON_RECORDS))
def test_bad_json_records_exit_2_naming_record_and_field(db: Path, tmp_path: Path,
                                                         case: str) -> None:  # fmt: skip
    records, field = BAD_JSON_RECORDS[case]
    if isinstance(records, list):  # the bad record comes after a good one
        records = [_task(title="Fine"), *records]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    before = sha256(db)

    result = run_mtui("import", str(source), db=db)

    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    if field:
        assert "record 2" in result.stderr and field in result.stderr, result.stderr
    assert sha256(db) == before


BAD_FILES = {
    "invalid UTF-8 in a CSV": ("in.csv", b"title,status\nOK,Backlog\n\xff\xfe bad,Backlog\n"),
    "latin-1 CSV": ("in.csv", "title,status\nCaf\u00e9 launch,Backlog\n".encode("latin-1")),
    "invalid JSON": ("in.json", b'[{"title": "x",]'),
    "invalid UTF-8 in JSON": ("in.json", b'[{"title": "\xff"}]'),
    "deeply nested JSON": ("in.json", b"[" * 100_000 + b"]" * 100_000),
    "CSV with a bad priority": ("in.csv", b"title,priority\nOK,1\nBad,7\n"),
    "CSV with an unknown column": ("in.csv", b"title,colour\nOK,red\n"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_files_exit_2_with_one_line(db: Path, tmp_path: Path, case: str) -> None:
    name, content = BAD_FILES[case]
    source = tmp_path / name
    source.write_bytes(content)
    before = sha256(db)

    result = run_mtui("import", str(source), db=db)

    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert sha256(db) == before


def test_latin1_csv_says_how_to_fix_it(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("title\nCaf\u00e9\n".encode("latin-1"))
    result = run_mtui("import", str(source), db=db)
    assert result.returncode == 2 and "UTF-8" in result.stderr, result.stderr


def test_a_bad_row_late_in_a_big_import_leaves_nothing_behind(db: Path, tmp_path: Path) -> None:
    """Item 10: channels, goals and campaigns named by good rows are not left behind."""
    records = [_task(title=f"T{i}", channel=f"ch{i}", goal=f"g{i}", campaign=f"c{i}")
               for i in range(300)]  # fmt: skip
    records.append(_task(title="Bad", priority=7))
    source = tmp_path / "in.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    before = sha256(db)

    result = run_mtui("import", str(source), db=db)

    assert result.returncode == 2 and "record 301" in result.stderr, result.stderr
    assert sha256(db) == before
    store = open_store(db)
    assert len(store.tasks.channels()) == 1 and not store.strategy.goals()


def test_add_batch_is_one_transaction(db: Path) -> None:
    """Item 10: `mtui add -` commits its lines together (a kill keeps none or all)."""
    store = open_store(db)
    before, count = store.feed.position(), store.tasks.count_tasks()
    store.close()
    result = run_mtui("add", "-", input="One #newchannel\nTwo @raj\nThree +x\n", db=db)
    assert result.returncode == 0, result.stderr
    store = open_store(db)
    assert store.tasks.count_tasks() == count + 3
    assert store.feed.position() == before + 1, "one commit for the whole batch"


def test_json_export_is_a_backup_and_reimports_are_detected(tmp_path: Path) -> None:
    """Item 11: the same export imported twice is skipped and said so; --on-duplicate."""
    source = tmp_path / "demo.db"
    assert run_mtui("demo", "--no-open", "--db", str(source)).returncode == 0
    backup = tmp_path / "backup.json"
    assert run_mtui("export", "-o", str(backup), db=source).returncode == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert data["goals"] and data["campaigns"] and data["brief"] and data["metric_sources"]
    assert all("last_error" not in s for s in data["metric_sources"]), "no fetch results"
    fresh = tmp_path / "fresh.db"

    first = run_mtui("import", str(backup), db=fresh)
    again = run_mtui("import", str(backup), db=fresh)

    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert run_mtui("export", db=fresh).stdout == run_mtui("export", db=source).stdout
    tasks = len(data["tasks"])
    assert f"tasks: {tasks} added" in first.stdout
    assert f"tasks: {tasks} skipped as duplicates" in again.stdout
    assert "goals: 4 skipped as duplicates" in again.stdout
    copies = run_mtui("import", "--on-duplicate", "new", str(backup), db=fresh)
    assert f"tasks: {tasks} added" in copies.stdout
    data["tasks"][0]["title"] = "Renamed in the file"
    backup.write_text(json.dumps(data), encoding="utf-8")
    updated = run_mtui("import", "--on-duplicate", "update", str(backup), db=fresh)
    assert "tasks: 1 updated" in updated.stdout, updated.stdout
    titles = [
        t["title"] for t in json.loads(run_mtui("ls", "--json", "--deleted", db=fresh).stdout)
    ]
    titles += [t["title"] for t in json.loads(run_mtui("ls", "--json", db=fresh).stdout)]
    assert titles.count("Renamed in the file") == 1
