"""The route evals' own bookkeeping: bank rows read whatever they call their fields, folds
stratified, misses counted by (expected, predicted), a learned part that ranks its routes."""

import json

import numpy as np

from evals.route_cv import folds, load_rows, read_text
from evals.route_dev import RoutedTurn, summary
from graph.routing.learned import CLASSIFIERS, ROUTES


def test_bank_rows_are_read_whatever_they_call_their_fields(tmp_path):
    bank = tmp_path / "bank.jsonl"
    rows = [
        {"message": "and november?", "route": "trip", "previous": "Is Tioman good in June?"},
        {"text": "How do I get a replacement card?", "label": "certification", "kind": "lost"},
    ]
    bank.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first, second = load_rows(bank)
    assert (first["text"], first["label"], first["category"]) == ("and november?", "trip", "-")
    assert second["category"] == "lost" and second["previous"] is None
    # An elliptic follow-up is read with the message before it, as the router reads it.
    assert read_text(first) == "Is Tioman good in June? and november?"
    assert read_text(second) == "How do I get a replacement card?"


def test_folds_hold_every_route_and_every_row_once():
    labels = np.array([route for route in ROUTES for _ in range(10)])
    parts = folds(labels, 5)
    assert sorted(np.concatenate(parts).tolist()) == list(range(len(labels)))
    for part in parts:
        assert {str(label) for label in labels[part]} == set(ROUTES)


def test_misses_are_counted_by_expected_and_predicted():
    turns = [
        RoutedTurn("a.jsonl", "c1", 1, "hi", "general", "general"),
        RoutedTurn("a.jsonl", "c1", 2, "and for kids?", "certification", "trip"),
        RoutedTurn("b.jsonl", "c2", 1, "is it safe?", "safety", "trip"),
    ]
    report = summary(turns)
    assert report["accuracy"] == round(1 / 3, 4)
    assert report["per_file"] == {"a.jsonl": 0.5, "b.jsonl": 0.0}
    assert report["misses"] == {"certification->trip": 1, "safety->trip": 1}


def test_each_learned_part_ranks_the_route_of_its_examples_first():
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(len(ROUTES), 16))
    vectors = np.vstack([centre + 0.05 * rng.normal(size=(6, 16)) for centre in centres])
    labels = [route for route in ROUTES for _ in range(6)]
    for name, classifier in CLASSIFIERS.items():
        scores = classifier(vectors, labels).scores(centres)
        assert [ROUTES[i] for i in scores.argmax(axis=1)] == list(ROUTES), name
