"""Hybrid retrieval over the knowledge index: pgvector similarity fused with full-text search.

One SQL statement ranks the chunks twice — by cosine distance to the query embedding and by
Postgres full-text rank — and fuses the two rankings with reciprocal rank fusion (RRF), so
a query that names a site ("Batu Bolong") finds it even when the embedding is vague, and a
paraphrase finds its passage even when no word matches.

We query the table ourselves instead of through langchain-postgres' PGVectorStore: its
hybrid mode stores each query's text on a shared config object (concurrent turns would
search with another turn's words) and ANDs every query word, which leaves the full-text
side empty for most natural questions.
"""

from __future__ import annotations

import time
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from psycopg import sql
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


# {dense_order} is the bare distance when unfiltered, so the HNSW index serves it, and
# "distance + 0" when filtered, which the index cannot serve: the filtered subset is then
# scanned exactly instead of being post-filtered out of an approximate top list.
_QUERY = """
WITH dense AS (
    SELECT id, embedding <=> %(vector)s::vector AS distance
    FROM {table} WHERE {where_dense}
    ORDER BY {dense_order}
    LIMIT %(candidates)s
), dense_ranked AS (
    SELECT id, distance, row_number() OVER (ORDER BY distance) AS rank FROM dense
), query_terms AS (
    SELECT to_tsquery('english', string_agg(quote_literal(lexeme), ' | ')) AS q
    FROM unnest(tsvector_to_array(to_tsvector('english', %(text)s))) AS lexeme
    WHERE NOT (lexeme = ANY(%(common)s))
), sparse AS (
    SELECT id, ts_rank(content_tsv, query_terms.q) AS rank_score
    FROM {table}, query_terms
    WHERE query_terms.q IS NOT NULL AND content_tsv @@ query_terms.q AND {where_sparse}
    ORDER BY rank_score DESC
    LIMIT %(candidates)s
), sparse_ranked AS (
    SELECT id, row_number() OVER (ORDER BY rank_score DESC) AS rank FROM sparse
), fused AS (
    SELECT COALESCE(d.id, s.id) AS id,
           COALESCE(1.0 / (%(rrf_k)s + d.rank), 0) + COALESCE(1.0 / (%(rrf_k)s + s.rank), 0)
               AS score
    FROM dense_ranked d FULL OUTER JOIN sparse_ranked s ON d.id = s.id
)
SELECT c.id, c.path, c.title, c.section, c.doc_type, c.destination, c.content, f.score,
       1 - (c.embedding <=> %(vector)s::vector) AS similarity
FROM fused f JOIN {table} c ON c.id = f.id
ORDER BY f.score DESC, similarity DESC
LIMIT %(k)s
"""


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
        vector = embedding if embedding is not None else await self.embeddings.aembed_query(query)
        active = filters if filters is not None else self.filters
        # The filter appears in both legs (dense and full-text), each with its own names.
        where_dense, dense_params = filter_clause(active, "d")
        where_sparse, sparse_params = filter_clause(active, "s")
        distance = sql.SQL("embedding <=> %(vector)s::vector")
        statement = sql.SQL(_QUERY).format(
            table=sql.Identifier(self.spec.table),
            where_dense=where_dense,
            where_sparse=where_sparse,
            dense_order=sql.SQL("({}) + 0").format(distance) if dense_params else distance,
        )
        params: dict[str, Any] = {
            "vector": vector_literal(vector),
            "text": query[:2000],
            "common": await self._common_lexemes(),
            "candidates": self.candidates,
            "rrf_k": RRF_K,
            "k": k or self.k,
            **dense_params,
            **sparse_params,
        }
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, params)
            rows = await cur.fetchall()
        return [
            Passage(
                path=row["path"],
                title=row["title"],
                section=row["section"],
                content=row["content"],
                doc_type=row["doc_type"],
                destination=row["destination"],
                score=float(row["score"]),
                similarity=float(row["similarity"]),
            )
            for row in rows
        ]

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
