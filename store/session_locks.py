"""One turn at a time per session, across processes: Postgres advisory locks, all of a
process's held on one connection.

Each lock is a session-level advisory lock on the key of its chat session. One connection
can hold hundreds of them, so the number of turns a process runs at once is not capped by
how many connections it may open (a connection held for every turn capped it at the pool's
size, and turn number eleven waited for turn one to finish). If the process dies, its
connection closes and its locks go with it.

A lock is taken by trying and, when another process holds it, trying again after short
pauses: a blocking wait would stall the shared connection, and every other turn's lock
with it. Within a process the caller serialises turns of one session first (advisory locks
are re-entrant on their connection, so two turns of one process would both get it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

import psycopg
from psycopg import AsyncConnection

log = logging.getLogger(__name__)

_KEY = "hashtextextended(%s, 0)"
FIRST_PAUSE_SECONDS = 0.02
LONGEST_PAUSE_SECONDS = 0.5


class LockTimeout(Exception):
    """Another process held the session for longer than the caller would wait."""


def lock_key(session_id: str) -> str:
    return f"session:{session_id}"


class SessionLocks:
    def __init__(self, url: str, connect_timeout: float = 3.0) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        self._conn: AsyncConnection | None = None
        self._connecting = asyncio.Lock()

    async def _connection(self) -> AsyncConnection:
        async with self._connecting:
            if self._conn is None or self._conn.closed or self._conn.broken:
                if self._conn is not None:
                    log.warning("turn-lock connection lost: reconnecting (its locks are gone)")
                self._conn = await AsyncConnection.connect(
                    self.url, autocommit=True, connect_timeout=max(1, int(self.connect_timeout))
                )
            return self._conn

    async def acquire(self, session_id: str, wait: dt.timedelta) -> None:
        """Take the session's lock, waiting at most `wait` for another process to let go.
        Raises LockTimeout, or psycopg's errors when the database cannot be reached."""
        deadline = time.monotonic() + wait.total_seconds()
        pause = FIRST_PAUSE_SECONDS
        while True:
            if await self._try(session_id):
                return
            if time.monotonic() + pause > deadline:
                raise LockTimeout(session_id)
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)

    async def _try(self, session_id: str) -> bool:
        statement = f"SELECT pg_try_advisory_lock({_KEY})"
        conn = await self._connection()
        try:
            cur = await conn.execute(statement, (lock_key(session_id),))
        except psycopg.OperationalError:
            if not (conn.closed or conn.broken):
                raise
            # The database restarted since the connection was last used: one new try.
            cur = await (await self._connection()).execute(statement, (lock_key(session_id),))
        row = await cur.fetchone()
        return bool(row and row[0])

    async def release(self, session_id: str) -> None:
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            return  # the connection went, and every lock it held with it
        try:
            await conn.execute(f"SELECT pg_advisory_unlock({_KEY})", (lock_key(session_id),))
        except Exception:
            # A connection in doubt is closed: that ends every lock it held, this one too.
            log.exception("could not release a turn lock: closing the lock connection")
            await conn.close()

    async def held(self) -> int:
        """How many session locks this process holds now (for tests and diagnostics)."""
        conn = await self._connection()
        cur = await conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
