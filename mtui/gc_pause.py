"""Garbage collection is paused while the dashboard starts and frozen after its first frame.

Start-up allocates hundreds of thousands of long-lived objects (modules, classes,
styles). Collecting while they pile up cost 60-80 ms before the first frame, and every
later full collection would walk them all again: a 50-100 ms pause in the middle of a
key press or a metrics poll. After the first frame they are frozen (kept out of the
collector's sight: they live as long as the app) and collection resumes.
"""

from __future__ import annotations

import gc


def pause_until_first_frame() -> None:
    """Call before the dashboard is imported and built (``mtui``, ``mtui demo``)."""
    gc.disable()


def resume_after_first_frame() -> None:
    """Called by the app after its first frame; does nothing unless paused."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
