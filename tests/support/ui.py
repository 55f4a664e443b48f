"""Helpers for the Pilot tests of the dashboard (not a conftest plugin: import it)."""

from __future__ import annotations

from mtui.core.model import Task


def board_text(app) -> str:
    """What the board shows right now, as plain text (one line per row)."""
    board = app.board
    return "\n".join(
        "".join(segment.text for segment in board.render_line(y)) for y in range(board.size.height)
    )


def keys(text: str) -> list[str]:
    """Key names that type ``text`` (``@`` is "at", ``#`` is "number_sign", ...)."""
    from textual.keys import _character_to_key

    return [_character_to_key(ch) for ch in text]


def find(store, title: str) -> Task:
    return next(t for t in store.tasks.list_tasks() if t.title == title)


def select(app, store, title: str) -> Task:
    """Put the board's cursor on the task called ``title`` and return it."""
    task = find(store, title)
    assert app.board.select_task(task.id), f"{title!r} is not on screen"
    return task


def status_id(store, name: str) -> int:
    return next(s.id for s in store.tasks.statuses() if s.name == name)


async def type_burst(pilot, text: str) -> None:
    """Type ``text`` as a burst of key events, as a fast typist (or a terminal replaying
    input) delivers them: the keys are queued at once and the app is awaited after the
    last, not after each (``pilot.press`` waits ≥ 40 ms per key for the app to idle)."""
    from textual import events
    from textual.keys import _character_to_key

    driver = pilot.app._driver
    for ch in text:
        key = "space" if ch == " " else ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


async def wait_for(pilot, condition, what: str) -> None:
    """Let the app run until ``condition()`` holds (a bound on waiting, not a timing
    test): fails naming ``what`` if it never does within ~20 s."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")
