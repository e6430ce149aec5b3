"""The knowledge index: one chunk table per embedding model, registered with its dimension.

Each embedding model gets its own table (named after the model and dimension), recorded in
`vector_indexes`. Switching EMBEDDING_MODEL therefore builds a separate index instead of
mixing vectors of two models; opening an index whose recorded or actual dimension differs
from the model's is refused with VectorIndexMismatch. Connections use dict rows
(store.pool.CONNECTION_KWARGS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg import AsyncConnection, sql


class VectorIndexMismatch(RuntimeError):
    """The stored index was built for another embedding model or dimension."""


@dataclass(frozen=True)
class IndexSpec:
    embedding_model: str
    dimension: int

    @property
    def table(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", self.embedding_model.lower()).strip("_")
        return f"kb_chunks_{slug}_{self.dimension}"[:63]


def _table(spec: IndexSpec) -> sql.Identifier:
    return sql.Identifier(spec.table)


async def ensure_index(conn: AsyncConnection, spec: IndexSpec) -> None:
    """Create the index's table if needed and check it matches the embedding model."""
    await check_index(conn, spec, create=True)
    await _create_search_indexes(conn, spec)


async def check_index(conn: AsyncConnection, spec: IndexSpec, *, create: bool = False) -> bool:
    """Return whether the index exists; raise VectorIndexMismatch if it is not for `spec`."""
    cur = await conn.execute(
        "SELECT embedding_model, dimension FROM vector_indexes WHERE name = %s", (spec.table,)
    )
    row = await cur.fetchone()
    if row is not None:
        model, dimension = row["embedding_model"], row["dimension"]
        if (model, dimension) != (spec.embedding_model, spec.dimension):
            raise VectorIndexMismatch(
                f"index {spec.table} was built with {model} ({dimension} dims), but the "
                f"configured embedding model is {spec.embedding_model} ({spec.dimension} dims)"
            )
    actual = await _column_dimension(conn, spec.table)
    if actual is not None and actual != spec.dimension:
        raise VectorIndexMismatch(
            f"table {spec.table} stores {actual}-dim vectors, but {spec.embedding_model} "
            f"produces {spec.dimension}; rebuild it with `dovvybuddy ingest run --rebuild`"
        )
    if row is not None and actual is not None:
        return True
    if not create:
        return False
    await _create(conn, spec)
    return True


async def _column_dimension(conn: AsyncConnection, table: str) -> int | None:
    cur = await conn.execute(
        """
        SELECT a.atttypmod FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname = %s AND a.attname = 'embedding' AND NOT a.attisdropped
        """,
        (table,),
    )
    row = await cur.fetchone()
    if row is None:
        return None
    return row["atttypmod"]


async def _create(conn: AsyncConnection, spec: IndexSpec) -> None:
    table = _table(spec)
    async with conn.transaction():
        await conn.execute(
            sql.SQL(
                """
                CREATE TABLE IF NOT EXISTS {table} (
                    id          text PRIMARY KEY,
                    path        text NOT NULL,
                    chunk_index integer NOT NULL,
                    title       text NOT NULL,
                    section     text NOT NULL DEFAULT '',
                    doc_type    text NOT NULL,
                    destination text,
                    agency      text,
                    content     text NOT NULL,
                    metadata    jsonb NOT NULL DEFAULT '{{}}'::jsonb,
                    embedding   vector({dimension}) NOT NULL,
                    content_tsv tsvector NOT NULL
                )
                """
            ).format(table=table, dimension=sql.Literal(spec.dimension))
        )
        await conn.execute(
            """
            INSERT INTO vector_indexes (name, embedding_model, dimension)
            VALUES (%s, %s, %s) ON CONFLICT (name) DO NOTHING
            """,
            (spec.table, spec.embedding_model, spec.dimension),
        )


async def _create_search_indexes(conn: AsyncConnection, spec: IndexSpec) -> None:
    """Idempotent: tables created before an index was added here get it on next start."""
    table = _table(spec)
    async with conn.transaction():
        await conn.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (content_tsv)").format(
                name=sql.Identifier(f"{spec.table[:50]}_tsv"), table=table
            )
        )
        # Metadata filters: a destination's few hundred rows are read without the rest.
        for column in ("path", "destination", "doc_type"):
            await conn.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})").format(
                    name=sql.Identifier(f"{spec.table[:48]}_{column}"),
                    table=table,
                    column=sql.Identifier(column),
                )
            )
        # Approximate nearest neighbours for unfiltered searches; filtered searches scan
        # their (small) subset exactly instead, so a filter never starves the result list.
        await conn.execute(
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {name} ON {table} "
                "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
            ).format(name=sql.Identifier(f"{spec.table[:50]}_hnsw"), table=table)
        )


async def settle_index(conn: AsyncConnection, spec: IndexSpec) -> None:
    """VACUUM (ANALYZE) the index's table after a batch of writes (the connection must be
    in autocommit). Freshly written rows are otherwise settled by the first searches (hint
    bits) and by an autovacuum that comes within a minute and walks the whole HNSW graph:
    on a small machine both land on the first turns served, as a tail of slow searches."""
    await conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(_table(spec)), prepare=False)


async def index_stats(conn: AsyncConnection, spec: IndexSpec) -> dict:
    """Chunk and file counts of the index, for /ready and `db status`."""
    if not await check_index(conn, spec):
        return {"table": spec.table, "exists": False, "chunks": 0, "files": 0}
    cur = await conn.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(_table(spec)))
    chunks = (await cur.fetchone())["n"]
    cur = await conn.execute(
        "SELECT count(*) AS n FROM ingested_files WHERE index_name = %s", (spec.table,)
    )
    files = (await cur.fetchone())["n"]
    return {"table": spec.table, "exists": True, "chunks": chunks, "files": files}


async def drop_index(conn: AsyncConnection, spec: IndexSpec) -> None:
    async with conn.transaction():
        await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(_table(spec)))
        await conn.execute("DELETE FROM vector_indexes WHERE name = %s", (spec.table,))
