"""``mtui.core.plain``: the hand-written records behave as the dataclasses they replace.

Each record here was a dataclass; a plain add no longer builds them (start-up time), so
these check what callers relied on: equality, repr, hashing, immutability and copying.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from mtui.core.config.user_config import Config, ConfigProblem
from mtui.core.language.quickadd import ParsedTask, Token
from mtui.core.language.resolve import ResolvedTask
from mtui.core.tasks.quick_add import LineProblem, NewName
from mtui.core.undo.history import Reverted


@dataclasses.dataclass(frozen=True)
class FrozenTwin:
    kind: str
    name: str


@dataclasses.dataclass
class MutableTwin:
    title: str
    status_id: int


def test_frozen_records_compare_print_and_hash_like_a_frozen_dataclass() -> None:
    name = NewName("channel", "emial")
    twin = FrozenTwin("channel", "emial")
    assert name == NewName("channel", "emial") and name != NewName("owner", "emial")
    assert repr(name) == repr(twin).replace("FrozenTwin", "NewName")
    assert hash(name) == hash(NewName("channel", "emial"))
    assert list(dict.fromkeys([name, NewName("channel", "emial")])) == [name]  # as the CLI dedupes
    assert name != twin and name != ("channel", "emial")  # other classes are never equal
    with pytest.raises(AttributeError):
        name.kind = "owner"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del name.name  # type: ignore[misc]


def test_records_compare_and_print_like_a_dataclass_and_are_unhashable() -> None:
    resolved = ResolvedTask("Launch", 1)
    assert resolved == ResolvedTask("Launch", 1, tags=[])
    resolved.owner = "ana"  # mutable, as the quick-adder's @me does
    assert resolved != ResolvedTask("Launch", 1)
    assert repr(ResolvedTask("x", 2)).startswith(
        "ResolvedTask(title='x', status_id=2, priority=None"
    )
    assert repr(MutableTwin("x", 2)) == "MutableTwin(title='x', status_id=2)"
    with pytest.raises(TypeError):
        hash(resolved)


def test_a_field_left_out_is_neither_compared_nor_printed() -> None:
    """ParsedTask's ``positions`` was ``field(compare=False, repr=False)``."""
    one = ParsedTask("Launch", positions={"owner": 7})
    assert one == ParsedTask("Launch") and "positions" not in repr(one)
    assert ParsedTask("a").tags is not ParsedTask("a").tags  # a new list each, as default_factory


def test_records_copy_deepcopy_and_pickle() -> None:
    for record in (Token("owner", "ana", 0, 4), LineProblem(2, "bad", 3), NewName("owner", "r"),
                   Reverted("Undone", [1], frozenset({"tasks"}), "a1")):  # fmt: skip
        assert copy.copy(record) == record == copy.deepcopy(record)
        assert pickle.loads(pickle.dumps(record)) == record
    parsed = ParsedTask("Launch", tags=["q1"], positions={"tag": 7})
    clone = copy.deepcopy(parsed)
    assert clone == parsed and clone.positions == {"tag": 7} and clone.tags is not parsed.tags


def test_the_config_lists_its_settings_as_asdict_did() -> None:
    """``mtui config show`` prints ``Config.settings()`` (it was ``dataclasses.asdict``)."""

    @dataclasses.dataclass
    class ConfigTwin:
        db: str | None = None
        theme: str | None = None
        timezone: str | None = None
        week_start: str = "monday"
        default_column: str | None = None
        user: str | None = None
        metric_refresh_seconds: int = 300
        keys: dict[str, str] = dataclasses.field(default_factory=dict)
        path: Path | None = None
        problems: list[ConfigProblem] = dataclasses.field(default_factory=list)

    values = {"db": "~/m.db", "keys": {"quick_add": "n"}, "path": Path("/c/config.toml"),
              "problems": [ConfigProblem("theme", 3, "must be a non-empty string")]}  # fmt: skip
    config = Config(**values)  # type: ignore[arg-type]
    settings = config.settings()
    assert settings == dataclasses.asdict(ConfigTwin(**values))  # type: ignore[arg-type]
    assert list(settings) == [f.name for f in dataclasses.fields(ConfigTwin)]
    assert settings["keys"] is not config.keys  # a copy, as asdict made
    assert Config() == Config(keys={}, problems=[]) and Config().week_start == "monday"
