"""Issue 16: the import budget of ``mtui add`` and ``mtui ls``.

A quick-add from the shell should be as quick as Taskwarrior's, and a Python command's
start-up is mostly what it imports: one module-level import of click, pendulum or a
metrics module on this path costs more than the whole add. So this test runs the
commands as the ``mtui`` script does (``mtui.entry.run`` in a fresh interpreter) and
checks the modules they loaded: names, never times (``bench/README.md`` has those).

- ``mtui add``: the standard library and mtui's own core, nothing else. No click (a
  plain add skips it: ``mtui.cli.fast_add``) and no pendulum unless the line has a
  time of day (``due:"fri 15:00"``); a day word (``due:fri``) is read without it.
  Not even ``typing`` (mtui names annotation-only imports under ``TYPE_CHECKING =
  False``), platformdirs (the config folder is worked out on Linux, ``--db`` names the
  file) or an import's record checks.
- ``mtui ls``: click and mtui, no other package; none of the TUI, the metrics, the
  stand-up or the date language.
- ``mtui standup``: mtui and pendulum (the report's dates), and no click for Markdown
  (``mtui.cli.fast_standup``); rich only for ``--format text``, click's echo only for
  JSON; never another command's modules, the TUI or the team server's driver.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import new_db

ROOT = Path(__file__).resolve().parents[2]
NO_CONFIG = ROOT / "tests" / "fixtures" / "no-config"

HARNESS = """
import atexit, sys
out = sys.argv.pop(1)
def dump():
    with open(out, "w") as handle:
        handle.write("\\n".join(sorted(sys.modules)))
    built = sorted(f"{name}.{value.__name__}" for name, module in list(sys.modules.items())
                   if name.startswith("mtui") for value in vars(module).values()
                   if isinstance(value, type) and value.__module__ == name
                   and "__dataclass_fields__" in vars(value))
    with open(out + ".dataclasses", "w") as handle:
        handle.write("\\n".join(built))
atexit.register(dump)
sys.argv[0] = "mtui"
from mtui.entry import run
sys.exit(run())
"""

# Packages no command here may load, and mtui's own modules that belong to other commands.
NEVER = {
    "textual", "rich", "httpx", "httpcore", "psycopg", "psycopg_pool", "sqlite_utils",
    "asyncio", "mtui.ui", "mtui.core.metrics", "mtui.core.standup", "mtui.core.demo",
    "mtui.core.store.postgres", "mtui.core.language.filter_query",
}  # fmt: skip
# What a plain `mtui add` has no use for (each was once on its path, and cost time).
NOT_FOR_ADD = NEVER | {
    "click", "pendulum", "dateutil", "platformdirs", "mtui.cli.base", "mtui.cli.commands",
    "mtui.cli.tasks", "mtui.core.language.dates", "tomllib", "uuid", "platform", "csv",
    "difflib", "calendar", "mtui.core.store.contract", "mtui.core.model_more",
    "mtui.core.store.sqlite.metrics", "mtui.core.store.sqlite.transfer", "mtui.core.store.feed",
    "typing", "mtui.core.transfer.checks", "mtui.core.transfer.json_text", "getpass",
    "termios", "importlib.util", "mtui.core.undo.describe", "mtui.core.strategy.goals",
}  # fmt: skip


def loaded(
    tmp_path: Path, *args: str, stdin: str | None = None, config_dir: bool = True
) -> set[str]:
    """The modules in ``sys.modules`` when ``mtui ARGS`` exits (it must exit 0);
    without ``config_dir``, the config folder is the platform's (under ``$HOME``)."""
    db = tmp_path / "board.db"
    if not db.exists():
        new_db(db)  # made here: creating a database legitimately loads sqlite-utils
    out = tmp_path / "modules.txt"
    env = {
        "MTUI_CONFIG_DIR": str(NO_CONFIG),  # no config file: tomllib is not needed
        "MTUI_TZ": "Europe/Berlin",  # a live clock (no MTUI_FROZEN_NOW), a named zone
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    if not config_dir:
        del env["MTUI_CONFIG_DIR"]
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, str(out), "--db", str(db), *args],
        capture_output=True, text=True, input=stdin, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(out.read_text(encoding="utf-8").split())


def offenders(modules: set[str], forbidden: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == f or m.startswith(f"{f}.") for f in forbidden))


def packages_besides(modules: set[str], allowed: set[str]) -> list[str]:
    """Top-level packages that are neither the standard library nor ``allowed``."""
    tops = {m.split(".")[0] for m in modules}
    return sorted(
        top for top in tops
        if top not in sys.stdlib_module_names and top not in allowed
        and top != "__main__" and not top.startswith("_sysconfigdata")
    )  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        "Write launch email #email @ana !1 +copy est:30m",
        "Write launch email #email @ana due:fri !1",
        "Write launch email due:tomorrow @me",
        "Write launch email due:2026-12-24",
        "Write launch email due:+2w",
        "Write launch email due:dec3",
    ],
)
def test_a_plain_add_loads_only_the_standard_library_and_mtui_core(
    tmp_path: Path, line: str
) -> None:
    modules = loaded(tmp_path, "add", line)
    assert packages_besides(modules, {"mtui"}) == []
    assert offenders(modules, NOT_FOR_ADD) == []


@pytest.mark.parametrize("args", [("add", "--json", "x due:fri"), ("add", "--dry-run", "x"),
                                  ("add", "-")])  # fmt: skip
def test_the_add_options_keep_the_budget(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = loaded(tmp_path, *args, stdin="one\ntwo #email\n")
    assert offenders(modules, NOT_FOR_ADD) == []


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs finds the folder elsewhere")
def test_the_platform_config_folder_needs_no_platformdirs(tmp_path: Path) -> None:
    """Without $MTUI_CONFIG_DIR the config file is still looked for (in ~/.config/mtui),
    and on Linux that takes no platformdirs."""
    config = tmp_path / ".config" / "mtui"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('week_start = "sunday"\n', encoding="utf-8")
    modules = loaded(tmp_path, "add", "Write launch email due:fri", config_dir=False)
    assert "tomllib" in modules  # the check can fail: the file in ~/.config/mtui was read
    assert offenders(modules, NOT_FOR_ADD - {"tomllib", "typing"}) == []  # tomllib types


def test_a_plain_add_builds_only_the_model_dataclasses(tmp_path: Path) -> None:
    """Building a dataclass execs each of its generated methods: a plain add builds only
    the task model's (copied with ``dataclasses.replace`` everywhere); other records are
    ``mtui.core.plain``."""
    loaded(tmp_path, "add", "Write launch email #email @ana due:fri !1 +q1 est:1h")
    built = (tmp_path / "modules.txt.dataclasses").read_text(encoding="utf-8").split()
    model = [
        f"mtui.core.model.{name}" for name in ("Campaign", "Channel", "Goal", "Status", "Task")
    ]
    assert sorted(built) == model


def test_a_time_of_day_is_what_brings_pendulum_in(tmp_path: Path) -> None:
    """The check can fail: a due time is read by pendulum (and nothing else changes)."""
    modules = loaded(tmp_path, "add", 'Call Ana due:"fri 15:00"')
    assert "pendulum" in modules and "mtui.core.language.dates" in modules
    pendulums = {"pendulum", "dateutil", "calendar", "mtui.core.language.dates", "typing",
                 "importlib.util"}  # fmt: skip
    assert offenders(modules, NOT_FOR_ADD - pendulums) == []


def test_anything_unusual_is_clicks_to_read(tmp_path: Path) -> None:
    """The check can fail: help (like any usage error) goes through click."""
    modules = loaded(tmp_path, "add", "--help")
    assert "click" in modules and "mtui.cli.commands" in modules


@pytest.mark.parametrize("args", [("ls",), ("ls", "--json"), ("ls", "--status", "backlog")])
def test_ls_loads_click_and_mtui_only(tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded(tmp_path, "add", "Write launch email #email @ana due:fri !1")
    modules = loaded(tmp_path, *args)
    assert packages_besides(modules, {"mtui", "click"}) == []
    assert offenders(modules, NEVER | {"pendulum", "dateutil", "mtui.core.language.dates",
                                       "platformdirs", "tomllib"}) == []  # fmt: skip


# What a stand-up report has no use for: another command's modules, the CLI's click
# group, the TUI, the team server, sqlite-utils (the file exists), the config file.
NOT_FOR_STANDUP = (NEVER - {"mtui.core.metrics", "mtui.core.standup", "rich"}) | {
    "click", "mtui.cli.base", "mtui.cli.commands", "mtui.cli.tasks", "mtui.cli.dashboard",
    "mtui.cli.config_cmd", "mtui.cli.metrics", "mtui.cli.strategy", "mtui.cli.team",
    "mtui.cli.web", "mtui.cli.db", "mtui.cli.db_copy", "mtui.cli.standup", "platformdirs",
    "tomllib", "mtui.core.store.sqlite.transfer", "mtui.core.transfer",
    "mtui.core.store.contract",  # the report reads the store; the contract is its type
}  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("standup",), ("standup", "--format", "md", "--since", "3d", "--owner", "ana"),
     ("standup", "--format=text"), ("standup", "--format", "json")],
)  # fmt: skip
def test_standup_loads_mtui_and_pendulum_only(tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded(tmp_path, "add", "Write launch email #email @ana due:fri !1")
    modules = loaded(tmp_path, *args)
    fmt = "text" if "--format=text" in args else "json" if "json" in args else "md"
    extra = {"text": {"rich"}, "json": {"click", "mtui.core.transfer"}, "md": set()}[fmt]
    assert packages_besides(modules, {"mtui", "pendulum", "dateutil", *extra}) == []
    assert offenders(modules, NOT_FOR_STANDUP - extra) == []
    assert "mtui.core.standup.format" in modules  # the check can fail: it ran the report
