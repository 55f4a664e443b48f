"""The ``mtui`` command line. Every TUI data action is also a command here.

Heavy modules (Textual, httpx) are imported inside the commands that need them, so
``mtui add`` and ``mtui ls`` start quickly.
"""

from __future__ import annotations

from mtui.cli import dashboard as _dashboard  # noqa: F401
from mtui.cli import db as _db  # noqa: F401  (registers commands)
from mtui.cli import tasks as _tasks  # noqa: F401
from mtui.cli.base import main

__all__ = ["main"]
