"""The real ``mtui`` in a real terminal: a tmux session on a private socket.

``Terminal.start`` runs a command in a detached tmux pane; ``wait_for`` polls the screen
as a user would read it, ``press`` sends keys, and ``exit_status`` waits for the command
to end (the pane stays, so what it printed last can still be read). Each terminal has its
own tmux server, killed afterwards, so tests run in parallel.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import MTUI

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def tmux_or_skip() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is needed for the terminal tests (CI installs it)")
        pytest.skip("tmux is not installed")
    return tmux


def mtui_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "MTUI_CONFIG_DIR": str(FIXTURES / "no-config"), "TERM": "xterm-256color"}
    env.pop("MTUI_DB", None)
    env.pop("MTUI_DEBUG", None)
    env.update(extra)
    return env


class Terminal:
    def __init__(self, tmux: str, folder: Path) -> None:
        self.tmux = tmux
        self.socket = f"mtui-test-{uuid.uuid4().hex[:12]}"
        self.status_file = folder / f"{self.socket}.status"

    def _run(self, *args: str) -> str:
        return subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=True
        ).stdout

    def start(
        self,
        *args: str,
        prefix: list[str] | None = None,
        env: dict[str, str] | None = None,
        width: int = 120,
        height: int = 36,
    ) -> None:
        """Run the installed ``mtui ARGS`` in the pane (after ``prefix``, e.g. setpriv)."""
        command = shlex.join([*(prefix or []), MTUI, *args])
        script = f"{command}; echo $? > {shlex.quote(str(self.status_file))}; sleep 120"
        subprocess.run(
            [self.tmux, "-L", self.socket, "-f", "/dev/null", "new-session", "-d",
             "-x", str(width), "-y", str(height), "sh", "-c", script],
            env=env or mtui_env(), check=True,
        )  # fmt: skip

    def screen(self) -> str:
        """What the pane shows now, and what scrolled off it."""
        return self._run("capture-pane", "-p", "-J", "-S", "-200")

    def wait_for(self, text: str, timeout: float = 20, *, count: int = 1) -> str:
        """Wait until ``text`` is shown (``count`` times at once, e.g. two notices)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if shown.count(text) >= count:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")
            time.sleep(0.1)

    def wait_until_gone(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text not in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} is still shown:\n{shown}")
            time.sleep(0.1)

    def press(self, *keys: str) -> None:
        for key in keys:
            self._run("send-keys", "-t", "0", key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", "0", "-l", text)

    def exited(self) -> bool:
        return self.status_file.exists() and self.status_file.read_text().strip() != ""

    def exit_status(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                raise AssertionError(f"mtui is still running; the screen shows:\n{self.screen()}")
            time.sleep(0.1)
        return int(self.status_file.read_text().strip())

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)


def open_terminal(tmp_path: Path) -> Iterator[Terminal]:
    """For a test module's fixture: ``yield from open_terminal(tmp_path)``."""
    term = Terminal(tmux_or_skip(), tmp_path)
    try:
        yield term
    finally:
        term.close()
