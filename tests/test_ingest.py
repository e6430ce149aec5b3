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


async def test_a_front_matter_change_reaches_the_chunks_it_kept(pool, embeddings, tmp_path):
    """A chunk's id covers its text: a site re-filed under another destination keeps its
    chunks, and they must be searched under the new one."""
    twin = embeddings.model_copy(update={"model_name": "local/test-refile-twin"})
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "destinations" / "tioman", content / "destinations" / "tioman")
    shutil.copytree(CONTENT / "destinations" / "redang", content / "destinations" / "redang")
    await run_ingest(pool, twin, content, rebuild=True)
    site = content / "destinations" / "tioman" / "sites" / "tiger-reef.md"
    site.write_text(site.read_text().replace("destination: tioman", "destination: redang"))
    again = await run_ingest(pool, twin, content)
    assert again.files_indexed == 1 and again.chunks_added == 0 and again.chunks_kept > 0
    table = sql.Identifier(IndexSpec(twin.model_name, twin.dimension).table)
    async with pool.connection() as conn:
        cur = await conn.execute(
            sql.SQL(
                "SELECT DISTINCT destination, metadata->>'destination' AS meta FROM {} "
                "WHERE path = %s"
            ).format(table),
            ("destinations/tioman/sites/tiger-reef.md",),
        )
        rows = await cur.fetchall()
    assert [(r["destination"], r["meta"]) for r in rows] == [("redang", "redang")]


async def test_a_full_ingest_embeds_its_chunks_longest_first(
    pool, embeddings, tmp_path, monkeypatch
):
    # The model pads each batch to its longest text: taken in file order, short chunks
    # were padded to their long neighbours' length and cost as much as they.
    twin = embeddings.model_copy(update={"model_name": "local/test-order-twin"})
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "safety", content / "safety")
    batches: list[list[str]] = []
    original = type(embeddings).embed_documents

    def recorded(self, texts):
        batches.append(list(texts))
        return original(self, texts)

    monkeypatch.setattr(type(embeddings), "embed_documents", recorded)
    summary = await run_ingest(pool, twin, content, rebuild=True)

    lengths = [len(text) for batch in batches for text in batch]
    assert summary.embeddings_computed == len(lengths) > 10
    assert lengths == sorted(lengths, reverse=True)


async def test_an_ingest_that_wrote_leaves_its_table_vacuumed(pool, embeddings, tmp_path):
    # Served right after an ingest, fresh rows would be settled by the first searches and by
    # an autovacuum walking the HNSW graph under them; an ingest that changed nothing
    # leaves the table alone.
    twin = embeddings.model_copy(update={"model_name": "local/test-vacuum-twin"})
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "safety", content / "safety")
    spec = IndexSpec(twin.model_name, twin.dimension)

    await run_ingest(pool, twin, content, rebuild=True)
    after_write = await _vacuum_count(pool, spec)
    await run_ingest(pool, twin, content)
    after_nothing = await _vacuum_count(pool, spec)

    assert after_write >= 1
    assert after_nothing == after_write


async def _vacuum_count(pool, spec: IndexSpec) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = %s",
            (spec.table,),
        )
        return (await cur.fetchone())["n"]


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


QUESTIONS = [
    ("How long should I wait before flying after diving?", "safety/flying-after-diving.md"),
    ("What are the signs of decompression sickness?", "safety/decompression-sickness.md"),
    (
        "Tell me about diving the SS Thistlegorm wreck",
        "destinations/red-sea/sites/ss-thistlegorm.md",
    ),
    ("minimum age for the PADI open water course", "certifications/padi-open-water-diver.md"),
    ("How do I equalize my ears when I descend?", "safety/equalisation-and-ear-barotrauma.md"),
    (
        "Is Barracuda Point at Sipadan suitable for beginners?",
        "destinations/sipadan/sites/barracuda-point.md",
    ),
    ("When is manta season in the Maldives?", "destinations/maldives/index.md"),
    ("What does EAN32 mean and how deep can I go on it?", "general/nitrox-basics.md"),
    (
        "I lost my certification card, how do I get a replacement?",
        "certifications/lost-certification-cards.md",
    ),
    (
        "Is PADI Advanced the same as SSI Advanced Adventurer?",
        "certifications/agency-equivalency.md",
    ),
    (
        "How thick a wetsuit do I need for 24 degree water?",
        "general/wetsuits-and-exposure-protection.md",
    ),
    (
        "What is the DAN emergency hotline number for Asia?",
        "safety/emergency-contacts-by-region.md",
    ),
    (
        "How strong are the currents at Batu Bolong in Komodo?",
        "destinations/komodo/sites/batu-bolong.md",
    ),
    # The guide hyphenates it ("over-weighted"); the embedding puts the turn far from all.
    ("How do I check if I'm overweighted?", "general/buoyancy-and-trim.md"),
]


def test_a_word_written_whole_finds_the_guides_that_hyphenate_it():
    from chains.retrieval import with_compounds

    compounds = {"overweight": "over-weight", "yearround": "year-round"}
    assert with_compounds("am I overweighted?", compounds) == "am I overweighted? over-weight"
    assert with_compounds("Diving YEARROUND", compounds).endswith(" year-round")
    assert with_compounds("is it free-flowing", compounds) == "is it free-flowing freeflowing"
    # A longer word that only starts like a compound is another word.
    assert with_compounds("overweightlifting", compounds) == "overweightlifting"
    assert with_compounds("how heavy is my weight belt?", compounds) == (
        "how heavy is my weight belt?"
    )


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
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


async def test_the_fusion_in_sql_is_reciprocal_rank_fusion(pool, embeddings, indexed_corpus):
    """Both legs run inside the fusing statement, which gives the RRF of the two rankings
    (each computed apart here)."""
    from chains.retrieval import RRF_K, KnowledgeRetriever, filter_clause
    from store.embedding_cache import vector_literal

    retriever = KnowledgeRetriever(
        pool=pool,
        embeddings=embeddings,
        spec=IndexSpec(embeddings.model_name, embeddings.dimension),
    )
    for question, _ in QUESTIONS:
        for filters in (None, {"doc_type": ["dive_site", "destination"]}):
            where = filter_clause(filters, "f")
            vector = vector_literal(embeddings.embed_query(question))
            dense = await retriever._dense(vector, where)
            sparse = await retriever._sparse(question, where)
            assert dense
            scores: dict[str, float] = {}
            for ranking in (dense, sparse):
                for rank, chunk_id in enumerate(ranking, start=1):
                    scores[chunk_id] = scores.get(chunk_id, 0.0) + 1 / (RRF_K + rank)
            best = sorted(scores.values(), reverse=True)[:5]
            fused = await retriever._fused(vector, question, where, 5)
            assert [r["score"] for r in fused] == pytest.approx(best)
            assert all(scores[r["id"]] == pytest.approx(r["score"]) for r in fused)
            passages = await retriever.search(question, filters=filters)
            assert [p["score"] for p in passages] == pytest.approx(best)


async def test_filters_keep_results_to_the_place_asked_about(pool, embeddings, indexed_corpus):
    from chains.retrieval import KnowledgeRetriever

    retriever = KnowledgeRetriever(
        pool=pool,
        embeddings=embeddings,
        spec=IndexSpec(embeddings.model_name, embeddings.dimension),
    )
    results = await retriever.search(
        "best season and water temperature", k=8, filters={"destination": "komodo"}
    )
    assert results and {p["destination"] for p in results} == {"komodo"}
    scores = [p["score"] for p in results]
    assert scores == sorted(scores, reverse=True)
    many = await retriever.search(
        "wreck dive", filters={"doc_type": ["dive_site", "certification"]}
    )
    assert {p["doc_type"] for p in many} <= {"dive_site", "certification"}
    with pytest.raises(ValueError, match="cannot filter"):
        await retriever.search("x", filters={"colour": "blue"})


def test_a_vector_literal_writes_each_number_as_before():
    # The literal is what searches compare in SQL: a faster writer must not move a digit.
    import math
    import random

    from store.embedding_cache import parse_vector, vector_literal

    rng = random.Random(7)
    vectors = [[rng.gauss(0, 0.05) for _ in range(384)] for _ in range(50)]
    vectors.append([0.0, -0.0, 1e-9, -123456.789, 1 / 3, math.inf] + [0.1] * 378)
    for vector in vectors:
        assert vector_literal(vector) == "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
    assert len(parse_vector(vector_literal(vectors[0]))) == 384


def test_each_chunk_carries_its_title_and_section_path(embeddings):
    document = load_document(CONTENT, CONTENT / "destinations/tioman/index.md")
    chunks = make_chunker(embeddings).chunk(document)
    sections = {c.section for c in chunks}
    assert {"Overview", "Seasons and weather", "Getting there"} <= sections
    seasons = next(c for c in chunks if c.section == "Seasons and weather")
    assert seasons.text.startswith(f"{document.title} — Seasons and weather\n")
    assert "March to October" in seasons.text


def test_every_part_of_a_table_cut_in_two_keeps_its_header_row(embeddings):
    document = load_document(CONTENT, CONTENT / "certifications/course-costs-and-duration.md")
    parts = [
        c
        for c in make_chunker(embeddings).chunk(document)
        if c.section == "Price and duration table"
    ]
    header = "| Course | Typical duration | Southeast Asia (USD) | Malaysia (MYR) |"
    assert len(parts) >= 2
    assert all(header in part.text for part in parts)
    rescue = next(part for part in parts if "| Rescue Diver" in part.text)
    assert rescue.text.index(header) < rescue.text.index("| Rescue Diver")


async def test_sites_are_queryable_by_destination_and_certification(pool, indexed_corpus):
    from store.dive_sites import destination, sites_for

    async with pool.connection() as conn:
        every = await sites_for(conn, "tioman")
        open_water = await sites_for(conn, "tioman", certification="open_water")
        shallow = await sites_for(conn, "tioman", certification="open_water", max_depth_m=5)
        tioman = await destination(conn, "tioman")
    assert len(every) >= 5
    assert 0 < len(open_water) < len(every)
    assert {s["min_certification"] for s in open_water} <= {"discover", "open_water"}
    assert all(s["depth_min_m"] <= 5 for s in shallow)
    assert tioman["country"] == "Malaysia" and "Apr" in tioman["best_months"]


async def test_a_snorkel_only_site_is_no_dive_for_any_level(pool, indexed_corpus):
    from store.dive_sites import sites_for

    async with pool.connection() as conn:
        every = await sites_for(conn, "maldives")
        for_a_try_diver = await sites_for(conn, "maldives", certification="discover")
        for_a_deep_diver = await sites_for(conn, "maldives", certification="deep")
    hanifaru = next(s for s in every if s["name"].startswith("Hanifaru"))
    assert hanifaru["snorkel_only"] and not any(s["snorkel_only"] for s in for_a_deep_diver)
    assert "Hanifaru Bay" not in {s["name"] for s in for_a_try_diver + for_a_deep_diver}


async def test_a_broken_file_is_reported_by_name_and_not_indexed(pool, embeddings, tmp_path):
    twin = embeddings.model_copy(update={"model_name": "local/test-broken-twin"})
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "general", content / "general")
    broken = content / "general" / "buoyancy-and-trim.md"
    broken.write_text(broken.read_text().replace("doc_type: general", "doc_type: [general", 1))
    summary = await run_ingest(pool, twin, content, rebuild=True)
    assert summary.files_indexed == summary.files_seen - 1
    assert any(e.startswith("general/buoyancy-and-trim.md:") for e in summary.errors)
