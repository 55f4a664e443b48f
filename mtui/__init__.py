"""mtui: a keyboard-first terminal dashboard for a marketing team's plan and daily work.

The version comes from the installed package's metadata (one source: pyproject.toml),
read only when asked for, so ``import mtui`` stays free for the start-up path.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("mtui")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'mtui' has no attribute {name!r}")
