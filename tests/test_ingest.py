"""Ingestion on the real database and the real corpus."""

import shutil

import pytest
from psycopg import sql

from config.settings import PROJECT_ROOT
from ingest.documents import content_files, load_document
from ingest.pipeline import make_chunker, run_ingest
from store.vector_index import IndexSpec, VectorIndexMismatch, check_index

pytestmark = pytest.mark.db
CONTENT = PROJECT_ROOT / "content"


def test_no_chunk_exceeds_the_embedding_models_input_limit(embeddings):
    chunker = make_chunker(embeddings)
    sizes = []
    for file in content_files(CONTENT):
        for chunk in chunker.chunk(load_document(CONTENT, file)):
            sizes.append(embeddings.count_tokens(chunk.text))
            assert chunk.text.startswith(chunk.title)
    assert sizes and max(sizes) <= embeddings.max_tokens == 256


def test_chunk_ids_are_stable_across_runs(embeddings):
    chunker = make_chunker(embeddings)
    file = content_files(CONTENT)[0]
    first = [c.id for c in chunker.chunk(load_document(CONTENT, file))]
    again = [c.id for c in make_chunker(embeddings).chunk(load_document(CONTENT, file))]
    assert first == again and len(set(first)) == len(first)


async def test_reingesting_an_unchanged_corpus_does_nothing(pool, embeddings, indexed_corpus):
    assert indexed_corpus.chunks_added > 100 and not indexed_corpus.errors
    again = await run_ingest(pool, embeddings, CONTENT)
    assert again.files_unchanged == again.files_seen
    assert again.chunks_added == again.chunks_removed == 0


async def test_editing_or_deleting_a_file_touches_only_its_chunks(pool, embeddings, tmp_path):
    # A separate index (another model name over the same model) keeps the corpus intact.
    twin = embeddings.model_copy(update={"model_name": "local/test-edit-twin"})
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "safety", content / "safety")
    first = await run_ingest(pool, twin, content, rebuild=True)
    spec = IndexSpec(twin.model_name, twin.dimension)
    before = await _ids_by_path(pool, spec)

    edited = content / "safety" / "flying-after-diving.md"
    edited.write_text(edited.read_text() + "\n## Editor's note\n\nA new short paragraph.\n")
    removed = content / "safety" / "hazardous-marine-life.md"
    removed.unlink()
    second = await run_ingest(pool, twin, content)
    after = await _ids_by_path(pool, spec)

    assert second.files_indexed == 1 and second.files_removed == 1
    assert second.files_unchanged == first.files_seen - 2
    assert "safety/hazardous-marine-life.md" not in after
    assert before["safety/flying-after-diving.md"] < after["safety/flying-after-diving.md"]
    assert second.chunks_added == len(
        after["safety/flying-after-diving.md"] - before["safety/flying-after-diving.md"]
    )
    for path in after:
        if path != "safety/flying-after-diving.md":
            assert after[path] == before[path]


async def test_an_index_of_another_dimension_is_refused(pool, embeddings):
    spec = IndexSpec(embeddings.model_name, embeddings.dimension)
    wrong = IndexSpec(embeddings.model_name, 768)
    async with pool.connection() as conn:
        assert await check_index(conn, spec)
        await conn.execute(
            "INSERT INTO vector_indexes (name, embedding_model, dimension) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET dimension = EXCLUDED.dimension",
            (wrong.table, wrong.embedding_model, 384),
        )
        with pytest.raises(VectorIndexMismatch, match="384"):
            await check_index(conn, wrong)
        await conn.execute("DELETE FROM vector_indexes WHERE name = %s", (wrong.table,))


async def _ids_by_path(pool, spec) -> dict[str, set[str]]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            sql.SQL("SELECT path, id FROM {}").format(sql.Identifier(spec.table))
        )
        rows = await cur.fetchall()
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["path"], set()).add(row["id"])
    return out


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How long should I wait before flying after diving?", "safety/flying-after-diving.md"),
        ("What are the signs of decompression sickness?", "safety/decompression-sickness.md"),
        (
            "Tell me about diving the SS Thistlegorm wreck",
            "destinations/red-sea/sites/ss-thistlegorm.md",
        ),
        ("minimum age for the PADI open water course", "certifications/padi-open-water-diver.md"),
    ],
)
async def test_hybrid_search_finds_the_document_that_answers(
    pool, embeddings, indexed_corpus, question, expected
):
    from chains.retrieval import KnowledgeRetriever

    retriever = KnowledgeRetriever(
        pool=pool,
        embeddings=embeddings,
        spec=IndexSpec(embeddings.model_name, embeddings.dimension),
    )
    paths = [p["path"] for p in await retriever.search(question, k=5)]
    assert expected in paths
