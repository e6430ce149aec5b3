"""Test doubles: a chat model that counts its calls, a retriever with fixed passages, and a
conversation through the whole graph on them."""

from __future__ import annotations

import itertools
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from chains.passages import Passage


class CountingChatModel(BaseChatModel):
    """Replies with a fixed text and remembers every prompt it was given.

    Each reply is a new message with a new id: one reused AIMessage would make
    add_messages replace the previous answer instead of appending.
    """

    reply: str = "Here is what I know. Anything else?"
    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _ids: Any = PrivateAttr(default_factory=lambda: itertools.count(1))

    @property
    def _llm_type(self) -> str:
        return "counting-fake"

    @property
    def calls(self) -> int:
        return len(self._prompts)

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        return self._prompts

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self._prompts.append(list(messages))
        message = AIMessage(content=self.reply, id=f"fake-{next(self._ids)}")
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        self._prompts.append(list(messages))
        for word in self.reply.split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))


def passage(
    path: str,
    content: str,
    *,
    title: str = "A title",
    section: str = "A section",
    similarity: float = 0.6,
) -> Passage:
    return Passage(
        path=path,
        title=title,
        section=section,
        content=content,
        doc_type="general",
        destination=None,
        score=0.03,
        similarity=similarity,
    )


class FixedRetriever:
    """Returns the same passages for every query and records the queries."""

    k = 5  # the real retriever's default number of passages
    embeddings = None  # no query cache: the agents search once, with the search query

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.queries: list[str] = []

    async def search(self, query: str, **kwargs) -> list[Passage]:
        self.queries.append(query)
        return list(self.passages)

    async def query_vector(self, query: str, anchor: str | None = None) -> list[float]:
        return [1.0]  # the passages do not depend on it

    async def sections_of(self, paths: list[str], embedding: list[float]) -> list[Passage]:
        return [p for p in self.passages if p["path"] in paths]


class NoSites:
    """A site catalogue with nothing in it."""

    async def sites(self, destination, **kwargs) -> list[dict]:
        return []

    async def site_names(self) -> dict[str, str]:
        return {}

    async def named_sites(self) -> list[dict]:
        return []


def graph_conversation(router, retriever, gazetteer, thread_id: str):
    """A conversation through the compiled graph on the counting model, `retriever` and no
    dive sites: returns the function that takes a turn, and the model."""
    from langchain_core.messages import HumanMessage
    from langgraph.checkpoint.memory import InMemorySaver

    from config.settings import Settings
    from graph.context import Context
    from graph.graph import build_graph

    model = CountingChatModel()
    services = Context(
        settings=Settings(_env_file=None),
        embeddings=router.embeddings,
        chat_model=model,
        retriever=retriever,
        router=router,
        gazetteer=gazetteer,
        sites=NoSites(),
    )
    graph = build_graph().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": thread_id}}

    async def turn(text: str) -> dict:
        return await graph.ainvoke({"messages": [HumanMessage(text)]}, config, context=services)

    return turn, model
