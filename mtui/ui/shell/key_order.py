"""Keys in order at any typing speed: each key is handled to the end before the next.

Textual hands a key to the focused widget's message queue and goes on with the next
one at once. The key then bubbles up to the app, where the bindings run, and focus
moves later still (``Widget.focus`` is itself a queued callback). Keys that arrive in
one burst (a fast typist, a paste without bracketed-paste mode, a laggy SSH link) are
therefore all delivered to the widget that had focus before the first of them was
handled: ``/abcdef`` typed the ``a`` on the board (which opened quick-add), and
``Tab`` then ``attract`` in a form typed ``attract`` into the field Tab was leaving.

``OrderedInput`` (mixed into the app) holds keys and pastes back while the previous
one is still being handled: the next is delivered only when the app and every widget
of the screen on top have no message left (the key has bubbled to its end, the action
it ran is done, and the focus it asked for has moved). A key that cannot settle (a
widget that stays busy) is let through after ``MAX_HOLD`` seconds.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import Any

from textual import events

from mtui.ui.textual_compat import has_queued_messages, pump_busy

MAX_HOLD = 2.0  # seconds a key waits at most for the previous one to settle
_SPINS = 50  # settle checks per app callback before giving the app's queue a turn
_QUICK_SPINS = 3  # checks with no sleep (most keys settle within a few loop turns)


class OrderedInput:
    """Mixed into the App before ``App``: keys and pastes are handled one at a time."""

    _input_backlog: deque[events.Event]
    _input_held_since: float | None = None  # when the key being handled was delivered

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            backlog = self.__dict__.setdefault("_input_backlog", deque())
            if self._input_held_since is not None or backlog:
                backlog.append(event)
                return
            await self._deliver_input(event)
            return
        await super().on_event(event)  # type: ignore[misc]

    async def _deliver_input(self, event: events.Event) -> None:
        app: Any = self
        self._input_held_since = monotonic()
        await super().on_event(event)  # type: ignore[misc]
        app.call_later(self._release_input)

    def _screen_busy(self) -> bool:
        app: Any = self
        try:
            nodes = app.screen.walk_children(with_self=True)
        except Exception:  # no screen (starting up or closing): nothing to wait for
            return False
        return any(pump_busy(node) for node in nodes)

    async def _release_input(self) -> None:
        """Deliver the next held key once the last one has settled (an app callback)."""
        app: Any = self
        held = self._input_held_since
        if held is None:
            return
        for spin in range(_SPINS):
            if monotonic() - held > MAX_HOLD:
                break
            if has_queued_messages(app):
                # Something for the app itself (the key bubbling back, a focus change
                # it asked for): let it run first, then look again.
                app.call_later(self._release_input)
                return
            if not self._screen_busy():
                break
            await asyncio.sleep(0 if spin < _QUICK_SPINS else 0.002)
        else:
            app.call_later(self._release_input)
            return
        self._input_held_since = None
        backlog = self.__dict__.get("_input_backlog")
        if backlog and app.is_running:
            await self._deliver_input(backlog.popleft())
