"""`mtui web` in a real headless Chromium: the page connects and the board is drawn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import MTUI

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail(
            "CI must have Chromium: .ci/run installs Debian's chromium package", pytrace=False
        )
    pytestmark = pytest.mark.skip(reason="Chromium is not installed here (CI installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"mtui web did not listen on {port}")


@contextmanager
def page_of(port: int) -> Iterator[tuple[Any, list[str]]]:
    """A headless Chromium page on ``mtui web`` at ``port``, with every websocket frame
    it receives (the terminal's output, as text) collected in the list."""
    from playwright.sync_api import sync_playwright

    received: list[str] = []
    wait_for_port(port)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(
            frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))))  # fmt: skip
        try:
            yield page, received
        finally:
            browser.close()


def test_dashboard_renders_in_headless_chromium(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "MTUI_FROZEN_NOW": "2026-11-26T10:00:00", "MTUI_TZ": "Europe/Berlin"}
    server = subprocess.Popen([MTUI, "web", "--demo", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        with page_of(port) as (page, received):
            page.goto(f"http://127.0.0.1:{port}/?delay=1")  # hold the splash: a blank baseline
            splash = tmp_path / "splash.png"
            page.screenshot(path=str(splash))
            page.click("#start")
            page.wait_for_function(
                "document.body.classList.contains('-first-byte')", timeout=60_000
            )
            deadline = time.monotonic() + 60
            while "Backlog" not in "".join(received) and time.monotonic() < deadline:
                page.wait_for_timeout(250)
            page.wait_for_timeout(1000)  # let the terminal draw the last frames
            shot = tmp_path / "web-dashboard.png"
            page.screenshot(path=str(shot))
    finally:
        server.terminate()
        server.wait(timeout=10)

    stream = "".join(received)
    assert "Backlog" in stream and "Doing" in stream, (
        "the board's columns reached the page's terminal"
    )
    assert "Set KPI targets for Q1" in stream, "a demo task title reached the page's terminal"
    # A drawn board (text in many colours) compresses far worse than the splash page.
    assert shot.stat().st_size > 5 * splash.stat().st_size, (
        "the terminal canvas is drawn, not blank"
    )


def test_a_team_board_renders_in_headless_chromium(pg_url: str) -> None:
    """`mtui web` on a board of a PostgreSQL server: each browser session opens that
    board (its URL passed by $MTUI_DB, never on a command line)."""
    from mtui.core.store import open_store
    from tests.support.backends import add

    store = open_store(pg_url, board="standup")
    add(store, "Team board task via web")
    store.close()
    port = free_port()
    server = subprocess.Popen([MTUI, "--db", pg_url, "--board", "standup", "web", "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        with page_of(port) as (page, received):
            page.goto(f"http://127.0.0.1:{port}/?delay=1")
            page.click("#start")
            deadline = time.monotonic() + 60
            while "Team board task" not in "".join(received) and time.monotonic() < deadline:
                page.wait_for_timeout(250)
    finally:
        server.terminate()
        server.wait(timeout=10)
    stream = "".join(received)
    assert "Backlog" in stream, "the board's columns reached the page's terminal"
    assert "Team board task" in stream, "the team board's task reached the page's terminal"
