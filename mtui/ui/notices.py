"""Background events worth a notification: a metric source failing, another process's
task changes merged into the board.

Both watchers are cheap (one small query each) and run only when the database changed
(the app's ``PRAGMA data_version`` poll), never per key press.
"""

from __future__ import annotations

from collections.abc import Callable

from mtui.core.store.base import Store


class SourceWatch:
    """Remembers each source's last status; reports sources that just started failing."""

    def __init__(self) -> None:
        self._status: dict[int, str | None] = {}

    def check(self, store: Store) -> list[str]:
        messages = []
        for source in store.metric_sources():
            before = self._status.get(source.id, "ok")
            self._status[source.id] = source.last_status
            if source.last_status == "error" and before != "error":
                error = (source.last_error or "failed").splitlines()[0][:120]
                messages.append(f"{source.name}: {error} (last good value kept)")
        return messages


class ExternalWatch:
    """Counts tasks that other processes changed since the last check.

    ``own_actions`` returns this session's action ids (undo/redo stacks), whose events
    are the user's own and need no notice.
    """

    def __init__(self, store: Store, own_actions: Callable[[], set[str]]) -> None:
        self.store = store
        self.own_actions = own_actions
        self._seen = store.log_mark()

    def check(self) -> int:
        events = self.store.events(after_id=self._seen)
        if not events:
            return 0
        self._seen = events[-1].id
        own = self.own_actions()
        return len({e.task_id for e in events if e.action_id not in own})
