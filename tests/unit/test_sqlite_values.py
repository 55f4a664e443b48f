"""The SQLite backend reads stored tags and logged values without the JSON parser when
it can: whatever it reads that way must be exactly what ``json.loads`` gives."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from mtui.core.store.sqlite.tasks import _loads
from mtui.core.store.task_rows import tag_list as _tag_list

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(TEXT, min_size=1, max_size=5), st.booleans(), st.booleans())
def test_tags_read_as_json_would(tags: list[str], ascii_only: bool, compact: bool) -> None:
    separators = (",", ":") if compact else None
    text = json.dumps(tags, ensure_ascii=ascii_only, separators=separators)
    assert _tag_list(text) == json.loads(text) == tags


@given(st.one_of(st.none(), st.integers(min_value=0), TEXT, st.lists(TEXT, max_size=3)))
def test_logged_values_read_as_json_would(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert _loads(text) == json.loads(text)
