"""Helpers shared by the foundation tests: real files, the real entry point."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

MTUI = str(Path(sys.executable).with_name("mtui"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_mtui(*args: str, db: Path | None = None, input: str | None = None, env: dict | None = None,
             timeout: float = 60, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run the installed ``mtui`` console script as a user would (``prefix``: a command
    that runs it, such as ``setpriv …`` in ``tests/support/unprivileged.py``)."""
    full_env = {**os.environ, "MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin",
                "MTUI_CONFIG_DIR": str(Path(__file__).resolve().parents[1] / "fixtures" / "no-config")}  # fmt: skip
    full_env.pop("MTUI_DB", None)
    full_env.update(env or {})
    command = [*(prefix or []), MTUI, *(["--db", str(db)] if db else []), *args]
    return subprocess.run(command, capture_output=True, text=True, input=input, env=full_env,
                          timeout=timeout)  # fmt: skip


def new_db(path: Path) -> Path:
    """An empty mtui database at ``path`` (made once; again is a no-op), for commands
    that do not create one (only the dashboard, demo, add, import and db migrate do)."""
    from mtui.core.store import open_store

    open_store(path).close()
    return path
