"""Opening a database file safely.

A file is inspected read-only before anything writes to it, without leaving anything
next to it. Files that are not SQLite (an empty file included), SQLite files that belong
to something else or hold no mtui schema, and mtui databases from a newer release are
refused and left byte-for-byte untouched. An existing database is backed up before any
migration runs. A file mtui may not write (or in a directory it may not write) is opened
read-only. A new database is built in a temporary file next to the target and linked into
place only when complete, so a kill at any moment leaves no file or a usable one.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

from mtui.core import clock
from mtui.core.errors import CorruptError, DatabaseRefused, ReadOnlyError
from mtui.core.resources import data_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "_sqlite_migrations"
BUSY_TIMEOUT_MS = 5000


def _schema_path() -> Path:
    return data_dir("migrations") / "mtui_migrations.py"


@cache
def schema_module() -> ModuleType:
    """Load ``migrations/mtui_migrations.py`` (shipped as data, not as a package).

    Only needed to *apply* migrations: it imports sqlite-utils, which costs start-up
    time that opening an up-to-date database does not need to pay.
    """
    import importlib.util  # only to migrate: opening an up-to-date file never does

    path = _schema_path()
    spec = importlib.util.spec_from_file_location("mtui_migrations", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIGRATION_SET = "mtui"


_MIGRATION_DECORATOR = re.compile(
    r"""@migrations(?:\(\s*name\s*=\s*(["'])(.*?)\1\s*\))?\s*(?:#.*)?"""
)
_FUNCTION = re.compile(r"def\s+(\w+)\s*\(")


@cache
def known_migrations() -> list[str]:
    """The migration names, in order, read from the file without importing it.

    Mirrors sqlite-utils' rule: ``@migrations(name="...")`` or else the function's name,
    on top-level functions. A line scan, not ``ast``: every ``mtui add`` reads this.
    ``tests/store/test_store_opening.py`` checks it against the loaded Migrations object.
    """
    names = []
    decorated: str | None = None  # the name a decorator gave ("" for the function's)
    for line in _schema_path().read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " \t#)]}":
            continue  # indented, a comment, or the end of a bracketed line
        if match := _MIGRATION_DECORATOR.fullmatch(line):
            decorated = match[2] or ""
        elif line.startswith("@"):
            continue  # another decorator on the same function
        elif (match := _FUNCTION.match(line)) and decorated is not None:
            names.append(decorated or match[1])
            decorated = None
        else:
            decorated = None
    return names


CREATING = ".creating-"
MAX_FINDINGS = 50


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's files next to a database: ``-wal``, ``-shm``, ``-journal``."""
    return path.with_name(path.name + suffix)


def damaged_message(path: Path) -> str:
    return f"the database file {path} is damaged: nothing was saved (run `mtui db check`)"


class Inspection:
    """What a read-only look at a file found. (A plain class: building a dataclass costs
    every ``mtui add`` more than this one is worth.)"""

    __slots__ = ("applied", "exists")

    def __init__(self, exists: bool, applied: tuple[str, ...] = ()) -> None:
        self.exists = exists
        self.applied = applied

    @property
    def is_new(self) -> bool:
        return not self.applied


def _look(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates nothing next to ``path``.

    Without a ``-wal`` (no connection has the file open in WAL mode) and without a
    ``-journal`` to roll back, ``immutable=1`` reads the file alone: SQLite then makes no
    ``-wal``/``-shm`` (a plain ``mode=ro`` open of a WAL file leaves both behind, empty,
    next to a file that is then refused). Otherwise those files are SQLite's already. A
    file without a ``-wal`` has no WAL connection open, in this process either, so no
    lock of ours is dropped when this connection closes (see ``inspect_file``).
    """
    alone = not sidecar(path, "-wal").exists() and not sidecar(path, "-journal").exists()
    flags = "mode=ro&immutable=1" if alone else "mode=ro"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)


def inspect_file(path: Path) -> Inspection:
    """Decide whether mtui may open ``path``, without writing to it.

    Raises DatabaseRefused with a one-line reason when it may not.
    """
    if not path.exists():
        return Inspection(exists=False)
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a directory, not an mtui database")
    # No plain open() of the file here: closing any other descriptor on a database this
    # process already has open drops SQLite's POSIX locks, and another process may then
    # delete the WAL under the open connection (its later commits are lost). ``reopen()``
    # comes through here. SQLite itself reads the header instead.
    if path.stat().st_size == 0:
        raise DatabaseRefused(
            f"{path} is an empty file, not an mtui database; mtui left it untouched "
            "(remove it to start a new database there)"
        )
    try:
        conn = _look(path)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            applied: tuple[str, ...] = ()
            if MIGRATIONS_TABLE in tables:
                applied = tuple(
                    row[0]
                    for row in conn.execute(
                        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
                        [MIGRATION_SET],
                    )
                )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseRefused(
                f"{path} is not an SQLite database; mtui left it untouched"
            ) from exc
        raise DatabaseRefused(
            f"{path} could not be read as SQLite ({exc}); mtui left it untouched"
        ) from exc
    if not applied:
        what = "holds no tables" if not tables else "is not an mtui one"
        raise DatabaseRefused(f"{path} is an SQLite database but {what}; mtui left it untouched")
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        raise DatabaseRefused(
            f"{path} was written by a newer mtui (schema {unknown[-1]}); "
            "upgrade mtui to open it. The file was left untouched"
        )
    return Inspection(exists=True, applied=applied)


def pending_migrations(inspection: Inspection) -> list[str]:
    return [name for name in known_migrations() if name not in inspection.applied]


def backup_path_for(path: Path) -> Path:
    stamp = clock.now().in_timezone("UTC").format("YYYYMMDD-HHmmss")
    return path.with_name(f"{path.name}.bak-{stamp}")


def backup_to(conn: sqlite3.Connection, target: Path, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of the open database with SQLite's online backup API.

    The copy is built in a temporary file next to ``target`` and moved into place when
    complete, so ``target`` is never half-written. An existing ``target`` is refused
    unless ``overwrite``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        raise DatabaseRefused(f"{target} is a directory")
    if not overwrite and target.exists():
        raise DatabaseRefused(f"{target} exists; use --force to overwrite it")

    def build(temp: Path) -> None:
        dest = sqlite3.connect(temp)
        try:
            conn.backup(dest)
        finally:
            dest.close()

    _build_then_place(target, build, replace=overwrite)
    return target


def _temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}{CREATING}{os.getpid()}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a leftover of an earlier process that had this pid
    if os.name != "posix":
        return True  # os.kill(pid, 0) is no probe there: leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(path: Path) -> None:
    """Remove what a killed creation left next to ``path`` (its temporary file and that
    file's journal); a creation still running in a live process is left alone."""
    prefix = f".{path.name}{CREATING}"
    try:
        entries = [entry for entry in os.scandir(path.parent) if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        digits = entry.name[len(prefix) :].split("-", 1)[0]
        if digits.isdigit() and not _alive(int(digits)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _remove_temp(temp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            sidecar(temp, suffix).unlink()


def _fsync(path: Path, *, directory: bool = False) -> None:
    if directory and not hasattr(os, "O_DIRECTORY"):
        return  # a directory cannot be opened for fsync there
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _build_then_place(target: Path, build: Callable[[Path], None], *, replace: bool) -> bool:
    """Build a file at a temporary name next to ``target``, then put it in place.

    ``replace=False`` links it (``os.link`` fails if ``target`` appeared meanwhile: the
    other file wins and False is returned); ``replace=True`` renames over ``target``.
    The temporary file is removed in every case; a kill leaves at most the temporary
    file, which ``remove_stale_temps`` clears later and nothing mistakes for a database.
    """
    remove_stale_temps(target)
    temp = _temp_for(target)
    _remove_temp(temp)
    try:
        build(temp)
        _fsync(temp)
        if replace:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links
                if target.exists():
                    return False
                os.replace(temp, target)
        _fsync(target.parent, directory=True)
        return True
    finally:
        _remove_temp(temp)


def create_database(path: Path, *, create_parent: bool = False) -> bool:
    """Create a new mtui database at ``path``: True if this call created it, False if
    another process did first (its file is then used).

    Built complete (every migration applied, in WAL mode, closed so no journal or WAL is
    left) under a temporary name, then linked into place: a kill at any point leaves no
    database or a complete one. The directory must exist unless ``create_parent``.
    """
    if not path.parent.is_dir():
        if not create_parent:
            raise DatabaseRefused(
                f"{path.parent} does not exist; create the directory first (mtui does not)"
            )
        path.parent.mkdir(parents=True, exist_ok=True)

    def build(temp: Path) -> None:
        conn = sqlite3.connect(temp)
        try:
            configure(conn)
            apply_migrations(conn)
            conn.commit()
            # Recorded in the header; closing the only connection removes the -wal again.
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()

    try:
        return _build_then_place(path, build, replace=False)
    except (OSError, sqlite3.Error) as exc:
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyError(
                f"cannot create {path}: its directory is read-only; nothing was saved"
            ) from exc
        if isinstance(exc, OSError):
            raise DatabaseRefused(f"cannot create {path}: {exc.strerror or exc}") from exc
        raise


def configure(conn: sqlite3.Connection) -> None:
    """Per-connection settings every mtui connection needs."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL makes every acknowledged commit survive a crash or power loss.
    conn.execute("PRAGMA synchronous = FULL")


def writable(path: Path) -> bool:
    """Whether mtui may write ``path``: the file, and its directory (for the -wal/-shm)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that leaves nothing behind.

    With no ``-wal`` next to the file nobody has it open and everything committed is in
    the file itself, which is then read as immutable (a snapshot: later changes by
    others are not followed). A plain ``mode=ro`` open would create ``-wal``/``-shm``
    owned by this user, which can lock the file's owner out of their own database. With
    a ``-wal`` there, SQLite reads through it if its ``-shm`` allows, else the refusal
    says why.
    """
    wal = sidecar(path, "-wal")
    alone = not wal.exists() and not sidecar(path, "-journal").exists()
    flags = "mode=ro&immutable=1" if alone else "mode=ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise ReadOnlyError(
            f"{path} is read-only and has changes in {wal.name} that mtui cannot read "
            f"({exc}); open it once where it can be written"
        ) from exc
    return conn


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise CorruptError when ``PRAGMA quick_check`` finds damage (about 10 ms on a
    10,000-task database). ``LIMIT 1``: Python's cursor reads one row ahead, and on a
    damaged file that read raises and hides the row that said what was wrong."""
    try:
        row = conn.execute("SELECT * FROM pragma_quick_check LIMIT 1").fetchone()
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if not name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise
        raise CorruptError(damaged_message(path)) from exc
    if row is None or row[0] != "ok":
        raise CorruptError(damaged_message(path))


def integrity_findings(conn: sqlite3.Connection, limit: int = MAX_FINDINGS) -> list[str]:
    """What ``PRAGMA integrity_check`` finds, one line per finding, at most ``limit``.

    SQLite may report findings and then stop with SQLITE_CORRUPT where a page cannot be
    read; Python's cursor reads a row ahead, so that error would hide what was found.
    ``LIMIT n`` stops SQLite before the failing step: the longest prefix that reads
    without error is found by doubling, then bisecting, and the stop is itself a finding.
    """
    query = "SELECT * FROM pragma_integrity_check(?) LIMIT ?"

    def first(n: int) -> list[str] | None:
        try:
            return [row[0] for row in conn.execute(query, (limit, n))]
        except sqlite3.DatabaseError:
            return None

    try:
        rows = [row[0] for row in conn.execute(query, (limit, limit + 1))]
        stopped: str | None = None
    except sqlite3.DatabaseError as exc:
        stopped = f"the check stopped early: {exc}"
        good, bad = 0, limit + 1
        n = 1
        while n < bad:
            if first(n) is None:
                bad = n
                break
            good, n = n, n * 2
        while bad - good > 1:
            mid = (good + bad) // 2
            if first(mid) is None:
                bad = mid
            else:
                good = mid
        rows = (first(good) or []) if good else []
    lines = [
        line.strip()
        for row in rows
        if row != "ok"
        for line in str(row).splitlines()
        if line.strip() and line.strip() != "*** in database main ***"
    ]
    if stopped:
        lines.append(stopped)
    return lines


class Opened:
    """An open connection and what opening it did (a plain class, as ``Inspection``)."""

    __slots__ = ("backup", "conn", "created", "migrated", "read_only")

    def __init__(
        self,
        conn: sqlite3.Connection,
        backup: Path | None = None,
        read_only: bool = False,
        created: bool = False,
        migrated: tuple[str, ...] = (),
    ) -> None:
        self.conn = conn
        self.backup = backup
        self.read_only = read_only
        self.created = created
        self.migrated = migrated


def open_database(
    path: Path, *, migrate: bool = True, create: bool = True, create_parent: bool = False
) -> Opened:
    """Open (creating or migrating as needed) an mtui database.

    A missing file is created only with ``create`` (else DatabaseRefused). A file mtui
    cannot write is opened read-only. Before a migration the file is checked
    (``quick_check``) and backed up; with ``migrate=False`` a database that needs
    migrating is refused instead.
    """
    inspection = inspect_file(path)
    created = False
    if not inspection.exists:
        if not create:
            raise DatabaseRefused(
                f"no mtui database at {path} (`mtui add` or `mtui` creates one; "
                "check --db / $MTUI_DB)"
            )
        created = create_database(path, create_parent=create_parent)
        inspection = inspect_file(path)
    pending = pending_migrations(inspection)
    if pending and not migrate:
        raise DatabaseRefused(
            f"{path} needs migrating ({', '.join(pending)}); run `mtui db migrate`"
        )
    if not writable(path):
        if pending:
            raise ReadOnlyError(
                f"{path} needs migrating ({', '.join(pending)}) but is read-only; nothing was saved"
            )
        conn = _open_read_only(path)
        configure(conn)
        return Opened(conn, read_only=True)
    if migrate and not created:
        # A creation killed after its file was linked into place leaves the temporary
        # file behind; the first open that may write clears it (a directory listing).
        remove_stale_temps(path)
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        configure(conn)
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        backup: Path | None = None
        if pending:
            quick_check(conn, path)
            backup = backup_to(conn, backup_path_for(path))
            apply_migrations(conn)
    except BaseException:
        conn.close()
        raise
    return Opened(conn, backup=backup, created=created, migrated=tuple(pending))


def migrate_file(
    path: Path, *, create_parent: bool = False, on_create: Callable[[Path], None] | None = None
) -> tuple[list[str], str | None]:
    """Apply what is pending at ``path`` (creating a new database if there is none): the
    migration names, and the backup's path. A damaged file is refused (CorruptError)."""
    opened = open_database(path, create_parent=create_parent)
    try:
        if opened.created:
            if on_create:
                on_create(path)
            return list(known_migrations()), None
        if not opened.backup:
            quick_check(opened.conn, path)
            return [], None
        return list(opened.migrated), str(opened.backup)
    finally:
        opened.conn.close()


def apply_migrations(conn: sqlite3.Connection) -> None:
    """Run the pending sqlite-utils migrations on ``conn``."""
    from sqlite_utils import Database

    db = Database(conn)
    try:
        schema_module().migrations.apply(db)
    except sqlite3.OperationalError:
        # Another process created the same schema a moment earlier; what is
        # still pending after that (usually nothing) is applied now.
        schema_module().migrations.apply(db)
