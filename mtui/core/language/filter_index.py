"""Column-wise views of a list of tasks, so a filter runs in C loops, not per task in Python.

A board of 100,000 tasks is filtered on every keystroke. Calling a Python predicate per
task costs ~0.3 µs each (35 ms for the board); most filter terms, though, depend on one
attribute with few distinct values (owner, channel, campaign, goal, priority, due date,
column). ``TaskIndex`` codes each such attribute as one byte per task (its distinct
values numbered), so a term is decided once per distinct value and applied to every task
by ``bytes.translate``; free text and tags are searched with ``map`` over lower-cased
strings. The results are masks (one byte per task, 0 or 1) that AND together as ints and
pick the tasks with ``itertools.compress``.

An index describes one list of tasks as it was when built: whoever owns the list drops
the index when the list changes (the board's columns do, on every change). Each view is
built on first use, so a filter on owners never pays for the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import add, attrgetter, contains, truth
from typing import Any

from mtui.core.model import Task

Mask = bytes  # one byte per task: 1 keeps it
_MAX_CODES = 256  # distinct values a one-byte code can number
# The attributes filter terms test (``filter_query``): owner, channel, campaign, goal, ...
PREPARED = ("owner", "channel_id", "campaign_id", "goal_id", "priority", "status_id", "due")


class TaskIndex:
    """Lazily built views of ``tasks`` (which must not change while the index is used)."""

    __slots__ = ("_codes", "_last", "_tags", "_text", "tasks")

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.tasks = tasks
        self._codes: dict[str, tuple[bytes, list[Any]] | None] = {}
        self._text: list[str] | None = None
        self._tags: list[str] | None = None
        self._last: tuple[Mask, list[Task]] | None = None  # the last selection

    def forget_selection(self) -> None:
        """Drop the last selection (a task in ``tasks`` was replaced by a new copy)."""
        self._last = None

    def prepare(self) -> None:
        """Build the views the filter language uses, ahead of the first keystroke."""
        for attribute in PREPARED:
            self.codes(attribute)
        self.text()
        self.tags()

    def __len__(self) -> int:
        return len(self.tasks)

    def codes(self, attribute: str) -> tuple[bytes, list[Any]] | None:
        """Each task's value of ``attribute`` as a one-byte number, and the values in
        number order; None when there are more distinct values than a byte numbers."""
        if attribute in self._codes:
            return self._codes[attribute]
        values = list(map(attrgetter(attribute), self.tasks))
        distinct = list(dict.fromkeys(values))
        coded = None
        if len(distinct) <= _MAX_CODES:
            number = {value: code for code, value in enumerate(distinct)}
            coded = bytes(map(number.__getitem__, values)), distinct
        self._codes[attribute] = coded
        return coded

    def where(self, attribute: str, test: Callable[[Any], bool]) -> Mask | None:
        """The tasks whose ``attribute`` passes ``test`` (asked once per distinct value);
        None when the attribute has too many distinct values to code."""
        coded = self.codes(attribute)
        if coded is None:
            return None
        codes, distinct = coded
        table = bytes(1 if test(value) else 0 for value in distinct)
        return codes.translate(table.ljust(_MAX_CODES, b"\0"))

    def text(self) -> list[str]:
        """Each task's title, notes and tags, lower-cased and joined by newlines (the
        text ``filter_query`` searches)."""
        if self._text is None:
            tasks = self.tasks
            titles = map(str.lower, map(attrgetter("title"), tasks))
            text = list(map(add, titles, repeat("\n")))  # no notes, no tags: most tasks
            for index in _having(tasks, "notes", "tags"):
                task = tasks[index]
                words = (task.title.lower(), task.notes.lower(), *(t.lower() for t in task.tags))
                text[index] = "\n".join(words)
            self._text = text
        return self._text

    def tags(self) -> list[str]:
        """Each task's tags, lower-cased, each after a NUL ("" without tags): a tag
        starts with ``p`` exactly when NUL + ``p`` occurs (tags hold no NUL)."""
        if self._tags is None:
            tasks = self.tasks
            tags = [""] * len(tasks)
            for index in _having(tasks, "tags"):
                tags[index] = "".join("\0" + tag.lower() for tag in tasks[index].tags)
            self._tags = tags
        return self._tags

    def containing(self, texts: list[str], needle: str) -> Mask:
        """The tasks whose entry of ``texts`` (``text()`` or ``tags()``) holds ``needle``."""
        return bytes(map(contains, texts, repeat(needle)))

    def select(self, masks: list[Mask]) -> list[Task]:
        """The tasks every mask keeps, in order.

        Picking from all tasks reads every task (20,000 on a big board's column, a
        millisecond or more per keystroke), so the last selection is kept: the same
        mask gives the same list back (a keystroke that changes nothing), and a mask
        within the last one (a filter typed further) picks from the last matches only.
        The caller must not change the list it gets.
        """
        if not masks:
            return list(self.tasks)
        mask = self.both(masks)
        last = self._last
        if last is not None:
            last_mask, last_tasks = last
            if mask == last_mask:
                return last_tasks
            new, old = int.from_bytes(mask, "little"), int.from_bytes(last_mask, "little")
            if new & old == new:  # every task kept now was kept last time
                kept = list(compress(last_tasks, compress(mask, last_mask)))
                self._last = (mask, kept)
                return kept
        kept = list(compress(self.tasks, mask))
        self._last = (mask, kept)
        return kept

    def both(self, masks: list[Mask]) -> Mask:
        """The tasks every mask (at least one) keeps."""
        if len(masks) == 1:
            return masks[0]
        kept = int.from_bytes(masks[0], "little")
        for mask in masks[1:]:
            kept &= int.from_bytes(mask, "little")
        return kept.to_bytes(len(self.tasks), "little")

    def invert(self, mask: Mask) -> Mask:
        """The tasks ``mask`` leaves out."""
        return mask.translate(_INVERT)

    def either(self, first: Mask, second: Mask) -> Mask:
        """The tasks either mask keeps."""
        either = int.from_bytes(first, "little") | int.from_bytes(second, "little")
        return either.to_bytes(len(self.tasks), "little")


_INVERT = bytes([1, 0]).ljust(_MAX_CODES, b"\0")


def _having(tasks: Sequence[Task], *attributes: str) -> list[int]:
    """Positions of the tasks where any of ``attributes`` is non-empty (in C loops)."""
    positions: set[int] = set()
    for attribute in attributes:
        positions.update(compress(range(len(tasks)), map(truth, map(attrgetter(attribute), tasks))))
    return sorted(positions)
