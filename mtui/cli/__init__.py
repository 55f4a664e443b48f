"""The ``mtui`` command line. Every TUI data action is also a command here.

Importing this package loads nothing: ``mtui add`` runs its plain form without click
(``mtui.cli.fast_add``), and heavy modules (Textual, httpx) are imported inside the
commands that need them. ``main`` (the click group, from ``mtui.cli.commands``) is loaded
on first use, and imports a command's module only when that command is looked up.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported: `mtui add` never loads it
if TYPE_CHECKING:
    from typing import Any

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from mtui.cli.commands import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
