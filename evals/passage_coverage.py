"""Did the answerer get the right document and the right section? Measured over every dev
conversation file at once.

    python -m evals.passage_coverage [--dataset FILE ...] [--json REPORT]

Each fact-bearing turn (`must_mention_any` with a `source`) is run through the graph, in its
conversation, and its passages are compared with the knowledge index:

- document: the turn's `source` document is among the passages, and at what rank;
- section: for every fact group, a passage of the source holds one of its alternatives
  (the chunk the fact is written in), and the rank at which the last group is covered;
- reachable: the source's chunks in the index hold every group at all (a fact the file
  words otherwise can be found by no retrieval: such turns are counted apart);
- fact recall: the answer names every group (as `python -m evals conversations`).

Aggregates are printed over all files and per file; the report's `turns` list holds one
record per turn (ids and ranks, no text) so two runs can be compared turn by turn. The
default files are the dev conversation files; the frozen ones are never among them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from pathlib import Path

from langchain_core.messages import HumanMessage

from evals.datasets import DATASETS, DEV_CONVERSATIONS, load_conversations, refuse_frozen
from evals.strategies import EvalContext, ServiceStrategy
from evals.suites.conversations import _MARKUP, document_key, missing_facts, normalised

# conversations.jsonl has no fact-bearing turn to measure.
DEV_FILES = tuple(name for name in DEV_CONVERSATIONS if name != "conversations.jsonl")
RANK_CUTS = (1, 3, 5, 8)


def _holds(text: str, group: list[str]) -> bool:
    plain = normalised(_MARKUP.sub("", text))
    return any(normalised(alt) in plain for alt in group)


def first_rank(texts: list[str], paths: list[str], source: str, group: list[str]) -> int | None:
    """The 1-based rank of the first passage of `source` that holds one of `group`."""
    for rank, (text, path) in enumerate(zip(texts, paths, strict=False), start=1):
        if document_key(path) == document_key(source) and _holds(text, group):
            return rank
    return None


def measure_turn(expected: dict, texts: list[str], paths: list[str], chunks: list[str]) -> dict:
    """Ranks of the turn's source document and of its facts' sections among the passages;
    `chunks` are the source's chunks in the index (to tell an unreachable fact)."""
    source = expected["source"]
    groups = expected["must_mention_any"]
    keys = [document_key(p) for p in paths]
    doc_rank = keys.index(document_key(source)) + 1 if document_key(source) in keys else None
    ranks = [first_rank(texts, paths, source, g) for g in groups]
    section_rank = None if None in ranks else max(ranks)
    return {
        "doc_rank": doc_rank,
        "section_rank": section_rank,
        "reachable": all(any(_holds(c, g) for c in chunks) for g in groups),
        "passages": len(paths),
    }


async def _source_chunks(pool, spec, source: str) -> list[str]:
    from psycopg import sql

    key = document_key(source)
    statement = sql.SQL("SELECT path, content FROM {} ORDER BY path, chunk_index").format(
        sql.Identifier(spec.table)
    )
    async with pool.connection() as conn:
        rows = await (await conn.execute(statement)).fetchall()
    return [r["content"] for r in rows if document_key(r["path"]) == key]


async def conversation(strategy: ServiceStrategy):
    """A turn function like the strategy's, that keeps the turn's whole state."""
    await strategy._setup()
    thread = f"coverage-{uuid.uuid4()}"

    async def turn(text: str) -> dict:
        return await strategy._graph.ainvoke(
            {"messages": [HumanMessage(text)]},
            {"configurable": {"thread_id": thread}},
            context=strategy._context,
        )

    return turn


async def run_file(strategy: ServiceStrategy, dataset: Path, chunks_of, detail: bool) -> list[dict]:
    records = []
    for script in load_conversations(dataset):
        turn_fn = await conversation(strategy)
        for index, expected in enumerate(script["turns"], start=1):
            state = await turn_fn(expected["user"])
            if not expected.get("must_mention_any") or not expected.get("source"):
                continue
            passages = state.get("passages") or []
            texts = [p["content"] for p in passages]
            paths = [p["path"] for p in passages]
            found = measure_turn(expected, texts, paths, await chunks_of(expected["source"]))
            record = {
                "file": dataset.name,
                "id": f"{script['id']} turn {index}",
                "route_ok": state["route"] == expected["expected_route"],
                "passed": not missing_facts(state["answer"], expected["must_mention_any"]),
                **found,
            }
            if detail:
                # For tuning on dev files only: what was searched and what came back.
                record["detail"] = {
                    "user": expected["user"],
                    "source": expected["source"],
                    "groups": expected["must_mention_any"],
                    "route": state["route"],
                    "search_query": state.get("search_query"),
                    "passages": [
                        {
                            "path": p["path"],
                            "section": p["section"],
                            "similarity": round(float(p["similarity"]), 4),
                            "score": round(float(p["score"]), 5),
                            "facts": [
                                _holds(p["content"], g)
                                and document_key(p["path"]) == document_key(expected["source"])
                                for g in expected["must_mention_any"]
                            ],
                        }
                        for p in passages
                    ],
                }
            records.append(record)
    return records


def summary(records: list[dict]) -> dict:
    n = len(records)
    if not n:
        return {"n": 0}
    reachable = [r for r in records if r["reachable"]]

    def share(rows, test) -> float:
        return round(sum(1 for r in rows if test(r)) / len(rows), 4) if rows else None

    out = {
        "n": n,
        "reachable": len(reachable),
        "document": share(records, lambda r: r["doc_rank"] is not None),
        "section": share(reachable, lambda r: r["section_rank"] is not None),
        "fact_recall": share(records, lambda r: r["passed"]),
    }
    for cut in RANK_CUTS:
        out[f"document@{cut}"] = share(records, lambda r, c=cut: (r["doc_rank"] or 99) <= c)
        out[f"section@{cut}"] = share(reachable, lambda r, c=cut: (r["section_rank"] or 99) <= c)
    docs = [r["doc_rank"] for r in records if r["doc_rank"]]
    out["mean_document_rank"] = round(sum(docs) / len(docs), 2) if docs else None
    return out


def print_table(report: dict) -> None:
    cols = [
        "n",
        "reachable",
        "document",
        "document@1",
        "document@3",
        "section",
        "section@1",
        "section@3",
        "section@5",
        "fact_recall",
    ]
    print(f"{'file':28}" + "".join(f"{c:>12}" for c in cols))
    rows = [*report["per_file"].items(), ("ALL", report["all"])]
    for name, s in rows:
        print(f"{name:28}" + "".join(f"{s.get(c)!s:>12}" for c in cols))


async def main(files: list[Path], out: Path | None, detail: bool = False) -> dict:
    from store.vector_index import IndexSpec

    ctx = EvalContext()
    strategy = ServiceStrategy(ctx)
    spec = IndexSpec(ctx.embeddings.model_name, ctx.embeddings.dimension)
    cache: dict[str, list[str]] = {}

    async def chunks_of(source: str) -> list[str]:
        if source not in cache:
            cache[source] = await _source_chunks(await ctx.pool(), spec, source)
        return cache[source]

    try:
        records = []
        for dataset in files:
            records += await run_file(strategy, dataset, chunks_of, detail)
    finally:
        await ctx.close()
    report = {
        "all": summary(records),
        "per_file": {f.name: summary([r for r in records if r["file"] == f.name]) for f in files},
        "turns": records,
    }
    if out:
        out.write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--detail", action="store_true", help="keep each turn's query and passages in the report"
    )
    args = parser.parse_args()
    files = args.dataset or [DATASETS / name for name in DEV_FILES]
    refuse_frozen(files, "the frozen files are never measured turn by turn")
    print_table(asyncio.run(main(files, args.json, args.detail)))
