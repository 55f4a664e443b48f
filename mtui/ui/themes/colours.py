"""Signal colours (ok, stale, failing) taken from the active theme.

Rich ``Text`` styles cannot use TCSS variables, so widgets that build Text read the
theme's colours here instead of naming colours themselves.
"""

from __future__ import annotations

from textual.app import App


def signal_colours(app: App) -> dict[str, str]:
    theme = app.current_theme
    return {
        "warning": theme.warning or "yellow",
        "error": theme.error or "red",
        "success": theme.success or "green",
    }
