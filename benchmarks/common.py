"""Small helpers shared by the benchmarks."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} p50={statistics.median(ms):.1f} ms p95={percentile(ms, 95):.1f} ms "
        f"max={max(ms):.1f} ms"
    )


def dev_queries(limit: int = 100) -> list[str]:
    """Real diver questions from the routing dev set (not off-topic, not emergencies)."""
    rows = [
        json.loads(line)
        for line in (ROOT / "evals/datasets/routing.jsonl").read_text().splitlines()
        if line.strip()
    ]
    queries = [r["query"] for r in rows if r["expected_route"] not in ("off_topic", "emergency")]
    return queries[:limit]
