"""The chat graph's wiring. Nodes live in graph/nodes, prompts in chains/prompts.py.

safety_gate → remember_diver ─┬─ emergency ─→ emergency_reply ────────────────┐
                              ├─ follow_up ─→ emergency_follow_up ────────────┤
                              └─ route ─→ router ─┬→ certification_agent ─┐    │
                                                  ├→ trip_agent ──────────┤    │
                                                  ├→ safety_agent ────────┼→ finalize
                                                  ├→ general_agent ───────┤
                                                  └→ off_topic_reply ─────┘
"""

from __future__ import annotations

from langchain_core.runnables import Runnable
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph

from graph.context import Context
from graph.nodes.agents import (
    certification_agent,
    general_agent,
    off_topic_reply,
    safety_agent,
    trip_agent,
)
from graph.nodes.emergency import emergency_follow_up, emergency_reply
from graph.nodes.finalize import finalize
from graph.nodes.memory import remember_diver
from graph.nodes.routing import AGENT_FOR_ROUTE, pick_agent, route_turn
from graph.nodes.safety_gate import emergency_or_route, safety_gate
from graph.state import ChatState, InputState

# LangGraph reads the durability mode from this configurable key when a caller (such as
# LangServe) cannot pass `durability=` to invoke/stream itself.
CONFIG_KEY_DURABILITY = "__pregel_durability"

REPLIES = {
    "certification_agent": certification_agent,
    "trip_agent": trip_agent,
    "safety_agent": safety_agent,
    "general_agent": general_agent,
    "off_topic_reply": off_topic_reply,
}


def build_graph() -> StateGraph:
    builder = StateGraph(ChatState, input_schema=InputState, context_schema=Context)
    builder.add_node("safety_gate", safety_gate)
    builder.add_node("remember_diver", remember_diver)
    builder.add_node("emergency_reply", emergency_reply)
    builder.add_node("emergency_follow_up", emergency_follow_up)
    builder.add_node("router", route_turn)
    for name, node in REPLIES.items():
        builder.add_node(name, node)
    builder.add_node("finalize", finalize)

    builder.add_edge(START, "safety_gate")
    builder.add_edge("safety_gate", "remember_diver")
    builder.add_conditional_edges(
        "remember_diver",
        emergency_or_route,
        {"emergency": "emergency_reply", "follow_up": "emergency_follow_up", "route": "router"},
    )
    builder.add_conditional_edges(
        "router", pick_agent, {name: name for name in AGENT_FOR_ROUTE.values()}
    )
    for name in [*REPLIES, "emergency_reply", "emergency_follow_up"]:
        builder.add_edge(name, "finalize")
    builder.add_edge("finalize", END)
    return builder


def compile_chat_graph(
    checkpointer: BaseCheckpointSaver | None = None, context: Context | None = None
) -> Runnable:
    """The graph as the service runs it.

    With `context`, every run uses it unless the caller passes its own `context=`: LangServe
    cannot pass one, so the server binds its context here.

    Durability "exit": the thread is written once, when the turn completes. A turn that
    fails part-way therefore leaves the conversation exactly as it was, and a turn costs
    one checkpoint write instead of one per node.
    """
    compiled = build_graph().compile(checkpointer=checkpointer, name="DovvyBuddy")
    runnable = compiled.bind(context=context) if context is not None else compiled
    return runnable.with_config(configurable={CONFIG_KEY_DURABILITY: "exit"})


# Exported for `langgraph dev` / LangGraph Studio, which bring their own checkpointer and no
# context of ours: graph.context.context_of builds one from the settings for them.
graph = build_graph().compile(name="DovvyBuddy")
