"""Incremental indexing of content/ into the knowledge index.

Unchanged files are skipped by hash; a changed file is re-chunked and only chunks whose id
(path + text) is new are embedded; chunks that disappeared are removed. Each file is
written in one transaction, so a crash never leaves a half-indexed document.
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

from chains.retrieval import vector_literal
from ingest.chunking import Chunk, MarkdownChunker
from ingest.documents import content_files, file_hash, load_document
from store.vector_index import IndexSpec, drop_index, ensure_index

EMBED_BATCH = 64


@dataclass
class IngestSummary:
    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_added: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_line(self) -> str:
        return (
            f"files: {self.files_seen} seen, {self.files_indexed} indexed, "
            f"{self.files_unchanged} unchanged, {self.files_removed} removed; "
            f"chunks: {self.chunks_added} added, {self.chunks_kept} kept, "
            f"{self.chunks_removed} removed; {self.seconds:.1f} s"
        )


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
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    started = time.perf_counter()
    spec = IndexSpec(embeddings.model_name, embeddings.dimension)
    summary = IngestSummary()
    async with pool.connection() as conn:
        if rebuild:
            await drop_index(conn, spec)
        await ensure_index(conn, spec)
        cur = await conn.execute(
            "SELECT path, content_hash FROM ingested_files WHERE index_name = %s", (spec.table,)
        )
        ledger = {row["path"]: row["content_hash"] for row in await cur.fetchall()}

    chunker = make_chunker(embeddings)
    files = content_files(content_dir)
    summary.files_seen = len(files)
    on_disk: set[str] = set()
    changed: list[tuple[str, str, list[Chunk]]] = []
    for file in files:
        relative = file.relative_to(content_dir).as_posix()
        on_disk.add(relative)
        if ledger.get(relative) == file_hash(file.read_bytes()):
            summary.files_unchanged += 1
            continue
        try:
            document = load_document(content_dir, file)
        except Exception as error:  # a broken file must not stop the others
            summary.errors.append(f"{relative}: {error}")
            continue
        changed.append((relative, document.content_hash, chunker.chunk(document)))

    table = sql.Identifier(spec.table)
    total = len(changed)
    for n, (path, digest, chunks) in enumerate(changed, start=1):
        async with pool.connection() as conn:
            cur = await conn.execute(
                sql.SQL("SELECT id FROM {} WHERE path = %s").format(table), (path,)
            )
            existing = {row["id"] for row in await cur.fetchall()}
        new_chunks = [c for c in chunks if c.id not in existing]
        vectors = await _embed([c.text for c in new_chunks], embeddings)
        wanted = {c.id for c in chunks}
        async with pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                sql.SQL("DELETE FROM {} WHERE path = %s AND NOT (id = ANY(%s))").format(table),
                (path, list(wanted)),
            )
            summary.chunks_removed += cur.rowcount
            await _insert(conn, table, new_chunks, vectors)
            # chunk_index may shift for kept chunks when text is inserted above them.
            for chunk in chunks:
                if chunk.id in existing:
                    await conn.execute(
                        sql.SQL("UPDATE {} SET chunk_index = %s WHERE id = %s").format(table),
                        (chunk.chunk_index, chunk.id),
                    )
            await conn.execute(
                """
                INSERT INTO ingested_files (index_name, path, content_hash, chunk_count)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (index_name, path) DO UPDATE
                SET content_hash = EXCLUDED.content_hash, chunk_count = EXCLUDED.chunk_count,
                    ingested_at = now()
                """,
                (spec.table, path, digest, len(chunks)),
            )
        summary.files_indexed += 1
        summary.chunks_added += len(new_chunks)
        summary.chunks_kept += len(chunks) - len(new_chunks)
        if progress:
            progress(n, total)

    for path in sorted(set(ledger) - on_disk):
        async with pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                sql.SQL("DELETE FROM {} WHERE path = %s").format(table), (path,)
            )
            summary.chunks_removed += cur.rowcount
            await conn.execute(
                "DELETE FROM ingested_files WHERE index_name = %s AND path = %s", (spec.table, path)
            )
        summary.files_removed += 1
    summary.seconds = time.perf_counter() - started
    return summary


async def _embed(texts: list[str], embeddings: Embeddings) -> list[list[float]]:
    vectors: list[list[float]] = []
    for start in range(0, len(texts), EMBED_BATCH):
        vectors.extend(await embeddings.aembed_documents(texts[start : start + EMBED_BATCH]))
    return vectors


async def _insert(conn, table: sql.Identifier, chunks: list[Chunk], vectors: list[list[float]]):
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
    rows = []
    for chunk, vector in zip(chunks, vectors, strict=True):
        meta = chunk.metadata
        rows.append(
            (
                chunk.id,
                chunk.path,
                chunk.chunk_index,
                chunk.title,
                chunk.section,
                str(meta.get("doc_type") or "general"),
                meta.get("destination"),
                meta.get("agency"),
                chunk.text,
                json.dumps(meta),
                vector_literal(vector),
                f"{chunk.title} {chunk.section}",
                chunk.text,
            )
        )
    async with conn.cursor() as cur:
        await cur.executemany(statement, rows)
