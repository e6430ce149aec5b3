"""A follow-up read in the context of the conversation: does it keep the previous turn's
route or take its own? Learned from follow-ups written for the purpose, each with the
messages before it and its route read in context (graph/data/routing_context_bank_s14.jsonl,
by a writer who saw neither the code nor the eval files).

A small logistic regression (keeps the route or not) over what the router already knows of
the turn, with no model call of its own: the router's scores for the turn alone and for the
previous message alone (both readings are in the embedding model's query cache), how alike
the two are, the previous route, and the turn's own marks (does it lean on the last one, is
it elliptic, does it name a subject, a place, a course, which cues it matches). The router
node (graph/nodes/routing.py) lets it overrule the history rules only where it is sure.
`python -m evals.route_context` measures it (k-fold and leave-one-category-out on the bank,
its cost per turn).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.routing.learned import ROUTES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CONTEXT_BANK_FILE = DATA_DIR / "routing_context_bank_s14.jsonl"
# Regularisation of the regression (sklearn's C), chosen by leave-one-category-out on the
# bank (python -m evals.route_context).
CONTEXT_C = 0.1
# The turn's own marks, in the order of the feature vector.
MARKS = (
    "leans",
    "elliptic",
    "names_subject",
    "qualifies",
    "place_reference",
    "names_place",
    "names_course",
    "subject_change",
    "small_talk",
)
# Words past this count say nothing more about leaning on the last turn.
LONG_TURN_WORDS = 25


@dataclass(frozen=True)
class FollowUp:
    """What the reader is given of a follow-up: the router's scores (learned part and cues,
    in the order of ROUTES) for the turn alone and for the previous message alone."""

    own: np.ndarray
    before: np.ndarray
    previous_route: str
    similarity: float
    marks: dict[str, bool]
    cued: frozenset[str]
    words: int


def features(turn: FollowUp) -> np.ndarray:
    own = np.asarray(turn.own, dtype=np.float32)
    before = np.asarray(turn.before, dtype=np.float32)
    previous = np.array([turn.previous_route == r for r in ROUTES], dtype=np.float32)
    ranked = np.sort(own)
    best = own.argmax()
    marks = np.array([turn.marks.get(name, False) for name in MARKS], dtype=np.float32)
    kept_route = float(previous @ own - ranked[-1]) if previous.any() else -1.0
    leans, elliptic, names = (
        float(turn.marks.get("leans", False)),
        float(turn.marks.get("elliptic", False)),
        float(turn.marks.get("names_subject", False)),
    )
    return np.concatenate(
        [
            own - ranked[-1],
            [ranked[-1] - ranked[-2], kept_route, float(previous[best])],
            before - before.max(),
            previous,
            previous * leans,
            previous * elliptic,
            previous * (1.0 - names),
            previous * turn.similarity,
            [turn.similarity],
            marks,
            np.array([r in turn.cued for r in ROUTES], dtype=np.float32),
            [min(turn.words, LONG_TURN_WORDS) / LONG_TURN_WORDS],
        ]
    ).astype(np.float32)


def load_context_bank(path: Path = CONTEXT_BANK_FILE) -> list[dict]:
    """The bank's rows a router reads: the emergencies are the safety gate's, before it."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        row
        for row in rows
        if row["label"] in ROUTES and row["history"] and row["history"][-1]["route"] in ROUTES
    ]


class FollowUpReader:
    """How likely a follow-up keeps the previous turn's route (rather than take the one its
    own words give), from its features. Fitting takes a fraction of a second: a few hundred
    rows of a few dozen features, so nothing is kept between starts."""

    def __init__(self, matrix: np.ndarray, keeps, c: float = CONTEXT_C):
        from sklearn.linear_model import LogisticRegression  # only needed while fitting

        matrix, keeps = np.asarray(matrix, dtype=np.float32), np.asarray(keeps, dtype=bool)
        self.mean = matrix.mean(axis=0)
        scale = matrix.std(axis=0)
        self.scale = np.where(scale < 1e-6, 1.0, scale)
        model = LogisticRegression(C=c, max_iter=5000)
        model.fit((matrix - self.mean) / self.scale, keeps)
        self.coef, self.intercept = model.coef_[0], float(model.intercept_[0])

    def keeps(self, rows: np.ndarray) -> np.ndarray:
        """The probability, per row, that the follow-up keeps the previous route."""
        z = (np.atleast_2d(rows) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))
