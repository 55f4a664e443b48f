"""Errors in the TUI become notices on screen; only a defect ends the app, in one line.

A store that refuses (a read-only or locked file, a damaged one, a stale edit) or any
other ``MtuiError`` is the user's situation, not a crash: the app says what happened in
a notice ("the database is read-only: nothing was saved") and keeps running. An
unexpected exception in background work is logged and shown as "unexpected error: …;
nothing was saved". Key actions (every binding, palette command and ``run_action``) go
through ``run_action``, so an ``MtuiError`` from any of them is a notice too.

What still escapes is a defect: Textual ends the app, and ``FatalErrorHook`` makes that
one line ("mtui: …") with exit status 1 instead of a traceback with local variables.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ConflictError, MtuiError
from mtui.ui.textual_compat import FatalErrorHook

logger = logging.getLogger("mtui.ui")


def refusal_title(exc: BaseException) -> str:
    if isinstance(exc, ConflictError):
        return "Changed elsewhere"
    return "Not saved" if isinstance(exc, MtuiError) else "Error"


def error_message(exc: BaseException) -> str:
    """What the user reads: an ``MtuiError``'s own words, else what kind of defect."""
    if isinstance(exc, MtuiError):
        return str(exc)
    return f"unexpected error: {type(exc).__name__}: {exc}; nothing was saved"


def fatal_line(exc: BaseException | None) -> str:
    """The one line printed when an error ends the app."""
    if isinstance(exc, MtuiError):
        return f"mtui: {exc}"
    if exc is None:
        return "mtui: unexpected error"
    return f"mtui: unexpected error: {type(exc).__name__}: {exc} (MTUI_DEBUG=1 shows more)"


def report_error(app: Any, exc: BaseException, *, quiet: bool = False) -> None:
    """``app.report_error`` for a screen that may be hosted by any app."""
    reporter = getattr(app, "report_error", None)
    if reporter is not None:
        reporter(exc, quiet=quiet)
    elif not quiet:
        app.notify(error_message(exc), title=refusal_title(exc), severity="error", timeout=6)


class ErrorNotices(FatalErrorHook):
    """Mixed into the app (before ``App``): ``report_error`` and the safety nets."""

    def report_error(self, exc: BaseException, *, quiet: bool = False) -> None:
        """Show ``exc`` as a notice (``quiet``: in the log only), never raise it."""
        app: Any = self
        if not isinstance(exc, MtuiError):
            logger.error("unexpected error", exc_info=exc)
        if quiet or not app.is_running:
            logger.warning("%s", error_message(exc))
            return
        app.notify(error_message(exc), title=refusal_title(exc), severity="error", timeout=6)

    async def run_action(
        self,
        action: Any,
        default_namespace: Any = None,
        namespaces: Mapping[str, Any] | None = None,
    ) -> bool:
        """Every key binding and palette command runs here: a refusal is a notice."""
        try:
            handled: bool = await super().run_action(  # type: ignore[misc]
                action, default_namespace, namespaces
            )
        except MtuiError as exc:
            self.report_error(exc)
            return True
        return handled

    def fatal_error_text(self, error: BaseException | None) -> str:
        if error is not None and not isinstance(error, MtuiError):
            logger.error("fatal error", exc_info=error)
        return fatal_line(error)
