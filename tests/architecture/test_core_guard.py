"""The core must stay free of Textual: the CLI and a future server share it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import mtui.core


def core_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(mtui.core.__path__, "mtui.core.")]


def test_core_imports_no_textual() -> None:
    modules = core_modules()
    assert "mtui.core.store.sqlite.tasks" in modules and len(modules) > 10
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"mtui.core pulled in Textual: {result.stdout}"


def test_metrics_and_the_app_import_no_cryptography() -> None:
    """The google extra is optional and slow to import: only a token request loads it."""
    script = (
        "import sys, mtui.core.metrics, mtui.core.metrics.presets, mtui.ui.app\n"
        "from mtui.core.metrics import fetch_source, poll_sources\n"
        "from mtui.core.metrics.presets import presets\n"
        "presets()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_cli_fast_paths_import_no_textual() -> None:
    script = "import sys, mtui.cli; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "module",
    [
        "httpx",  # loaded by the first metrics poll
        "cryptography",  # only for a Google service-account source's token request
        "mtui.core.language.filter_query",  # the filter language, on the first "/" or text fold
        "mtui.core.language.quickadd",  # behind it, and behind the quick-add screen
    ],
)
def test_dashboard_start_up_leaves_for_later(module: str) -> None:
    """What the first frame does not need is loaded after it, not before."""
    script = (
        "import sys, mtui.ui.app, mtui.ui.metrics.strip, mtui.ui.strategy.brief_pane\n"
        f"print({module!r} in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
