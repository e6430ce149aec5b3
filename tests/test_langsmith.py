"""LangSmith is optional: nothing happens without a key, and with one the eval pushes."""

import json
import os
from types import SimpleNamespace

from config.settings import Settings
from config.tracing import configure_tracing
from evals.langsmith_sync import push


def test_without_a_key_nothing_is_traced_or_pushed(monkeypatch, tmp_path):
    monkeypatch.delenv("LANGSMITH_TRACING", raising=False)
    assert configure_tracing(Settings(_env_file=None)) is False
    assert "LANGSMITH_TRACING" not in os.environ
    assert push({"suite": "routing"}, tmp_path / "x.jsonl", None) is None


def test_a_key_turns_tracing_on(monkeypatch):
    for name in ("LANGSMITH_TRACING", "LANGSMITH_API_KEY", "LANGSMITH_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    assert configure_tracing(Settings(_env_file=None, langsmith_api_key="ls-key")) is True
    assert os.environ["LANGSMITH_PROJECT"] == "dovvybuddy"


def test_an_eval_pushes_its_dataset_once_and_its_results(tmp_path):
    dataset = tmp_path / "routing.jsonl"
    dataset.write_text(
        json.dumps({"id": "r1", "query": "hi", "history": [], "expected_route": "general"}) + "\n"
    )
    calls = []

    class FakeClient:
        def has_dataset(self, dataset_name):
            calls.append(("has", dataset_name))
            return False

        def create_dataset(self, dataset_name, description):
            calls.append(("create", dataset_name))
            return SimpleNamespace(id="ds-1")

        def create_examples(self, dataset_id, inputs, outputs):
            calls.append(("examples", inputs, outputs))

        def create_project(self, project_name, metadata):
            calls.append(("project", metadata))

    report = {
        "suite": "routing",
        "strategy": "service",
        "date": "2026-11-25",
        "metrics": {"accuracy": 0.97, "per_label": {}},
    }
    assert push(report, dataset, None, client=FakeClient()) == "dovvybuddy-routing-routing"
    examples = next(c for c in calls if c[0] == "examples")
    assert examples[1] == [{"id": "r1", "query": "hi", "history": []}]
    assert examples[2] == [{"expected_route": "general"}]
    assert next(c for c in calls if c[0] == "project")[1]["accuracy"] == 0.97
