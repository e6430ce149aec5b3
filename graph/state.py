"""The graph's state: what one conversation (one thread) carries from turn to turn.

typing_extensions.TypedDict, not typing.TypedDict: LangServe builds its pydantic schemas
from these classes, and pydantic needs the typing_extensions variant on Python < 3.12.
The per-turn keys (route … safety_flags) are rewritten on every turn; `messages` and
`diver_profile` accumulate.
"""

from __future__ import annotations

from typing import Annotated, NotRequired

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from chains.passages import Citation, Passage
from graph.focus import Focus


class DiverProfile(TypedDict, total=False):
    agency: str  # PADI, SSI, NAUI, CMAS, BSAC
    certification_level: str  # none, open_water, advanced_open_water, rescue, divemaster, …
    logged_dives: int
    goals: list[str]  # levels or courses the diver wants next
    destination: str  # slug of a knowledge-base destination, or "uncovered:<name>"
    concerns: list[str]


def merge_profiles(old: DiverProfile | None, new: DiverProfile | None) -> DiverProfile:
    """Profile updates add to what is known; a key given again replaces its old value."""
    return {**(old or {}), **(new or {})}  # type: ignore[typeddict-item]


class ActiveEmergency(TypedDict):
    """An emergency in progress: follow-ups stay on the emergency path while it lasts."""

    started_at: str  # ISO 8601, UTC: the turn that raised it
    last_at: str  # ISO 8601, UTC: the latest turn on the emergency path
    what: str  # the diver's message that raised it
    turns: int  # turns answered on the emergency path so far


class InputState(TypedDict):
    """What a caller sends: the turn's message(s), and optionally what it knows of the diver."""

    messages: Annotated[list[AnyMessage], add_messages]
    diver_profile: NotRequired[Annotated[DiverProfile, merge_profiles]]


class ChatState(InputState, total=False):
    focus: Focus  # what the conversation is about (graph/focus.py), rewritten every turn
    # --- this turn ---
    route: str  # emergency, certification, trip, safety, general, off_topic
    route_confidence: float
    previous_route: str | None  # the last turn's route, for elliptic follow-ups
    search_query: str  # the turn's question, with the previous one when it is elliptic
    passages: list[Passage]
    citations: list[Citation]
    answer: str
    follow_up: str | None
    lead_offer: bool
    lead_type: str | None  # training or trip, when the diver wants a shop
    safety_flags: list[str]
    # --- across turns ---
    active_emergency: ActiveEmergency | None
