"""How the emergency detector generalises: leave-one-category-out on the bank.

For every category C of graph/data/emergency_bank_*.jsonl (emergency kinds and look-alike
kinds alike), the learned detector is trained on every other category and tested on C:
an emergency category reports recall, a look-alike category its false-positive rate. Each
is given for the learned detector alone (within the rules' framing, as the service uses
it) and for the service's decision (rules or learned, either one enough). The rules are
not retrained per category; they were written with the bank in view, so the learned
column is the honest measure of generalisation. The bank's false-positive rate is also
given 5-fold cross-validated: a look-alike kind the detector never saw is a harsher test.

`python -m evals emergency-loco` prints the table; `--sweep` adds stratified 5-fold
out-of-fold figures at several thresholds, which is how the threshold was chosen; `--show`
lists every bank row the service gets wrong with its category unseen, and which detector.
"""

from __future__ import annotations

import numpy as np

from graph.routing.emergency import assess, fold
from graph.routing.emergency_detector import (
    THRESHOLD,
    LearnedDetector,
    bank_vectors,
    held_back,
    load_bank,
    text_signals,
)

SWEEP = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _rate(hits: np.ndarray) -> float | None:
    return round(float(hits.mean()), 4) if hits.size else None


def _signals(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Labels, categories, the rules' verdicts and the rules' framing of every row."""
    labels = np.array([r["is_emergency"] for r in rows], dtype=bool)
    categories = np.array([r["category"] for r in rows])
    ruled = np.array([assess(r["message"]).is_emergency for r in rows], dtype=bool)
    # Where the service holds the learned detector back: the same function decides.
    framed = np.array(
        [held_back(r["message"], fold(r["message"])) is not None for r in rows], dtype=bool
    )
    return labels, categories, ruled, framed


def leave_one_category_out(
    rows: list[dict], vectors: np.ndarray, threshold: float = THRESHOLD
) -> dict:
    labels, categories, ruled, framed = _signals(rows)
    rule_signals = text_signals([r["message"] for r in rows])
    learned = np.zeros(len(rows), dtype=bool)
    # The learned detector's verdict before the rules' framing holds it back: the framing
    # was written with the bank in view, so this column shows how much of the look-alikes'
    # low rate it owes to that.
    unframed = np.zeros(len(rows), dtype=bool)
    per_category = {}
    for category in sorted(set(categories)):
        held = categories == category
        detector = LearnedDetector.fit(
            vectors[~held], labels[~held].tolist(), rule_signals[~held], threshold
        )
        scores = detector.probabilities(vectors[held], rule_signals[held])
        unframed[held] = scores >= threshold
        learned[held] = unframed[held] & ~framed[held]
        emergency = bool(labels[held].all())
        combined = learned[held] | ruled[held]
        per_category[category] = {
            "kind": "emergency" if emergency else "look-alike",
            "n": int(held.sum()),
            # recall for an emergency kind, false-positive rate for a look-alike kind
            "learned": _rate(learned[held]),
            "unframed": _rate(unframed[held]),
            "rules": _rate(ruled[held]),
            "combined": _rate(combined),
            "wrong": int((~combined).sum() if emergency else combined.sum()),
        }
    combined = learned | ruled
    # Every row the service would get wrong with its category unseen, and which detector did.
    wrong = [
        {
            "id": row.get("id"),
            "category": row["category"],
            "by": "rules" if ruled[i] else "learned" if learned[i] else "neither",
            "message": row["message"],
        }
        for i, row in enumerate(rows)
        if combined[i] != labels[i]
    ]
    return {
        "threshold": threshold,
        "n": len(rows),
        "emergencies": int(labels.sum()),
        "look_alikes": int((~labels).sum()),
        "recall": {
            "learned": _rate(learned[labels]),
            "rules": _rate(ruled[labels]),
            "combined": _rate(combined[labels]),
        },
        "false_positive_rate": {
            "learned": _rate(learned[~labels]),
            "rules": _rate(ruled[~labels]),
            "combined": _rate(combined[~labels]),
        },
        "false_alarms": {
            "learned": int((learned & ~labels).sum()),
            "rules": int((ruled & ~labels).sum()),
            "combined": int((combined & ~labels).sum()),
        },
        "per_category": per_category,
        "wrong": wrong,
    }


def out_of_fold_scores(rows: list[dict], vectors: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each row's probability from a detector trained on the other folds.

    Folds are stratified by category, so every fold sees every kind of message.
    """
    from sklearn.model_selection import StratifiedKFold

    labels, categories, _, _ = _signals(rows)
    rule_signals = text_signals([r["message"] for r in rows])
    scores = np.zeros(len(rows))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=9)
    for train, test in splitter.split(vectors, categories):
        detector = LearnedDetector.fit(vectors[train], labels[train].tolist(), rule_signals[train])
        scores[test] = detector.probabilities(vectors[test], rule_signals[test])
    return scores


def cross_validated(rows: list[dict], vectors: np.ndarray, threshold: float = THRESHOLD) -> dict:
    """5-fold out-of-fold recall and false-positive rate of the service's decision."""
    labels, _, ruled, framed = _signals(rows)
    either = ((out_of_fold_scores(rows, vectors) >= threshold) & ~framed) | ruled
    return {
        "threshold": threshold,
        "recall": _rate(either[labels]),
        "false_positive_rate": _rate(either[~labels]),
    }


def out_of_fold_sweep(rows: list[dict], vectors: np.ndarray) -> list[dict]:
    """Out-of-fold figures at several thresholds: how the threshold was chosen."""
    labels, _, ruled, framed = _signals(rows)
    scores = out_of_fold_scores(rows, vectors)
    table = []
    for threshold in SWEEP:
        learned = (scores >= threshold) & ~framed
        combined = learned | ruled
        table.append(
            {
                "threshold": threshold,
                "recall_learned": _rate(learned[labels]),
                "recall_combined": _rate(combined[labels]),
                "fpr_learned": _rate(learned[~labels]),
                "fpr_combined": _rate(combined[~labels]),
            }
        )
    return table


async def run(ctx, sweep: bool = False) -> dict:
    rows = load_bank()
    vectors = await bank_vectors(await ctx.pool(), ctx.embeddings, rows)
    report = leave_one_category_out(rows, vectors)
    report["cross_validated"] = cross_validated(rows, vectors)
    if sweep:
        report["out_of_fold_sweep"] = out_of_fold_sweep(rows, vectors)
    return report


def print_report(report: dict, show: bool = False) -> None:
    print(
        f"emergency bank · leave-one-category-out · threshold {report['threshold']} · "
        f"n={report['n']} ({report['emergencies']} emergencies, "
        f"{report['look_alikes']} look-alikes)"
    )
    print(
        f"{'category':38} {'kind':10} {'n':>4} {'learned':>8} {'rules':>7} {'either':>7} "
        f"{'unframed':>8}"
    )
    for name, row in sorted(
        report["per_category"].items(), key=lambda item: (item[1]["kind"], item[0])
    ):
        print(
            f"{name:38} {row['kind']:10} {row['n']:>4} {row['learned']:>8.3f} "
            f"{row['rules']:>7.3f} {row['combined']:>7.3f} {row['unframed']:>8.3f}"
        )
    print(
        "(emergency kinds: recall; look-alike kinds: false-positive rate, the category unseen "
        "in training; unframed: the learned detector before the rules' framing holds it back)"
    )
    for key, label in (("recall", "recall"), ("false_positive_rate", "false-positive rate")):
        figures = report[key]
        print(
            f"overall {label}: learned {figures['learned']}, rules {figures['rules']}, "
            f"either {figures['combined']}"
        )
    alarms = report["false_alarms"]
    print(
        f"look-alikes raised, each with its kind unseen: learned {alarms['learned']}, "
        f"rules {alarms['rules']}, either {alarms['combined']} of {report['look_alikes']}"
    )
    cv = report["cross_validated"]
    print(
        f"5-fold cross-validated (stratified by category), either: recall {cv['recall']}, "
        f"false-positive rate {cv['false_positive_rate']}"
    )
    for row in report.get("out_of_fold_sweep", []):
        print(
            f"  5-fold out-of-fold at {row['threshold']:.2f}: recall learned "
            f"{row['recall_learned']} / either {row['recall_combined']}; false-positive rate "
            f"learned {row['fpr_learned']} / either {row['fpr_combined']}"
        )
    if show:
        for row in report["wrong"]:
            print(f"  ✗ {row['category']} [{row['by']}] {row['id']}: {row['message']}")
