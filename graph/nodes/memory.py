"""Remember who the diver is (profile) and what the conversation is about (focus)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import Context, context_of
from graph.focus import update_focus, with_next_course
from graph.nodes.safety_gate import last_user_text
from graph.profile import update_profile
from graph.state import ChatState


async def remember_diver(state: ChatState, runtime: Runtime[Context]) -> dict:
    context = await context_of(runtime)
    text = last_user_text(state)
    focus = update_focus(state.get("focus"), text, context.gazetteer)
    profile = update_profile(state.get("diver_profile"), text)
    focus = with_next_course(focus, text, profile.get("certification_level"))
    if focus.get("destination"):
        # The place the diver is planning for; the emergency reply reads it for local numbers.
        profile["destination"] = focus["destination"]
    return {"diver_profile": profile, "focus": focus}
