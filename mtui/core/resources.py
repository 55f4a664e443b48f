"""Where mtui's shipped data files (migrations, themes) live.

In a built wheel they sit inside the package under ``mtui/_data``; in a source checkout
they sit at the top of the repository. Both layouts are supported so that an editable
install and a wheel behave the same.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # mtui/


def data_dir(name: str) -> Path:
    """Return the directory of shipped data called ``name`` (``migrations`` or ``themes``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mtui is installed without its {name}/ directory")
