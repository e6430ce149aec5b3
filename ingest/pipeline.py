"""Incremental indexing of content/ into the knowledge index.

Unchanged files are skipped by hash. A changed file is validated, re-chunked, and only the
chunks whose id (path + text) is new are embedded — in batches across files, through a
cache keyed by model and text, so a rebuild or a moved paragraph costs no new embeddings.
Each file is then written in one transaction (its chunks, its ledger row and its
destination or dive-site row), so a crash never leaves a half-indexed document.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from ingest.chunking import CHUNKING_VERSION, Chunk, MarkdownChunker
from ingest.documents import content_files, file_hash, load_document
from ingest.validation import validate_file
from store.dive_sites import delete_for_path, replace_for_path
from store.embedding_cache import cached_embeddings
from store.vector_index import IndexSpec, drop_index, ensure_index, settle_index

# on_progress(stage, done, total): stage is "embedding" (chunks) or "writing" (files).
Progress = Callable[[str, int, int], None]


@dataclass
class IngestSummary:
    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_added: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    embeddings_computed: int = 0
    embeddings_cached: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_line(self) -> str:
        return (
            f"files: {self.files_seen} seen, {self.files_indexed} indexed, "
            f"{self.files_unchanged} unchanged, {self.files_removed} removed; "
            f"chunks: {self.chunks_added} added, {self.chunks_kept} kept, "
            f"{self.chunks_removed} removed; embeddings: {self.embeddings_computed} computed, "
            f"{self.embeddings_cached} from cache; {self.seconds:.1f} s"
        )


@dataclass
class _FilePlan:
    path: str
    digest: str
    document: object
    chunks: list[Chunk]
    existing: set[str]

    @property
    def new_chunks(self) -> list[Chunk]:
        return [c for c in self.chunks if c.id not in self.existing]


def make_chunker(embeddings: Embeddings) -> MarkdownChunker:
    count = getattr(embeddings, "count_tokens", None)
    max_tokens = int(getattr(embeddings, "max_tokens", 256))
    if count is None:
        # Hosted models accept far longer input; a word count keeps chunks comparable.
        def count(text: str) -> int:
            return int(len(text.split()) * 1.4) + 2

    return MarkdownChunker(count, max_tokens=max_tokens)


async def run_ingest(
    pool: AsyncConnectionPool,
    embeddings: Embeddings,
    content_dir: Path,
    *,
    rebuild: bool = False,
    on_progress: Progress | None = None,
) -> IngestSummary:
    started = time.perf_counter()
    spec = IndexSpec(embeddings.model_name, embeddings.dimension)
    table = sql.Identifier(spec.table)
    summary = IngestSummary()
    async with pool.connection() as conn:
        if rebuild:
            await drop_index(conn, spec)
        await ensure_index(conn, spec)
        cur = await conn.execute(
            "SELECT path, content_hash FROM ingested_files WHERE index_name = %s", (spec.table,)
        )
        ledger = {row["path"]: row["content_hash"] for row in await cur.fetchall()}

    chunker = None  # built on first need: it loads the embedding model's tokenizer
    files = content_files(content_dir)
    summary.files_seen = len(files)
    on_disk = {f.relative_to(content_dir).as_posix() for f in files}
    plans: list[_FilePlan] = []
    for file in files:
        path = file.relative_to(content_dir).as_posix()
        # The ledger records the file and the chunking it was cut with: a new chunking
        # re-chunks every file once.
        digest = file_hash(file.read_bytes() + f"\nchunking {CHUNKING_VERSION}".encode())
        if ledger.get(path) == digest:
            summary.files_unchanged += 1
            continue
        problems, parsed = validate_file(content_dir, file)
        if parsed is None or problems:
            # The last good version (if any) stays indexed until the file is fixed.
            summary.errors.extend(str(p) for p in problems)
            continue
        chunker = chunker or make_chunker(embeddings)
        chunks = chunker.chunk(load_document(content_dir, file))
        plans.append(_FilePlan(path, digest, parsed, chunks, existing=set()))

    if plans:
        async with pool.connection() as conn:
            cur = await conn.execute(
                sql.SQL("SELECT path, id FROM {} WHERE path = ANY(%s)").format(table),
                ([p.path for p in plans],),
            )
            by_path = {plan.path: plan for plan in plans}
            for row in await cur.fetchall():
                by_path[row["path"]].existing.add(row["id"])
    # Longest first across every file: the model pads a batch to its longest text, so
    # batches of like length waste the least work on padding (a quarter of a full
    # ingest's embedding CPU, against batches taken in file order).
    texts = sorted({c.text for p in plans for c in p.new_chunks}, key=lambda t: (-len(t), t))
    vectors = await _embed_with_cache(pool, embeddings, texts, summary, on_progress)

    for n, plan in enumerate(plans, start=1):
        new_chunks = plan.new_chunks
        async with pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                sql.SQL("DELETE FROM {} WHERE path = %s AND NOT (id = ANY(%s))").format(table),
                (plan.path, [c.id for c in plan.chunks]),
            )
            summary.chunks_removed += cur.rowcount
            await _insert(conn, table, new_chunks, [vectors[c.text] for c in new_chunks])
            # Kept chunks may have moved within the file when text was added above them, and
            # their front matter may have changed (a site filed under another destination):
            # a chunk's id covers its text only.
            await _refresh(conn, table, [c for c in plan.chunks if c.id in plan.existing])
            await replace_for_path(conn, plan.path, plan.document)
            await conn.execute(
                """
                INSERT INTO ingested_files (index_name, path, content_hash, chunk_count)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (index_name, path) DO UPDATE
                SET content_hash = EXCLUDED.content_hash, chunk_count = EXCLUDED.chunk_count,
                    ingested_at = now()
                """,
                (spec.table, plan.path, plan.digest, len(plan.chunks)),
            )
        summary.files_indexed += 1
        summary.chunks_added += len(new_chunks)
        summary.chunks_kept += len(plan.chunks) - len(new_chunks)
        if on_progress:
            on_progress("writing", n, len(plans))

    for path in sorted(set(ledger) - on_disk):
        async with pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                sql.SQL("DELETE FROM {} WHERE path = %s").format(table), (path,)
            )
            summary.chunks_removed += cur.rowcount
            await delete_for_path(conn, path)
            await conn.execute(
                "DELETE FROM ingested_files WHERE index_name = %s AND path = %s",
                (spec.table, path),
            )
        summary.files_removed += 1
    if summary.files_indexed or summary.files_removed:
        async with pool.connection() as conn:
            await settle_index(conn, spec)
    summary.seconds = time.perf_counter() - started
    return summary


async def _embed_with_cache(
    pool: AsyncConnectionPool,
    embeddings: Embeddings,
    texts: list[str],
    summary: IngestSummary,
    on_progress: Progress | None,
) -> dict[str, str]:
    def report(done: int, total: int, _: int) -> None:
        if on_progress:
            on_progress("embedding", done, total)

    vectors, computed = await cached_embeddings(pool, embeddings, texts, on_batch=report)
    summary.embeddings_computed += computed
    summary.embeddings_cached += len(vectors) - computed
    return vectors


async def _refresh(conn, table: sql.Identifier, chunks: list[Chunk]) -> None:
    """Kept chunks get their place in the file and their front matter's columns anew."""
    if not chunks:
        return
    async with conn.cursor() as cur:
        await cur.executemany(
            sql.SQL(
                """
                UPDATE {} SET chunk_index = %s, doc_type = %s, destination = %s, agency = %s,
                              metadata = %s::jsonb
                WHERE id = %s AND (chunk_index, doc_type, destination, agency, metadata)
                      IS DISTINCT FROM (%s, %s, %s, %s, %s::jsonb)
                """
            ).format(table),
            [(*_columns(c), c.id, *_columns(c)) for c in chunks],
        )


def _columns(chunk: Chunk) -> tuple:
    """A chunk's place and front-matter columns, as _insert writes them."""
    return (
        chunk.chunk_index,
        str(chunk.metadata.get("doc_type") or "general"),
        chunk.metadata.get("destination"),
        chunk.metadata.get("agency"),
        json.dumps(chunk.metadata),
    )


async def _insert(conn, table: sql.Identifier, chunks: list[Chunk], vectors: list[str]) -> None:
    if not chunks:
        return
    statement = sql.SQL(
        """
        INSERT INTO {} (id, path, chunk_index, title, section, doc_type, destination, agency,
                        content, metadata, embedding, content_tsv)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::vector,
                setweight(to_tsvector('english', %s), 'A') || to_tsvector('english', %s))
        ON CONFLICT (id) DO NOTHING
        """
    ).format(table)
    rows = [
        (
            chunk.id,
            chunk.path,
            chunk.chunk_index,
            chunk.title,
            chunk.section,
            str(chunk.metadata.get("doc_type") or "general"),
            chunk.metadata.get("destination"),
            chunk.metadata.get("agency"),
            chunk.text,
            json.dumps(chunk.metadata),
            vector,
            f"{chunk.title} {chunk.section}",
            chunk.text,
        )
        for chunk, vector in zip(chunks, vectors, strict=True)
    ]
    async with conn.cursor() as cur:
        await cur.executemany(statement, rows)
