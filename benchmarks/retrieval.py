"""Retrieval latency: embed the query + one hybrid search, as a turn does.

    python -m benchmarks.retrieval [--queries 100] [--scale 10000]

Measures the real corpus index, then a synthetic index of `--scale` chunks (the corpus's
chunks repeated with jittered vectors under new ids) built in its own table and dropped
afterwards. Prints p50/p95; the target is p95 <= 12 ms at 10k chunks on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time

from psycopg import sql

from benchmarks.common import dev_queries, print_calibration, summary_ms
from chains.models import load_embeddings
from chains.retrieval import KnowledgeRetriever, filter_clause
from config.settings import get_settings
from store.database import resolve_database_url
from store.embedding_cache import vector_literal
from store.pool import open_pool
from store.vector_index import IndexSpec, drop_index, ensure_index, settle_index

_runs = iter(range(1, 1_000_000))


async def measure(
    retriever: KnowledgeRetriever, queries: list[str], filters=None, vectors=None
) -> list[float]:
    """Embed + search per query; with `vectors`, the search alone (the vector at hand, as
    on a query-cache hit)."""
    for query in queries[:5]:  # warm the pool and the database's caches
        await retriever.search(query, filters=filters)
    timings = []
    run = next(_runs)
    for index, query in enumerate(queries):
        # A string never embedded before: the query-embedding cache must not flatter us.
        text = f"{query}{' ' * run}"
        vector = vectors[index] if vectors else None
        started = time.perf_counter()
        await retriever.search(text, filters=filters, embedding=vector)
        timings.append(time.perf_counter() - started)
    return timings


async def print_split(retriever: KnowledgeRetriever, queries: list[str]) -> None:
    """Where one embed + search goes at 10k chunks, each query's steps timed in one pass:
    the model, the vector's text literal, and the one SQL statement (a pooled connection
    and the round trip, timed from the client)."""
    embed, literal, statement = [], [], []
    run = next(_runs)
    where = filter_clause(None, "f")
    for query in queries:
        text = f"{query}{' ' * run}"
        started = time.perf_counter()
        vector = await retriever.embeddings.aembed_query(text)
        embedded = time.perf_counter()
        formatted = vector_literal(vector)
        literal_done = time.perf_counter()
        await retriever._fused(formatted, text, where, retriever.k)
        done = time.perf_counter()
        embed.append(embedded - started)
        literal.append(literal_done - embedded)
        statement.append(done - literal_done)
    print("  split, query by query:")
    print(f"    query embedding: {summary_ms(embed)}")
    print(f"    the vector's literal: {summary_ms(literal)}")
    print(f"    the SQL statement (pool and round trip): {summary_ms(statement)}")


def print_load(when: str) -> None:
    """The machine's load beside the figures: a search is a handful of hand-offs between
    threads and processes (event loop, model, Postgres), and on a busy two-core machine
    each one may wait for a core, which is what a p95 then measures."""
    if hasattr(os, "getloadavg"):
        one_minute = os.getloadavg()[0]
        print(f"machine load average {when}: {one_minute:.2f} over {os.cpu_count()} cores")


async def build_scaled_index(pool, source: IndexSpec, target: IndexSpec, scale: int) -> int:
    async with pool.connection() as conn:
        await drop_index(conn, target)
        await ensure_index(conn, target)
        cur = await conn.execute(
            sql.SQL(
                "SELECT id, path, chunk_index, title, section, doc_type, destination, agency, "
                "content, metadata::text AS metadata, embedding::text AS v, "
                "content_tsv::text AS content_tsv FROM {}"
            ).format(sql.Identifier(source.table))
        )
        rows = await cur.fetchall()
    rng = random.Random(7)
    insert = sql.SQL(
        "INSERT INTO {} (id, path, chunk_index, title, section, doc_type, destination, agency, "
        "content, metadata, embedding, content_tsv) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::vector, %s::tsvector)"
    ).format(sql.Identifier(target.table))
    batch, made = [], 0
    while made < scale:
        for row in rows:
            if made >= scale:
                break
            vector = [float(x) + rng.gauss(0, 0.02) for x in row["v"].strip("[]").split(",")]
            batch.append(
                (
                    f"{row['id']}-{made}",
                    row["path"],
                    row["chunk_index"],
                    row["title"],
                    row["section"],
                    row["doc_type"],
                    row["destination"],
                    row["agency"],
                    row["content"],
                    row["metadata"],
                    vector_literal(vector),
                    row["content_tsv"],
                )
            )
            made += 1
    async with pool.connection() as conn, conn.cursor() as cur:
        await cur.executemany(insert, batch)
    async with pool.connection() as conn:
        await settle_index(conn, target)  # as an ingest leaves it
    return made


async def main(queries_n: int, scale: int, keep: bool = False) -> None:
    settings = get_settings()
    embeddings = load_embeddings(settings)
    getattr(embeddings, "warm_up", lambda: None)()
    pool = await open_pool(resolve_database_url(settings), max_size=4)
    spec = IndexSpec(embeddings.model_name, embeddings.dimension)
    queries = dev_queries(queries_n)
    print_load("at start")
    try:
        corpus = KnowledgeRetriever(pool=pool, embeddings=embeddings, spec=spec)
        async with pool.connection() as conn:
            cur = await conn.execute(
                sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(spec.table))
            )
            n = (await cur.fetchone())["n"]
        print(
            f"corpus index ({n} chunks), embed + hybrid search: "
            f"{summary_ms(await measure(corpus, queries))}"
        )
        embed = []
        for query in queries:
            started = time.perf_counter()
            await embeddings.aembed_query(f"{query}\t")
            embed.append(time.perf_counter() - started)
        print(f"  of which query embedding alone: {summary_ms(embed)}")

        target = IndexSpec(f"bench/{embeddings.model_name}", embeddings.dimension)
        made = await build_scaled_index(pool, spec, target, scale)
        scaled = KnowledgeRetriever(pool=pool, embeddings=embeddings, spec=target)
        print(
            f"synthetic index ({made} chunks), embed + hybrid search: "
            f"{summary_ms(await measure(scaled, queries))}"
        )
        print(
            f"  with a destination filter: "
            f"{summary_ms(await measure(scaled, queries, {'destination': 'tioman'}))}"
        )
        vectors = embeddings.embed_documents(queries)
        print(
            f"  hybrid search alone, the vector at hand: "
            f"{summary_ms(await measure(scaled, queries, vectors=vectors))}"
        )
        await print_split(scaled, queries)
        print_load("at end")
        if not keep:
            async with pool.connection() as conn:
                await drop_index(conn, target)
    finally:
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic index table")
    args = parser.parse_args()
    print_calibration()
    asyncio.run(main(args.queries, args.scale, args.keep))
