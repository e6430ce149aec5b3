"""Retrieval: recall@5 (a query is a hit when a top-5 chunk's document is relevant), MRR of
the first relevant chunk, and p95 latency of one search (embedding included).

A row may carry `history` (the conversation before the query, as in the routing format):
the service then searches as the graph would after that conversation, with the focus's
query and filters; the baselines search the raw message, as the TypeScript one does."""

from __future__ import annotations

import time
from pathlib import Path

from evals.datasets import load_retrieval


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def run(dataset: Path, strategy) -> dict:
    rows = load_retrieval(dataset)
    # Every strategy embeds its queries afresh: a cache warmed by another strategy's run
    # must not flatter this one's latency.
    embeddings = getattr(getattr(strategy, "ctx", None), "embeddings", None)
    if hasattr(embeddings, "clear_query_cache"):
        embeddings.clear_query_cache()
    await strategy.retrieve(rows[0]["query"] + " (warm-up)", None, [])  # pool, index, statistics
    hits, reciprocal, timings, misses = 0, 0.0, [], []
    for row in rows:
        query = row["query"]
        started = time.perf_counter()
        history = [h["content"] for h in row.get("history", []) if h["role"] == "user"]
        paths = await strategy.retrieve(query, row.get("filters"), history)
        timings.append((time.perf_counter() - started) * 1000)
        relevant = set(row["relevant"])
        rank = next((i for i, path in enumerate(paths[:5], start=1) if path in relevant), None)
        if rank:
            hits += 1
            reciprocal += 1 / rank
        else:
            misses.append({"id": row["id"], "query": query, "got": paths[:5]})
    return {
        "n": len(rows),
        "metrics": {
            "recall_at_5": round(hits / len(rows), 4),
            "mrr": round(reciprocal / len(rows), 4),
            "p95_ms": round(_p95(timings), 1),
            "p50_ms": round(sorted(timings)[len(timings) // 2], 1),
            "misses": [m["id"] for m in misses],
        },
        "failures": [
            {
                "id": m["id"],
                "expected": "a relevant document in the top 5",
                "predicted": ", ".join(m["got"]) or "(nothing)",
                "query": m["query"],
            }
            for m in misses
        ],
    }
