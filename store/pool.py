"""The async connection pool shared by the checkpointer, the retriever and the app's tables."""

from __future__ import annotations

import time
import weakref

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

# The checkpointer needs autocommit and dict rows. prepare_threshold=0 prepares every
# statement on its first run (LangGraph's documented setting; the same few statements run
# every turn). A pooler in front of Postgres must then keep prepared statements: PgBouncer
# 1.21+ in transaction mode with max_prepared_statements set (docs/deploy.md).
CONNECTION_KWARGS = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}

# The HNSW candidate list: 100 keeps recall high for the retriever's 40-candidate dense leg
# (pgvector's default of 40 would return exactly the list, with no slack).
HNSW_EF_SEARCH = 100


# A connection handed back less than this long ago is lent again unchecked: checking costs a
# round trip, and under load every connection comes back within milliseconds. After a
# database restart, connections idle longer than this are caught by the check.
TRUSTED_FOR_SECONDS = 1.0
_returned_at: weakref.WeakKeyDictionary[AsyncConnection, float] = weakref.WeakKeyDictionary()


async def _configure(conn: AsyncConnection) -> None:
    await conn.execute(f"SET hnsw.ef_search = {HNSW_EF_SEARCH}")


async def _note_return(conn: AsyncConnection) -> None:
    _returned_at[conn] = time.monotonic()


async def _check_unless_just_used(conn: AsyncConnection) -> None:
    if time.monotonic() - _returned_at.get(conn, float("-inf")) < TRUSTED_FOR_SECONDS:
        return
    await AsyncConnectionPool.check_connection(conn)


async def open_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 3.0
) -> AsyncConnectionPool:
    """A pool whose requests wait at most `timeout` seconds for a connection: with the
    database down, a request fails fast (503) instead of hanging."""
    pool = AsyncConnectionPool(
        conninfo=url,
        min_size=min_size,
        max_size=max_size,
        kwargs=dict(CONNECTION_KWARGS),
        configure=_configure,
        # A connection is checked when lent (unless it was in use a moment ago): after a
        # database restart, dead connections are replaced instead of failing one request each.
        check=_check_unless_just_used,
        reset=_note_return,
        open=False,
        timeout=timeout,
        name="dovvybuddy",
    )
    await pool.open(wait=True, timeout=15)
    return pool
