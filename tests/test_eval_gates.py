"""The dev-set gates: they fail the build when routing or the emergency gate regress."""

from pathlib import Path

import pytest

from evals.__main__ import main as evals_main
from evals.__main__ import run_suite

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"
# The frozen test sets are measured and reported, never gated: a gate on them would invite
# tuning to them (evals/README.md).
FROZEN_TEST_SET = "emergency_test.jsonl"
# Written apart from the code and never tuned on: run for their figures, never gated.
FROZEN_SETS = {
    FROZEN_TEST_SET,
    "emergency_test2.jsonl",
    "emergency_test3.jsonl",
    "emergency_test4.jsonl",
    "emergency_test5.jsonl",
    "emergency_test6.jsonl",
    "emergency_test7.jsonl",
    "emergency_test8.jsonl",
    "emergency_test9.jsonl",
    "emergency_test10.jsonl",
    "emergency_test11.jsonl",
    "routing_frozen.jsonl",
    "conversations_frozen.jsonl",
    "conversations_frozen2.jsonl",
    "conversations_frozen3.jsonl",
    "conversations_frozen4.jsonl",
    "conversations_frozen5.jsonl",
    "conversations_frozen6.jsonl",
    "conversations_frozen7.jsonl",
    "conversations_frozen8.jsonl",
    "conversations_frozen9.jsonl",
    "conversations_frozen10.jsonl",
    "conversations_frozen11.jsonl",
}
ROUTING_SETS = sorted(p.name for p in DATASETS.glob("routing*.jsonl") if p.name not in FROZEN_SETS)
# A new dev file is committed as received, before any change; it joins the gates once the
# service reaches them on it (evals/README.md gives its first figures).
NOT_YET_GATED: set[str] = set()
EMERGENCY_SETS = sorted(
    p.name for p in DATASETS.glob("emergency*.jsonl") if p.name not in FROZEN_SETS | NOT_YET_GATED
)


# The service's gate trains its learned detector from the bank through the embedding cache,
# so these runs need the database.
@pytest.mark.db
@pytest.mark.parametrize("dataset", ROUTING_SETS)
async def test_routing_accuracy_and_every_labels_recall(dataset, database_url):
    report = await run_suite("routing", DATASETS / dataset, "service")
    metrics = report["metrics"]
    failures = "\n".join(
        f"{f['id']}: {f['expected']} -> {f['predicted']}: {f['query']}" for f in report["failures"]
    )
    assert metrics["accuracy"] >= 0.90, failures
    for label, m in metrics["per_label"].items():
        assert m["recall"] >= 0.80, f"{label} recall {m['recall']}\n{failures}"


@pytest.mark.db
@pytest.mark.parametrize("dataset", EMERGENCY_SETS)
async def test_no_emergency_is_missed(dataset, database_url):
    report = await run_suite("emergency", DATASETS / dataset, "service")
    assert report["metrics"]["recall"] == 1.0, f"missed: {report['metrics']['misses']}"


@pytest.mark.db
@pytest.mark.parametrize("dataset", EMERGENCY_SETS)
async def test_false_alarms_are_rare(dataset, database_url):
    report = await run_suite("emergency", DATASETS / dataset, "service")
    metrics = report["metrics"]
    assert metrics["false_positive_rate"] <= 0.05, f"false alarms: {metrics['false_alarms']}"


@pytest.mark.parametrize("dataset", sorted(FROZEN_SETS))
def test_a_frozen_set_is_unchanged(dataset):
    import hashlib
    import re

    readme = (DATASETS.parent / "README.md").read_text()
    recorded = re.search(r"([0-9a-f]{64})  datasets/" + re.escape(dataset), readme)
    assert recorded, f"evals/README.md must record the sha256 of {dataset}"
    digest = hashlib.sha256((DATASETS / dataset).read_bytes()).hexdigest()
    assert digest == recorded.group(1)


def test_routing_sets_cover_every_label_with_history_and_hard_cases():
    import json

    rows = [json.loads(line) for line in (DATASETS / "routing.jsonl").read_text().splitlines()]
    labels = {r["expected_route"] for r in rows}
    assert len(rows) >= 150 and sum(bool(r["history"]) for r in rows) >= 20
    for label in labels - {"emergency"}:
        assert sum(r["expected_route"] == label for r in rows) >= 20, label


def test_a_malformed_dataset_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "r1", "query": "hi", "expected_route": "snorkelling"}\n')
    assert evals_main(["routing", "--dataset", str(bad)]) == 2
    assert "bad.jsonl:1: expected_route must be one of" in capsys.readouterr().err


@pytest.mark.db
def test_the_report_has_the_documented_shape(tmp_path, database_url):
    data = tmp_path / "e.jsonl"
    data.write_text(
        '{"id": "e1", "message": "my buddy is unconscious on the boat", "is_emergency": true}\n'
        '{"id": "e2", "message": "what are the signs of DCS?", "is_emergency": false}\n'
    )
    out = tmp_path / "report.json"
    assert evals_main(["emergency", "--dataset", str(data), "--json", str(out)]) == 0
    import json

    report = json.loads(out.read_text())
    assert {"suite", "strategy", "dataset", "n", "metrics"} <= set(report)
    assert report["metrics"]["recall"] == 1.0 and report["metrics"]["misses"] == []
    assert report["metrics"]["false_positive_rate"] == 0.0


@pytest.mark.db
async def test_retrieval_finds_a_relevant_document_in_the_top_5(indexed_corpus):
    report = await run_suite("retrieval", DATASETS / "retrieval.jsonl", "service")
    misses = "\n".join(f"{f['id']}: {f['query']} -> {f['predicted']}" for f in report["failures"])
    assert report["n"] >= 100
    assert report["metrics"]["recall_at_5"] >= 0.85, misses


@pytest.mark.db
async def test_no_conversation_breaks_a_safety_rule(indexed_corpus):
    report = await run_suite("conversations", DATASETS / "conversations.jsonl", "service")
    metrics = report["metrics"]
    safety = [v for v in metrics["violations"] if v["safety"]]
    assert report["n"] >= 15
    assert safety == [], safety
    assert metrics["max_llm_calls_in_a_turn"] <= 1


@pytest.mark.db
async def test_follow_ups_find_their_document_through_the_conversation(indexed_corpus):
    report = await run_suite("retrieval", DATASETS / "retrieval_followups.jsonl", "service")
    misses = "\n".join(f"{f['id']}: {f['query']} -> {f['predicted']}" for f in report["failures"])
    assert report["n"] >= 30
    assert report["metrics"]["recall_at_5"] >= 0.9, misses


@pytest.mark.db
async def test_answers_state_the_facts_the_knowledge_base_holds(indexed_corpus):
    report = await run_suite("conversations", DATASETS / "conversations_dev.jsonl", "service")
    metrics = report["metrics"]
    misses = "\n".join(
        f"{m['id']}: {m['query']} -> missing {m['missing']}: {m['answer'][:200]}"
        for m in report["fact_misses"]
    )
    assert report["n"] >= 40 and report["turns"] >= 150
    assert metrics["fact_recall"] >= 0.9, misses
    assert metrics["not_covered_honesty"] == 1.0, report["not_covered_misses"]
    assert [v for v in metrics["violations"] if v["safety"]] == []
    assert metrics["max_llm_calls_in_a_turn"] <= 1
