"""Small apps that host one screen or pane in tests, with the app's background store.

Screens and panes read and write through ``app.store_job`` (never on the event loop), so
a host needs what ``MtuiApp`` has for that: a ``BackgroundStore`` and the ``StoreJobs``
mixin, closed when the app unmounts.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from mtui.core.store.background import BackgroundStore
from mtui.core.store.contract import Store
from mtui.ui.shell.store_jobs import StoreJobs


class StoreHost(StoreJobs, App[None]):
    """An app with a store and its background handle."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.io = BackgroundStore(store)

    def on_unmount(self) -> None:
        self.io.close()


class ScreenHost(StoreHost):
    """Pushes the screen ``factory`` builds as soon as the app is up."""

    def __init__(self, store: Store, factory: Callable[[], Screen]) -> None:
        super().__init__(store)
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


async def settle(pilot) -> None:
    """``run_before`` for snapshots: wait for the store jobs and their repaint."""
    await pilot.app.settled()
    await pilot.pause()
