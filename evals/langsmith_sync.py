"""Push an eval's dataset and results to LangSmith (`--langsmith`, needs LANGSMITH_API_KEY).

The dataset becomes a LangSmith dataset named after its file (examples are added once);
the run becomes a project holding the strategy, metrics and date as metadata.
"""

from __future__ import annotations

import json
from pathlib import Path


def push(report: dict, dataset: Path, api_key: str | None, client=None) -> str | None:
    """Return the LangSmith dataset name, or None when no key is configured."""
    if not api_key and client is None:
        return None
    if client is None:
        from langsmith import Client

        client = Client(api_key=api_key)
    name = f"dovvybuddy-{report['suite']}-{dataset.stem}"
    if not client.has_dataset(dataset_name=name):
        created = client.create_dataset(
            dataset_name=name, description=f"DovvyBuddy {report['suite']} eval ({dataset.name})"
        )
        rows = [json.loads(line) for line in dataset.read_text().splitlines() if line.strip()]
        client.create_examples(
            dataset_id=created.id,
            inputs=[{k: v for k, v in row.items() if k not in _OUTPUT_KEYS} for row in rows],
            outputs=[{k: v for k, v in row.items() if k in _OUTPUT_KEYS} for row in rows],
        )
    metrics = {k: v for k, v in report["metrics"].items() if isinstance(v, int | float)}
    client.create_project(
        project_name=f"{name}-{report['strategy']}-{report['date']}",
        metadata={"strategy": report["strategy"], "dataset": name, **metrics},
    )
    return name


_OUTPUT_KEYS = {"expected_route", "is_emergency", "relevant"}
