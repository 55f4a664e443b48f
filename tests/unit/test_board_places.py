"""The board model's task id → column index (``_Places``): a byte per id, a dict beyond."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mtui.ui.board.columns import _Places

_OPS = st.lists(
    st.tuples(
        st.sampled_from(["set", "pop"]), st.integers(-5, 10**6), st.sampled_from([1, 2, 3, 99])
    )
)


@given(_OPS)
def test_places_answer_like_a_dict(ops: list[tuple[str, int, int]]) -> None:
    places, expected = _Places([1, 2, 3]), {}
    for op, task_id, status_id in ops:
        if op == "set":
            places.set(task_id, status_id)
            expected[task_id] = status_id
        else:
            assert places.pop(task_id) == expected.pop(task_id, None)
        assert len(places) == len(expected)
    assert all(places.get(task_id) == status for task_id, status in expected.items())
    assert places.get(10**7) is None
