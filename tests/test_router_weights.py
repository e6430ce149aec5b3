"""The router's fitted regression is kept between starts, and a kept copy scores the same."""

import numpy as np
import pytest

from graph.routing import learned
from graph.routing.learned import ROUTES, LogisticRoutes


@pytest.fixture
def examples():
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(len(ROUTES), 32))
    labels = [ROUTES[i % len(ROUTES)] for i in range(100)]
    vectors = [centres[ROUTES.index(label)] + 0.3 * rng.normal(size=32) for label in labels]
    return np.asarray(vectors), labels, rng.normal(size=(6, 32))


def test_a_second_start_loads_the_weights_instead_of_fitting(examples, tmp_path, monkeypatch):
    vectors, labels, turns = examples
    first = LogisticRoutes(vectors, labels, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("router-logistic-*.npz"))) == 1

    def no_fitting(*_):
        raise AssertionError("fitted again although the weights were kept")

    monkeypatch.setattr(learned, "_fit", no_fitting)
    second = LogisticRoutes(vectors, labels, cache_dir=tmp_path)
    np.testing.assert_allclose(second.scores(turns), first.scores(turns), atol=1e-7)


def test_other_examples_are_fitted_afresh(examples, tmp_path):
    vectors, labels, _ = examples
    LogisticRoutes(vectors, labels, cache_dir=tmp_path)
    (first,) = tmp_path.glob("router-logistic-*.npz")
    LogisticRoutes(vectors, list(reversed(labels)), cache_dir=tmp_path)
    (second,) = tmp_path.glob("router-logistic-*.npz")  # the first is superseded
    assert second.name != first.name


def test_an_unreadable_copy_is_fitted_afresh(examples, tmp_path):
    vectors, labels, turns = examples
    expected = LogisticRoutes(vectors, labels).scores(turns)
    LogisticRoutes(vectors, labels, cache_dir=tmp_path)
    (saved,) = tmp_path.glob("router-logistic-*.npz")
    saved.write_bytes(b"not an npz file")
    again = LogisticRoutes(vectors, labels, cache_dir=tmp_path)
    np.testing.assert_allclose(again.scores(turns), expected, atol=1e-6)


def test_scores_are_the_regressions_probabilities_in_route_order(examples):
    from sklearn.linear_model import LogisticRegression

    vectors, labels, turns = examples
    routes = LogisticRoutes(vectors, labels, scale=1.0)
    reference = LogisticRegression(C=learned.LOGISTIC_C, class_weight="balanced", max_iter=3000)
    reference.fit(learned.unit(vectors), labels)
    columns = [list(reference.classes_).index(r) for r in ROUTES]
    expected = reference.predict_proba(learned.unit(turns))[:, columns]
    np.testing.assert_allclose(routes.scores(turns), expected, atol=1e-5)
