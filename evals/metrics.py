"""Classification metrics shared by the suites."""

from __future__ import annotations

from collections import Counter


def per_label(pairs: list[tuple[str, str]], labels: list[str]) -> dict:
    """pairs of (expected, predicted) -> {label: {precision, recall, n}}."""
    expected = Counter(e for e, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    correct = Counter(e for e, p in pairs if e == p)
    out = {}
    for label in labels:
        out[label] = {
            "precision": round(correct[label] / predicted[label], 4) if predicted[label] else None,
            "recall": round(correct[label] / expected[label], 4) if expected[label] else None,
            "n": expected[label],
        }
    return out


def confusion(pairs: list[tuple[str, str]], labels: list[str]) -> dict:
    matrix = {e: dict.fromkeys(labels, 0) for e in labels}
    for e, p in pairs:
        matrix.setdefault(e, dict.fromkeys(labels, 0))
        matrix[e][p] = matrix[e].get(p, 0) + 1
    return matrix
