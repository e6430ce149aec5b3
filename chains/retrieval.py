"""Hybrid retrieval over the knowledge index: pgvector similarity fused with full-text search.

The chunks are ranked twice — by cosine distance to the query embedding and by Postgres
full-text rank — and the two rankings are fused with reciprocal rank fusion (RRF), so a
query that names a site ("Batu Bolong") finds it even when the embedding is vague, and a
paraphrase finds its passage even when no word matches. The two legs are separate
statements on separate connections: the full-text one needs no vector, so it runs while
the query is being embedded, and neither pays to plan the other.

We query the table ourselves instead of through langchain-postgres' PGVectorStore: its
hybrid mode stores each query's text on a shared config object (concurrent turns would
search with another turn's words) and ANDs every query word, which leaves the full-text
side empty for most natural questions.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from psycopg import AsyncConnection, sql
from psycopg_pool import AsyncConnectionPool
from pydantic import ConfigDict, PrivateAttr

from chains.passages import Passage
from store.embedding_cache import vector_literal
from store.vector_index import IndexSpec

FILTERABLE = ("doc_type", "destination", "agency", "path")
RRF_K = 60


def filter_clause(filters: dict[str, Any] | None, prefix: str) -> tuple[sql.Composable, dict]:
    """A WHERE clause over the metadata columns, with placeholders named `<prefix><n>`."""
    clauses: list[sql.Composable] = []
    params: dict[str, Any] = {}
    for key, value in (filters or {}).items():
        if key not in FILTERABLE:
            raise ValueError(f"cannot filter on {key!r}; use one of {', '.join(FILTERABLE)}")
        if value is None:
            continue
        name = f"{prefix}{len(params)}"
        many = isinstance(value, list | tuple | set)
        template = "{column} = ANY({placeholder})" if many else "{column} = {placeholder}"
        clauses.append(
            sql.SQL(template).format(column=sql.Identifier(key), placeholder=sql.Placeholder(name))
        )
        params[name] = list(value) if many else value
    if not clauses:
        return sql.SQL("TRUE"), {}
    return sql.SQL(" AND ").join(clauses), params


# {order} is the bare distance when unfiltered, so the HNSW index serves it, and
# "distance + 0" when filtered, which the index cannot serve: the filtered subset is then
# scanned exactly instead of being post-filtered out of an approximate top list.
_DENSE = """
SELECT id FROM {table} WHERE {where}
ORDER BY {order}
LIMIT %(candidates)s
"""

# Every lexeme of the query ORed, less the ones too common to rank anything.
_SPARSE = """
WITH query_terms AS (
    SELECT to_tsquery('english', string_agg(quote_literal(lexeme), ' | ')) AS q
    FROM unnest(tsvector_to_array(to_tsvector('english', %(text)s))) AS lexeme
    WHERE NOT (lexeme = ANY(%(common)s))
)
SELECT id FROM {table}, query_terms
WHERE query_terms.q IS NOT NULL AND content_tsv @@ query_terms.q AND {where}
ORDER BY ts_rank(content_tsv, query_terms.q) DESC
LIMIT %(candidates)s
"""

_ROWS = """
SELECT id, path, title, section, doc_type, destination, content,
       1 - (embedding <=> %(vector)s::vector) AS similarity
FROM {table} WHERE id = ANY(%(ids)s)
"""


def fuse(*rankings: list[str], rrf_k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each ranking adds 1 / (rrf_k + rank) to the ids it holds."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (rrf_k + rank)
    return scores


class KnowledgeRetriever(BaseRetriever):
    """Retrieves passages from the knowledge index; a LangChain retriever as well."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pool: AsyncConnectionPool
    embeddings: Embeddings
    spec: IndexSpec
    k: int = 5
    candidates: int = 40
    filters: dict[str, Any] | None = None
    # A word found in more than this share of chunks ("dive") ranks nothing and would make
    # the full-text leg match most of the index; such lexemes are left out of the query.
    common_share: float = 0.025
    common_refresh_seconds: float = 300.0

    _common: list[str] = PrivateAttr(default_factory=list)
    _common_at: float = PrivateAttr(default=float("-inf"))

    async def search(
        self,
        query: str,
        *,
        k: int | None = None,
        filters: dict[str, Any] | None = None,
        embedding: list[float] | None = None,
    ) -> list[Passage]:
        active = filters if filters is not None else self.filters
        k = k or self.k
        where = filter_clause(active, "f")  # a bad filter fails here, before any query
        # The full-text leg needs no vector: it runs while the query is embedded, on a
        # connection of its own; the dense leg and the fetch of the winners share another.
        sparse = asyncio.create_task(self._sparse(query, where))
        try:
            if embedding is None:
                embedding = await self.embeddings.aembed_query(query)
            vector = vector_literal(embedding)
            async with self.pool.connection() as conn:
                dense = await self._dense(conn, vector, where)
                scores = fuse(dense, await sparse)
                if not scores:
                    return []
                ranked = sorted(scores, key=scores.__getitem__, reverse=True)
                # Every chunk scoring at least the k-th one is fetched, so ties break on
                # similarity exactly as they would with the whole candidate list at hand.
                cutoff = scores[ranked[min(k, len(ranked)) - 1]]
                cur = await conn.execute(
                    sql.SQL(_ROWS).format(table=sql.Identifier(self.spec.table)),
                    {"vector": vector, "ids": [i for i in ranked if scores[i] >= cutoff]},
                )
                rows = await cur.fetchall()
        finally:
            if not sparse.done():
                sparse.cancel()
        rows.sort(key=lambda row: (-scores[row["id"]], -row["similarity"]))
        return [
            Passage(
                path=row["path"],
                title=row["title"],
                section=row["section"],
                content=row["content"],
                doc_type=row["doc_type"],
                destination=row["destination"],
                score=scores[row["id"]],
                similarity=float(row["similarity"]),
            )
            for row in rows[:k]
        ]

    async def _dense(
        self, conn: AsyncConnection, vector: str, filtered: tuple[sql.Composable, dict]
    ) -> list[str]:
        where, params = filtered
        distance = sql.SQL("embedding <=> %(vector)s::vector")
        statement = sql.SQL(_DENSE).format(
            table=sql.Identifier(self.spec.table),
            where=where,
            order=sql.SQL("({}) + 0").format(distance) if params else distance,
        )
        cur = await conn.execute(
            statement, {"vector": vector, "candidates": self.candidates, **params}
        )
        return [row["id"] for row in await cur.fetchall()]

    async def _sparse(self, query: str, filtered: tuple[sql.Composable, dict]) -> list[str]:
        where, params = filtered
        statement = sql.SQL(_SPARSE).format(table=sql.Identifier(self.spec.table), where=where)
        common = await self._common_lexemes()
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                statement,
                {"text": query[:2000], "common": common, "candidates": self.candidates, **params},
            )
            return [row["id"] for row in await cur.fetchall()]

    async def _common_lexemes(self) -> list[str]:
        if time.monotonic() - self._common_at < self.common_refresh_seconds:
            return self._common
        statement = sql.SQL(
            "SELECT word FROM ts_stat({source}) "
            "WHERE ndoc > %s * (SELECT greatest(count(*), 1) FROM {table})"
        ).format(
            source=sql.Literal(
                sql.SQL("SELECT content_tsv FROM {}")
                .format(sql.Identifier(self.spec.table))
                .as_string()
            ),
            table=sql.Identifier(self.spec.table),
        )
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, (self.common_share,))
            self._common = [row["word"] for row in await cur.fetchall()]
        self._common_at = time.monotonic()
        return self._common

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun
    ) -> list[Document]:
        started = time.perf_counter()
        passages = await self.search(query)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return [
            Document(
                page_content=p["content"],
                metadata={**{k: v for k, v in p.items() if k != "content"}, "ms": elapsed_ms},
            )
            for p in passages
        ]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        raise NotImplementedError("the knowledge retriever is async: use ainvoke()")
