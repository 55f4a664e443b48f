"""Storage: the repository contract, and the backends behind it (``sqlite/``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mtui.core.store.contract import Store

if TYPE_CHECKING:
    from mtui.core.store.sqlite import SqliteStore

__all__ = ["Store", "open_store"]


def open_store(path: str | Path, *, migrate: bool = True) -> SqliteStore:
    """Open (or create) the database at ``path``; see ``sqlite.opening.open_database``."""
    from mtui.core.store.sqlite import open_sqlite

    return open_sqlite(path, migrate=migrate)
