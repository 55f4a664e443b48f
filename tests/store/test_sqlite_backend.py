"""What only the SQLite backend does (the contract suite in ``contract/`` covers the rest):
pruning its change feed (20,000 entries are kept; here 5, to see it happen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtui.core.store import open_store
from mtui.core.store.sqlite import session


def test_pruned_feed_entries_make_a_reader_that_fell_behind_read_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "FEED_KEEP", 5)
    monkeypatch.setattr(session, "PRUNE_EVERY", 10)
    store = open_store(tmp_path / "board.db")
    try:
        for n in range(12):
            store.settings.set_setting("n", str(n))
        behind = store.feed.changes(0)
        assert behind.gap and behind.entries == [] and behind.position == 12
        assert store.feed.changes(4).gap, "entry 5 is gone: a reader at 4 missed it"
        caught_up = store.feed.changes(5)
        assert not caught_up.gap and [e.seq for e in caught_up.entries] == list(range(6, 13))
    finally:
        store.close()
