"""The systems DovvyBuddy replaces, re-implemented from typescript-baseline.md (behaviour
only), so they can be measured on the same data, embedding model and database.

- `ts-baseline`: the TypeScript `detectPromptMode` keyword router (trip / certification /
  general only), its `chunkText` chunker (sections at ##/###, 650/800-token packing, no
  overlap) in an index table of its own, and its retrieval (raw message embedded, cosine
  top 5, results under 0.5 dropped, no hybrid search).
- `py-keyword`: the later Python keyword router with its safety mode.
Neither has an emergency or off-topic label: such cases count as misses.
Token counts use the project's embedding tokenizer (MiniLM word pieces), not GPT BPE; and
MiniLM reads at most 256 word pieces, so the baseline's 650-800-token chunks are truncated
when embedded, as they would be with any model of that input size.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from psycopg import sql

from ingest.documents import content_files, load_document
from store.embedding_cache import cached_embeddings
from store.vector_index import IndexSpec, drop_index, ensure_index

TS_TRIP = (
    "trip",
    "destination",
    "dive site",
    "where to dive",
    "travel",
    "visit",
    "recommend",
    "best place",
    "best time",
    "season",
    "marine life",
    "wreck",
    "reef",
    "visibility",
    "current",
    "beginner friendly",
    "tioman",
    "malaysia",
    "thailand",
    "indonesia",
)
TS_CERTIFICATION = (
    "certification",
    "certify",
    "certified",
    "license",
    "course",
    "training",
    "padi",
    "ssi",
    "naui",
    "open water",
    "advanced",
    "rescue",
    "divemaster",
    "instructor",
    "specialty",
    "nitrox",
    "deep diver",
    "prerequisite",
    "requirement",
)
PY_SAFETY = (
    "medical",
    "health",
    "safe",
    "condition",
    "medication",
    "asthma",
    "heart",
    "lung",
    "ear",
    "sinus",
    "pregnant",
    "injury",
    "emergency",
    "dcs",
    "decompression",
    "risk",
    "cold",
)
PY_CERTIFICATION = (
    "padi",
    "ssi",
    "open water",
    "advanced",
    "rescue",
    "divemaster",
    "instructor",
    "course",
    "training",
    "requirements",
    "certification",
    "certified",
)
PY_TRIP = (
    "destination",
    "trip",
    "travel",
    "dive site",
    "island",
    "reef",
    "wreck",
    "season",
    "resort",
    "liveaboard",
    "where",
    "diving in",
)


def _ts_mode_of(text: str) -> str | None:
    lowered = text.lower()
    if any(k in lowered for k in TS_TRIP):
        return "trip"
    if any(k in lowered for k in TS_CERTIFICATION):
        return "certification"
    return None


def ts_detect_prompt_mode(message: str, history: list[dict]) -> str:
    """detectPromptMode: substrings of the message, then of the last 4 history messages."""
    mode = _ts_mode_of(message)
    if mode:
        return mode
    for item in list(reversed(history))[:4]:
        mode = _ts_mode_of(item["content"])
        if mode:
            return mode
    return "general"


def _py_mode_of(text: str) -> str | None:
    lowered = text.lower()
    if any(k in lowered for k in PY_SAFETY):  # "ear" matches "near", "year", "hear"...
        return "safety"
    cert = sum(k in lowered for k in PY_CERTIFICATION)
    trip = sum(k in lowered for k in PY_TRIP)
    if cert == trip == 0:
        return None
    return "certification" if cert >= trip else "trip"


def py_keyword_route(message: str, history: list[dict]) -> str:
    mode = _py_mode_of(message)
    if mode:
        return mode
    users = [h["content"] for h in history if h["role"] == "user"]
    for text in list(reversed(users))[:3]:
        mode = _py_mode_of(text)
        if mode:
            return mode
    return "general"


# --- the TypeScript chunker -----------------------------------------------------------------
def ts_chunk(body: str, count_tokens) -> list[tuple[str, str]]:
    """chunkText: [(section header, chunk text)]."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in body.splitlines():
        if line.startswith("## ") or line.startswith("### "):
            sections.append((line.lstrip("#").strip(), [line]))
        else:
            sections[-1][1].append(line)
    chunks: list[tuple[str, str]] = []
    for header, lines in sections:
        text = "\n".join(lines).strip()
        if not text:
            continue
        if count_tokens(text) <= 800:
            chunks.append((header, text))
            continue
        prefix = f"## {header}\n" if header else ""
        pieces: list[str] = []
        current = ""
        for paragraph in re.split(r"\n\s*\n", text):
            paragraph = paragraph.strip()
            if not paragraph or paragraph == f"## {header}" or paragraph == f"### {header}":
                continue
            if count_tokens(paragraph) > 800:
                if current:
                    pieces.append(current)
                    current = ""
                pieces.append(paragraph)
                continue
            candidate = f"{current}\n\n{paragraph}" if current else paragraph
            if count_tokens(candidate) > 650 and current:
                pieces.append(current)
                current = paragraph
            else:
                current = candidate
        if current:
            pieces.append(current)
        if len(pieces) > 1:
            pieces = [p for p in pieces if count_tokens(p) >= 100] or pieces
        chunks.extend(
            (header, prefix + p if prefix and not p.startswith("#") else p) for p in pieces
        )
    return chunks


def ts_spec(embeddings) -> IndexSpec:
    return IndexSpec(f"ts-baseline/{embeddings.model_name}", embeddings.dimension)


async def build_ts_index(pool, embeddings, content_dir: Path) -> int:
    """(Re)build the baseline's own index from content/ with the same embedding model."""
    spec = ts_spec(embeddings)
    rows = []
    for file in content_files(content_dir):
        document = load_document(content_dir, file)
        for index, (header, text) in enumerate(ts_chunk(document.body, embeddings.count_tokens)):
            rows.append((document, index, header, text))
    vectors, _ = await cached_embeddings(pool, embeddings, [text for *_, text in rows])
    table = sql.Identifier(spec.table)
    async with pool.connection() as conn:
        await drop_index(conn, spec)
        await ensure_index(conn, spec)
        async with conn.cursor() as cur:
            await cur.executemany(
                sql.SQL(
                    "INSERT INTO {} (id, path, chunk_index, title, section, doc_type, destination,"
                    " agency, content, metadata, embedding, content_tsv) VALUES (%s, %s, %s, %s,"
                    " %s, %s, %s, %s, %s, %s::jsonb, %s::vector, to_tsvector('english', %s))"
                ).format(table),
                [
                    (
                        hashlib.sha256(f"{d.path}\n{i}\n{t}".encode()).hexdigest()[:32],
                        d.path,
                        i,
                        d.title,
                        h,
                        d.doc_type,
                        d.metadata.get("destination"),
                        d.metadata.get("agency"),
                        t,
                        json.dumps({}),
                        vectors[t],
                        t,
                    )
                    for d, i, h, t in rows
                ],
            )
    return len(rows)


async def ts_retrieve(pool, embeddings, query: str, filters: dict | None = None) -> list[dict]:
    """retrieveRelevantChunks: cosine top 5, equality filters, then similarity >= 0.5."""
    from store.embedding_cache import vector_literal

    vector = vector_literal(await embeddings.aembed_query(query))
    clauses, params = [], {"v": vector}
    for key in ("doc_type", "destination"):
        if filters and filters.get(key):
            clauses.append(sql.SQL("{} = %({})s").format(sql.Identifier(key), sql.SQL(key)))
            params[key] = filters[key]
    where = sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("TRUE")
    statement = sql.SQL(
        "SELECT path, section, content, 1 - (embedding <=> %(v)s::vector) AS similarity "
        "FROM {} WHERE {} ORDER BY (embedding <=> %(v)s::vector) + 0 LIMIT 5"
    ).format(sql.Identifier(ts_spec(embeddings).table), where)
    async with pool.connection() as conn:
        cur = await conn.execute(statement, params)
        rows = await cur.fetchall()
    return [r for r in rows if r["similarity"] >= 0.5]
