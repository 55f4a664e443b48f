"""What only the PostgreSQL backend does with a whole board: more handles, checks, and
saying how to back up (the server's own tool does that, not mtui)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg

from mtui.core.errors import StoreError
from mtui.core.store.postgres.migrate import pg_dump_hint
from mtui.core.store.postgres.session import PgSession, translating

if TYPE_CHECKING:
    from mtui.core.store.postgres import PgStore

# Each query names a problem found on this board (rows returned = problems).
_CHECKS = (
    ("change feed ahead of the board's sequence",
     "SELECT f.seq FROM change_feed f JOIN board b ON b.id = f.board_id "
     "WHERE f.board_id = %s AND f.seq > b.seq LIMIT 5"),
    ("task with a column of another board or none",
     "SELECT t.id FROM task t LEFT JOIN status s ON s.board_id = t.board_id "
     "AND s.id = t.status_id WHERE t.board_id = %s AND s.id IS NULL LIMIT 5"),
    ("task with a version below 1",
     "SELECT id FROM task WHERE board_id = %s AND version < 1 LIMIT 5"),
)  # fmt: skip


@translating
class PgAdmin:
    def __init__(self, session: PgSession) -> None:
        self.session = session

    @property
    def location(self) -> str:
        """The URL without its password, with the board: safe to show, enough to reopen."""
        return self.session.url.location

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    @property
    def board(self) -> str:
        return self.session.url.board

    def new_handle(self) -> PgStore:
        """Another connection to the same board (a worker thread's own)."""
        from mtui.core.store.postgres import PgStore, connect_board

        session = self.session
        return PgStore(
            connect_board(
                session.url, migrate=False, actor=session.actor, read_only=session.read_only
            )
        )

    def worker_handle(self) -> PgStore:
        """This handle's connection, shared with a worker thread of this process (the
        session's lock makes their calls take turns; closing it leaves the session)."""
        from mtui.core.store.postgres import PgStore

        return PgStore(self.session, shared=True)

    def backup(self, target: str, *, overwrite: bool = False) -> None:
        """Refused: a server database is copied with ``pg_dump``, which the message names."""
        raise StoreError(
            f"a team board is backed up with the server's own tool: "
            f"{pg_dump_hint(self.session.url.display).replace('mtui-backup.dump', target)}"
        )

    def integrity_check(self) -> list[str]:
        """Problems found on this board (empty when healthy); never raises."""
        problems: list[str] = []
        try:
            with self.session.read() as conn:
                for what, sql in _CHECKS:
                    ids = [str(row[0]) for row in conn.execute(sql, [self.session.board])]
                    if ids:
                        problems.append(f"{what}: {', '.join(ids)}")
        except (psycopg.Error, StoreError) as exc:
            problems.append(f"integrity check could not run: {self.session.url.redact(str(exc))}")
        return problems
