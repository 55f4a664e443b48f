"""Garbage collection is paused while the dashboard starts and frozen after its first frame.

Start-up allocates hundreds of thousands of long-lived objects (modules, classes,
styles). Collecting while they pile up cost 60-80 ms before the first frame, and every
later full collection would walk them all again: a 50-100 ms pause in the middle of a
key press or a metrics poll. After the first frame they are frozen (kept out of the
collector's sight: they live as long as the app) and collection resumes.

A big board's full read is the same kind of heap: 100,000 tasks and their strings live
until the next full read. Left in sight, they made each full collection 60-130 ms, one
every few key presses while filtering; they are frozen as the board swaps them in
(``freeze_long_lived``). Objects frozen and freed later are still freed (by reference
counting; the model holds no reference cycles).
"""

from __future__ import annotations

import gc

_managed = False  # set by the entry points; tests and benches that do not pause are left alone


def pause_until_first_frame() -> None:
    """Call before the dashboard is imported and built (``mtui``, ``mtui demo``)."""
    global _managed
    _managed = True
    gc.disable()


def resume_after_first_frame() -> None:
    """Called by the app after its first frame; does nothing unless paused."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def freeze_long_lived() -> None:
    """Keep what is alive now (a board's full read, just swapped in) out of later
    collections; does nothing unless the entry point manages collection."""
    if _managed and gc.isenabled():
        gc.freeze()
