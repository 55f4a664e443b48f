"""Random sequences of user actions, undo and redo against the store, checked after every
step against a simple in-memory model of the board.

The actions go through what the app uses (``TaskActions`` for tasks, the brief and goal
forms' store calls for the rest, one ``UndoHistory`` for all), so a sequence that breaks
here breaks for a user. The model holds each column's cards in display order, each card's
fields, the brief and the goals; undo and redo restore the model's state from before the
action (a single user's undo must put back exactly what the action changed).
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mtui.core.errors import NotFound
from mtui.core.model import Task
from mtui.core.store import open_store
from mtui.core.strategy.input import FieldError, goal_changes
from mtui.core.tasks import plans
from mtui.core.tasks.actions import TaskActions
from mtui.core.undo.history import UndoHistory, new_action_id
from tests.support.backends import BOARDS

COLUMNS = ["Backlog", "Next", "Doing", "Blocked", "Done"]
OPEN_COLUMNS = COLUMNS[:-1]  # the Done column shows newest first: no manual order there
TITLES = st.sampled_from(["Launch email", "Webinar", "Fix UTM tags", "Carousel", "Blog post"])
OWNERS = st.sampled_from([None, "ana", "raj"])
PRIORITIES = st.sampled_from([None, 1, 2, 3])
BRIEF_FIELDS = st.sampled_from(["name", "mission", "offer", "key_message"])
BRIEF_TEXT = st.sampled_from(["", "Acme", "Numbers that matter", "Free trial"])
SLUGS = st.sampled_from(["signups", "churn", "trials"])
TARGETS = st.sampled_from([100.0, 250.0, 1000.0])


@dataclass
class Card:
    title: str
    status: str
    owner: str | None = None
    priority: int | None = None
    blocked_reason: str | None = None


@dataclass
class Board:
    """The model: live cards, each column's order (top first), the brief, the goals."""

    cards: dict[int, Card] = field(default_factory=dict)
    order: dict[str, list[int]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    brief: dict[str, str] = field(default_factory=dict)
    goals: dict[int, tuple[str, str, float | None]] = field(default_factory=dict)

    def place_on_top(self, task_id: int, status: str) -> None:
        for ids in self.order.values():
            if task_id in ids:
                ids.remove(task_id)
        self.order[status].insert(0, task_id)
        self.cards[task_id].status = status


def board_machine(backend: str) -> type[RuleBasedStateMachine]:
    class BoardMachine(RuleBasedStateMachine):
        """One user on one board: every step is one undoable action, an undo or a redo."""

        def __init__(self) -> None:
            super().__init__()
            self.folder = Path(tempfile.mkdtemp(prefix="mtui-sm-"))
            self.store = open_store(BOARDS[backend](self.folder), actor="ana")
            self.history = UndoHistory()
            self.actions = TaskActions(self.store, self.history)
            self.names = {s.id: s.name for s in self.store.tasks.statuses()}
            self.ids = {name: sid for sid, name in self.names.items()}
            self.model = Board()
            self.undo_states: list[Board] = []
            self.redo_states: list[Board] = []

        def teardown(self) -> None:
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

        # Helpers ----------------------------------------------------------------------
        def recorded(self, before: Board) -> None:
            """The app recorded an action: undo goes back to ``before``, no redo left."""
            self.undo_states.append(before)
            self.redo_states.clear()

        def task(self, index: int) -> Task:
            ids = sorted(self.model.cards)
            return self.store.tasks.get_task(ids[index % len(ids)])

        def has_cards(self) -> bool:
            return bool(self.model.cards)

        # Task actions -----------------------------------------------------------------
        @rule(title=TITLES, status=st.sampled_from(COLUMNS), owner=OWNERS)
        def add(self, title: str, status: str, owner: str | None) -> None:
            before = copy.deepcopy(self.model)
            task = self.actions.add({"title": title, "status_id": self.ids[status], "owner": owner})
            self.model.cards[task.id] = Card(title, status, owner)
            self.model.place_on_top(task.id, status)
            self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50), title=TITLES, owner=OWNERS, priority=PRIORITIES)
        def edit(self, index: int, title: str, owner: str | None, priority: int | None) -> None:
            task = self.task(index)
            card = self.model.cards[task.id]
            before = copy.deepcopy(self.model)
            self.actions.edit(task, {"title": title, "owner": owner, "priority": priority})
            if (card.title, card.owner, card.priority) != (title, owner, priority):
                card.title, card.owner, card.priority = title, owner, priority
                self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50), step=st.sampled_from([-1, 1]))
        def move(self, index: int, step: int) -> None:
            task = self.task(index)
            card = self.model.cards[task.id]
            before = copy.deepcopy(self.model)
            self.actions.move_by(task, step)
            where = COLUMNS.index(card.status)
            target = COLUMNS[min(max(where + step, 0), len(COLUMNS) - 1)]
            if target != card.status:
                self.model.place_on_top(task.id, target)
                if target != "Blocked":
                    card.blocked_reason = None
                self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50), step=st.sampled_from([-1, 1]))
        def reorder(self, index: int, step: int) -> None:
            task = self.task(index)
            status = self.names[task.status_id]
            if status not in OPEN_COLUMNS:
                return
            column = self.store.tasks.list_tasks(status_ids=[task.status_id])
            position = plans.reorder_position(column, task, step)
            if position is not None and position != position:  # nan: renumbering is not
                return  # an undoable action; the unit tests cover it
            before = copy.deepcopy(self.model)
            self.actions.reorder(task, column, step)
            ids = self.model.order[status]
            at = ids.index(task.id)
            if 0 <= at + step < len(ids):
                ids[at], ids[at + step] = ids[at + step], ids[at]
                self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50), reason=st.sampled_from(["waiting on legal", "no budget"]))
        def block(self, index: int, reason: str) -> None:
            task = self.task(index)
            card = self.model.cards[task.id]
            before = copy.deepcopy(self.model)
            changed = (card.status, card.blocked_reason) != ("Blocked", reason)
            self.actions.mark_blocked(task, reason)
            if changed:
                if card.status != "Blocked":
                    self.model.place_on_top(task.id, "Blocked")
                card.blocked_reason = reason
                self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50))
        def unblock(self, index: int) -> None:
            """The stand-up walk's ``u``: back to Doing, the reason dropped."""
            task = self.task(index)
            card = self.model.cards[task.id]
            if card.status != "Blocked":
                return
            before = copy.deepcopy(self.model)
            self.actions.move_to(task, self.ids["Doing"])
            self.model.place_on_top(task.id, "Doing")
            card.blocked_reason = None
            self.recorded(before)

        @precondition(has_cards)
        @rule(index=st.integers(0, 50))
        def delete(self, index: int) -> None:
            task = self.task(index)
            before = copy.deepcopy(self.model)
            self.actions.delete(task)
            del self.model.cards[task.id]
            self.model.order[self.names[task.status_id]].remove(task.id)
            self.recorded(before)

        # The brief and goals, as their forms save them ----------------------------------
        @rule(name=BRIEF_FIELDS, text=BRIEF_TEXT)
        def edit_brief(self, name: str, text: str) -> None:
            before_version = self.store.strategy.brief().version
            before = copy.deepcopy(self.model)
            action = new_action_id()
            saved = self.store.strategy.save_brief({name: text}, action_id=action)
            if saved.version != before_version:  # the section editor's rule
                self.history.record(action)
                self.recorded(before)
            assert (saved.version != before_version) == (self.model.brief.get(name, "") != text)
            self.model.brief[name] = text

        @rule(slug=SLUGS, goal_target=TARGETS)
        def add_goal(self, slug: str, goal_target: float) -> None:
            target = goal_target
            raw = {"title": slug.title(), "slug": slug, "target": str(target)}
            taken = any(s == slug for _t, s, _g in self.model.goals.values())
            before = copy.deepcopy(self.model)
            action = new_action_id()
            try:
                changes = goal_changes(raw, goals=self.store.strategy.goals())
            except FieldError:
                assert taken
                return
            assert not taken
            goal = self.store.strategy.save_goal(changes, action_id=action)
            self.history.record(action)  # the goal form records every save
            self.model.goals[goal.id] = (slug.title(), slug, target)
            self.recorded(before)

        @precondition(lambda self: bool(self.model.goals))
        @rule(index=st.integers(0, 10), goal_target=TARGETS)
        def edit_goal(self, index: int, goal_target: float) -> None:
            target = goal_target
            goal_id = sorted(self.model.goals)[index % len(self.model.goals)]
            editing = next(g for g in self.store.strategy.goals() if g.id == goal_id)
            before = copy.deepcopy(self.model)
            action = new_action_id()
            changes = goal_changes({"target": str(target)}, goals=self.store.strategy.goals(),
                                   editing=editing)  # fmt: skip
            self.store.strategy.save_goal(changes, goal_id, action_id=action)
            self.history.record(action)  # the goal form records every save, changed or not
            title, slug, old = self.model.goals[goal_id]
            self.model.goals[goal_id] = (title, slug, target)
            if old != target:
                self.recorded(before)
            else:  # nothing written: undo passes over it to the action before, but
                self.redo_states.clear()  # recording it still ends what could be redone

        # Undo and redo ----------------------------------------------------------------
        @rule()
        def undo(self) -> None:
            if not self.undo_states:
                with pytest.raises(NotFound):
                    self.history.undo(self.store)
                return
            self.history.undo(self.store)
            self.redo_states.append(copy.deepcopy(self.model))
            self.model = self.undo_states.pop()

        @rule()
        def redo(self) -> None:
            if not self.redo_states:
                with pytest.raises(NotFound):
                    self.history.redo(self.store)
                return
            self.history.redo(self.store)
            self.undo_states.append(copy.deepcopy(self.model))
            self.model = self.redo_states.pop()

        # What must hold after every step ------------------------------------------------
        @invariant()
        def the_store_matches_the_model(self) -> None:
            tasks = self.store.tasks.list_tasks()
            cards = {
                t.id: Card(t.title, self.names[t.status_id], t.owner, t.priority, t.blocked_reason)
                for t in tasks
            }
            assert cards == self.model.cards
            for name in COLUMNS:
                in_store = [t.id for t in tasks if self.names[t.status_id] == name]
                assert in_store == self.model.order[name], name
            for task in tasks:
                assert (task.done_at is not None) == (self.names[task.status_id] == "Done")
            brief = self.store.strategy.brief().fields()
            assert {k: brief[k] for k in self.model.brief} == self.model.brief
            goals = {g.id: (g.title, g.slug, g.target) for g in self.store.strategy.goals()}
            assert goals == self.model.goals
            assert self.store.tasks.count_tasks() == len(self.model.cards)

    return BoardMachine


@pytest.mark.parametrize("backend", sorted(BOARDS))
def test_user_actions_undo_and_redo_keep_the_store_equal_to_the_model(backend: str) -> None:
    run_state_machine_as_test(
        board_machine(backend),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_undo_passes_over_a_recorded_action_that_wrote_nothing(tmp_path: Path) -> None:
    """Found by the state machine: the goal form records every save, an unchanged one
    included; undo then said "nothing to undo" for ever and hid every earlier action."""
    store = open_store(BOARDS["sqlite"](tmp_path), actor="ana")
    try:
        history = UndoHistory()
        added, unchanged = new_action_id(), new_action_id()
        goal = store.strategy.save_goal({"title": "Signups", "slug": "signups"}, action_id=added)
        history.record(added)
        store.strategy.save_goal({"title": "Signups"}, goal.id, action_id=unchanged)
        history.record(unchanged)
        assert "signups" in history.undo(store).message
        assert store.strategy.goals() == []
        with pytest.raises(NotFound):
            history.undo(store)
        history.redo(store)
        assert [g.slug for g in store.strategy.goals()] == ["signups"]
    finally:
        store.close()
