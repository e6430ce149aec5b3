"""Remember what the diver says about themselves (agency, level, dives, destination)."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from graph.nodes.safety_gate import last_user_text
from graph.profile import update_profile
from graph.services import get_services
from graph.state import ChatState


async def remember_diver(state: ChatState, config: RunnableConfig) -> dict:
    services = await get_services(config)
    profile = update_profile(state.get("diver_profile"), last_user_text(state), services.gazetteer)
    return {"diver_profile": profile}
