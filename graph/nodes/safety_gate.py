"""The first node of every turn: is something acute happening now? No model call."""

from __future__ import annotations

from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig

from graph.routing.emergency import assess
from graph.state import ChatState


def last_user_text(state: ChatState) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return str(message.content)
    return ""


def earlier_user_texts(state: ChatState) -> list[str]:
    """The diver's messages before this turn, oldest first."""
    humans = [str(m.content) for m in state.get("messages", []) if isinstance(m, HumanMessage)]
    return humans[:-1]


def safety_gate(state: ChatState, config: RunnableConfig) -> dict:
    assessment = assess(last_user_text(state))
    # Every per-turn key starts afresh here, so nothing of the last turn leaks into this one.
    fresh = {
        "previous_route": state.get("route") or state.get("previous_route"),
        "passages": [],
        "citations": [],
        "answer": "",
        "follow_up": None,
        "lead_offer": False,
        "lead_type": None,
        "safety_flags": [],
        "search_query": "",
    }
    if assessment.is_emergency:
        return {
            **fresh,
            "route": "emergency",
            "route_confidence": 1.0,
            "safety_flags": ["emergency"],
        }
    return {**fresh, "route": "", "route_confidence": 0.0}


def emergency_or_route(state: ChatState) -> str:
    return "emergency" if state.get("route") == "emergency" else "route"
