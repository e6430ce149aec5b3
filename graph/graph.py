"""The chat graph's wiring. Nodes live in graph/nodes, prompts in chains/prompts.py."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graph.nodes.agents import answer_from_knowledge, small_talk
from graph.nodes.router import choose_agent, route_turn
from graph.state import ChatState, InputState


def build_graph() -> StateGraph:
    builder = StateGraph(ChatState, input_schema=InputState)
    builder.add_node("router", route_turn)
    builder.add_node("knowledge_agent", answer_from_knowledge)
    builder.add_node("small_talk", small_talk)
    builder.add_edge(START, "router")
    builder.add_conditional_edges(
        "router", choose_agent, {"knowledge_agent": "knowledge_agent", "small_talk": "small_talk"}
    )
    builder.add_edge("knowledge_agent", END)
    builder.add_edge("small_talk", END)
    return builder


# Exported for `langgraph dev` / LangGraph Studio, which bring their own checkpointer.
graph = build_graph().compile(name="DovvyBuddy")
