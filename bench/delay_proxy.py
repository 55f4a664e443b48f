"""A local TCP proxy that adds a fixed delay in each direction (a slow network link).

Used by the benches to put a team board "far away" without touching the machine's
network settings: ``with DelayProxy("127.0.0.1", 5432, rtt_ms=20) as port:`` then
connect to ``127.0.0.1:port``. Every chunk is held for ``rtt_ms / 2`` before it is
passed on, in order, so a query-and-answer costs at least ``rtt_ms``.

It also counts round trips: ``turns`` holds, for every time a client sends after having
received an answer (or sends first on a new connection), ``(time.perf_counter(),
connection number)``. A client that pipelines several statements before reading makes
one turn; one that waits for each answer makes one per statement.
"""

from __future__ import annotations

import asyncio
import threading
import time
from types import TracebackType


class DelayProxy:
    def __init__(self, host: str, port: int, *, rtt_ms: float) -> None:
        self.target = (host, port)
        self.one_way = rtt_ms / 2000
        self.port = 0
        self.turns: list[tuple[float, int]] = []
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="delay-proxy")

    def __enter__(self) -> int:
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _shutdown(self) -> None:
        """Close the listening socket and every connection still being relayed."""
        self._server.close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def turns_before(self, moment: float) -> int:
        """Round trips clients began before ``moment`` (a ``time.perf_counter()``)."""
        return sum(1 for at, _ in self.turns if at < moment)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        answered = [True]  # a client's first chunk begins a round trip

        def from_client() -> None:
            if answered[0]:
                self.turns.append((time.perf_counter(), number))
                answered[0] = False

        def from_server() -> None:
            answered[0] = True

        up_reader, up_writer = await asyncio.open_connection(*self.target)
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, from_client),
                self._pipe(up_reader, writer, from_server),
            )
        except asyncio.CancelledError:  # the proxy is closing
            writer.close()
            up_writer.close()

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, seen=lambda: None
    ) -> None:
        """Copy ``source`` to ``sink``, each chunk ``one_way`` seconds late, in order."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                if not chunk:
                    break
                await asyncio.sleep(max(0.0, due - loop.time()))
                sink.write(chunk)
                await sink.drain()
            sink.close()

        delivering = asyncio.create_task(deliver())
        try:
            while chunk := await source.read(65536):
                seen()
                queue.put_nowait((loop.time() + self.one_way, chunk))
        except (ConnectionError, OSError):
            pass
        queue.put_nowait((loop.time(), b""))
        await delivering
