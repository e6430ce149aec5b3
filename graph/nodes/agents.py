"""Agents: retrieve what the knowledge base says, then answer with one model call."""

from __future__ import annotations

import json
import uuid

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig

from chains import prompts
from chains.passages import Passage, citation_of, render_passages
from graph.services import get_services
from graph.state import ChatState

# Recent history the model sees; the checkpointer keeps the whole conversation.
HISTORY_MESSAGES = 8
# Below this cosine similarity a passage is noise, however it ranked.
MIN_SIMILARITY = 0.25


def retrieval_query(state: ChatState) -> str:
    """The turn's question, with the previous one prepended when it is elliptic."""
    humans = [m for m in state.get("messages", []) if isinstance(m, HumanMessage)]
    if not humans:
        return ""
    question = str(humans[-1].content)
    if len(humans) > 1 and is_elliptic(question):
        return f"{humans[-2].content} {question}"
    return question


def is_elliptic(question: str) -> bool:
    """A follow-up that leans on the previous turn: "what about in March?", "and kids?"."""
    words = question.lower().split()
    return (
        len(words) < 4
        or " ".join(words[:2]) in {"what about", "how about", "and what"}
        or (words[0] in {"and", "also", "what's", "whats"} and len(words) < 8)
    )


def bounded_history(messages: list[BaseMessage]) -> list[BaseMessage]:
    recent = [m for m in messages if isinstance(m, HumanMessage | AIMessage)][-HISTORY_MESSAGES:]
    # A window must open on the diver's words, not on a reply to something cut away.
    while recent and not isinstance(recent[0], HumanMessage):
        recent.pop(0)
    return recent


def _profile_text(state: ChatState) -> str:
    profile = state.get("diver_profile") or {}
    return json.dumps(profile) if profile else "nothing yet"


async def answer_from_knowledge(state: ChatState, config: RunnableConfig) -> dict:
    services = await get_services(config)
    passages: list[Passage] = [
        p
        for p in await services.retriever.search(retrieval_query(state))
        if p["similarity"] >= MIN_SIMILARITY
    ]
    system = prompts.KNOWLEDGE_AGENT.format(
        profile=_profile_text(state),
        passages=render_passages(passages),
        follow_up="",
    )
    reply = await services.chat_model.ainvoke(
        [SystemMessage(system), *bounded_history(state["messages"])], config
    )
    cited = reply.response_metadata.get("citations")
    used = passages if cited is None else [passages[i - 1] for i in cited if 0 < i <= len(passages)]
    # A fresh id per turn: a model that reuses its message id must not overwrite history.
    answer = AIMessage(
        content=reply.content,
        id=str(uuid.uuid4()),
        response_metadata=reply.response_metadata,
    )
    return {
        "messages": [answer],
        "passages": passages,
        "citations": [citation_of(p) for p in used],
    }


def small_talk(state: ChatState, config: RunnableConfig) -> dict:
    text = prompts.THANKS_REPLY if state.get("route") == "thanks" else prompts.SMALL_TALK_REPLY
    return {
        "messages": [AIMessage(content=text, id=str(uuid.uuid4()))],
        "passages": [],
        "citations": [],
    }
