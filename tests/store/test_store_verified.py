"""Issue 16: a file mtui verified whole and left unchanged is not read whole again before
the next write; any other change to the file brings the check back (issue 12)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from mtui.core.errors import CorruptError
from mtui.core.store import open_store
from mtui.core.store.sqlite import opening, verified


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every ``quick_check`` a handle runs (the cache in this test's own folder)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ran: list[Path] = []
    real = opening.quick_check

    def counting(conn, path):
        ran.append(path)
        real(conn, path)

    monkeypatch.setattr(opening, "quick_check", counting)
    return ran


def add_one(path: Path, title: str = "t") -> None:
    store = open_store(path)
    try:
        store.tasks.create_task({"title": title, "status_id": 1, "position": 0.0}, action_id=title)
    finally:
        store.close()


def test_a_file_left_as_verified_is_not_checked_again(tmp_path: Path, checks: list[Path]) -> None:
    path = tmp_path / "m.db"
    add_one(path, "a")
    add_one(path, "b")
    add_one(path, "c")
    assert checks == [path]  # the first write checked; its close remembered the result


@pytest.mark.parametrize("change", ["touch", "same_mtime", "replaced"])
def test_any_other_change_to_the_file_brings_the_check_back(
    tmp_path: Path, checks: list[Path], change: str
) -> None:
    path = tmp_path / "m.db"
    add_one(path, "a")
    before = os.stat(path)
    data = path.read_bytes()
    if change == "touch":
        os.utime(path)
    elif change == "same_mtime":  # rewritten, then its mtime set back: ctime still moves
        path.write_bytes(data)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:  # a copy put in its place
        copy = tmp_path / "copy.db"
        copy.write_bytes(data)
        os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(copy, path)
    add_one(path, "b")
    assert checks == [path, path]


def test_damage_written_with_the_old_mtime_is_still_refused(
    tmp_path: Path, checks: list[Path]
) -> None:
    path = tmp_path / "m.db"
    store = open_store(path)
    with store.batch():
        for n in range(500):
            store.tasks.create_task({"title": f"task {n} " + "x" * 80, "status_id": 1,
                                     "position": float(n)}, action_id=f"a{n}")  # fmt: skip
    store.close()
    add_one(path, "verified")  # now remembered as verified
    before = os.stat(path)
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    rng = random.Random(5)
    middle = len(data) // size // 4  # task pages (as in test_store_corruption)
    for page in range(middle, middle + 4):
        for offset in range(0, size, 7):
            data[page * size + offset] = rng.randrange(256)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    with pytest.raises(CorruptError):
        add_one(path, "refused")
    with pytest.raises(CorruptError):  # and again: a damaged file is never remembered
        add_one(path, "refused again")


def test_an_old_verification_is_done_again(
    tmp_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.db"
    add_one(path, "a")
    monkeypatch.setattr(verified, "MAX_AGE", 0.0)
    add_one(path, "b")
    assert checks == [path, path]


def test_a_file_changed_while_a_handle_had_it_open_is_not_remembered(
    tmp_path: Path, checks: list[Path]
) -> None:
    path = tmp_path / "m.db"
    add_one(path, "a")
    store = open_store(path)
    store.tasks.create_task({"title": "b", "status_id": 1, "position": 0.0}, action_id="b")
    os.utime(path)  # someone else wrote the file meanwhile
    store.close()
    add_one(path, "c")
    assert checks == [path, path]  # "b" trusted the file as "a" left it; "c" did not


def test_read_only_commands_neither_check_nor_remember(tmp_path: Path, checks: list[Path]) -> None:
    path = tmp_path / "m.db"
    open_store(path).close()
    store = open_store(path)
    store.tasks.list_tasks()
    store.close()
    assert checks == []
    assert verified.verified_at(path, verified.fingerprint(path)) is None


def test_old_records_are_cleared_once_there_are_many(
    tmp_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verified, "KEEP", 3)
    paths = [tmp_path / f"{n}.db" for n in range(4)]
    for path in paths[:3]:
        add_one(path)
    folder = tmp_path / "cache" / "mtui" / "verified"
    for record in folder.iterdir():  # a day and more ago
        os.utime(record, (1, 1))
    add_one(paths[3])  # a fourth record: the expired ones go
    assert len(list(folder.iterdir())) == 1
