"""The diver's message is embedded while the turn waits for its session, not after."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from types import SimpleNamespace

from langchain_core.embeddings import Embeddings

from api.chat import ChatService
from api.schemas import ChatRequest


class SlowEmbeddings(Embeddings):
    """Takes `seconds` per query and records what it was asked and when."""

    def __init__(self, seconds: float, caches: bool = True) -> None:
        self.seconds, self.caches_queries = seconds, caches
        self.events: list[str] = []

    def embed_documents(self, texts):
        raise NotImplementedError

    def embed_query(self, text):
        raise NotImplementedError

    async def aembed_query(self, text):
        self.events.append(f"embed started: {text}")
        await asyncio.sleep(self.seconds)
        self.events.append("embed done")
        return [1.0]


class SlowSessions:
    """A session service whose lock and checkpoint lookups take `seconds`."""

    def __init__(self, events: list[str], seconds: float) -> None:
        self.events, self.seconds = events, seconds

    async def admit(self, request):
        pass

    async def resolve_web(self, requested):
        return "session-1", False

    @asynccontextmanager
    async def turn(self, session_id, new=False):
        self.events.append("session locked")
        await asyncio.sleep(self.seconds)
        self.events.append("last checkpoint read")
        yield


class Graph:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    async def ainvoke(self, graph_input, config):
        self.events.append("graph started")
        return {"answer": "Hello.", "route": "general"}


def request():
    return SimpleNamespace(cookies={})


async def test_the_message_is_embedded_while_the_session_is_locked():
    embeddings = SlowEmbeddings(0.05)
    service = ChatService(
        Graph(embeddings.events), SlowSessions(embeddings.events, 0.1), False, embeddings
    )
    reply, _ = await service.turn(request(), ChatRequest(message="Is Tioman good in May?"))
    assert reply.message == "Hello."
    # The model runs while the turn waits on the database; the vector is ready when the
    # graph (and its safety gate) asks for it.
    assert embeddings.events == [
        "session locked",
        "embed started: Is Tioman good in May?",
        "embed done",
        "last checkpoint read",
        "graph started",
    ]


async def test_a_model_without_a_query_cache_is_not_asked_twice():
    embeddings = SlowEmbeddings(0.0, caches=False)
    service = ChatService(
        Graph(embeddings.events), SlowSessions(embeddings.events, 0.0), False, embeddings
    )
    await service.turn(request(), ChatRequest(message="Is Tioman good in May?"))
    assert embeddings.events == ["session locked", "last checkpoint read", "graph started"]
