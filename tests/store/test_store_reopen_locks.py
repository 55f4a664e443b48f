"""Regression: ``store.admin.new_handle()`` must not drop this process's SQLite locks.

It used to read the file header with a plain ``open()``; closing that descriptor released
the process's POSIX locks, another process then deleted the WAL under the open
connection, and every later commit of the app was lost.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def test_reopen_keeps_the_wal_and_later_commits(store):
    wal = str(store.admin.path) + "-wal"
    store.settings.set_setting("a", "1")
    second = store.admin.new_handle()
    # Another process opens and closes the file (as `mtui ls` does).
    code = f"import sqlite3; c = sqlite3.connect({str(store.admin.path)!r}); c.execute('select 1'); c.close()"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert os.path.exists(wal)
    store.settings.set_setting("b", "2")
    reader = sqlite3.connect(store.admin.path)
    try:
        assert reader.execute("SELECT value FROM setting WHERE key = 'b'").fetchone() == ("2",)
    finally:
        reader.close()
        second.close()
