"""Embeddings through the `embedding_cache` table, keyed by model and text hash.

Used by ingest (chunks) and by the router (its labelled examples), so neither pays twice
for a text it has embedded before.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from langchain_core.embeddings import Embeddings
from psycopg_pool import AsyncConnectionPool

BATCH = 64


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def vector_literal(vector: list[float]) -> str:
    # One %-format over the whole vector writes the same text as formatting each number
    # with f"{x:.7g}" at half the CPU: every search of a turn formats its query vector.
    return _literal_format(len(vector)) % tuple(vector)


@functools.lru_cache(maxsize=8)
def _literal_format(dimension: int) -> str:
    return "[" + ",".join(["%.7g"] * dimension) + "]"


def parse_vector(literal: str) -> list[float]:
    return [float(x) for x in literal.strip("[]").split(",")]


async def cached_embeddings(
    pool: AsyncConnectionPool,
    embeddings: Embeddings,
    texts: list[str],
    on_batch: Callable[[int, int, int], None] | None = None,
) -> tuple[dict[str, str], int]:
    """pgvector literals for `texts`, and how many had to be computed.

    on_batch(done, total, computed_in_batch) reports progress of the computed ones.
    """
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}, 0
    hashes = {text: text_hash(text) for text in unique}
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT text_hash, embedding::text AS v FROM embedding_cache "
            "WHERE model = %s AND text_hash = ANY(%s)",
            (embeddings.model_name, list(hashes.values())),
        )
        cached = {row["text_hash"]: row["v"] for row in await cur.fetchall()}
    vectors = {text: cached[h] for text, h in hashes.items() if h in cached}
    missing = [text for text in unique if text not in vectors]
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        computed = [vector_literal(v) for v in await embeddings.aembed_documents(batch)]
        async with pool.connection() as conn, conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO embedding_cache (model, text_hash, embedding) "
                "VALUES (%s, %s, %s::vector) ON CONFLICT DO NOTHING",
                [
                    (embeddings.model_name, hashes[t], v)
                    for t, v in zip(batch, computed, strict=True)
                ],
            )
        vectors.update(zip(batch, computed, strict=True))
        if on_batch:
            on_batch(min(start + BATCH, len(missing)), len(missing), len(batch))
    return vectors, len(missing)
