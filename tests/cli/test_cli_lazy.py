"""Issue 16: the click CLI imports only the invoked command's module.

``mtui.cli.commands.COMMAND_MODULES`` names the modules behind each command; these
tests check that the table is whole (every command is found, subcommands added from
other modules included), that a command loads no other command's module, and that the
``--version`` constant is pyproject.toml's.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import click
import pytest

from mtui.cli.base import VERSION
from mtui.cli.commands import COMMAND_MODULES, main
from tests.support.cli import new_db, run_mtui

ROOT = Path(__file__).resolve().parents[2]


def command_modules(command: click.Command) -> set[str]:
    """The modules whose functions make up ``command`` and all its subcommands."""
    found = {command.callback.__module__} if command.callback else set()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= command_modules(sub)
    return found


def test_the_table_names_every_command_and_every_module_behind_it() -> None:
    every = {module for modules in COMMAND_MODULES.values() for module in modules}
    for module in sorted(every):
        importlib.import_module(module)
    assert sorted(main.commands) == sorted(COMMAND_MODULES)
    for name, command in main.commands.items():
        assert command_modules(command) <= set(COMMAND_MODULES[name]), name
    cli_modules = {f"mtui.cli.{p.stem}" for p in (ROOT / "mtui" / "cli").glob("*.py")}
    registering = {
        m for m in cli_modules if "@main." in (ROOT / (m.replace(".", "/") + ".py")).read_text()
    }
    assert registering <= every  # a new command module must be listed to be found


HARNESS = """
import sys
sys.argv = ["mtui", *sys.argv[1:]]
from mtui.entry import run
try:
    run()
finally:
    print(" ".join(sorted(m for m in sys.modules if m.startswith("mtui.cli."))), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ls"], {"mtui.cli.tasks"}),
        (["goal", "ls"], {"mtui.cli.strategy"}),
        (["db", "path"], {"mtui.cli.db", "mtui.cli.db_copy"}),
        (["--help"], {m for ms in COMMAND_MODULES.values() for m in ms}),
    ],
)
def test_a_command_loads_only_its_own_modules(
    tmp_path: Path, args: list[str], expected: set[str]
) -> None:
    """The check can fail: ``--help`` lists every command, so it loads them all."""
    db = new_db(tmp_path / "board.db")
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, "--db", str(db), *args],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    loaded = set(result.stderr.split()) - {"mtui.cli.base", "mtui.cli.commands",
                                           "mtui.cli.output", "mtui.cli.fast_add",
                                           "mtui.cli.fast_standup"}  # fmt: skip
    assert loaded == expected


def test_help_and_a_near_miss_still_know_every_command(tmp_path: Path) -> None:
    helped = run_mtui("--help")
    assert helped.returncode == 0
    for name in COMMAND_MODULES:
        assert f"\n  {name} " in helped.stdout, name
    missed = run_mtui("--db", str(tmp_path / "x.db"), "camapign", "ls")
    assert missed.returncode == 2
    assert "Did you mean 'campaign'?" in missed.stderr


def test_the_version_is_pyprojects() -> None:
    """``mtui --version`` prints a constant (no metadata read): it must match the one
    source, pyproject.toml, and what the installed package says."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert VERSION == project["version"] == version("mtui")
    assert run_mtui("--version").stdout.strip() == f"mtui, version {project['version']}"
