"""A store handle that lives on one background thread, for callers that must not wait.

The TUI's event loop never runs a store call: it hands a job (a function of a
``Store``) to a ``BackgroundStore`` and awaits the result. Jobs run one at a time in the
order they were given, on the thread's own handle (``store.admin.worker_handle()``), so a
user's quick succession of moves reaches the store in order, and a wait on another
process's lock or a slow network never lands on the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from mtui.core.store.contract import Store

T = TypeVar("T")


class BackgroundStore:
    """Run jobs against ``store`` on one thread. ``own_handle=False`` uses ``store``
    itself there (a CLI command, where nothing else uses it meanwhile)."""

    def __init__(self, store: Store, *, own_handle: bool = True, name: str = "mtui-store") -> None:
        self._origin = store
        self._own_handle = own_handle
        self._handle: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.closed = False

    def _store(self) -> Store:
        """The thread's handle, opened there on first use."""
        if self._handle is None:
            self._handle = self._origin.admin.worker_handle() if self._own_handle else self._origin
        return self._handle

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        return self._executor.submit(lambda: job(self._store()))

    async def run(self, job: Callable[[Store], T]) -> T:
        """``job(store)`` on the background thread; the caller's loop keeps running."""
        return await asyncio.wrap_future(self.submit(job))

    async def drain(self) -> None:
        """Wait until every job given so far has finished."""
        await asyncio.wrap_future(self._executor.submit(lambda: None))

    def close(self) -> None:
        """Finish the queued jobs, then close the thread's handle (it checkpoints)."""
        if self.closed:
            return
        self.closed = True

        def close_handle() -> None:
            if self._own_handle and self._handle is not None:
                self._handle.close()

        self._executor.submit(close_handle)
        self._executor.shutdown(wait=True)
