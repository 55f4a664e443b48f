"""The user's config file: TOML in the platform config dir (``mtui config path``).

A bad file never stops mtui: each problem is reported with the key and line it came
from, and that key falls back to its default.

Documented keys::

    db = "~/work/marketing.db"      # database path (--db and $MTUI_DB still win)
    theme = "mtui-dark"             # any mtui or Textual theme name
    timezone = "Europe/Berlin"      # dates in quick-add, due labels, stand-ups
    week_start = "monday"           # "monday" or "sunday": where `standup --since week` starts
    default_column = "Backlog"      # where new tasks go without s:
    metric_refresh_seconds = 300    # default polling interval for new sources

    [keys]                          # override the main actions' keys
    quick_add = "n"
    filter = "slash"
    standup = "s"
"""

from __future__ import annotations

import re
from pathlib import Path

from mtui.core.config.db_location import config_dir
from mtui.core.plain import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CONFIG_FILE_NAME = "config.toml"

# Actions whose keys may be overridden; the app binds them with these ids.
KEY_ACTIONS = frozenset(
    {"quick_add", "filter", "standup", "campaigns", "refresh_metrics", "undo", "redo",
     "toggle_help", "quit", "zoom", "command_palette"}
)  # fmt: skip

# Compiled on first use (re's cache): only a config file with [keys] needs it.
_KEY_NAME = r"(?i)^[a-z0-9_+\-]+(,[a-z0-9_+\-]+)*$"


class ConfigProblem(FrozenRecord):
    """One thing wrong in the config file: the key, its line when known, and why.
    (A frozen record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("key", "line", "message")
    _fields = ("key", "line", "message")
    key: str
    line: int | None
    message: str

    def __init__(self, key: str, line: int | None, message: str) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "message", message)

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"config: {self.key}{where}: {self.message}"


class Config(Record):
    """The settings in effect: the file's values, defaults for the rest. (A record, not
    a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("db", "default_column", "keys", "metric_refresh_seconds", "path", "problems",
                 "theme", "timezone", "user", "week_start")  # fmt: skip
    _fields = ("db", "theme", "timezone", "week_start", "default_column", "user",
               "metric_refresh_seconds", "keys", "path", "problems")  # fmt: skip

    def __init__(
        self,
        db: str | None = None,
        theme: str | None = None,
        timezone: str | None = None,
        week_start: str = "monday",
        default_column: str | None = None,
        user: str | None = None,  # who local changes are recorded as (default: the OS user)
        metric_refresh_seconds: int = 300,
        keys: dict[str, str] | None = None,
        path: Path | None = None,
        problems: list[ConfigProblem] | None = None,
    ) -> None:
        self.db = db
        self.theme = theme
        self.timezone = timezone
        self.week_start = week_start
        self.default_column = default_column
        self.user = user
        self.metric_refresh_seconds = metric_refresh_seconds
        self.keys: dict[str, str] = {} if keys is None else keys
        self.path = path
        self.problems: list[ConfigProblem] = [] if problems is None else problems

    def settings(self) -> dict[str, Any]:
        """Every field by name, as ``dataclasses.asdict`` gave them (``config show``)."""
        import copy

        return {name: copy.deepcopy(getattr(self, name)) for name in self._fields}


def config_path() -> Path:
    return config_dir() / CONFIG_FILE_NAME


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _check(config: Config, text: str, data: dict[str, Any]) -> None:
    def problem(key: str, message: str, line_key: str | None = None) -> None:
        config.problems.append(ConfigProblem(key, _line_of(text, line_key or key), message))

    for key in ("db", "theme", "timezone", "default_column", "user"):
        if key in data:
            if isinstance(data[key], str) and data[key].strip():
                setattr(config, key, data[key].strip())
            else:
                problem(key, "must be a non-empty string")
    if config.timezone:
        import pendulum

        try:
            pendulum.Timezone(config.timezone)
        except Exception:
            problem("timezone", f"unknown timezone {config.timezone!r} (e.g. Europe/Berlin)")
            config.timezone = None
    if "week_start" in data:
        value = str(data["week_start"]).lower()
        if value in ("monday", "sunday"):
            config.week_start = value
        else:
            problem("week_start", "must be monday or sunday")
    if "metric_refresh_seconds" in data:
        value = data["metric_refresh_seconds"]
        if isinstance(value, int) and not isinstance(value, bool) and 10 <= value <= 86400:
            config.metric_refresh_seconds = value
        else:
            problem("metric_refresh_seconds", "must be a whole number of seconds from 10 to 86400")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problem("keys", "must be a table: [keys]")
        keys = {}
    for action, key in keys.items():
        if action not in KEY_ACTIONS:
            problem(
                f"keys.{action}", f"unknown action; known: {', '.join(sorted(KEY_ACTIONS))}", action
            )
        elif not isinstance(key, str) or not re.match(_KEY_NAME, key):
            problem(f"keys.{action}", 'must be a key name such as "n" or "ctrl+n"', action)
        else:
            config.keys[action] = key
    for key in sorted(set(data) - {"db", "theme", "timezone", "week_start", "default_column",
                                   "user", "metric_refresh_seconds", "keys"}):  # fmt: skip
        problem(key, "unknown key (ignored)")


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file is simply the defaults."""
    path = path or config_path()
    config = Config(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except OSError as exc:
        config.problems.append(ConfigProblem(str(path), None, f"cannot read: {exc.strerror}"))
        return config
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        config.problems.append(
            ConfigProblem("file", line, f"not valid TOML: {exc}; using defaults")
        )
        return config
    _check(config, text, data)
    return config


TEMPLATE = __doc__.split("Documented keys::", 1)[1].replace("\n    ", "\n").strip() + "\n"

_active: Config | None = None


def active_config() -> Config:
    """The config of this process, read once (the TUI and CLI read it at start-up)."""
    global _active
    if _active is None:
        _active = load_config()
    return _active


def reset_active_config(config: Config | None = None) -> None:
    """Forget (or replace) the cached config: for tests and after `mtui config edit`."""
    global _active
    _active = config
