"""The board model's big-board paths: the id → column index (a byte per id, a dict
beyond) and inserting into a sorted column by binary search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mtui.core.model import Status, Task
from mtui.ui.board.columns import Column, _Places

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


_TASKS = st.lists(
    st.builds(
        dict,
        position=st.sampled_from([-2.0, 0.0, 1.0, 1.5, 3.0]),
        done_at=st.sampled_from([None, "2026-11-01T10:00:00Z", "2026-11-02T09:00:00Z"]),
        updated_at=st.sampled_from(["", "2026-11-01T10:00:00Z", "2026-11-03T08:00:00Z"]),
    ),
    max_size=25,
)


@given(_TASKS, st.booleans())
def test_insert_puts_a_task_where_sorting_would(fields: list[dict], done: bool) -> None:
    """Column.insert (a binary search) keeps the order append-then-sort gave."""
    tasks = [
        Task(id=index + 1, title="t", status_id=1, **values) for index, values in enumerate(fields)
    ]
    status = Status(1, "Done" if done else "Doing", 0, is_done=done)
    inserted, sorted_ = Column(status), Column(status)
    for task in tasks:
        inserted.insert(task)
        sorted_.tasks.append(task)
        sorted_.sort()
        assert [t.id for t in inserted.tasks] == [t.id for t in sorted_.tasks]
    for task in tasks[::2]:
        inserted.discard(task.id)
        sorted_.tasks = [t for t in sorted_.tasks if t.id != task.id]
        assert [t.id for t in inserted.tasks] == [t.id for t in sorted_.tasks]
    expected = min((t.position for t in sorted_.tasks), default=None)
    assert inserted.top_position() == expected


def test_swap_puts_the_saved_copy_in_place_without_rebuilding_the_column() -> None:
    """The store's answer to a previewed write replaces the preview in the same lists
    (the filter index, which holds the list, stays valid); anything that would sort or
    draw differently is refused, for ``upsert`` to handle."""
    from dataclasses import replace

    from mtui.ui.board.columns import BoardModel

    doing = Status(1, "Doing", 0)
    done = Status(2, "Done", 1, is_done=True)
    model = BoardModel()
    tasks = [Task(id=i, title=f"t{i}", status_id=1, position=float(i)) for i in range(1, 6)]
    finished = Task(id=9, title="f", status_id=2, position=0.0, done_at="2026-11-01T10:00:00Z")
    model.load([doing, done], [*tasks, finished])
    model.set_filter(lambda task: task.id != 2)
    column = model.columns[0]
    listed, index = column.tasks, column.index()
    saved = replace(tasks[2], version=2, updated_at="2026-12-02T12:00:00Z")
    assert model.swap(saved)
    assert column.tasks is listed and column.index() is index
    assert model.get(3) is saved and saved in column.visible
    assert [t.id for t in column.visible] == [1, 3, 4, 5]
    assert not model.swap(replace(tasks[0], status_id=2))  # another column: upsert it
    assert not model.swap(Task(id=42, title="new", status_id=1, position=9.0))
    later = replace(finished, done_at="2026-11-05T10:00:00Z", version=2)
    assert not model.swap(later)  # sorts elsewhere in Done
    assert model.get(9) is finished
