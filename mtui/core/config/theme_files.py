"""Reading theme files (TOML) shipped in ``themes/`` and dropped into the config dir.

Kept in the core, free of Textual, so that a bad file is reported the same way by the
CLI and the TUI; the UI turns the returned dicts into Textual themes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from mtui.core.config.db_location import config_dir
from mtui.core.resources import data_dir

THEME_KEYS = frozenset(
    {"name", "dark", "primary", "secondary", "accent", "warning", "error", "success",
     "foreground", "background", "surface", "panel", "boost", "luminosity_spread",
     "text_alpha", "variables"}
)  # fmt: skip


@dataclass(frozen=True)
class ThemeFileProblem:
    path: Path
    message: str


def theme_dirs() -> list[Path]:
    """Shipped themes first, then the user's, so a user file can replace a shipped one."""
    return [data_dir("themes"), config_dir() / "themes"]


def load_theme_files() -> tuple[list[dict], list[ThemeFileProblem]]:
    themes: list[dict] = []
    problems: list[ThemeFileProblem] = []
    for folder in theme_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                problems.append(ThemeFileProblem(path, str(exc)))
                continue
            unknown = set(data) - THEME_KEYS
            if unknown or "name" not in data or "primary" not in data:
                why = f"unknown keys {sorted(unknown)}" if unknown else "needs name and primary"
                problems.append(ThemeFileProblem(path, why))
                continue
            themes.append(data)
    return themes, problems
