"""A whole board, restored into each backend: export → import → export is the same
document (what ``mtui import`` of a backup and ``mtui db copy`` rely on)."""

from __future__ import annotations

import json

from mtui.core.store.contract import Store
from mtui.core.transfer.board import check_board, export_board, import_board


def test_a_full_export_restores_exactly_on_every_backend(demo_store, store: Store) -> None:
    demo_store.tasks.set_wip_limit(demo_store.tasks.statuses()[1].id, 7)
    demo_store.settings.set_setting("theme", "nord")
    demo_store.strategy.save_brief({"mission": "Second version of the mission"})
    original = export_board(demo_store)
    assert len(original["brief"]) >= 2 and original["tasks"] and original["metric_sources"]

    import_board(store, check_board(json.loads(json.dumps(original))))

    assert export_board(store) == original
    assert store.transfer.settings() == {"theme": "nord"}
