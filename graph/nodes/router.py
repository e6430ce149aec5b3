"""Route the turn: small talk gets a friendly reply, anything else the knowledge agent."""

from __future__ import annotations

import re

from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig

from graph.state import ChatState

_GREETING = re.compile(
    r"^\s*(hi+|hello+|hey+|hiya|yo|good (morning|afternoon|evening)|howdy|salam|hai)\b[\s!.,?]*"
    r"(there|dovvy(buddy)?|buddy)?[\s!.,?]*$",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"^\s*(thanks?( you)?|thank u|thx|ty|cheers|terima kasih)( (so|very) much)?( a lot)?"
    r"[\s!.,]*(dovvy(buddy)?|buddy|mate)?[\s!.,]*$",
    re.IGNORECASE,
)


def last_user_text(state: ChatState) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return str(message.content)
    return ""


def route_turn(state: ChatState, config: RunnableConfig) -> dict:
    text = last_user_text(state)
    if _GREETING.match(text):
        return {"route": "greeting", "route_confidence": 1.0}
    if _THANKS.match(text):
        return {"route": "thanks", "route_confidence": 1.0}
    return {"route": "general", "route_confidence": 1.0}


def choose_agent(state: ChatState) -> str:
    return "small_talk" if state.get("route") in ("greeting", "thanks") else "knowledge_agent"
