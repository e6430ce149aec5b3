"""How many query embeddings a turn costs: counted, not timed.

The model runs only for a text not in the query cache; this counts those runs per turn of a
real conversation through the whole graph, and prints them (the figure to lower when one
query embedding is shared per turn). The diver's own words are embedded once per turn
however many searches use them.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from langchain_core.messages import HumanMessage

from chains.embeddings import LocalMiniLMEmbeddings

pytestmark = pytest.mark.db

TURNS = (
    "Is Sipadan OK for an Open Water diver?",
    "When is the best time to go there?",
    "how do I check my weighting?",
)


async def test_query_embeddings_per_turn_are_counted(graph, embeddings, monkeypatch):
    if not isinstance(embeddings, LocalMiniLMEmbeddings):
        pytest.skip("counts the offline model's runs")
    runs: list[str] = []
    original = LocalMiniLMEmbeddings.embed_query

    def counted(self, text):
        if text not in self._cache:
            runs.append(text)
        return original(self, text)

    monkeypatch.setattr(LocalMiniLMEmbeddings, "embed_query", counted)
    embeddings.clear_query_cache()
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    per_turn = []
    for text in TURNS:
        runs.clear()
        await graph.ainvoke({"messages": [HumanMessage(text)]}, config)
        per_turn.append(len(runs))
        assert Counter(runs)[text] == 1, runs  # the diver's words: one run, whoever asks
        assert all(n == 1 for n in Counter(runs).values()), runs
    print(f"query embeddings per turn: {per_turn}")
    assert 1 <= min(per_turn) and max(per_turn) <= 3, per_turn
