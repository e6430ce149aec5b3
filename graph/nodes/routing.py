"""Route the turn to one agent, reading elliptic follow-ups with the previous message."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from graph.nodes.safety_gate import earlier_user_texts, last_user_text
from graph.services import get_services
from graph.state import ChatState

AGENT_FOR_ROUTE = {
    "certification": "certification_agent",
    "trip": "trip_agent",
    "safety": "safety_agent",
    "general": "general_agent",
    "off_topic": "off_topic_reply",
}


async def route_turn(state: ChatState, config: RunnableConfig) -> dict:
    services = await get_services(config)
    text = last_user_text(state)
    history = earlier_user_texts(state)
    previous_route = state.get("previous_route")
    decision = await services.router.route(text, history, previous_route)
    search_query = f"{history[-1]} {text}" if decision.used_history and history else text
    return {
        "route": decision.route,
        "route_confidence": decision.confidence,
        "search_query": search_query,
    }


def pick_agent(state: ChatState) -> str:
    return AGENT_FOR_ROUTE[state["route"]]
