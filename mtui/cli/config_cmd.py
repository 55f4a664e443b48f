"""`mtui config path|edit|show`: the TOML config file."""

from __future__ import annotations

from typing import Any

import click

from mtui.cli.base import main, print_json


@main.group()
def config() -> None:
    """The config file (TOML): database, theme, timezone, week start, keys."""


@config.command()
def path() -> None:
    """Print the config file's path (it need not exist)."""
    from mtui.core.config.user_config import config_path

    click.echo(str(config_path()))


@config.command()
def edit() -> None:
    """Open the config file in $EDITOR (created with every key documented if missing)."""
    from mtui.core.config.user_config import TEMPLATE, config_path, load_config

    target = config_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        commented = "".join(
            f"# {line}\n" if line.strip() else "\n" for line in TEMPLATE.splitlines()
        )
        target.write_text(
            "# mtui config: uncomment and change what you need.\n" + commented, encoding="utf-8"
        )
    click.edit(filename=str(target))
    for problem in load_config(target).problems:
        click.echo(f"mtui: {problem}", err=True)


@config.command()
@click.option("--json", "as_json", is_flag=True)
def show(as_json: bool) -> None:
    """Print the settings in effect and any problems in the file."""
    from mtui.core.config.user_config import active_config

    config = active_config()
    settings = config.settings()
    settings["path"] = str(settings["path"])
    settings["problems"] = [str(p) for p in config.problems]
    if as_json:
        print_json(settings)
        return
    for line in show_lines(settings):
        click.echo(line)


def show_lines(settings: dict[str, Any]) -> list[str]:
    """``key = value`` as TOML writes it; an unset key says what applies instead (never
    ``None`` or ``{}``), and problems come last, one a line."""
    import json
    import os

    from mtui.core.config.db_location import data_dir

    env_db = os.environ.get("MTUI_DB")
    unset = {
        "db": f"$MTUI_DB: {env_db}" if env_db else f"default: {data_dir() / 'mtui.db'}",
        "theme": "default: the theme last chosen in the app",
        "timezone": "default: the system's",
        "default_column": "default: the first column",
    }
    lines = []
    for key, value in settings.items():
        if key in ("problems", "keys"):
            continue
        if value is None:
            lines.append(f"{key} = ({unset.get(key, 'not set')})")
        elif key == "path":
            missing = "" if os.path.exists(value) else "  (no file: every setting is a default)"
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}{missing}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    keys = settings.get("keys") or {}
    if not keys:
        lines.append("keys = (the default keys)")
    for action, key in keys.items():
        lines.append(f"keys.{action} = {json.dumps(key, ensure_ascii=False)}")
    lines += [f"problem: {problem}" for problem in settings.get("problems", [])]
    return lines
