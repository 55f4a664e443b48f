"""How errors become exit codes and one line on stderr, without importing click.

Shared by the click CLI and the dashboard fast path in ``mtui.entry``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from mtui.core.errors import DatabaseRefused, MtuiError, NotFound, ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn, TypeVar

    T = TypeVar("T")

BAD_INPUT = (DatabaseRefused, ValidationError, NotFound)


# Set once a command was given --json: then every error is JSON too (see fail).
_errors_as_json = False


def report_errors_as_json() -> None:
    """From now on, errors are one JSON object on stdout (``{"error": "..."}``), so a
    script reading ``--json`` output never has to parse prose."""
    global _errors_as_json
    _errors_as_json = True


def fail(message: str, *, code: int) -> NoReturn:
    if _errors_as_json:
        import json

        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"mtui: {message}", file=sys.stderr)
    sys.exit(code)


def announce_created(path: object) -> None:
    """Said on stderr whenever mtui creates a database (or a team server's board, given
    as ``URL (board 'NAME')``): never a silent new file or board."""
    what = "board on" if "://" in str(path) else "database at"
    print(f"mtui: created new {what} {path}", file=sys.stderr)


def run_reporting_errors(action: Callable[[], T]) -> T:
    """Run ``action``; mtui's errors exit 2 (bad input) or 1, never with a traceback."""
    try:
        return action()
    except BAD_INPUT as exc:
        fail(str(exc), code=2)
    except MtuiError as exc:
        fail(str(exc), code=1)
    except BrokenPipeError:  # e.g. `mtui ls | head`: the reader left, which is fine
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("MTUI_DEBUG") or _is_click_control(exc):
            raise
        fail(f"unexpected error: {type(exc).__name__}: {exc}", code=1)


def _is_click_control(exc: Exception) -> bool:
    """click's own exceptions (usage errors, Exit, Abort) are click's to report."""
    return type(exc).__module__.startswith("click")
