"""How the emergency gate generalises: leave-one-category-out on the bank.

For every category C of graph/data/emergency_bank_*.jsonl (emergency kinds and look-alike
kinds alike), the learned detector is trained on every other category and scores C. The
whole gate is then scored on those scores: the rules, the detector and the `Arbitration`
between them (graph/routing/emergency_detector.py), as the service decides. An emergency
category reports recall, a look-alike category its false-positive rate. The rules are not
retrained per category; they were written with most of the bank in view, so the "learned"
column is the honest measure of generalisation, and the rows added by other hands (ids
`b8…`, session 8) are the honest measure of the rules. The bank's false-positive rate is
also given 5-fold cross-validated.

`python -m evals emergency-loco` prints the table and every arbitration compared on the
same scores; `--sweep` adds stratified 5-fold out-of-fold figures at several thresholds,
which is how the threshold was chosen; `--show` lists every bank row the service gets
wrong with its category unseen, and which detector. `--probe FILE` instead trains on the
whole bank and scores every arbitration on a file the bank never held, in aggregates only
(recall, false-positive rate, what the rules raised, what each framing held back), so a
blind file can be measured before its rows are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.routing.emergency import assess
from graph.routing.emergency_arbitration import THRESHOLD, Arbitration, binds, held_back, readable
from graph.routing.emergency_detector import (
    LearnedDetector,
    bank_vectors,
    load_bank,
    signed_sentences,
    statements,
    text_signals,
    with_statements,
)
from graph.routing.emergency_signs import NEGATED_SIGNS, names_a_sign
from graph.routing.emergency_words import fold

SWEEP = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _rate(hits: np.ndarray) -> float | None:
    return round(float(hits.mean()), 4) if hits.size else None


def _signals(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Labels, categories, the rules' verdicts and the rules' framing of every row."""
    labels = np.array([r["is_emergency"] for r in rows], dtype=bool)
    categories = np.array([r.get("category", "") for r in rows])
    ruled = np.array([assess(r["message"]).is_emergency for r in rows], dtype=bool)
    # Where the service holds the learned detector back: the same function decides.
    framed = np.array(
        [held_back(r["message"], fold(r["message"])) is not None for r in rows], dtype=bool
    )
    return labels, categories, ruled, framed


def bound(rows: list[dict]) -> np.ndarray:
    """Rows framed in a way no detector score outweighs (`binds`)."""
    return np.array([binds(held_back(r["message"], fold(r["message"]))) for r in rows], dtype=bool)


def signs(rows: list[dict]) -> np.ndarray:
    """Does the rules' reading find a sign (critical or a symptom) in each row?"""
    return np.array(
        [names_a_sign(NEGATED_SIGNS.sub(" ", fold(r["message"]))) for r in rows], dtype=bool
    )


def readables(rows: list[dict]) -> np.ndarray:
    """Can the detector read each row (`readable`)? A veto is only the detector's to give there."""
    return np.array([readable(r["message"]) for r in rows], dtype=bool)


@dataclass(frozen=True)
class Statements:
    """The sentences the service also scores alone (`statements`), and whose row each is."""

    owners: np.ndarray
    vectors: np.ndarray
    signals: np.ndarray
    ruled: np.ndarray  # does each sentence alone carry the rules' sign?
    # Is each a statement (`statements`), whose score may raise its row, or only a sentence
    # the rules raise alone (`signed_sentences`), which the veto alone reads?
    counted: np.ndarray

    @classmethod
    def none(cls) -> Statements:
        nothing = np.zeros(0, dtype=bool)
        return cls(np.zeros(0, dtype=int), np.zeros((0, 1)), np.zeros((0, 1)), nothing, nothing)

    def of(self, rows: np.ndarray) -> np.ndarray:
        """Which statements belong to the rows selected (a boolean mask over rows)."""
        return rows[self.owners] if self.owners.size else np.zeros(0, dtype=bool)


async def statement_vectors(pool, embeddings, rows: list[dict]) -> Statements:
    told = []
    for i, row in enumerate(rows):
        counted = statements(row["message"])
        told += [(i, s, True) for s in counted]
        told += [(i, s, False) for s in signed_sentences(row["message"]) if s not in counted]
    if not told:
        return Statements.none()
    texts = [{"message": s} for _, s, _ in told]
    return Statements(
        np.array([i for i, _, _ in told], dtype=int),
        await bank_vectors(pool, embeddings, texts),
        text_signals([s for _, s, _ in told]),
        np.array([assess(s).is_emergency for _, s, _ in told], dtype=bool),
        np.array([c for _, _, c in told], dtype=bool),
    )


def scores_with_statements(
    scores: np.ndarray, told: Statements, told_scores: np.ndarray
) -> np.ndarray:
    """Each row's score, or its surest statement's where that counts: the service's rule
    (`with_statements` of graph/routing/emergency_detector.py), row by row."""
    return np.array(
        [
            with_statements(score, told_scores[(told.owners == row) & told.counted])
            for row, score in enumerate(scores)
        ]
    )


def surest_sentence(scores: np.ndarray, told: Statements, told_scores: np.ndarray) -> np.ndarray:
    """Each row's score for the veto: its whole message's, or that of any of its statements
    the rules raise alone where it is higher (`EmergencyDetector.assess`), row by row."""
    return np.array(
        [
            max([score, *told_scores[(told.owners == row) & told.ruled]])
            for row, score in enumerate(scores)
        ]
    )


def loco_scores(
    rows: list[dict], vectors: np.ndarray, told: Statements | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's probability from a detector trained without the row's category: the
    service's (its surest statement's where that counts), its whole message's, and the one
    the veto reads (`surest_sentence`)."""
    told = told or Statements.none()
    labels = np.array([r["is_emergency"] for r in rows], dtype=bool)
    categories = np.array([r["category"] for r in rows])
    rule_signals = text_signals([r["message"] for r in rows])
    scores = np.zeros(len(rows))
    told_scores = np.zeros(len(told.owners))
    for category in sorted(set(categories)):
        held = categories == category
        detector = LearnedDetector.fit(vectors[~held], labels[~held].tolist(), rule_signals[~held])
        scores[held] = detector.probabilities(vectors[held], rule_signals[held])
        mine = told.of(held)
        if mine.any():
            told_scores[mine] = detector.probabilities(told.vectors[mine], told.signals[mine])
    return (
        scores_with_statements(scores, told, told_scores),
        scores,
        surest_sentence(scores, told, told_scores),
    )


def gate(
    ruled: np.ndarray,
    framed: np.ndarray,
    sign: np.ndarray,
    scores: np.ndarray,
    arbitration: Arbitration,
    readable: np.ndarray | bool = True,
    binding: np.ndarray | bool = False,
    whole: np.ndarray | None = None,
    surest: np.ndarray | None = None,
) -> np.ndarray:
    """The whole gate's verdicts: the rules, or the detector weighed against their framing.

    The same rule as `learned_verdict` in graph/routing/emergency_detector.py, on arrays.
    `scores` are the service's, `whole` the whole messages' where they differ: only a whole
    message's score outweighs its framing (`EmergencyDetector.assess`).
    """
    whole = scores if whole is None else whole
    surest = scores if surest is None else surest
    outweighs = (whole >= arbitration.confident) | (sign & (whole >= arbitration.with_a_sign))
    outweighs &= ~np.asarray(binding, dtype=bool)
    vetoed = (surest < arbitration.veto) & readable
    return (ruled & ~vetoed) | (~ruled & (scores >= arbitration.threshold) & (~framed | outweighs))


# The arbitrations compared: today's cascade (the framing always holds the detector back),
# (v) a very low score outweighs the rules' sign, (a) a confident score outweighs any
# framing, (b) a score beside a sign the rules see outweighs their framing.
NEVER = 1.01
CONFIDENT_SWEEP = (0.99, 0.97, 0.95, 0.9, 0.8, 0.7)
WITH_A_SIGN_SWEEP = (0.9, 0.8, 0.7, 0.6, 0.5, 0.3)
VETO_SWEEP = (0.01, 0.02, 0.05, 0.1, 0.2)
ARBITRATIONS = (
    ("cascade", Arbitration(THRESHOLD, NEVER, NEVER, 0.0)),
    *((f"(v) veto below {t}", Arbitration(THRESHOLD, NEVER, NEVER, t)) for t in VETO_SWEEP),
    *((f"(a) confident {t}", Arbitration(THRESHOLD, t, NEVER, 0.0)) for t in CONFIDENT_SWEEP),
    *((f"(b) with a sign {t}", Arbitration(THRESHOLD, NEVER, t, 0.0)) for t in WITH_A_SIGN_SWEEP),
    # Both ways: each side overrules the other only when the detector is sure.
    *(
        (f"(v+a) veto {v}, confident {t}", Arbitration(THRESHOLD, t, NEVER, v))
        for v in (0.01, 0.02)
        for t in (0.99, 0.97)
    ),
)


def compare_arbitrations(
    rows: list[dict],
    scores: np.ndarray,
    arbitrations=ARBITRATIONS,
    whole: np.ndarray | None = None,
    surest: np.ndarray | None = None,
) -> list[dict]:
    """LOCO recall and look-alike false-positive rate of the whole gate, per arbitration."""
    labels, categories, ruled, framed = _signals(rows)
    sign = signs(rows)
    can_read = readables(rows)
    binding = bound(rows)
    emergency_kinds = sorted({c for c, y in zip(categories, labels, strict=True) if y})
    table = []
    for name, arbitration in arbitrations:
        raised = gate(ruled, framed, sign, scores, arbitration, can_read, binding, whole, surest)
        unruled = np.zeros_like(ruled)
        learned = gate(unruled, framed, sign, scores, arbitration, True, binding, whole)
        table.append(
            {
                "arbitration": name,
                "confident": arbitration.confident,
                "with_a_sign": arbitration.with_a_sign,
                "recall": _rate(raised[labels]),
                "learned_recall": _rate(learned[labels]),
                "lowest_kind_recall": min(
                    _rate(raised[categories == kind]) for kind in emergency_kinds
                ),
                "false_positive_rate": _rate(raised[~labels]),
                "false_alarms": int((raised & ~labels).sum()),
            }
        )
    return table


def stacked(rows: list[dict], scores: np.ndarray, threshold: float = THRESHOLD) -> dict:
    """(c) A logistic model over the detector's score and the rules' reading, LOCO twice.

    Features: the detector's LOCO logit, the rules' verdict, a sign seen, a framing read.
    The stacker is itself fitted without the category it scores. The rules' reading was
    written with the bank in view, so on the bank it looks better than it is blind.
    """
    from sklearn.linear_model import LogisticRegression

    labels, categories, ruled, framed = _signals(rows)
    clipped = np.clip(scores, 1e-6, 1 - 1e-6)
    features = np.column_stack(
        [np.log(clipped / (1 - clipped)), ruled, signs(rows), framed]
    ).astype(np.float64)
    stacked_scores = np.zeros(len(rows))
    for category in sorted(set(categories)):
        held = categories == category
        model = LogisticRegression(class_weight="balanced", max_iter=2000)
        model.fit(features[~held], labels[~held])
        stacked_scores[held] = model.predict_proba(features[held])[:, 1]
    raised = stacked_scores >= threshold
    return {
        "arbitration": f"(c) stacked at {threshold}",
        "recall": _rate(raised[labels]),
        "false_positive_rate": _rate(raised[~labels]),
        "false_alarms": int((raised & ~labels).sum()),
    }


def leave_one_category_out(
    rows: list[dict],
    vectors: np.ndarray,
    threshold: float = THRESHOLD,
    scores: np.ndarray | None = None,
    told: Statements | None = None,
    whole: np.ndarray | None = None,
    surest: np.ndarray | None = None,
) -> dict:
    """The whole gate, as the service decides (`Arbitration`), each category unseen."""
    labels, categories, ruled, framed = _signals(rows)
    sign = signs(rows)
    if scores is None:
        scores, whole, surest = loco_scores(rows, vectors, told)
    arbitration = Arbitration(threshold=threshold)
    binding = bound(rows)
    learned = gate(np.zeros_like(ruled), framed, sign, scores, arbitration, True, binding, whole)
    # The learned detector's verdict before the rules' framing holds it back: the framing
    # was written with the bank in view, so this column shows how much of the look-alikes'
    # low rate it owes to that.
    unframed = scores >= threshold
    combined = gate(
        ruled, framed, sign, scores, arbitration, readables(rows), binding, whole, surest
    )
    per_category = {}
    for category in sorted(set(categories)):
        held = categories == category
        emergency = bool(labels[held].all())
        per_category[category] = {
            "kind": "emergency" if emergency else "look-alike",
            "n": int(held.sum()),
            # recall for an emergency kind, false-positive rate for a look-alike kind
            "learned": _rate(learned[held]),
            "unframed": _rate(unframed[held]),
            "rules": _rate(ruled[held]),
            "combined": _rate(combined[held]),
            "wrong": int((~combined[held]).sum() if emergency else combined[held].sum()),
        }
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
        "confident": arbitration.confident,
        "with_a_sign": arbitration.with_a_sign,
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


def out_of_fold_scores(
    rows: list[dict], vectors: np.ndarray, folds: int = 5, told: Statements | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's probability from a detector trained on the other folds.

    Folds are stratified by category, so every fold sees every kind of message.
    """
    from sklearn.model_selection import StratifiedKFold

    told = told or Statements.none()
    labels, categories, _, _ = _signals(rows)
    rule_signals = text_signals([r["message"] for r in rows])
    scores = np.zeros(len(rows))
    told_scores = np.zeros(len(told.owners))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=9)
    for train, test in splitter.split(vectors, categories):
        detector = LearnedDetector.fit(vectors[train], labels[train].tolist(), rule_signals[train])
        scores[test] = detector.probabilities(vectors[test], rule_signals[test])
        tested = np.zeros(len(rows), dtype=bool)
        tested[test] = True
        mine = told.of(tested)
        if mine.any():
            told_scores[mine] = detector.probabilities(told.vectors[mine], told.signals[mine])
    return (
        scores_with_statements(scores, told, told_scores),
        scores,
        surest_sentence(scores, told, told_scores),
    )


def cross_validated(
    rows: list[dict],
    vectors: np.ndarray,
    threshold: float = THRESHOLD,
    told: Statements | None = None,
) -> dict:
    """5-fold out-of-fold recall and false-positive rate of the service's decision."""
    labels, _, ruled, framed = _signals(rows)
    scores, whole, surest = out_of_fold_scores(rows, vectors, told=told)
    either = gate(
        ruled,
        framed,
        signs(rows),
        scores,
        Arbitration(threshold=threshold),
        readables(rows),
        bound(rows),
        whole,
        surest,
    )
    return {
        "threshold": threshold,
        "recall": _rate(either[labels]),
        "false_positive_rate": _rate(either[~labels]),
    }


def out_of_fold_sweep(
    rows: list[dict], vectors: np.ndarray, told: Statements | None = None
) -> list[dict]:
    """Out-of-fold figures at several thresholds: how the threshold was chosen."""
    labels, _, ruled, framed = _signals(rows)
    sign = signs(rows)
    scores, whole, _ = out_of_fold_scores(rows, vectors, told=told)
    table = []
    for threshold in SWEEP:
        arbitration = Arbitration(threshold=threshold)
        learned = gate(np.zeros_like(ruled), framed, sign, scores, arbitration, whole=whole)
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
    pool = await ctx.pool()
    vectors = await bank_vectors(pool, ctx.embeddings, rows)
    told = await statement_vectors(pool, ctx.embeddings, rows)
    scores, whole, surest = loco_scores(rows, vectors, told)
    report = leave_one_category_out(rows, vectors, scores=scores, whole=whole, surest=surest)
    report["arbitrations"] = [
        *compare_arbitrations(rows, scores, whole=whole, surest=surest),
        stacked(rows, scores),
    ]
    report["cross_validated"] = cross_validated(rows, vectors, told=told)
    if sweep:
        report["out_of_fold_sweep"] = out_of_fold_sweep(rows, vectors, told)
    return report


def held_back_by_reason(rows: list[dict], labels: np.ndarray, scores: np.ndarray) -> dict:
    """Per framing that holds the detector back: how many emergencies and look-alikes it
    held back, and at what scores. How far each framing can be trusted on unseen writing."""
    table: dict[str, dict] = {}
    for row, label, score in zip(rows, labels, scores, strict=True):
        reason = held_back(row["message"], fold(row["message"]))
        if reason is None or score < THRESHOLD:
            continue
        kind = "emergencies" if label else "look_alikes"
        entry = table.setdefault(reason, {"emergencies": [0, 0, 0], "look_alikes": [0, 0, 0]})
        entry[kind][0] += 1  # scored >= THRESHOLD
        entry[kind][1] += int(score >= 0.9)
        entry[kind][2] += int(score >= 0.99)
    return table


async def probe(ctx, paths: list) -> list[dict]:
    """Every arbitration on files the bank never held, the detector trained on the whole bank.

    Aggregates only (recall, false-positive rate, and which detector raised or missed), so
    a file kept blind can be measured without reading its rows.
    """
    from evals.datasets import load_emergency
    from graph.routing.emergency_detector import fit_on_bank

    pool = await ctx.pool()
    bank = load_bank()
    detector = fit_on_bank(bank, await bank_vectors(pool, ctx.embeddings, bank))
    reports = []
    for path in paths:
        rows = load_emergency(path)
        vectors = await bank_vectors(pool, ctx.embeddings, rows)
        whole = detector.probabilities(vectors, text_signals([r["message"] for r in rows]))
        told = await statement_vectors(pool, ctx.embeddings, rows)
        told_scores = (
            detector.probabilities(told.vectors, told.signals) if told.owners.size else np.zeros(0)
        )
        scores = scores_with_statements(whole, told, told_scores)
        surest = surest_sentence(whole, told, told_scores)
        labels, _, ruled, framed = _signals(rows)
        sign = signs(rows)
        can_read = readables(rows)
        binding = bound(rows)
        table = []
        for name, arbitration in ARBITRATIONS:
            raised = gate(
                ruled, framed, sign, scores, arbitration, can_read, binding, whole, surest
            )
            table.append(
                {
                    "arbitration": name,
                    "recall": _rate(raised[labels]),
                    "false_positive_rate": _rate(raised[~labels]),
                    "missed": int((~raised & labels).sum()),
                    # missed though the detector scored it high enough: the framing won
                    "missed_held_back": int(
                        (~raised & labels & (scores >= arbitration.threshold)).sum()
                    ),
                    "false_alarms": int((raised & ~labels).sum()),
                    "false_alarms_by_rules": int((raised & ruled & ~labels).sum()),
                }
            )
        reports.append(
            {
                "file": str(path),
                "held_back": held_back_by_reason(rows, labels, scores),
                "n": len(rows),
                "emergencies": int(labels.sum()),
                "look_alikes": int((~labels).sum()),
                "unframed_false_positive_rate": _rate((scores >= THRESHOLD)[~labels]),
                "arbitrations": table,
            }
        )
    return reports


def print_probe(reports: list[dict]) -> None:
    for report in reports:
        print(
            f"{report['file']} · n={report['n']} ({report['emergencies']} emergencies, "
            f"{report['look_alikes']} look-alikes) · detector trained on the bank · learned "
            f"alone before any framing: false-positive rate "
            f"{report['unframed_false_positive_rate']}"
        )
        print("  held back by a framing at p >= threshold / 0.9 / 0.99 (emergencies; look-alikes):")
        for reason, entry in sorted(report["held_back"].items()):
            print(f"    {reason[:60]:60} {entry['emergencies']}; {entry['look_alikes']}")
        for row in report["arbitrations"]:
            print(
                f"  {row['arbitration']:24} recall {row['recall']} ({row['missed']} missed, "
                f"{row['missed_held_back']} held back by a framing); "
                f"false-positive rate {row['false_positive_rate']} ({row['false_alarms']} "
                f"raised, {row['false_alarms_by_rules']} by the rules)"
            )


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
    print("the whole gate by arbitration, each category unseen (recall / look-alike FPR):")
    for row in report.get("arbitrations", []):
        print(
            f"  {row['arbitration']:24} recall {row['recall']} (lowest kind "
            f"{row.get('lowest_kind_recall')}, learned alone {row.get('learned_recall')}); "
            f"false-positive rate {row['false_positive_rate']} ({row['false_alarms']} raised)"
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
