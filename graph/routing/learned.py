"""The learned part of the router: a route score per route from a turn's sentence embedding.

Two classifiers over the same labelled examples, measured against each other by
`python -m evals.route_cv` (k-fold on the examples, leave-one-category-out on the bank):

- `NearestExamples`: each route scores the mean cosine similarity of its closest examples;
- `LogisticRoutes`: a multinomial logistic regression on the unit embedding, its
  probabilities scaled to the spread of the nearest-example scores, so that the cues'
  weights and the router's margins mean the same with either.
"""

from __future__ import annotations

import hashlib
import logging
from importlib.metadata import version
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from graph.routing.kept_weights import keep, kept

log = logging.getLogger(__name__)

ROUTES = ("certification", "trip", "safety", "general", "off_topic")
# Nearest examples averaged per route.
TOP_K = 4
# Regularisation of the logistic regression (sklearn's C: larger fits the examples closer).
LOGISTIC_C = 4.0
# Probabilities times this have about the spread between routes that nearest-example
# similarities have (a best-minus-second margin of ~0.1 on a typical turn): the cues'
# weights and UNSURE_MARGIN were set on that scale.
LOGISTIC_SCALE = 0.1
# The regression's weight when added to the nearest-example scores.
BLEND_SCALE = 0.05


# numpy's OpenBLAS splits a matrix-vector product over threads once the examples pass about
# 1,200 rows; for one turn's vector that is slower (0.5 ms against 0.1 on an idle core), and on a
# busy two-core server the threads wait for each other (6 ms a call seen under load).
_OPENBLAS = ThreadpoolController().select(internal_api="openblas")


def unit(vectors) -> np.ndarray:
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class NearestExamples:
    """Nothing to fit, so nothing to keep: `cache_dir` is accepted and unused."""

    def __init__(self, vectors, labels, top_k: int = TOP_K, cache_dir: Path | None = None):
        self.matrix = unit(vectors)
        self.labels = np.asarray(labels)
        self.top_k = top_k

    def scores(self, vectors) -> np.ndarray:
        """One row per vector, one column per route of ROUTES."""
        with _OPENBLAS.limit(limits=1):
            similarities = unit(vectors) @ self.matrix.T
        out = np.zeros((similarities.shape[0], len(ROUTES)), dtype=np.float32)
        for column, route in enumerate(ROUTES):
            mine = similarities[:, self.labels == route]
            if mine.shape[1]:
                k = min(self.top_k, mine.shape[1])
                out[:, column] = np.sort(mine, axis=1)[:, -k:].mean(axis=1)
        return out


class LogisticRoutes:
    """With a `cache_dir`, the fitted weights are kept there under a digest of everything
    they depend on (examples, vectors, C, scikit-learn's version): fitting takes seconds on
    a busy machine and was most of the server's warm start."""

    def __init__(
        self,
        vectors,
        labels,
        c: float = LOGISTIC_C,
        scale: float = LOGISTIC_SCALE,
        cache_dir: Path | None = None,
    ):
        self.scale = scale
        matrix, labels = unit(vectors), np.asarray(labels)
        saved = None
        if cache_dir is not None:
            saved = cache_dir / f"router-logistic-{_weights_key(matrix, labels, c)}.npz"
        weights = _load(saved) if saved is not None and saved.exists() else None
        if weights is None:
            weights = _fit(matrix, labels, c)
            if saved is not None:
                _save(weights, saved)
        coef, intercept, classes = weights
        # Columns in the order of ROUTES, so scores need no reordering per turn.
        order = [list(classes).index(r) for r in ROUTES]
        self.coef, self.intercept = coef[order], intercept[order]

    def scores(self, vectors) -> np.ndarray:
        # The multinomial regression's probabilities: a softmax of the linear scores.
        with _OPENBLAS.limit(limits=1):
            logits = unit(vectors) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return (probabilities * self.scale).astype(np.float32)


def _fit(matrix: np.ndarray, labels: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression  # only needed while fitting

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(matrix, labels)
    return model.coef_.astype(np.float32), model.intercept_.astype(np.float32), model.classes_


def _weights_key(matrix: np.ndarray, labels: np.ndarray, c: float) -> str:
    digest = hashlib.sha256(f"C={c}/sklearn={version('scikit-learn')}".encode())
    digest.update(np.ascontiguousarray(matrix).tobytes())
    digest.update("\n".join(map(str, labels)).encode())
    return digest.hexdigest()[:16]


def _save(weights, path: Path) -> None:
    coef, intercept, classes = weights
    try:
        keep(path, coef=coef, intercept=intercept, classes=np.asarray(classes, dtype=str))
    except OSError as error:
        log.warning("router: could not keep the fitted weights at %s: %s", path, error)


def _load(path: Path):
    try:
        saved = kept(path)
        return saved["coef"], saved["intercept"], saved["classes"]
    except (OSError, ValueError, KeyError):
        log.warning("router: unreadable saved weights %s; fitting afresh", path)
        return None


class Blend:
    """The nearest examples' scores plus the logistic regression's, scaled down: the
    examples' neighbourhoods decide where the regression is unsure, and the regression
    where no example is close."""

    def __init__(self, vectors, labels, scale: float = BLEND_SCALE, cache_dir: Path | None = None):
        self.nearest = NearestExamples(vectors, labels)
        self.logistic = LogisticRoutes(vectors, labels, scale=scale, cache_dir=cache_dir)

    def scores(self, vectors) -> np.ndarray:
        return self.nearest.scores(vectors) + self.logistic.scores(vectors)


CLASSIFIERS = {"knn": NearestExamples, "logistic": LogisticRoutes, "blend": Blend}
