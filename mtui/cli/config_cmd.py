"""`mtui config path|edit|show`: the TOML config file."""

from __future__ import annotations

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
    from dataclasses import asdict

    from mtui.core.config.user_config import active_config

    settings = asdict(active_config())
    settings["path"] = str(settings["path"])
    settings["problems"] = [str(p) for p in active_config().problems]
    if as_json:
        print_json(settings)
        return
    for key, value in settings.items():
        click.echo(f"{key} = {value!r}")
