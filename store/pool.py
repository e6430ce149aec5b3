"""The async connection pool shared by the checkpointer, the retriever and the app's tables."""

from __future__ import annotations

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

# The checkpointer needs autocommit and dict rows; prepare_threshold=0 keeps the pool usable
# behind PgBouncer-style poolers that cannot hold prepared statements.
CONNECTION_KWARGS = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}


async def open_pool(url: str, *, min_size: int = 1, max_size: int = 10) -> AsyncConnectionPool:
    pool = AsyncConnectionPool(
        conninfo=url,
        min_size=min_size,
        max_size=max_size,
        kwargs=dict(CONNECTION_KWARGS),
        open=False,
        timeout=10,
        name="dovvybuddy",
    )
    await pool.open(wait=True, timeout=15)
    return pool
