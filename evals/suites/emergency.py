"""Emergency detection: recall must be 1.0; false alarms must stay rare.

When rows carry a `category`, the report also gives each category's recall (emergencies)
or false-positive rate (look-alikes), with its misses counted.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from evals.datasets import load_emergency


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def by_category(rows: list[dict], detected: list[bool]) -> dict:
    """{category: {n, positives, negatives, recall, false_positive_rate, misses, false_alarms}}."""
    groups: dict[str, list[tuple[dict, bool]]] = defaultdict(list)
    for row, hit in zip(rows, detected, strict=True):
        if row.get("category"):
            groups[str(row["category"])].append((row, hit))
    out = {}
    for category in sorted(groups):
        pairs = groups[category]
        positives = [hit for row, hit in pairs if row["is_emergency"]]
        negatives = [hit for row, hit in pairs if not row["is_emergency"]]
        out[category] = {
            "n": len(pairs),
            "positives": len(positives),
            "negatives": len(negatives),
            "recall": _rate(sum(positives), len(positives)),
            "false_positive_rate": _rate(sum(negatives), len(negatives)),
            "misses": [row["id"] for row, hit in pairs if row["is_emergency"] and not hit],
            "false_alarms": [row["id"] for row, hit in pairs if not row["is_emergency"] and hit],
        }
    return out


async def run(dataset: Path, strategy) -> dict:
    rows = load_emergency(dataset)
    detected = [bool(await strategy.detect_emergency(row["message"])) for row in rows]
    misses = [
        r["id"] for r, hit in zip(rows, detected, strict=True) if r["is_emergency"] and not hit
    ]
    false_alarms = [
        r["id"] for r, hit in zip(rows, detected, strict=True) if hit and not r["is_emergency"]
    ]
    positives = sum(r["is_emergency"] for r in rows)
    negatives = len(rows) - positives
    metrics = {
        "recall": _rate(positives - len(misses), positives),
        "false_positive_rate": _rate(len(false_alarms), negatives),
        "misses": misses,
        "false_alarms": false_alarms,
        "positives": positives,
        "negatives": negatives,
    }
    categories = by_category(rows, detected)
    if categories:
        metrics["per_category"] = categories
    return {"n": len(rows), "metrics": metrics}
