"""The fast JSON text is byte for byte what ``json.dumps(indent=2, ensure_ascii=False)``
writes (``mtui ls --json`` and export promise unchanged output)."""

from __future__ import annotations

import json
from enum import IntEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.transfer.json_text import JsonText

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text()  # control characters, quotes, backslashes, surrogates, astral planes
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=25,
)


def dumps(value, **kwargs) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, **kwargs)


@given(values)
def test_encode_is_json_dumps_with_indent(value) -> None:
    assert JsonText().encode(value) == dumps(value)


events = st.lists(  # a task's history: records in a record
    st.dictionaries(
        st.sampled_from(["at", "old", "new"]),
        scalars | st.lists(st.text(max_size=3), max_size=2) | st.just([{"deep": [1]}]),
        min_size=1,
    ),
    max_size=3,
)
records = st.lists(
    st.dictionaries(st.text(max_size=5), values, max_size=5)
    | st.dictionaries(st.sampled_from(["id", "tags", "events"]), values, min_size=1)
    | st.fixed_dictionaries(
        {"id": st.integers(), "tags": st.lists(st.text(max_size=3)), "events": events}
    ),
    max_size=7,
)


@given(st.lists(values, max_size=7) | records, st.integers(0, 3), st.integers(1, 3))
def test_write_array_in_pieces_is_the_whole_list_nested(items, level, every) -> None:
    pieces: list[str] = []
    JsonText().write_array(iter(items), pieces.append, level=level, every=every)
    nested = dumps({"k": [items]}) if level == 2 else None
    assert "".join(pieces) == JsonText().encode(items, level)
    if level == 0:
        assert "".join(pieces) == dumps(items)
    if nested is not None and items:  # the list as the value of a list inside a dict
        assert "".join(pieces) in nested
    assert len(pieces) >= len(items) // every


def test_a_value_that_looks_like_the_nested_marker_is_still_written_as_itself() -> None:
    from mtui.core.transfer import json_text

    rows = [{"a": json_text._MARK, "b": [1, 2]}, {"a": [json_text._MARK], "b": {"c": []}}]
    pieces: list[str] = []
    JsonText().write_array(rows, pieces.append)
    assert "".join(pieces) == dumps(rows)
    assert JsonText().encode(rows[0]) == dumps(rows[0])


class Level(IntEnum):
    HIGH = 1


def test_keys_subclasses_and_default_as_json_does() -> None:
    value = {1: Level.HIGH, 2.5: True, None: [], False: {}, "s": object()}
    assert JsonText(default=str).encode(value) == dumps(value, default=str)
    with pytest.raises(TypeError):
        JsonText().encode({"s": object()})
    with pytest.raises(TypeError):
        JsonText().encode({(1, 2): 1})
