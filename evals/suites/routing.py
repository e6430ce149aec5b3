"""Routing: accuracy, per-label precision/recall and the confusion matrix."""

from __future__ import annotations

from pathlib import Path

from evals.datasets import ROUTES, load_routing
from evals.metrics import confusion, per_label

LABELS = sorted(ROUTES)


async def run(dataset: Path, strategy) -> dict:
    rows = load_routing(dataset)
    pairs, failures = [], []
    for row in rows:
        predicted = await strategy.route(row["query"], row["history"])
        pairs.append((row["expected_route"], predicted))
        if predicted != row["expected_route"]:
            failures.append(
                {
                    "id": row["id"],
                    "expected": row["expected_route"],
                    "predicted": predicted,
                    "query": row["query"],
                }
            )
    correct = sum(e == p for e, p in pairs)
    labels = [label for label in LABELS if any(e == label for e, _ in pairs)]
    return {
        "n": len(rows),
        "metrics": {
            "accuracy": round(correct / len(rows), 4),
            "per_label": per_label(pairs, labels),
            "confusion": confusion(pairs, labels),
        },
        "failures": failures,
    }
