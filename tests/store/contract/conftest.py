"""The store contract suite: one set of tests that every backend must pass.

Each test takes ``backend`` (or ``store``, a fresh empty board on it). A backend is a
factory in ``BOARDS``: given the test's ``tmp_path``, it returns the URL of a new, empty
board, and the suite opens it with ``open_store(url)`` as the app does. A server backend
joins with one line, e.g. ``"postgresql": fresh_postgres_board`` (creating an empty
database or schema and returning its URL); nothing else in the suite names a backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mtui.core.store.contract import Store
from tests.support.backends import BOARDS, Backend


@pytest.fixture(params=sorted(BOARDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    opened = Backend(request.param, BOARDS[request.param](tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def store(backend: Backend) -> Store:
    """A fresh, empty board, recorded as actor "ana"."""
    return backend.open(actor="ana")
