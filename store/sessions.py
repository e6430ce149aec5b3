"""Chat sessions: their activity (for the 24 h expiry), their LangGraph threads, and the
lock that lets one turn at a time run on a session, whichever process serves it."""

from __future__ import annotations

import datetime as dt

from psycopg_pool import AsyncConnectionPool

CHECKPOINT_TABLES = ("checkpoint_writes", "checkpoints")


class SessionStore:
    def __init__(self, pool: AsyncConnectionPool, ttl_hours: float) -> None:
        self.pool = pool
        self.ttl = dt.timedelta(hours=ttl_hours)

    async def get_live(self, session_id: str) -> dict | None:
        """The session if it exists and was active within the TTL."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id, created_at, last_active_at FROM chat_sessions "
                "WHERE id = %s AND last_active_at > now() - %s",
                (session_id, self.ttl),
            )
            return await cur.fetchone()

    async def touch(self, session_id: str) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(
                """
                INSERT INTO chat_sessions (id) VALUES (%s)
                ON CONFLICT (id) DO UPDATE SET last_active_at = now()
                """,
                (session_id,),
            )

    async def has_thread(self, session_id: str) -> bool:
        """Whether any checkpoint of this thread is stored (with or without a session row)."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT 1 FROM checkpoints WHERE thread_id = %s LIMIT 1", (session_id,)
            )
            return await cur.fetchone() is not None

    async def delete(self, session_id: str) -> None:
        """Forget the session: its activity row and every checkpoint of its thread."""
        async with self.pool.connection() as conn, conn.transaction():
            for table in (*CHECKPOINT_TABLES, "checkpoint_blobs"):
                await conn.execute(f"DELETE FROM {table} WHERE thread_id = %s", (session_id,))
            await conn.execute("DELETE FROM chat_sessions WHERE id = %s", (session_id,))

    async def expired(self, limit: int = 1000) -> list[str]:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id FROM chat_sessions WHERE last_active_at <= now() - %s "
                "ORDER BY last_active_at LIMIT %s",
                (self.ttl, limit),
            )
            return [row["id"] for row in await cur.fetchall()]

    async def prune(self) -> int:
        """Delete expired sessions and their threads; return how many."""
        total = 0
        while batch := await self.expired():
            for session_id in batch:
                await self.delete(session_id)
            total += len(batch)
        return total


async def rollback_thread(pool: AsyncConnectionPool, thread_id: str, written: list[str]) -> None:
    """Remove what a failed turn wrote: the checkpoints `written` and their pending writes."""
    if not written:
        return
    async with pool.connection() as conn, conn.transaction():
        for table in CHECKPOINT_TABLES:
            await conn.execute(
                f"DELETE FROM {table} WHERE thread_id = %s AND checkpoint_id = ANY(%s)",
                (thread_id, written),
            )
