"""Every use of a private Textual API, in one place.

mtui reaches under Textual's public surface in a few spots, each for a measured reason
(start-up time, a modal that opens within a frame, a footer that fits 80 columns, paste
of several lines). Private names change without notice, and an override of a private
method that Textual stops calling fails silently. So they are all here, behind public
names, and ``tests/architecture/test_textual_compat.py`` fails when an upgrade removes
one or stops calling it. Textual is pinned in ``pyproject.toml``; after an upgrade,
run that test first.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.screen import Screen
    from textual.widget import Widget

__all__ = [
    "FatalErrorHook",
    "FixedSizeInput",
    "FooterKey",
    "PasteHook",
    "ScreenPaintHooks",
    "css_generation",
    "dirty_widgets",
    "footer_bindings_ready",
    "has_queued_messages",
    "pump_busy",
    "refresh_ansi_colours",
    "repaint_pending",
]


def css_generation(app: App[Any]) -> int:
    """A counter Textual bumps whenever the app's CSS changes (a theme switch, say)."""
    return int(app._css_update_count)


def repaint_pending(screen: Screen[Any]) -> bool:
    """True when the screen has asked for a full repaint on the next update."""
    return bool(screen._repaint_required)


def dirty_widgets(screen: Screen[Any]) -> set[Widget]:
    """The widgets waiting to be repainted on ``screen``."""
    widgets: set[Widget] = screen._dirty_widgets
    return widgets


def footer_bindings_ready(footer: Widget) -> bool:
    """Whether a ``Footer`` has received its screen's bindings yet."""
    return bool(getattr(footer, "_bindings_ready"))  # noqa: B009 - private, on purpose


def has_queued_messages(pump: MessagePump) -> bool:
    """Whether ``pump`` has messages waiting, or one taken but not yet handled."""
    queue: Any = pump._message_queue
    return bool(queue.qsize() or pump._pending_message is not None)


def pump_busy(pump: MessagePump) -> bool:
    """Whether ``pump`` has messages queued, or is in the middle of handling one.

    Textual's message queue keeps no count of messages in progress; a pump that is
    idle is the one whose task waits on the queue's ``ready_event``. A pump that never
    started, or has closed, handles nothing more (``shell/key_order.py`` uses this to
    deliver keys one at a time).
    """
    if has_queued_messages(pump):
        return True
    if pump._task is None or pump._closed or pump._closing:
        return False
    queue: Any = pump._message_queue
    return not getattr(queue.ready_event, "_waiters", True)


def refresh_ansi_colours(app: App[Any]) -> None:
    """Recompute the mapping from ANSI colours to the theme's (what setting ``app.theme``
    does, for a theme applied without running the theme watcher)."""
    app._refresh_truecolor_filter(app.ansi_theme)


class ScreenPaintHooks:
    """Mixed into a ``Screen`` kept and reused (the edit modal): two private hooks under
    public names. Override ``restyle_on_resume`` and ``skip_compositor_refresh``."""

    def restyle_on_resume(self) -> bool:
        """Whether Textual should restyle every widget when the screen is shown again."""
        return True

    def skip_compositor_refresh(self) -> bool:
        """Whether to skip this paint (a full repaint is already due)."""
        return False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # A message handler: Textual calls each class's own ``_on_screen_resume`` in
        # MRO order, so Screen's runs after this one without a ``super()`` call.
        if not self.restyle_on_resume():
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        if self.skip_compositor_refresh():
            return
        super()._compositor_refresh()  # type: ignore[misc]


class PasteHook:
    """Mixed into an ``Input``: ``handle_paste(text)`` sees a paste before Textual inserts
    it, and returns True when it took care of it."""

    def handle_paste(self, text: str) -> bool:
        return False

    def _on_paste(self, event: events.Paste) -> None:
        # A message handler: Input's own ``_on_paste`` runs after this one unless the
        # default is prevented (no ``super()`` call, which would insert the text twice).
        if self.handle_paste(event.text):
            event.prevent_default()
            event.stop()


class FixedSizeInput:
    """Mixed into an ``Input`` whose size never depends on its text (``1fr`` wide, one
    row): typing does not re-lay out the screen.

    Input's value watcher (``_watch_value``) sets ``virtual_size``, a layout reactive,
    to the text's width, so every keystroke re-arranged every widget on the screen and
    repainted the panes around it. The new width only bounds the input's own
    horizontal scrolling; it is stored here first, without a layout, so Textual's
    assignment finds it unchanged. The input itself is still repainted (``value``
    repaints) and scrolls to the cursor as before."""

    def _watch_value(self, value: str) -> None:
        field: Any = self
        field.set_reactive(type(field).virtual_size, Size(field.content_width, 1))
        super()._watch_value(value)  # type: ignore[misc]


class FatalErrorHook:
    """Mixed into an ``App``: an exception nothing handled ends the app with one line,
    ``fatal_error_text(error)``, instead of Textual's traceback with its local variables
    (which can hold a user's data, and reads as a crash). The exit status is still 1.
    ``MTUI_DEBUG=1`` keeps Textual's traceback for developers.

    Textual's ``_handle_exception`` sets the return code and calls ``_fatal_error``,
    which would render the traceback; this replaces that method only.
    """

    fatal_text: str | None = None  # the line shown, once an error ended the app

    def fatal_error_text(self, error: BaseException | None) -> str:
        return f"unexpected error: {error!r}"

    def _fatal_error(self) -> None:
        app: Any = self
        if os.environ.get("MTUI_DEBUG"):
            super()._fatal_error()  # type: ignore[misc]
            return
        # Called inside the ``except`` that caught it; else the first error the app kept.
        error = sys.exc_info()[1] or app._exception
        self.fatal_text = self.fatal_error_text(error)
        app.bell()
        app._exit_renderables.append(Text(self.fatal_text))
        app._close_messages_no_wait()
