"""The team backend: one board on a PostgreSQL server (``postgresql://…``).

Imported only when a server URL is opened, so the local SQLite path never loads psycopg.
The repositories mirror ``sqlite/`` module for module; ``session.py`` holds the
transaction discipline, ``migrate.py`` the schema, ``url.py`` what may be shown.

Live updates: every write sends ``NOTIFY`` with the board and sequence at commit
(``session._finish``), and ``feed.PgListener`` waits for it on a dedicated connection.

Not here yet (issue 14), with their hooks: row-level security and ``mtui team`` (a viewer's write already comes back as
ReadOnlyError), ``mtui db copy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mtui.core.errors import DatabaseRefused
from mtui.core.store.contract import TransferRepository
from mtui.core.store.postgres.activity import PgActivity
from mtui.core.store.postgres.admin import PgAdmin
from mtui.core.store.postgres.feed import PgFeed
from mtui.core.store.postgres.metrics import PgMetrics
from mtui.core.store.postgres.migrate import (
    MIGRATION_LOCK,
    MIGRATIONS_TABLE,
    SchemaState,
    apply_migrations,
    inspect_schema,
    refuse_pending,
    refuse_unusable,
)
from mtui.core.store.postgres.session import (
    OWNER_CHECK,
    VIEWER_MESSAGE,
    PgSession,
    Tx,
    connect,
)
from mtui.core.store.postgres.settings import PgSettings
from mtui.core.store.postgres.strategy import PgStrategy
from mtui.core.store.postgres.tasks import PgTasks
from mtui.core.store.postgres.transfer import PgTransfer
from mtui.core.store.postgres.url import ServerUrl, parse_server_url

__all__ = ["PgStore", "migrate_server", "open_postgres"]


class PgStore:
    """One board on a server: the repositories share one connection (``PgSession``);
    a ``shared`` handle (``admin.worker_handle``) uses another handle's session and
    leaves it open when closed."""

    def __init__(self, session: PgSession, *, shared: bool = False) -> None:
        self.session = session
        self.shared = shared
        self.tasks = PgTasks(session)
        self.strategy = PgStrategy(session)
        self.metrics = PgMetrics(session)
        self.settings = PgSettings(session)
        self.activity = PgActivity(session)
        self.feed = PgFeed(session)
        self.admin = PgAdmin(session)

    @property
    def transfer(self) -> TransferRepository:
        return PgTransfer(self.session)

    @property
    def actor(self) -> str:
        return self.session.actor

    @contextmanager
    def batch(self) -> Iterator[Tx]:
        with self.session.write() as tx:
            yield tx

    def close(self) -> None:
        if not self.shared:
            self.session.close()


def connect_board(
    url: ServerUrl,
    *,
    migrate: bool,
    actor: str | None,
    read_only: bool,
    create: bool = False,
    on_create: Callable[[str], None] | None = None,
) -> PgSession:
    """Connect, check (and on a new database create) the schema, find or create the board.

    One connection, and as few round trips as the checks allow: over a slow link every
    query costs a round trip before the first frame. On a database that is up to date
    with a board one may open, the schema, who one is, the board and one's access come
    in one round trip after the connection's own (``_quick_checks``)."""
    import psycopg

    from mtui.core.store.postgres.session import translate

    conn = connect(url.conninfo, url.display, url.redact)
    state: SchemaState | None
    try:
        try:
            quick = _quick_checks(url, conn)
            if quick is not None:
                known, found = quick
                refuse_unusable(known, url.display)
                if not known.pending:
                    return _board_session(
                        url, conn, known, migrate=migrate, actor=actor, read_only=read_only,
                        found=found, create=create, on_create=on_create,
                    )  # fmt: skip
            state = inspect_schema(conn)
        except psycopg.Error as exc:
            raise translate(exc, url.display, url.redact) from None
        assert state is not None
        if migrate:
            refuse_unusable(state, url.display)
            refuse_pending(state, url.display)
            if state.pending:  # a new database: nothing to back up
                apply_migrations(url.conninfo, display_url=url.display)
                state = None  # read again below
        return _board_session(url, conn, state, migrate=migrate, actor=actor, read_only=read_only,
                              create=create, on_create=on_create)  # fmt: skip
    except BaseException:
        conn.close()
        raise


# (is the schema's owner, current_user, the board's id or None, one's access or None)
_Found = tuple[bool, str, int | None, str | None]


def _quick_checks(url: ServerUrl, conn) -> tuple[SchemaState, _Found] | None:
    """The applied migrations, who we are, the board and our access on it, pipelined in
    one round trip; None on a database without mtui's schema or the access function
    (a new or an old one: the step-by-step checks say what to do)."""
    import psycopg

    from mtui.core.store.postgres.session import run_pipelined

    try:
        applied, who, access = run_pipelined(
            conn,
            [
                (f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name", []),
                (f"SELECT {OWNER_CHECK}, current_user, (SELECT id FROM board WHERE name = %s)",
                 [url.board]),
                ("SELECT mtui_access((SELECT id FROM board WHERE name = %s), current_user::text)",
                 [url.board]),
            ],
            snapshot=False,
        )  # fmt: skip
    except psycopg.Error:
        if conn.broken:
            raise
        return None
    if not applied:
        return None
    owner, role, board = who[0]
    return SchemaState(tuple(row[0] for row in applied), False), (
        bool(owner),
        role,
        board,
        access[0][0],
    )


def _board_session(
    url: ServerUrl,
    conn,
    state: SchemaState | None,
    *,
    migrate: bool,
    actor: str | None,
    read_only: bool,
    found: _Found | None = None,
    create: bool = False,
    on_create: Callable[[str], None] | None = None,
) -> PgSession:
    import psycopg

    from mtui.core.store.postgres.session import translate

    try:
        state = state or inspect_schema(conn)
        refuse_unusable(state, url.display)
        if state.is_new:
            raise DatabaseRefused(
                f"{url.display} has no mtui schema yet; open it once to create it"
            )
        refuse_pending(state, url.display)
        # Who we are, whether we own the tables, and the board: one round trip.
        if found is None:
            owner, role, board = conn.execute(
                f"SELECT {OWNER_CHECK}, current_user, (SELECT id FROM board WHERE name = %s)",
                [url.board],
            ).fetchone()
            access: str | None = None
            known_access = False
        else:
            owner, role, board, access = found
            known_access = True
        row = None if board is None else (board,)
        if row is None and not owner:  # row-level security hides boards one is not on
            raise DatabaseRefused(
                f"{url.display} has no board named {url.board!r} that you are a member of "
                "(an admin adds you with `mtui team add`)"
            )
        if row is None:
            if not create or not migrate or read_only:  # a typo in --board never makes one
                raise DatabaseRefused(
                    f"{url.display} has no board named {url.board!r} "
                    f"(`mtui team init --board {url.board}` creates it)"
                )
            with conn.transaction():  # under the migration lock: two first opens, one board
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
                conn.execute("SELECT mtui_create_board(%s) WHERE NOT EXISTS "
                             "(SELECT 1 FROM board WHERE name = %s)", [url.board, url.board])  # fmt: skip
            row = conn.execute("SELECT id FROM board WHERE name = %s", [url.board]).fetchone()
            assert row is not None
            known_access = False
            if on_create is not None:  # never a silent new board
                on_create(f"{url.display} (board {url.board!r})")
        who = actor or role
        if owner:
            access = None
        elif not known_access:
            access = conn.execute(
                "SELECT mtui_access(%s, current_user::text)", [row[0]]
            ).fetchone()[0]
    except psycopg.Error as exc:
        raise translate(exc, url.display, url.redact) from None
    if access == "viewer":
        read_only, reason = True, VIEWER_MESSAGE
    else:
        reason = None
    return PgSession(url, conn, row[0], actor=who, read_only=read_only, read_only_reason=reason)


def open_postgres(
    url: str,
    *,
    board: str | None = None,
    migrate: bool = True,
    actor: str | None = None,
    read_only: bool = False,
    create: bool = True,
    on_create: Callable[[str], None] | None = None,
) -> PgStore:
    """Open the board ``board`` (else ``?board=``, else "main") on the server ``url`` names.

    A new, empty database gets the schema; a board that does not exist is created only
    with ``create`` (by the tables' owner; ``on_create`` is told), as a missing file is
    for SQLite. An existing board's schema is never migrated here
    (``migrate.apply_migrations`` does that when asked, after the ``pg_dump`` the
    refusal names). The actor is the database role unless given.
    """
    return PgStore(
        connect_board(
            parse_server_url(url, board=board),
            migrate=migrate,
            actor=actor,
            read_only=read_only,
            create=create,
            on_create=on_create,
        )
    )


def migrate_server(url: str) -> tuple[list[str], str | None]:
    """``mtui db migrate`` on a server: apply what is pending (the caller was told to
    ``pg_dump`` first; mtui writes no backup of a server). No backup path, ever."""
    parsed = parse_server_url(url)
    return apply_migrations(parsed.conninfo, display_url=parsed.display), None
