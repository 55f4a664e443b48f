"""The session's undo and redo stacks, shared by every kind of change.

An entry is an action id: the events of one user action, in ``task_event`` and in
``activity``, carry it. Undo reads them back and writes their inverses as one new
action (one transaction) marked ``undo_of`` the original; redo undoes that inverse.
A value that was changed again since (by anyone) is not overwritten: the undo is
refused with ConflictError and the history is left as it was.
"""

from __future__ import annotations

import _thread  # threading's own lock, without importing threading on every add

from mtui.core.errors import ConflictError, NotFound
from mtui.core.ids import uuid4_hex
from mtui.core.plain import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mtui.core.model import TaskEvent
    from mtui.core.store.contract import Store  # annotations only: no Protocols at start-up


class NothingToUndo(NotFound):
    """The action wrote nothing (a form saved unchanged values): there is nothing to revert."""


def new_action_id() -> str:
    return uuid4_hex()


class Reverted(FrozenRecord):
    """What an undo or redo did: its words, the tasks it touched, what else it touched.
    (A frozen record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("action_id", "entities", "message", "task_ids")
    _fields = ("message", "task_ids", "entities", "action_id")
    message: str
    task_ids: list[int]
    entities: frozenset[str]
    action_id: str

    def __init__(
        self, message: str, task_ids: list[int], entities: frozenset[str], action_id: str
    ) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "task_ids", task_ids)
        object.__setattr__(self, "entities", entities)
        object.__setattr__(self, "action_id", action_id)


class UndoHistory:
    """Undo and redo stacks of action ids. Safe to record from a worker thread.

    A plain class, not a dataclass: every ``mtui add`` builds one, and making a dataclass
    costs start-up time; nothing compares or copies histories."""

    __slots__ = ("_lock", "_mine", "redo_stack", "undo_stack")

    def __init__(self) -> None:
        self.undo_stack: list[str] = []
        self.redo_stack: list[str] = []
        self._mine: set[str] = set()
        self._lock = _thread.allocate_lock()  # what threading.Lock() returns

    def record(self, action_id: str) -> str:
        """A new user action: it can be undone, and nothing is left to redo."""
        with self._lock:
            self.undo_stack.append(action_id)
            self.redo_stack.clear()
            self._mine.add(action_id)
        return action_id

    def is_mine(self, action_id: str | None) -> bool:
        """Whether this session wrote the action (its own writes need no notice)."""
        return action_id is not None and action_id in self._mine

    def undo(self, store: Store) -> Reverted:
        return self._step(store, self.undo_stack, self.redo_stack, "Undone", "nothing to undo")

    def redo(self, store: Store) -> Reverted:
        return self._step(store, self.redo_stack, self.undo_stack, "Redone", "nothing to redo")

    def _step(
        self, store: Store, source: list[str], target: list[str], verb: str, empty: str
    ) -> Reverted:
        inverse = new_action_id()
        with self._lock:
            self._mine.add(inverse)
        while True:
            with self._lock:
                if not source:
                    raise NotFound(empty)
                action = source[-1]
            try:
                task_ids, entities = revert(store, action, inverse)
                break
            except NothingToUndo:
                # A recorded action that wrote nothing (saving a form unchanged) is
                # dropped, and the step goes on to the action before it: otherwise it
                # would say "nothing to undo" for ever and hide every earlier action.
                with self._lock:
                    if source and source[-1] == action:
                        source.pop()
        with self._lock:
            if source and source[-1] == action:
                source.pop()
            target.append(inverse)
        from mtui.core.undo.describe import describe  # an undo's words: an add needs none

        message = f"{verb}: {describe(store, inverse, undoing=verb == 'Undone')}"
        return Reverted(message, task_ids, entities, inverse)


def revert(store: Store, action_id: str, inverse: str) -> tuple[list[int], frozenset[str]]:
    """Write the inverse of ``action_id`` as action ``inverse``, in one transaction.

    Returns the tasks touched and the other kinds of record touched (goal, brief, ...).
    """
    task_events = store.tasks.events(action_id=action_id)
    other_events = store.activity.events(action_id=action_id)
    if not task_events and not other_events:
        raise NothingToUndo("nothing to undo")
    with store.batch():
        touched = _revert_tasks(store, task_events, action_id, inverse)
        for event in reversed(other_events):
            store.activity.revert(event, action_id=inverse, undo_of=action_id)
    return touched, frozenset(e.entity for e in other_events)


def _changed_by(store: Store, task_id: int, fields: list[str]) -> str:
    """Who made the latest change to any of ``fields`` ("you" for this store's actor:
    the same person in another window)."""
    events = [e for e in store.tasks.events(task_id=task_id) if e.field in fields]
    actor = events[-1].actor if events else None
    if not actor:
        return "someone else"
    return "you, elsewhere" if actor == store.actor else actor


def _revert_tasks(store: Store, events: list[TaskEvent], action_id: str, inverse: str) -> list[int]:
    """Tasks first (newest event first): a created task is deleted, a deleted one
    restored, changed fields put back, each only if no later edit changed it again."""
    touched: list[int] = []
    pairs: dict[int, dict[str, tuple[Any, Any]]] = {}
    for event in reversed(events):
        if event.kind in ("changed", "moved") and event.field:
            pairs.setdefault(event.task_id, {})[event.field] = (event.new, event.old)
    for event in reversed(events):
        task_id = event.task_id
        if task_id in touched and event.kind in ("changed", "moved"):
            continue
        if event.kind in ("created", "restored"):
            store.tasks.delete_task(task_id, action_id=inverse, undo_of=action_id)
        elif event.kind == "deleted":
            store.tasks.restore_task(task_id, action_id=inverse, undo_of=action_id)
        else:
            task = store.tasks.get_task(task_id)
            current = task.fields()
            fields = pairs[task_id]
            stale = [name for name, (new, _old) in fields.items() if current[name] != new]
            if stale:
                who = _changed_by(store, task_id, stale)
                raise ConflictError(
                    f"'{task.title}' (#{task_id}) was changed since by {who} "
                    f"({', '.join(stale)}); not undone, so their change stays"
                )
            store.tasks.update_task(
                task_id, {name: old for name, (_new, old) in fields.items()},
                action_id=inverse, undo_of=action_id,
            )  # fmt: skip
        touched.append(task_id)
    return touched
