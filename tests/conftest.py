"""Shared fixtures: a real SQLite file per test and a demo plan under a frozen clock.

Every fixture works in ``tmp_path``, so tests run in parallel (``-n auto``) safely.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

# A throwaway PostgreSQL server and a database per test: ``pg_server``, ``pg_url``.
pytest_plugins = ["tests.support.pgcluster"]

FROZEN_NOW = "2026-03-10T09:00:00"
FROZEN_TZ = "UTC"


@pytest.fixture(scope="session", autouse=True)
def own_cache_dir(tmp_path_factory) -> Iterator[Path]:
    """mtui's cache (files it verified whole, ``core/store/sqlite/verified.py``) in a
    folder of this test run, for every test and every ``mtui`` it starts: never the
    user's own ``~/.cache``."""
    folder = tmp_path_factory.mktemp("cache")
    with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": str(folder)}):
        yield folder


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """Freeze mtui's clock (``mtui.core.clock``) for this test; returns the moment."""
    monkeypatch.setenv("MTUI_FROZEN_NOW", FROZEN_NOW)
    monkeypatch.setenv("MTUI_TZ", FROZEN_TZ)
    return FROZEN_NOW


@pytest.fixture
def store(tmp_path, frozen_clock) -> Iterator:
    """An empty, migrated database in a real file."""
    from mtui.core.store import open_store

    opened = open_store(tmp_path / "mtui.db")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo plan seeded once per worker under the frozen clock (copied per test)."""
    from mtui.core.demo.plan import seed_demo
    from mtui.core.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with mock.patch.dict(os.environ, {"MTUI_FROZEN_NOW": FROZEN_NOW, "MTUI_TZ": FROZEN_TZ}):
        seeded = open_store(path)
        seed_demo(seeded)
        seeded.close()
    return path


@pytest.fixture
def demo_store(tmp_path, frozen_clock, demo_template) -> Iterator:
    """The Acme Analytics demo plan in this test's own file."""
    from mtui.core.store import open_store

    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    opened = open_store(path)
    yield opened
    opened.close()


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (``pytest.mark.anyio``) run on asyncio, as Textual does."""
    return "asyncio"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads the developer's real config file or theme folder."""
    from mtui.core.config.user_config import reset_active_config

    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("MTUI_CONFIG_DIR", str(folder))
    reset_active_config()
    yield folder
    reset_active_config()


@pytest.fixture(autouse=True)
def no_user_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's $VISUAL/$EDITOR: the edit form shows a ctrl+g hint
    only when one is set (tests that need an editor set their own)."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
