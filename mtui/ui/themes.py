"""Registering mtui's themes with the app and remembering the user's choice."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

from mtui.core.theme_files import load_theme_files
from mtui.core.store.base import Store

DEFAULT_THEME = "mtui-dark"
SETTING_KEY = "theme"


def register_themes(app: App) -> list[str]:
    """Register every theme file; return messages about files that could not be used."""
    definitions, problems = load_theme_files()
    for definition in definitions:
        try:
            app.register_theme(Theme(**definition))
        except (TypeError, ValueError) as exc:
            problems.append(f"{definition.get('name')}: {exc}")  # type: ignore[arg-type]
    return [f"theme {p.path.name}: {p.message}" if hasattr(p, "path") else str(p) for p in problems]


def initial_theme(app: App, store: Store) -> str:
    wanted = store.get_setting(SETTING_KEY) or DEFAULT_THEME
    return wanted if wanted in app.available_themes else DEFAULT_THEME
