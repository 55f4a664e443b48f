"""Running the installed ``mtui`` as an unprivileged user, for tests of file modes.

CI runs as root, which ignores file modes; ``setpriv`` drops to uid/gid 65534 (nobody).
The interpreter may live where nobody cannot look (``/root/.pyenv``), so the process keeps
one capability, CAP_DAC_READ_SEARCH: it may *read* and *search* any file and directory,
but every write is checked against the modes like any user's (and ``os.access`` ignores
capabilities altogether), which is what these tests are about.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli import run_mtui

NOBODY = 65534
SETPRIV = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
           "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", "--"]  # fmt: skip


def require_setpriv() -> None:
    """Skip (outside CI) where the tests cannot switch user; fail in CI."""
    problem = None
    if os.geteuid() != 0:
        problem = "switching to uid 65534 needs root"
    elif shutil.which("setpriv") is None:
        problem = "setpriv (util-linux) is not installed"
    else:
        probe = subprocess.run([*SETPRIV, "true"], capture_output=True, text=True)
        if probe.returncode != 0:
            problem = f"setpriv cannot drop to uid 65534 here: {probe.stderr.strip()}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@contextmanager
def nobody_dir() -> Iterator[Path]:
    """A fresh directory under /tmp (mode 0755, owned by root): nobody can read in it
    but not write; chmod/chown what a test needs."""
    path = Path(tempfile.mkdtemp(prefix="mtui-nobody-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_mtui_as_nobody(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``run_mtui`` as uid 65534 (HOME in /tmp, so nothing is looked up in /root)."""
    return run_mtui(*args, db=db, env={"HOME": "/tmp"}, prefix=SETPRIV)
