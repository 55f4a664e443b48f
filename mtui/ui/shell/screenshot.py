"""The palette's "Screenshot": an SVG of the screen, saved where the user will find it.

Textual's own command delivers the file to a downloads folder that a terminal session may
not have (it failed with "Failed to save screenshot"). mtui writes it to the current
folder, or to mtui's data folder when the current one is not writable, from a thread,
and says where in a notice.
"""

from __future__ import annotations

from pathlib import Path

from mtui.core import clock
from mtui.core.config.db_location import data_dir


def screenshot_name() -> str:
    return f"mtui_{clock.now().format('YYYY-MM-DD_HH-mm-ss')}.svg"


def save_svg(svg: str, name: str) -> Path:
    """Write ``svg`` as ``name`` in the current folder, else in mtui's data folder; the
    path written. OSError when neither can be written."""
    try:
        target = Path.cwd() / name
        target.write_text(svg, encoding="utf-8")
        return target
    except OSError:
        pass
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_text(svg, encoding="utf-8")
    return target
