"""Backend tests for PostgreSQL, shaped like the contract suite (``tests/store/contract``).

Tests that take ``backend`` run on SQLite and on PostgreSQL, so each behaviour is
checked to be the same on both; folding them into the contract suite means adding
``"postgresql": fresh_postgres_board`` to its ``BOARDS``. Tests that take ``pg`` are
PostgreSQL-only (roles, the server going away, migrations of a server schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mtui.core.store.contract import Store
from tests.support.backends import BOARDS, Backend


@pytest.fixture(params=sorted(BOARDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path, frozen_clock: str) -> Iterator[Backend]:
    opened = Backend(request.param, BOARDS[request.param](tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def pg(pg_url: str, frozen_clock: str) -> Iterator[Backend]:
    """PostgreSQL only: a fresh database of this test's own."""
    opened = Backend("postgresql", pg_url)
    yield opened
    opened.close()


@pytest.fixture
def store(backend: Backend) -> Store:
    """A fresh, empty board, recorded as actor "ana"."""
    return backend.open(actor="ana")
