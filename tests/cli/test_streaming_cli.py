"""Issue 16, item 2: `mtui ls --json`, `mtui export` (every format) and `mtui standup
--format json` write as they read (a batch of tasks at a time), and print exactly what
the whole-document forms print: ``json.dumps(…, indent=2, ensure_ascii=False)``, the
CSV and Markdown of the records, and a restorable backup."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pendulum
import pytest

from mtui.core import clock
from mtui.core.store import open_store
from mtui.core.tasks.actions import new_action_id
from mtui.core.tasks.lookups import Lookups
from mtui.core.transfer.board import export_board
from mtui.core.transfer.records import RECORD_FIELDS, task_record
from tests.support.cli import new_db, run_mtui

MANY = 2_345  # more than two of the store's batches (1,000) and of the writer's (500)


def _c1_escaped(text: str) -> str:
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m[0]):04x}", text)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few awkward tasks (quotes, control characters, C1 characters, astral text, tags,
    a done one, a deleted one, history), then many plain ones."""
    path = new_db(tmp_path_factory.mktemp("stream") / "board.db")
    with clock.frozen_at(pendulum.datetime(2026, 11, 25, 9, tz="UTC")):  # before the CLI's now
        _fill(path)
    return path


def _fill(path: Path) -> None:
    store = open_store(path)
    statuses = {s.name: s.id for s in store.tasks.statuses()}
    channel = store.tasks.ensure_channel("email")
    odd = [
        {"title": 'Quote " and \\ backslash', "tags": ["a", "b-c"], "priority": 1,
         "owner": "ana", "due": "2026-12-01", "channel_id": channel, "notes": "line\nnext"},
        {"title": "C1 \x85 and DEL \x7f and tab \t", "tags": []},
        {"title": "Émoji 🚀 naïve", "tags": ["ünï"], "estimate_minutes": 30},
        {"title": "Done thing", "status_id": statuses["Done"], "done_at": "2026-11-30T10:00:00Z"},
        {"title": "Gone"},
    ]  # fmt: skip
    rows = [{"status_id": statuses["Backlog"], "position": float(n), **fields}
            for n, fields in enumerate(odd)]  # fmt: skip
    rows += [
        {"title": f"Task {n}", "status_id": statuses["Next" if n % 3 else "Doing"],
         "position": n / 7, "owner": "raj" if n % 2 else None, "tags": ["x"] if n % 5 else []}
        for n in range(MANY)
    ]  # fmt: skip
    ids = store.tasks.create_tasks(rows, action_id=new_action_id())
    store.tasks.update_task(ids[0], {"title": 'Quote " and \\ backslash!'}, action_id="edit")
    store.tasks.delete_task(ids[4], action_id=new_action_id())
    store.close()


def test_ls_json_is_the_whole_list_as_json_dumps_writes_it(board: Path) -> None:
    store = open_store(board)
    names = Lookups.load(store)
    records = [task_record(t, names) for t in store.tasks.list_tasks()]
    store.close()
    result = run_mtui("ls", "--json", db=board)
    assert result.returncode == 0, result.stderr
    expected = json.dumps(records, indent=2, ensure_ascii=False, default=str)
    assert result.stdout == _c1_escaped(expected) + "\n"
    assert "\\u0085" in result.stdout and "\\u007f" in result.stdout
    assert len(json.loads(result.stdout)) == MANY + 4


def test_ls_filters_apply_to_every_batch(board: Path) -> None:
    result = run_mtui("ls", "--filter", "@raj", "--json", db=board)
    assert [r["owner"] for r in json.loads(result.stdout)] == ["raj"] * (MANY // 2)
    assert run_mtui("ls", "--filter", "@nobody", "--json", db=board).stdout == "[]\n"
    text = run_mtui("ls", "--status", "Doing", db=board).stdout.splitlines()
    assert len(text) == len(range(0, MANY, 3)) and all("[Doing]" in line for line in text)


def test_export_json_is_the_backup_document_and_restores(board: Path, tmp_path: Path) -> None:
    store = open_store(board)
    document = export_board(store)
    store.close()
    exported = run_mtui("export", db=board)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    by_title = {t["title"]: t for t in document["tasks"]}
    assert [e["kind"] for e in by_title['Quote " and \\ backslash!']["events"]] == [
        "created",
        "changed",
    ]
    # A full backup: restored into a new file, it exports the same document again.
    backup = tmp_path / "backup.json"
    backup.write_text(exported.stdout, encoding="utf-8")
    restored = tmp_path / "restored.db"
    assert run_mtui("import", str(backup), db=restored).returncode == 0
    assert run_mtui("export", db=restored).stdout == exported.stdout


def test_export_csv_and_md_hold_every_record(board: Path) -> None:
    store = open_store(board)
    names = Lookups.load(store)
    records = [task_record(t, names) for t in store.tasks.list_tasks(include_deleted=True)]
    store.close()
    text = run_mtui("export", "--format", "csv", db=board).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(RECORD_FIELDS)
    assert [r["title"] for r in rows] == [r["title"] for r in records]
    assert [json.loads(r["tags"]) for r in rows] == [r["tags"] for r in records]
    md = run_mtui("export", "--format", "md", db=board).stdout
    assert md.startswith('## Backlog (3)\n\n- [ ] Quote " and \\ backslash! — @ana #email due ')
    assert f"## Next ({MANY - len(range(0, MANY, 3))})\n\n- [ ] Task 1 — @raj\n" in md
    assert "## Done (1)\n\n- [x] Done thing\n\n" in md and "Gone" not in md
    assert md.count("\n- [") == MANY + 4


def test_standup_json_is_json_dumps_of_the_report(board: Path) -> None:
    result = run_mtui("standup", "--since", "2020-01-01", "--format", "json", db=board)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["done"]) == 1 and len(data["added"]) + len(data["started"]) == MANY + 3
    expected = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    assert result.stdout == _c1_escaped(expected) + "\n"
