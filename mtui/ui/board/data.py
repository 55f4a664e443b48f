"""The board's data: the first page at start-up, the full read in a worker thread,
and keeping the model in step with the store (own writes, other processes' writes).

After the first frame nothing here touches the store on the event loop: reads run on
the app's background store (``store_job``) or in the full-read thread, and their
results are swapped in when they arrive. Mixed into BoardView, like BoardCommands, so
the widget file is only about drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from textual.worker import Worker, WorkerState

from mtui.core import clock
from mtui.core.first_frame import FIRST_PAGE
from mtui.core.model import Status, Task
from mtui.core.store.contract import BoardStart, Store
from mtui.core.store.feed import NAMES, STRATEGY, FeedBatch
from mtui.core.tasks.lookups import Lookups
from mtui.gc_pause import freeze_long_lived
from mtui.ui.board.columns import BoardModel
from mtui.ui.board.state import BoardState


@dataclass(frozen=True)
class FeedCatchUp:
    """What the change feed said since the board's position, and the rows it names
    (read on the background store, applied on the event loop)."""

    batch: FeedBatch
    tasks: list[Task]
    missing: list[int]  # named tasks that no longer exist at all
    lookups: Lookups | None  # re-read when columns, channels or strategy changed
    statuses: list[Status] | None


def read_board(store: Store) -> tuple[int, BoardModel, Lookups]:
    """Columns, names and every task (one read transaction for the tasks), grouped,
    sorted and folded for the filter: a full read, done away from the event loop."""
    snapshot = store.tasks.task_snapshot(for_board=True)  # no uid, no created_at
    model = BoardModel()
    model.load(store.tasks.statuses(), snapshot.tasks)
    position = snapshot.position
    del snapshot  # the columns hold the tasks now
    model.prepare_filter()
    return position, model, Lookups.load(store)


def read_catch_up(store: Store, position: int) -> FeedCatchUp | None:
    """On the background store: the feed after ``position`` and the rows it names;
    None when nothing was committed since."""
    batch = store.feed.changes(position)  # one round trip to a server, changes or not
    if batch.position == position and not batch.entries and not batch.gap:
        return None
    if batch.gap:
        return FeedCatchUp(batch, [], [], None, None)
    names = bool(batch.topics & {NAMES, STRATEGY})
    task_ids = batch.task_ids()
    tasks = store.tasks.get_tasks(task_ids) if task_ids else []
    found = {t.id for t in tasks}
    return FeedCatchUp(
        batch,
        tasks,
        [tid for tid in task_ids or [] if tid not in found],
        Lookups.load(store) if names else None,
        store.tasks.statuses() if names else None,
    )


def _same_task(shown: Task, saved: Task) -> bool:
    """Whether ``saved`` is ``shown``, but for the fields a full read of the board
    leaves out (``task_snapshot(for_board=True)``)."""
    return replace(saved, uid=shown.uid, created_at=shown.created_at) == shown


def _looks_the_same(shown: Task, saved: Task) -> bool:
    """Whether ``saved`` draws like ``shown``: the same task but for the version and the
    write's time, which a card does not show (``BoardModel.swap`` checks the Done
    column's order, which can depend on that time)."""
    return _same_task(shown, replace(saved, version=shown.version, updated_at=shown.updated_at))


FULL_READ = "board-full-read"  # the worker reading every task after the first frame


class BoardData(BoardState):
    """Loading and syncing; the drawing side only reads ``model`` and ``lookups``."""

    first_page = FIRST_PAGE  # cards per column read for the first frame (tests lower it)

    def load(self) -> None:
        """Read columns, names and every task again, in the full-read thread; the board
        keeps showing what it has until the new model is swapped in."""
        self._loads += 1  # a full read started before this one is stale
        self._read_the_rest()

    def load_first_page(self, start: BoardStart | None = None) -> None:
        """Start-up: draw the first frame from a page of each column, then read the rest
        in a thread (a big board's full read would otherwise hold up the first paint).

        ``start``: the page, when it was read before the app (on a team board)."""
        if start is None or start.page.per_status != self.first_page:
            start = self.store.tasks.board_start(self.first_page)  # one round trip to a server
        self.lookups = Lookups.from_start(start, self.store.actor)
        self._now = clock.now()
        self._cards.clear()
        self._loads += 1  # a full read started before this one is stale
        statuses, page = start.statuses, start.page
        # A small board's page is all of it: no counts to carry, nothing more to read.
        self.model.load(statuses, page.tasks, totals=None if page.complete else page.counts)
        self._after_load(None, page.position)
        if page.complete:
            self.call_after_refresh(self.model.prepare_filter)
        else:
            self.call_after_refresh(self._read_the_rest)

    def _after_load(self, keep: int | None, position: int) -> None:
        self.feed_position = position  # what sync_external has already seen
        self._restore_cursor(keep)
        self.invalidate()

    def _read_the_rest(self) -> None:
        self.run_worker(
            partial(self._read_everything, [c.status for c in self.model.columns], self._loads),
            name=FULL_READ,
            group=FULL_READ,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _read_everything(
        self, statuses: list[Status], load: int
    ) -> tuple[int, int, BoardModel, Lookups]:
        """In a worker thread, on its own connection: columns, names and every task,
        grouped, sorted and folded for the filter, so the UI thread only swaps them in."""
        other = self.store.admin.worker_handle()
        try:
            return (load, *read_board(other))
        finally:
            other.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name != FULL_READ or worker.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        if worker.state is WorkerState.ERROR or worker.result is None:
            # Try once more on the app's background store (its own, open connection).
            load = self._loads
            self.host.store_job(read_board, lambda read: self._swap_in(load, *read))
            return
        self._swap_in(*worker.result)

    def _swap_in(self, load: int, position: int, model: BoardModel, lookups: Lookups) -> None:
        """Show a full read of the board (unless a newer one has started since)."""
        if load != self._loads:
            return  # the board was loaded again meanwhile
        model.set_filter(self.model.predicate)
        self.model = model
        self.lookups = lookups
        self._now = clock.now()
        self._cards.clear()
        # Writes since the thread's read (this session's or another process's) are
        # replayed from the change feed, as for any external change.
        self.feed_position = position
        self._restore_cursor(self._selected_id)
        self.invalidate()
        self.sync_external()
        freeze_long_lived()  # the new model lives until the next full read

    def sync_external(self, on_synced=None) -> None:
        """Catch up with the change feed in the background: re-read only the tasks it
        names (the database also changes for reasons that do not touch tasks, such as
        metric polling, so this must not reload 10,000 tasks every time).

        ``on_synced(batch)`` runs after the board applied it (the app tells the user
        about other people's changes); one catch-up runs at a time.
        """
        if self._syncing:
            return
        self._syncing = True
        position = self.feed_position

        def done(result: FeedCatchUp | None) -> None:
            self._syncing = False
            if result is None or position != self.feed_position:
                return
            self._apply_catch_up(result)
            if on_synced is not None:
                on_synced(result.batch)

        def refused(_exc: Exception) -> None:
            self._syncing = False

        self.host.store_job(partial(read_catch_up, position=position), done, refused, quiet=True)

    def _apply_catch_up(self, result: FeedCatchUp) -> None:
        batch = result.batch
        self.feed_position = batch.position
        if batch.gap or batch.task_ids() is None:
            self.load()
            return
        if result.lookups is not None:
            self.lookups = result.lookups
            self._cards.clear()
        if result.statuses is not None and [s.id for s in result.statuses] != [
            c.status.id for c in self.model.columns
        ]:
            self.load()  # columns were added or removed: rebuild the model
            return
        # The feed names this session's own writes too: a task the board already holds
        # exactly as read (its save was applied) is not put back, and when nothing
        # changed nothing is repainted (a metrics poll commits a feed entry per source:
        # redrawing every column for each cost the event loop ~10 ms a time).
        changed = result.lookups is not None
        model = self.model
        for task in result.tasks:
            shown = model.get(task.id)
            if shown is None or not _same_task(shown, task):
                model.upsert(task)
                changed = True
        for task_id in result.missing:
            if model.get(task_id) is not None:
                model.remove(task_id)
                changed = True
        if changed:
            self._restore_cursor(self._selected_id)
            self.invalidate()

    def apply_task(self, task: Task) -> None:
        """Show what the store saved for one task (after an action, undo or quick-add).

        A save that comes back after a newer change was already shown (the user moved
        the card twice, quickly) is older than the screen: it is not shown again.
        """
        shown = self.model.get(task.id)
        if shown is not None and shown.version > task.version:
            return
        if shown is not None and _looks_the_same(shown, task) and self.model.swap(task):
            return  # the preview already shows it: keep the saved copy, paint nothing
        self.show_task(task)

    def show_task(self, task: Task) -> None:
        """Put ``task`` on the board as it is (a preview, or the store's truth)."""
        self._know_names_of(task)
        self.model.upsert(task)
        self.invalidate(everything=False)

    def _know_names_of(self, task: Task) -> None:
        """Re-read the names when a task points at one the board has not seen (a channel
        quick-add created on first use, a goal added in the brief pane)."""
        names = self.lookups
        if (
            (task.channel_id is not None and task.channel_id not in names.channels)
            or (task.goal_id is not None and task.goal_id not in names.goals)
            or (task.campaign_id is not None and task.campaign_id not in names.campaigns)
        ):
            self.reload_names()

    def reload_names(self) -> None:
        def swap(lookups: Lookups) -> None:
            self.lookups = lookups
            self._cards.clear()
            self.invalidate()

        self.host.store_job(Lookups.load, swap, quiet=True)

    def refresh_tasks(self, task_ids: list[int]) -> None:
        """Re-read a few tasks from the store (other panes' writes), in the background."""
        wanted = list(task_ids)

        def show(tasks: list[Task]) -> None:
            found = {t.id for t in tasks}
            for task in tasks:
                self.show_task(task)
            for task_id in wanted:
                if task_id not in found:
                    self.model.remove(task_id)
            self._restore_cursor(self._selected_id)
            self.invalidate()

        self.host.store_job(lambda store: store.tasks.get_tasks(wanted), show)

    def set_filter(self, predicate, active: bool) -> None:
        keep = self._selected_id
        self.filter_active = active
        self.model.set_filter(predicate)
        self.tops = {}
        self._restore_cursor(keep)
        self.invalidate(everything=False)
