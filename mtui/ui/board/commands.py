"""The board's data actions (move, reorder, edit, done, blocked, delete).

Each goes through TaskActions (one transaction, logged for undo) and then updates the
in-memory model from the Task it returns. A ConflictError means another process changed
the card first: the user is told and the board re-reads the store, so nothing is lost
silently.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtui.core.errors import ConflictError, MtuiError
from mtui.core.model import Task

if TYPE_CHECKING:
    from mtui.ui.board.view import BoardView


class BoardCommands:
    """Mixed into BoardView; kept apart so the widget file is only about drawing."""

    def run_write(self: BoardView, write: Callable[[], Task]) -> Task | None:
        """Run one write; report errors instead of raising; reload after a conflict."""
        try:
            task = write()
        except ConflictError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error")
            self.load()
            return None
        except MtuiError as exc:
            self.app.notify(str(exc), severity="warning")
            return None
        self.apply_task(task)
        if task.deleted_at is None:
            self.select_task(task.id)
        self.post_message(self.Changed([task.id]))
        return task

    def action_move_card(self: BoardView, step: int) -> None:
        task = self.selected
        if task is not None:
            self.run_write(lambda: self.task_actions.move_by(task, step))

    def action_reorder(self: BoardView, step: int) -> None:
        task, column = self.selected, self._column(self.cursor_col)
        if task is None or column is None:
            return
        if column.status.is_done:
            self.app.notify(f"{column.status.name} is ordered by completion time")
            return
        shown = list(column.visible)
        wanted = self.cursor_row + step
        updated = self.run_write(lambda: self.task_actions.reorder(task, shown, step))
        if updated is not None and 0 <= wanted < len(shown) and self.cursor_row != wanted:
            # The column was renumbered in the store: re-read just this column.
            self.model.replace_column(
                column.status.id, self.store.tasks.list_tasks(status_ids=[column.status.id])
            )
            self.select_task(updated.id)

    def action_mark_done(self: BoardView) -> None:
        task = self.selected
        if task is not None:
            self.run_write(lambda: self.task_actions.mark_done(task))

    def action_mark_blocked(self: BoardView) -> None:
        task = self.selected
        if task is None:
            return
        from mtui.ui.shell.confirm import PromptScreen

        def block(reason: str | None) -> None:
            if reason is not None:
                self.run_write(lambda: self.task_actions.mark_blocked(task, reason))

        prompt = PromptScreen(
            f"What blocks “{task.title}”?", value=task.blocked_reason or "", required=True
        )
        self.app.push_screen(prompt, block)

    def action_copy_title(self: BoardView) -> None:
        """Copy the card's title: the board draws lines, not text widgets, so Textual's
        mouse selection does not reach into cards (the terminal's own shift+drag does)."""
        task = self.selected
        if task is not None:
            self.app.copy_to_clipboard(task.title)
            self.app.notify(f"Copied “{task.title}”", timeout=2)

    def action_delete_task(self: BoardView) -> None:
        task = self.selected
        if task is None:
            return
        if self.run_write(lambda: self.task_actions.delete(task)) is not None:
            self.app.notify(f"Deleted “{task.title}” (u to undo)")

    def action_edit_task(self: BoardView) -> None:
        task = self.selected
        if task is None:
            return
        from mtui.ui.board.edit_modal import EditTaskScreen

        def save(current: Task, changes: dict[str, Any], channel: str | None) -> Task:
            if channel:
                changes["channel_id"] = self.store.tasks.ensure_channel(channel)
                self.lookups = type(self.lookups).load(self.store)
                self._cards.clear()
            try:
                updated = self.task_actions.edit(current, changes)
            except ConflictError:
                self.load()
                raise
            self.apply_task(updated)
            self.select_task(updated.id)
            self.post_message(self.Changed([updated.id]))
            return updated

        def refetch(task_id: int) -> Task:
            return self.store.tasks.get_task(task_id)

        statuses = [c.status for c in self.model.columns]
        screen = self._edit_screen
        if screen is None:
            screen = EditTaskScreen(task, self.lookups, statuses, save, refetch)
            # Installed, so popping it keeps it (and its widgets) for the next open.
            self.app.install_screen(screen, name=f"edit-task-{id(self)}")
            self._edit_screen = screen
        else:
            screen.edit(task, self.lookups, statuses)
        self.app.push_screen(screen)

    def action_edit_notes(self: BoardView) -> None:
        """Edit the notes in $VISUAL/$EDITOR, with the TUI suspended meanwhile."""
        task = self.selected
        if task is None:
            return
        notes = _edit_in_editor(self.app, task.notes)
        if notes is not None and notes != task.notes:
            self.run_write(lambda: self.task_actions.edit(task, {"notes": notes}))


def _edit_in_editor(app, text: str) -> str | None:
    """Run the user's editor on ``text``; None if the editor failed."""
    from textual.app import SuspendNotSupported

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as fh:
        fh.write(text)
        path = Path(fh.name)
    try:
        try:
            with app.suspend():
                code = subprocess.call([*shlex.split(editor), str(path)])
        except SuspendNotSupported:  # headless (tests): nothing to suspend
            code = subprocess.call([*shlex.split(editor), str(path)])
        if code != 0:
            app.notify(f"{editor} exited with {code}; notes unchanged", severity="warning")
            return None
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
