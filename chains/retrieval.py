"""Hybrid retrieval over the knowledge index: pgvector similarity fused with full-text search.

The chunks are ranked twice — by cosine distance to the query embedding and by Postgres
full-text rank — and the two rankings are fused with reciprocal rank fusion (RRF), so a
query that names a site ("Batu Bolong") finds it even when the embedding is vague, and a
paraphrase finds its passage even when no word matches. Once the query is embedded, both
legs, the fusion and the fetch of the winners are one statement: a search is one round trip
to the database. (Running the full-text leg on a connection of its own while the query was
embedded saved no time worth its extra statement: the embedding is usually cached, and
under load every statement's round trip costs the event loop CPU.)

We query the table ourselves instead of through langchain-postgres' PGVectorStore: its
hybrid mode stores each query's text on a shared config object (concurrent turns would
search with another turn's words) and ANDs every query word, which leaves the full-text
side empty for most natural questions.
"""

from __future__ import annotations

import re
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

from chains.embeddings import aembed_continued
from chains.passages import Passage
from store.embedding_cache import vector_literal
from store.vector_index import IndexSpec

FILTERABLE = ("doc_type", "destination", "agency", "path")
# A word of the query written whole ("overweighted") finds the guides that hyphenate it
# ("over-weighted"): Postgres indexes a hyphenated word as the compound and its parts, and
# never as the two joined. Compounds this short ("o-r") would be taken for other words.
COMPOUND_MIN_LETTERS = 6
# How many letters an ending may add to a compound's stem ("overweight" + "ed").
COMPOUND_ENDING_LETTERS = 3
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
RRF_K = 60
# The most one ranking alone gives a passage (its first, 1 / (RRF_K + 1)): a fused score
# above it means both the vector and the full-text rankings hold the passage.
ONE_RANKING_BEST_SCORE = 1 / (RRF_K + 1)


def _passage(row: dict) -> Passage:
    return Passage(
        path=row["path"],
        title=row["title"],
        section=row["section"],
        content=row["content"],
        doc_type=row["doc_type"],
        destination=row["destination"],
        score=row["score"],
        similarity=float(row["similarity"]),
    )


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


# Every lexeme of the query ORed, less the ones too common to rank anything. The common
# ones arrive as one space-separated string (a lexeme never holds a space): a few hundred
# of them as an array cost the client more to send than the statement costs to run.
# Ties in text rank break on the id, so the ranking is the same wherever it is computed.
_SPARSE = """
SELECT id, row_number() OVER (ORDER BY text_rank DESC, id) AS rank FROM (
    SELECT id, ts_rank(content_tsv, query_terms.q) AS text_rank
    FROM {table}, (
        SELECT to_tsquery('english', string_agg(quote_literal(lexeme), ' | ')) AS q
        FROM unnest(tsvector_to_array(to_tsvector('english', %(text)s))) AS lexeme
        WHERE NOT (lexeme = ANY(string_to_array(%(common)s, ' ')))
    ) AS query_terms
    WHERE query_terms.q IS NOT NULL AND content_tsv @@ query_terms.q AND {where}
    ORDER BY text_rank DESC, id
    LIMIT %(candidates)s
) AS matched
ORDER BY rank
"""

# The nearest chunks by cosine distance. {order} is the bare distance when unfiltered, so
# the HNSW index serves it, and "distance + 0" when filtered, which the index cannot serve:
# the filtered subset is then scanned exactly instead of being post-filtered out of an
# approximate top list.
_DENSE = """
SELECT id, row_number() OVER (ORDER BY distance) AS rank FROM (
    SELECT id, {order} AS distance FROM {table} WHERE {where}
    ORDER BY distance
    LIMIT %(candidates)s
) AS nearest
"""

# Reciprocal rank fusion of the two rankings and the fetch of the winners, in one
# statement. Each ranking adds 1 / (rrf_k + rank) to the chunks it holds; every chunk
# scoring at least the k-th one is considered, so ties break on similarity exactly as they
# would with the whole candidate list at hand.
_FUSED = """
WITH dense AS ({dense}),
sparse AS ({sparse}),
fused AS (
    SELECT id, sum(1.0::float8 / (%(rrf_k)s + rank)) AS score
    FROM (SELECT id, rank FROM dense UNION ALL SELECT id, rank FROM sparse) AS both_legs
    GROUP BY id
),
kth AS (
    SELECT score FROM fused ORDER BY score DESC OFFSET %(k)s - 1 LIMIT 1
)
SELECT c.id, c.path, c.title, c.section, c.doc_type, c.destination, c.content,
       fused.score, 1 - (c.embedding <=> %(vector)s::vector) AS similarity
FROM fused JOIN {table} AS c ON c.id = fused.id
WHERE fused.score >= coalesce((SELECT score FROM kth), 0)
ORDER BY fused.score DESC, similarity DESC
LIMIT %(k)s
"""


# Every chunk of the given documents, in reading order, with its similarity to the query:
# the few documents a turn already holds are read whole, by the path index.
_SECTIONS = """
SELECT id, path, title, section, doc_type, destination, content,
       0.0::float8 AS score, 1 - (embedding <=> %(vector)s::vector) AS similarity
FROM {table}
WHERE path = ANY(%(paths)s)
ORDER BY path, chunk_index
LIMIT %(limit)s
"""


def with_compounds(text: str, compounds: dict[str, str]) -> str:
    """`text`, with the hyphenated form the guides use of each word it writes whole, and
    the whole form of each word it hyphenates; `compounds` maps the guides' hyphenated
    stems without their hyphens to themselves ("overweight" -> "over-weight")."""
    extra = []
    for word in WORD.findall(text.lower()):
        if "-" in word:
            extra.append(word.replace("-", ""))
            continue
        for cut in range(
            len(word), max(COMPOUND_MIN_LETTERS, len(word) - COMPOUND_ENDING_LETTERS) - 1, -1
        ):
            hyphenated = compounds.get(word[:cut])
            if hyphenated:
                extra.append(hyphenated)
                break
    return " ".join([text, *extra]) if extra else text


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
    _compounds: dict[str, str] = PrivateAttr(default_factory=dict)

    async def search(
        self,
        query: str,
        *,
        k: int | None = None,
        filters: dict[str, Any] | None = None,
        embedding: list[float] | None = None,
        anchor: str | None = None,
    ) -> list[Passage]:
        """The top k passages for `query`. `embedding` is its vector when the caller has
        it; `anchor`, the words `query` starts with that were embedded already (the
        diver's own message), lets the vector be composed from theirs and the rest's."""
        active = filters if filters is not None else self.filters
        k = k or self.k
        where = filter_clause(active, "f")  # a bad filter fails here, before any query
        if embedding is None:
            embedding = await self.query_vector(query, anchor)
        rows = await self._fused(vector_literal(embedding), query, where, k)
        return [_passage(row) for row in rows]

    async def sections_of(
        self, paths: list[str], embedding: list[float], limit: int = 200
    ) -> list[Passage]:
        """Every chunk of the documents at `paths` (at most `limit`), in reading order; each
        scores 0 (no ranking chose it) and carries its similarity to `embedding`."""
        if not paths:
            return []
        statement = sql.SQL(_SECTIONS).format(table=sql.Identifier(self.spec.table))
        params = {"vector": vector_literal(embedding), "paths": list(paths), "limit": limit}
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, params)
            rows = await cur.fetchall()
        return [_passage(row) for row in rows]

    async def query_vector(self, query: str, anchor: str | None = None) -> list[float]:
        """The vector a search for `query` uses (see `search` for `anchor`)."""
        if anchor and query.startswith(f"{anchor} "):
            return await aembed_continued(self.embeddings, anchor, query[len(anchor) + 1 :])
        return await self.embeddings.aembed_query(query)

    def _dense_statement(self, filtered: tuple[sql.Composable, dict]) -> sql.Composable:
        where, params = filtered
        distance = sql.SQL("embedding <=> %(vector)s::vector")
        return sql.SQL(_DENSE).format(
            table=sql.Identifier(self.spec.table),
            where=where,
            order=sql.SQL("({}) + 0").format(distance) if params else distance,
        )

    async def _dense(self, vector: str, filtered: tuple[sql.Composable, dict]) -> list[str]:
        statement = self._dense_statement(filtered)
        params = {"vector": vector, "candidates": self.candidates, **filtered[1]}
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, params)
            return [row["id"] for row in await cur.fetchall()]

    async def _fused(
        self, vector: str, text: str, filtered: tuple[sql.Composable, dict], k: int
    ) -> list[dict]:
        """The top k of the fused rankings: the dense one by `vector`, the full-text one by
        `text` less the common lexemes, both computed in the same statement."""
        common = await self._common_lexemes()
        params = {
            "vector": vector,
            "text": with_compounds(text[:2000], self._compounds),
            "common": " ".join(common),
            "rrf_k": RRF_K,
            "k": k,
            "candidates": self.candidates,
            **filtered[1],
        }
        statement = sql.SQL(_FUSED).format(
            table=sql.Identifier(self.spec.table),
            dense=self._dense_statement(filtered),
            sparse=self._sparse_statement(filtered),
        )
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, params)
            return await cur.fetchall()

    def _sparse_statement(self, filtered: tuple[sql.Composable, dict]) -> sql.Composable:
        return sql.SQL(_SPARSE).format(table=sql.Identifier(self.spec.table), where=filtered[0])

    async def _sparse(self, query: str, filtered: tuple[sql.Composable, dict]) -> list[str]:
        """The full-text ranking alone (a search computes it inside its one statement)."""
        statement = self._sparse_statement(filtered)
        params = filtered[1]
        common = await self._common_lexemes()
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                statement,
                {
                    "text": with_compounds(query[:2000], self._compounds),
                    "common": " ".join(common),
                    "candidates": self.candidates,
                    **params,
                },
            )
            return [row["id"] for row in await cur.fetchall()]

    async def _common_lexemes(self) -> list[str]:
        """The lexemes too common to rank anything; the guides' hyphenated compounds
        (`with_compounds`) are read in the same pass over the index's words."""
        if time.monotonic() - self._common_at < self.common_refresh_seconds:
            return self._common
        statement = sql.SQL(
            "SELECT word, ndoc > %s * (SELECT greatest(count(*), 1) FROM {table}) AS common "
            "FROM ts_stat({source}) WHERE ndoc > %s * (SELECT greatest(count(*), 1) FROM {table}) "
            "OR word LIKE '%%-%%'"
        ).format(
            source=sql.Literal(
                sql.SQL("SELECT content_tsv FROM {}")
                .format(sql.Identifier(self.spec.table))
                .as_string()
            ),
            table=sql.Identifier(self.spec.table),
        )
        async with self.pool.connection() as conn:
            cur = await conn.execute(statement, (self.common_share, self.common_share))
            rows = await cur.fetchall()
        self._common = [row["word"] for row in rows if row["common"]]
        self._compounds = {
            row["word"].replace("-", ""): row["word"]
            for row in rows
            if re.fullmatch(r"[a-z]+(-[a-z]+)+", row["word"])
            and len(row["word"].replace("-", "")) >= COMPOUND_MIN_LETTERS
        }
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
