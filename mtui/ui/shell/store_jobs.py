"""Store calls from the TUI, off the event loop, with refusals turned into notices.

Every read or write the app makes after its first frame goes through ``store_job``:
the job runs on the app's ``BackgroundStore`` thread (one at a time, in order), and its
result comes back to the event loop in a callback. A store that refuses (a stale edit,
a read-only file, a locked or damaged database) never crashes the app: the caller's
``on_refused`` puts the screen back as it was, and the user reads why in a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual.worker import Worker

from mtui.core.errors import MtuiError, StoreError
from mtui.core.store.background import BackgroundStore
from mtui.core.store.contract import Store
from mtui.ui.shell.error_notices import ErrorNotices, error_message, refusal_title

__all__ = ["STORE_GROUP", "StoreJobs", "refusal_title"]

STORE_GROUP = "store"
# Thread workers whose results a test (or anything waiting for ``settled``) must see:
# the quick-add preview of a long line.
PREVIEW_GROUP = "preview"
# Thread workers that write a file for the user (the palette's screenshot).
FILE_GROUP = "file"
T = TypeVar("T")
logger = logging.getLogger("mtui.ui")


class StoreJobs(ErrorNotices):
    """Mixed into the app: ``io`` is its background store."""

    io: BackgroundStore

    def store_job(
        self,
        job: Callable[[Store], T],
        on_done: Callable[[T], Any] | None = None,
        on_refused: Callable[[MtuiError], Any] | None = None,
        *,
        quiet: bool = False,
    ) -> Worker[None] | None:
        """Run ``job(store)`` in the background; ``on_done(result)`` or
        ``on_refused(error)`` run on the event loop afterwards. ``quiet`` jobs (the
        change poll) report refusals in the log only."""
        app: Any = self
        if self.io.closed:
            return None

        async def run() -> None:
            try:
                result = await self.io.run(job)
            except MtuiError as exc:
                self._refused(exc, on_refused, quiet)
                return
            except Exception as exc:  # a defect, not the user's doing: keep running
                if self.io.closed:  # the background store shut down: the app is exiting
                    return
                logger.error("store job failed", exc_info=exc)
                self._refused(StoreError(error_message(exc)), on_refused, quiet)
                return
            if on_done is not None and app.is_running:
                try:
                    on_done(result)
                except Exception as exc:  # showing the answer failed: say so, keep running
                    self.report_error(exc)

        worker: Worker[None] = app.run_worker(run(), group=STORE_GROUP, exit_on_error=False)
        return worker

    def _refused(
        self, exc: MtuiError, on_refused: Callable[[MtuiError], Any] | None, quiet: bool
    ) -> None:
        app: Any = self
        if not app.is_running:
            return
        if on_refused is not None:
            try:
                on_refused(exc)  # puts the screen back as the store has it
            except Exception as defect:
                self.report_error(defect)
        if quiet:
            logger.warning("background store job refused: %s", exc)
        else:
            self.report_error(exc)

    async def settled(self) -> None:
        """Wait until every store job given so far is done and its result applied
        (tests, and anything that must see the board in step with the store)."""
        app: Any = self
        for _ in range(10):  # a callback may give another job
            await self.io.drain()
            pending = [
                w
                for w in app.workers
                if w.group in (STORE_GROUP, PREVIEW_GROUP, FILE_GROUP) and not w.is_finished
            ]
            if not pending:
                return
            await app.workers.wait_for_complete(pending)
