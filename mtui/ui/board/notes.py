"""A task's notes beyond the text field: the links in them, and the user's own editor.

Notes are edited in the edit modal's text area by default. ``$VISUAL``/``$EDITOR`` is
used only when the user set one: nobody is dropped into vi by surprise.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.markup import escape
from textual.widgets import Static

from mtui.core.language.links import find_links


def user_editor() -> str | None:
    """The editor the user chose ($VISUAL, then $EDITOR), or None: never a default."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def editor_name() -> str | None:
    """The user's editor as a short name (``vim``, not ``/usr/bin/vim -f``)."""
    editor = user_editor()
    if editor is None:
        return None
    try:
        words = shlex.split(editor)
    except ValueError:
        return editor
    return Path(words[0]).name if words else editor


def edit_in_editor(app, text: str) -> str | None:
    """Run the user's editor on ``text`` with the TUI suspended; None if there is no
    editor or it failed (the user is told which)."""
    from textual.app import SuspendNotSupported

    editor = user_editor()
    if editor is None:
        app.notify("Set $EDITOR to edit notes in your own editor", severity="warning")
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as fh:
        fh.write(text)
        path = Path(fh.name)
    try:
        try:
            with app.suspend():
                code = subprocess.call([*shlex.split(editor), str(path)])
        except SuspendNotSupported:  # headless (tests): nothing to suspend
            code = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            app.notify(f"Could not run {editor}: {exc.strerror}", severity="error")
            return None
        if code != 0:
            app.notify(f"{editor} exited with {code}; notes unchanged", severity="warning")
            return None
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


class NotesLinks(Static):
    """The links in the notes, one a line; a click opens one in the browser."""

    DEFAULT_CSS = """
    NotesLinks { height: auto; color: $text-muted; padding: 0 0 0 1; }
    NotesLinks.-empty { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.links: list[str] = []
        self.add_class("-empty")

    def show_links(self, notes: str) -> bool:
        """List the links in ``notes``; redrawn (and True) only when they changed."""
        links = find_links(notes)
        if links == self.links:
            return False
        self.links = links
        self.set_class(not links, "-empty")
        lines = ["Links (click to open, ctrl+o opens the one at the cursor):"]
        lines += [f"[@click=open_link({i})]↗ {escape(url)}[/]" for i, url in enumerate(links)]
        self.update("\n".join(lines))
        return True

    def action_open_link(self, index: int) -> None:
        if 0 <= index < len(self.links):
            self.app.open_url(self.links[index])
            self.app.notify(f"Opening {self.links[index]}", timeout=3)
