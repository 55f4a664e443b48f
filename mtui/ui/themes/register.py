"""Registering mtui's themes with the app and remembering the user's choice."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

from mtui.core.config.theme_files import load_theme_files
from mtui.core.first_frame import THEME_SETTING, FirstReads
from mtui.core.store.contract import Store
from mtui.ui.textual_compat import refresh_ansi_colours

DEFAULT_THEME = "mtui-dark"
SETTING_KEY = THEME_SETTING


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


def initial_theme(app: App, remembered: str | None) -> str:
    """The remembered theme if it still exists, else mtui's default."""
    wanted = remembered or DEFAULT_THEME
    return wanted if wanted in app.available_themes else DEFAULT_THEME


def starting_theme(
    app: App, store: Store, configured: str | None, first: FirstReads | None = None
) -> tuple[str, list[str]]:
    """The config's theme wins over the remembered one (the user wrote it down on purpose).

    An unknown configured name is reported and the remembered/default theme used instead.
    The remembered one comes from ``first`` when the first frame's reads were made already.
    """
    if configured and configured in app.available_themes:
        return configured, []
    problems = []
    if configured:
        known = ", ".join(sorted(n for n in app.available_themes if n.startswith("mtui")))
        problems.append(f"config: theme: unknown theme {configured!r} (mtui's: {known})")
    remembered = first.theme if first is not None else store.settings.get_setting(SETTING_KEY)
    return initial_theme(app, remembered), problems


def remember_theme(store: Store, name: str) -> None:
    """Persist a theme chosen in the app, unless it is already the remembered one."""
    if store.settings.get_setting(SETTING_KEY) != name:
        store.settings.set_setting(SETTING_KEY, name)


def start_with_theme(app: App, name: str) -> None:
    """Apply the starting theme while the app is still being constructed.

    Assigning ``app.theme`` runs Textual's theme watcher, which queues a re-parse of
    every style sheet (~10 ms before the first frame). Before the app runs nothing has
    been parsed yet, so what the watcher achieves comes down to the style variables,
    the theme classes and the ANSI colour mapping: set exactly those. The theme
    snapshot tests show any difference from assigning it.
    """
    app.set_reactive(App.theme, name)
    app.stylesheet.set_variables(app.get_css_variables())
    theme = app.current_theme
    classes = {c: False for c in app.classes if c.startswith("-theme-")}
    classes |= {f"-theme-{name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark}
    app.update_classes(classes, update=False)
    refresh_ansi_colours(app)
