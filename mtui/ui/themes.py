"""Registering mtui's themes with the app and remembering the user's choice."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

from mtui.core.store.base import Store
from mtui.core.theme_files import load_theme_files

DEFAULT_THEME = "mtui-dark"
SETTING_KEY = "theme"


def register_themes(app: App) -> list[str]:
    """Register every theme file; return one message per file that could not be used."""
    definitions, problems = load_theme_files()
    messages = [f"theme {p.path.name}: {p.message}" for p in problems]
    for definition in definitions:
        try:
            app.register_theme(Theme(**definition))
        except (TypeError, ValueError) as exc:
            messages.append(f"theme {definition.get('name')}: {exc}")
    return messages


def initial_theme(app: App, store: Store) -> str:
    """The remembered theme if it still exists, else mtui's default."""
    wanted = store.get_setting(SETTING_KEY) or DEFAULT_THEME
    return wanted if wanted in app.available_themes else DEFAULT_THEME
