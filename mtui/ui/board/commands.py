"""The board's data actions (move, reorder, edit, done, blocked, delete).

Each action is planned from what the board holds (``mtui.core.tasks.plans``), shown at
once, and sent to the store from the app's background store as the very same changes
(``TaskActions.edit``: one transaction, logged for undo). If the store refuses (another
client changed the card first, a read-only file, a damaged database), the board shows
the store's version of the card again and the user is told why: nothing is lost
silently, and no key press ever waits for the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mtui.core.errors import MtuiError, NotFound
from mtui.core.model import Status, Task
from mtui.core.store.contract import Store
from mtui.core.tasks import plans
from mtui.core.tasks.actions import TaskActions
from mtui.ui.board.state import BoardState
from mtui.ui.shell.messages import FilterBoard

Outcome = tuple[Task | None, MtuiError | None]


def guarded(task_id: int, job: Callable[[Store], Task]) -> Callable[[Store], Outcome]:
    """``job``, plus the store's truth about the task when it refuses (on the same
    background thread, so a refusal costs no second trip)."""

    def run(store: Store) -> Outcome:
        try:
            return job(store), None
        except MtuiError as exc:
            try:
                return store.tasks.get_task(task_id, include_deleted=True), exc
            except NotFound:
                return None, exc

    return run


class BoardCommands(BoardState):
    """Mixed into BoardView; kept apart so the widget file is only about drawing."""

    # Plumbing ---------------------------------------------------------------------
    def statuses(self) -> list[Status]:
        return [c.status for c in self.model.columns]

    def _actions(self, store: Store) -> TaskActions:
        """Task verbs on the background store, recording into the app's undo history."""
        return TaskActions(store, self.host.history)

    def send_change(self, task: Task, changes: dict[str, Any]) -> None:
        """Show ``changes`` to ``task`` now; save them in the background."""
        shown = plans.preview(task, changes, self.statuses())
        if shown is task:
            return
        self.show_task(shown)
        self.select_task(task.id)
        self.send(task.id, lambda store: self._actions(store).edit(task, changes))

    def send(
        self,
        task_id: int,
        job: Callable[[Store], Task],
        on_saved: Callable[[Task], Any] | None = None,
    ) -> None:
        """Run a task write in the background; show what was saved, or put the store's
        version back (with a notice) if it was refused."""

        def done(outcome: Outcome) -> None:
            saved, error = outcome
            if error is not None:
                self._put_back(task_id, saved, error)
                return
            assert saved is not None
            self.apply_task(saved)
            self.post_message(self.changed_message([task_id]))
            if on_saved is not None:
                on_saved(saved)

        self.host.store_job(guarded(task_id, job), done)

    def _put_back(self, task_id: int, truth: Task | None, error: MtuiError) -> None:
        if truth is None:
            self.model.remove(task_id)
        else:
            self.show_task(truth)
        self._restore_cursor(self._selected_id)
        self.invalidate()
        from mtui.ui.shell.store_jobs import refusal_title

        self.app.notify(str(error), title=refusal_title(error), severity="error", timeout=6)

    def _column_top(self, status_id: int) -> float | None:
        index = self.model.column_index(status_id)
        if index is None:
            return None
        return self.model.columns[index].top_position()

    # Actions ----------------------------------------------------------------------
    def action_move_card(self, step: int) -> None:
        task = self.selected
        if task is None:
            return
        target = plans.step_column(self.statuses(), task, step)
        if plans.is_blocked_column(target) and target.id != task.status_id:
            self.ask_blocked_reason(task)  # Blocked always says why
            return
        self.send_change(task, plans.move_changes(task, target, self._column_top(target.id)))

    def action_reorder(self, step: int) -> None:
        task, column = self.selected, self._column(self.cursor_col)
        if task is None or column is None:
            return
        if column.status.is_done:
            self.app.notify(f"{column.status.name} is ordered by completion time")
            return
        visible = column.visible
        # The cursor's card and two either side decide the new position: the same
        # answer as the whole column, without a Python scan (or copy) of 20,000 cards.
        row = min(self.cursor_row, len(visible) - 1)  # the row ``selected`` reads
        position = plans.reorder_position(visible[max(row - 2, 0) : row + 3], task, step)
        if position is None:
            return
        if position == position:  # not nan: a plain move between neighbours
            self.send_change(task, {"position": position})
            return
        # Float precision ran out: the store renumbers the column and moves the card;
        # then the column is read again.
        status_id = column.status.id
        shown = list(visible)  # the column changes in place; the job reads it in a thread

        def renumber_and_move(store: Store) -> Task:
            return self._actions(store).reorder(task, shown, step)

        def reread(saved: Task) -> None:
            def swap(tasks: list[Task]) -> None:
                self.model.replace_column(status_id, tasks)
                self.select_task(saved.id)
                self.invalidate()

            self.host.store_job(lambda store: store.tasks.list_tasks(status_ids=[status_id]), swap)

        self.send(task.id, renumber_and_move, reread)

    def action_mark_done(self) -> None:
        task = self.selected
        if task is not None:
            done = plans.done_column(self.statuses())
            self.send_change(task, plans.move_changes(task, done, self._column_top(done.id)))

    def action_mark_blocked(self) -> None:
        task = self.selected
        if task is not None:
            self.ask_blocked_reason(task)

    def ask_blocked_reason(self, task: Task) -> None:
        """Ask what blocks ``task``, then block it (moving it to Blocked)."""
        from mtui.ui.shell.confirm import PromptScreen

        def block(reason: str | None) -> None:
            if reason is None or not reason.strip():
                return
            blocked = plans.blocked_column(self.statuses())
            top = self._column_top(blocked.id) if blocked else None
            self.send_change(task, plans.block_changes(task, reason, blocked, top))

        prompt = PromptScreen(
            f"What blocks “{task.title}”?", value=task.blocked_reason or "", required=True
        )
        self.app.push_screen(prompt, block)

    def action_clear_filter(self) -> None:
        """esc: show every card again, whoever set the filter (``/``, the brief's ``o``,
        a campaign's enter, the palette)."""
        if self.filter_text:
            self.post_message(FilterBoard(""))

    def action_copy_id(self) -> None:
        """Copy the card's id, which every CLI command (``mtui move 42 Done``) takes."""
        task = self.selected
        if task is not None:
            self.app.copy_to_clipboard(str(task.id))
            self.app.notify(f"Copied id {task.id}", timeout=2)

    def action_copy_title(self) -> None:
        """Copy the card's title: the board draws lines, not text widgets, so Textual's
        mouse selection does not reach into cards (the terminal's own shift+drag does)."""
        task = self.selected
        if task is not None:
            self.app.copy_to_clipboard(task.title)
            self.app.notify(f"Copied “{task.title}”", timeout=2, markup=False)

    def action_delete_task(self) -> None:
        task = self.selected
        if task is None:
            return
        self.model.remove(task.id)
        self._restore_cursor(None)
        self.invalidate()
        self.app.notify(f"Deleted “{task.title}” (u to undo)", markup=False)
        self.send(task.id, lambda store: self._actions(store).delete(task))

    def action_edit_task(self, focus: str = "title") -> None:
        task = self.selected
        if task is None:
            return
        from mtui.ui.board.edit_modal import EditTaskScreen

        statuses = self.statuses()
        screen = self._edit_screen
        if screen is None:
            screen = EditTaskScreen(task, self.lookups, statuses, self.save_edit, focus=focus)
            # Installed, so popping it keeps it (and its widgets) for the next open.
            self.app.install_screen(screen, name=f"edit-task-{id(self)}")
            self._edit_screen = screen
        else:
            screen.edit(task, self.lookups, statuses, focus=focus)
        self.app.push_screen(screen)

    def save_edit(
        self,
        current: Task,
        changes: dict[str, Any],
        channel: str | None,
        reply: Callable[[Task | None, MtuiError | None], None],
    ) -> None:
        """The edit modal's save: in the background; ``reply(saved, None)`` on success,
        ``reply(store's version, error)`` when refused (the modal stays open)."""

        def job(store: Store) -> Task:
            fields = dict(changes)
            if channel:
                fields["channel_id"] = store.tasks.ensure_channel(channel)
            return self._actions(store).edit(current, fields)

        def done(outcome: Outcome) -> None:
            saved, error = outcome
            if saved is not None:
                (self.apply_task if error is None else self.show_task)(saved)
                if error is None:
                    self.select_task(saved.id)
                    self.post_message(self.changed_message([saved.id]))
            elif error is not None:
                self.model.remove(current.id)
                self.invalidate()
            reply(saved, error)

        self.host.store_job(guarded(current.id, job), done)

    def action_edit_notes(self) -> None:
        """Edit the notes: in $VISUAL/$EDITOR when the user set one (the TUI suspended
        meanwhile), else in the edit modal's notes field. Never a surprise vi."""
        task = self.selected
        if task is None:
            return
        from mtui.ui.board.notes import edit_in_editor, user_editor

        if user_editor() is None:
            self.action_edit_task(focus="notes")
            return
        notes = edit_in_editor(self.app, task.notes)
        if notes is not None and notes != task.notes:
            self.send_change(task, {"notes": notes})
