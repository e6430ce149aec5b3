"""The graph's state: what one conversation (one thread) carries from turn to turn.

typing_extensions.TypedDict, not typing.TypedDict: LangServe builds its pydantic schemas
from these classes, and pydantic needs the typing_extensions variant on Python < 3.12.
"""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from chains.passages import Citation, Passage


class DiverProfile(TypedDict, total=False):
    agency: str
    certification_level: str
    logged_dives: int
    destination: str
    concerns: list[str]


class InputState(TypedDict):
    """What a caller sends: the new message(s) of the turn."""

    messages: Annotated[list[AnyMessage], add_messages]


class ChatState(InputState, total=False):
    route: str
    route_confidence: float
    diver_profile: DiverProfile
    passages: list[Passage]
    citations: list[Citation]
