"""What a ``postgresql://`` URL names: the server, the board, and what is safe to show.

libpq reads the URL itself (``sslmode``, ``host=/socket/dir``, ``PGPASSWORD``,
``~/.pgpass`` and ``PGSERVICE`` all work as usual), but it rejects query parameters it
does not know, so mtui's own ``?board=NAME`` is taken out first. A password in the URL
is passed to libpq and kept in memory only: ``display`` (what ``admin.location`` and
every message show) never contains it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from mtui.core.errors import DatabaseRefused

DEFAULT_BOARD = "main"
_SECRET_PARAMS = ("password",)


@dataclass(frozen=True)
class ServerUrl:
    """A parsed server URL: ``conninfo`` for libpq (may hold a password), ``display``
    for people (never does), ``board`` for mtui."""

    conninfo: str = field(repr=False)
    display: str
    board: str
    password: str | None = field(default=None, repr=False)

    def redact(self, text: str) -> str:
        """``text`` with any trace of the password replaced (driver messages quote URLs)."""
        if self.password:
            for secret in {self.password, quote(self.password, safe="")}:
                text = text.replace(secret, "***")
        return text.replace(self.conninfo, self.display) if self.password else text

    @property
    def location(self) -> str:
        """The display URL with its board: enough to open the same board again."""
        return f"{self.display}{'&' if '?' in self.display else '?'}board={quote(self.board)}"


def parse_server_url(url: str, *, board: str | None = None) -> ServerUrl:
    """Split ``url`` into libpq's part, mtui's board and a password-free display form.

    ``board`` (``--board NAME``) wins over ``?board=`` in the URL; the default is "main".
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise DatabaseRefused("a server URL starts with postgresql:// or postgres://")
    query = parse_qsl(parts.query, keep_blank_values=True)
    named = [value for key, value in query if key == "board"]
    libpq_query = [(key, value) for key, value in query if key != "board"]
    chosen = board or (named[-1] if named else "") or DEFAULT_BOARD
    if not chosen.strip() or len(chosen) > 200:
        raise DatabaseRefused("a board name must be 1 to 200 characters")
    password = unquote(parts.password) if parts.password is not None else None
    password = password or next((v for k, v in query if k in _SECRET_PARAMS), None)
    conninfo = urlunsplit(parts._replace(query=urlencode(libpq_query)))
    netloc = parts.netloc.rpartition("@")
    userinfo, host = (netloc[0], netloc[2]) if netloc[1] else ("", parts.netloc)
    user = userinfo.split(":", 1)[0]
    shown_query = [(k, v) for k, v in libpq_query if k not in _SECRET_PARAMS]
    display = urlunsplit(
        parts._replace(netloc=f"{user}@{host}" if user else host, query=urlencode(shown_query))
    )
    return ServerUrl(conninfo, display, chosen, password)
