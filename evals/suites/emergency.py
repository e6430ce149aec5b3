"""Emergency detection: recall must be 1.0; false alarms must stay rare."""

from __future__ import annotations

from pathlib import Path

from evals.datasets import load_emergency


async def run(dataset: Path, strategy) -> dict:
    rows = load_emergency(dataset)
    misses, false_alarms = [], []
    for row in rows:
        detected = strategy.detect_emergency(row["message"])
        if row["is_emergency"] and not detected:
            misses.append(row["id"])
        elif detected and not row["is_emergency"]:
            false_alarms.append(row["id"])
    positives = sum(r["is_emergency"] for r in rows)
    negatives = len(rows) - positives
    return {
        "n": len(rows),
        "metrics": {
            "recall": round((positives - len(misses)) / positives, 4) if positives else None,
            "false_positive_rate": round(len(false_alarms) / negatives, 4) if negatives else None,
            "misses": misses,
            "false_alarms": false_alarms,
            "positives": positives,
            "negatives": negatives,
        },
    }
