"""Quick-add in the TUI (``a``): one line, live preview, completion, rapid entry."""

from mtui.ui.quickadd.screen import QuickAddScreen

__all__ = ["QuickAddScreen"]
