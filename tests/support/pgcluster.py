"""A throwaway PostgreSQL server for the tests, and a fresh database per test.

One cluster per test process (so per pytest-xdist worker): ``initdb`` into a temporary
directory, listening on 127.0.0.1 and a private unix-socket directory, trust
authentication, ``fsync=off``. It starts in well under a second and is stopped when the
session ends. ``initdb`` refuses to run as root, so as root (CI) the cluster is owned by
the ``postgres`` user and its tools run through ``runuser``.

``$MTUI_TEST_PG_URL`` names an existing server instead (a role that may create
databases and roles); nothing is started then.

Each test gets its own database, created from a template that was migrated once per
session (``CREATE DATABASE … TEMPLATE`` copies files: a few milliseconds), and dropped
afterwards. Without server binaries (and no URL) the tests skip with the reason, except
under ``CI=true``, where they must run.

Registered as a plugin in ``tests/conftest.py``; fixtures: ``pg_server`` (session) and
``pg_url`` (a migrated database of one's own, as a ``postgresql://`` URL).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

TEMPLATE_DB = "mtui_test_template"
SERVER_OWNER = "postgres"  # the OS user owning the cluster when the tests run as root


def server_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's ``bin`` directory (Debian layout first)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PgServer:
    """A server the tests may create databases on; ``url(db)`` names one of them."""

    host: str
    port: int
    user: str
    password: str | None = None
    datadir: Path | None = None  # set when this session started the server
    bindir: Path | None = None
    as_owner: bool = False  # run the server's tools through runuser

    def url(self, dbname: str = "postgres") -> str:
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"postgresql://{auth}@{self.host}:{self.port}/{dbname}"

    def admin(self):
        """An autocommit connection to the server's maintenance database."""
        import psycopg

        return psycopg.connect(self.url(), autocommit=True, connect_timeout=10)

    def stop(self) -> None:
        if self.datadir is None or self.bindir is None:
            return
        _run_tool(
            [str(self.bindir / "pg_ctl"), "stop", "-D", str(self.datadir), "-m", "immediate", "-w"],
            self.as_owner,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _run_tool(args: list[str], as_owner: bool, *, check: bool = True) -> None:
    command = ["runuser", "-u", SERVER_OWNER, "--", *args] if as_owner else args
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr.strip()[-2000:]}")


def start_cluster(bindir: Path) -> PgServer:
    """``initdb`` and start a private cluster; as root, owned by the ``postgres`` user."""
    as_owner = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="mtui-pg-"))
    datadir, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    if as_owner:
        import pwd

        owner = pwd.getpwnam(SERVER_OWNER)
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        base.chmod(0o755)
    _run_tool(
        [str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
         "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
        as_owner,
    )  # fmt: skip
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
        "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    )
    _run_tool(
        [str(bindir / "pg_ctl"), "start", "-D", str(datadir), "-w", "-t", "60",
         "-l", str(base / "server.log"), "-o", options],
        as_owner,
    )  # fmt: skip
    return PgServer("127.0.0.1", port, "postgres", datadir=datadir, bindir=bindir,
                    as_owner=as_owner)  # fmt: skip


def server_from_url(url: str) -> PgServer:
    """A ``PgServer`` for an existing server named by ``$MTUI_TEST_PG_URL``."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    return PgServer(
        parts.hostname or "127.0.0.1",
        parts.port or 5432,
        unquote(parts.username or "postgres"),
        unquote(parts.password) if parts.password else None,
    )


def prepare_template(server: PgServer) -> None:
    """(Re)create the migrated template database the tests' databases are copied from."""
    from mtui.core.store.postgres.migrate import apply_migrations

    with server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}_{_worker()} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE_DB}_{_worker()}")
    apply_migrations(server.url(f"{TEMPLATE_DB}_{_worker()}"))


def _worker() -> str:
    """This process's share of the server (xdist workers never share a database)."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


_counter = itertools.count(1)


def new_database(server: PgServer, *, migrated: bool = True) -> str:
    """A database of one's own (a copy of the migrated template, or empty)."""
    name = f"mtui_t_{_worker()}_{next(_counter)}"
    template = f"TEMPLATE {TEMPLATE_DB}_{_worker()}" if migrated else "TEMPLATE template0"
    with server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} {template}")
    return name


def drop_database(server: PgServer, name: str) -> None:
    with contextlib.suppress(Exception), server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_session: PgServer | None = None
_started: PgServer | None = None
_leftover: list[str] = []


def session_server() -> PgServer:
    """The process's server, started (and its template migrated) on first use.

    Skips the calling test when no server can be had outside CI; under ``CI=true`` that
    is a failure instead. Stopped at exit (``stop_session_server``).
    """
    global _session, _started
    if _session is not None:
        return _session
    url = os.environ.get("MTUI_TEST_PG_URL")
    if url:
        server = server_from_url(url)
    else:
        bindir = server_bin_dir()
        if bindir is None:
            reason = (
                "no PostgreSQL server binaries (apt install postgresql) and no $MTUI_TEST_PG_URL"
            )
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason}: under CI=true the PostgreSQL tests must run")
            pytest.skip(reason)
        server = _started = start_cluster(bindir)
        atexit.register(stop_session_server)
    deadline = time.monotonic() + 30
    while True:  # a shared server may still be starting
        try:
            prepare_template(server)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    _session = server
    return server


def stop_session_server() -> None:
    global _session, _started
    if _session is not None:
        for name in [*_leftover, f"{TEMPLATE_DB}_{_worker()}"]:
            drop_database(_session, name)
    if _started is not None:
        _started.stop()
    _session = _started = None


def fresh_postgres_board(tmp_path: Path | None = None) -> str:
    """The URL of a new, migrated, empty database (the contract suite's board factory);
    dropped when the session ends."""
    server = session_server()
    name = new_database(server)
    _leftover.append(name)
    return server.url(name)


def pytest_sessionfinish(session: pytest.Session) -> None:
    stop_session_server()


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """The session's PostgreSQL server, with a migrated template database."""
    return session_server()


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """The name of a migrated database of this test's own, dropped afterwards."""
    name = new_database(pg_server)
    yield name
    drop_database(pg_server, name)


@pytest.fixture
def pg_url(pg_server: PgServer, pg_database: str) -> str:
    """``postgresql://…`` for this test's own migrated database."""
    return pg_server.url(pg_database)
