"""What the dashboard's first frame reads from the store, in one place.

``mtui`` on a team board reads it in the thread that connects while Textual is being
imported (``mtui.entry``), so the first frame waits for no round trip of its own; on a
local file the app reads it when it mounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtui.core.store.contract import BoardStart, Store

# Cards read per column for the first frame: more than any terminal shows at once.
FIRST_PAGE = 60
THEME_SETTING = "theme"  # the theme chosen in the app, remembered on the board


@dataclass(frozen=True)
class FirstReads:
    """The remembered theme and the board's first page (``FIRST_PAGE`` per column)."""

    theme: str | None
    board: BoardStart


def read_first_frame(store: Store) -> FirstReads:
    return FirstReads(
        store.settings.get_setting(THEME_SETTING), store.tasks.board_start(FIRST_PAGE)
    )
