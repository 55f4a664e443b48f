"""The board's data: the first page at start-up, the full read in a worker thread,
and keeping the model in step with the store (own writes, other processes' writes).

Mixed into BoardView, like BoardCommands, so the widget file is only about drawing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from mtui.core import clock
from mtui.core.model import Status, Task
from mtui.core.store.feed import NAMES, STRATEGY, FeedBatch
from mtui.core.tasks.lookups import Lookups
from mtui.ui.board.columns import BoardModel

if TYPE_CHECKING:
    from mtui.ui.board.view import BoardView


def prepare_filter_text(tasks: list[Task]) -> None:
    """Fold the tasks' text for the filter (the filter language loads only when needed:
    it is not part of the first frame)."""
    from mtui.core.language.filter_query import prepare

    prepare(tasks)


FULL_READ = "board-full-read"  # the worker reading every task after the first frame
# Cards read per column for the first frame: more than any terminal shows at once.
FIRST_PAGE = 60


class BoardData:
    """Loading and syncing; the drawing side only reads ``model`` and ``lookups``."""

    first_page = FIRST_PAGE  # cards per column read for the first frame (tests lower it)

    def load(self: BoardView) -> None:
        """Read columns, names and every task (one read transaction) from the store."""
        self._read_names_and_now()
        keep = self._selected_id
        snapshot = self.store.tasks.task_snapshot()
        self.model.load(self.store.tasks.statuses(), snapshot.tasks)
        self._after_load(keep, snapshot.position)
        # Fold every task's text for the filter now, after the paint, so the first filter
        # keystroke does not pay for 10,000 lower-casings.
        self.call_after_refresh(
            prepare_filter_text, [t for c in self.model.columns for t in c.tasks]
        )

    def load_first_page(self: BoardView) -> None:
        """Start-up: draw the first frame from a page of each column, then read the rest
        in a thread (a big board's full read would otherwise hold up the first paint)."""
        self._read_names_and_now()
        statuses = self.store.tasks.statuses()
        page = self.store.tasks.board_page(statuses, self.first_page)
        # A small board's page is all of it: no counts to carry, nothing more to read.
        self.model.load(statuses, page.tasks, totals=None if page.complete else page.counts)
        self._after_load(None, page.position)
        if page.complete:
            self.call_after_refresh(prepare_filter_text, page.tasks)
        else:
            self.call_after_refresh(self._read_the_rest)

    def _read_names_and_now(self: BoardView) -> None:
        self.lookups = Lookups.load(self.store)
        self._now = clock.now()
        self._cards.clear()
        self._loads += 1  # a full read started before this one is stale

    def _after_load(self: BoardView, keep: int | None, position: int) -> None:
        self.feed_position = position  # what sync_external has already seen
        self._restore_cursor(keep)
        self.invalidate()

    def _read_the_rest(self: BoardView) -> None:
        self.run_worker(
            partial(self._read_everything, [c.status for c in self.model.columns], self._loads),
            name=FULL_READ,
            group=FULL_READ,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _read_everything(
        self: BoardView, statuses: list[Status], load: int
    ) -> tuple[int, int, BoardModel]:
        """In a worker thread, on its own connection: every task, grouped, sorted and
        folded for the filter, so the UI thread only swaps the model in."""
        other = self.store.admin.new_handle()
        try:
            snapshot = other.tasks.task_snapshot()
        finally:
            other.close()
        model = BoardModel()
        model.load(statuses, snapshot.tasks)
        prepare_filter_text(snapshot.tasks)
        return load, snapshot.position, model

    def on_worker_state_changed(self: BoardView, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name != FULL_READ or worker.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        if worker.state is WorkerState.ERROR or worker.result is None:
            self.load()  # read it here instead
            return
        load, position, model = worker.result
        if load != self._loads:
            return  # the board was loaded again meanwhile
        model.set_filter(self.model.predicate)
        self.model = model
        # Writes since the thread's read (this session's or another process's) are
        # replayed from the change feed, as for any external change.
        self.feed_position = position
        if not self._catch_up().entries:
            self._restore_cursor(self._selected_id)
            self.invalidate()

    def sync_external(self: BoardView) -> FeedBatch:
        """Another connection committed: re-read only the tasks the change feed names,
        and return the feed batch (the app tells the user about other people's changes).

        The database also changes for reasons that do not touch tasks (metric polling
        on its own connection), so this must not reload 10,000 tasks every time.
        """
        batch = self._catch_up()
        if not batch.entries:
            self.invalidate()
        return batch

    def _catch_up(self: BoardView) -> FeedBatch:
        """Re-read what the change feed lists after ``feed_position``."""
        batch = self.store.feed.changes(self.feed_position)
        self.feed_position = batch.position
        if batch.gap:
            self.load()
            return batch
        if batch.topics & {NAMES, STRATEGY}:
            self.lookups = Lookups.load(self.store)
            self._cards.clear()
        task_ids = batch.task_ids()
        if task_ids is None:
            self.load()
        elif task_ids:
            self.refresh_tasks(task_ids)
        return batch

    def apply_task(self: BoardView, task: Task) -> None:
        """Show the latest version of one task (after an action, undo or quick-add)."""
        self._know_names_of(task)
        self.model.upsert(task)
        self.invalidate()

    def _know_names_of(self: BoardView, task: Task) -> None:
        """Re-read the names when a task points at one the board has not seen (a channel
        quick-add created on first use, a goal added in the brief pane)."""
        names = self.lookups
        if (
            (task.channel_id is not None and task.channel_id not in names.channels)
            or (task.goal_id is not None and task.goal_id not in names.goals)
            or (task.campaign_id is not None and task.campaign_id not in names.campaigns)
        ):
            self.lookups = Lookups.load(self.store)
            self._cards.clear()

    def refresh_tasks(self: BoardView, task_ids: list[int]) -> None:
        """Re-read a few tasks from the store (undo/redo, other panes' writes)."""
        from mtui.core.errors import NotFound

        for task_id in task_ids:
            try:
                task = self.store.tasks.get_task(task_id, include_deleted=True)
                self._know_names_of(task)
                self.model.upsert(task)
            except NotFound:
                self.model.remove(task_id)
        self._restore_cursor(self._selected_id)
        self.invalidate()

    def set_filter(self: BoardView, predicate, active: bool) -> None:
        keep = self._selected_id
        self.filter_active = active
        self.model.set_filter(predicate)
        self.tops = {}
        self._restore_cursor(keep)
        self.invalidate()
