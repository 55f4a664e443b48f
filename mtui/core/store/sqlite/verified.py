"""Which database files mtui has verified whole, and left unchanged since.

A handle runs ``PRAGMA quick_check`` before its first write, so a damaged file is
refused instead of written into (issue 12). That reads the whole file: about 10 ms at
10,000 tasks, a third of what a one-line ``mtui add`` may take. So when a handle closes
a file that nothing but its own closing checkpoint changed since the handle verified
it, the file's identity and times are remembered (in mtui's cache directory, never next
to the database); the next handle's first write skips the check while the file is still
exactly that. Anything else that writes the file (a copy over it, a restore, a
half-finished transfer, an editor) changes its mtime or ctime, and the check runs again.
Damage that changes no metadata (a failing disk) is found by the next full check, at
most ``MAX_AGE`` later; meanwhile SQLite itself refuses any page a write touches that
does not read as a valid page (SQLITE_CORRUPT: "the database file is damaged").
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import zlib
from pathlib import Path

MAX_AGE = 24 * 3600.0  # a verification older than this is done again
KEEP = 256  # records kept before expired ones are cleared (one per database file)


def fingerprint(path: Path) -> str | None:
    """The file's device, inode, size, mtime and ctime: any write by anything changes
    it (ctime cannot be set back), or None when the file cannot be seen."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def verified_at(path: Path, current: str | None) -> float | None:
    """When ``path`` was last checked whole, if its fingerprint is still ``current``
    and that was less than MAX_AGE ago; else None (check it)."""
    if current is None:
        return None
    record = _record_path(path)
    try:
        text = record.read_text(encoding="utf-8") if record else ""
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    if len(lines) < 3 or lines[0] != _real(path) or lines[1] != current:
        return None
    try:
        when = float(lines[2])
    except ValueError:
        return None
    return when if 0 <= time.time() - when < MAX_AGE else None


def remember(path: Path, current: str | None, when: float) -> None:
    """Record that ``path``, as ``current``, was checked whole at ``when``. A cache: a
    record that cannot be written only means the next write checks again."""
    record = _record_path(path)
    if record is None or current is None:
        return
    temp = record.with_name(f"{record.name}.{os.getpid()}")
    new = not record.exists()
    with contextlib.suppress(OSError):
        record.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(f"{_real(path)}\n{current}\n{when!r}\n", encoding="utf-8")
        os.replace(temp, record)
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)
    if new:
        _prune(record.parent)


def _prune(folder: Path) -> None:
    """Past KEEP records, remove those too old to be trusted anyway (databases deleted
    or not written for a day): the folder never grows without bound."""
    cutoff = time.time() - MAX_AGE
    with contextlib.suppress(OSError):
        entries = list(os.scandir(folder))
        if len(entries) <= KEEP:
            return
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)


def forget(path: Path) -> None:
    """Drop the record (the file was found damaged, or is about to change wholesale)."""
    record = _record_path(path)
    if record is not None:
        with contextlib.suppress(OSError):
            record.unlink(missing_ok=True)


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _record_path(path: Path) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    key = os.fsencode(_real(path))
    return folder / "verified" / f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


def _cache_dir() -> Path | None:
    """mtui's per-user cache folder (platformdirs' choice on Windows)."""
    if sys.platform == "win32":
        from platformdirs import user_cache_path

        return user_cache_path("mtui", appauthor=False)
    if sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    if not os.path.isabs(base):
        return None  # no home to put it in: every first write checks
    return Path(base) / "mtui"
