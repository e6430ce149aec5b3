"""The first node of every turn: is something acute happening now? No chat-model call.

Two detectors, either one enough: the rules, then the learned detector on the turn's
embedding (graph/routing/emergency_detector.py). Once a turn is an emergency the thread
holds it as active, and follow-ups stay on the emergency path for EMERGENCY_WINDOW after
the latest emergency turn — until the diver says it is over or clearly moves on. When in
doubt, the turn stays on the emergency path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime

from graph.context import Context, context_of
from graph.focus import follows_on
from graph.routing.emergency_continuity import STILL_ABOUT_IT, says_it_is_over
from graph.routing.emergency_detector import EmergencyDetector
from graph.routing.emergency_words import fold
from graph.routing.router import UNSURE_MARGIN, TurnRouter
from graph.state import ActiveEmergency, ChatState

# How long after the latest emergency turn a follow-up still belongs to it.
EMERGENCY_WINDOW = timedelta(minutes=30)
# Routes that, asked about with confidence and with nothing of the emergency in the words,
# mean the diver has moved on. A safety question stays: it is most likely about the casualty.
MOVED_ON_ROUTES = ("certification", "trip", "general", "off_topic")


def last_user_text(state: ChatState) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return str(message.content)
    return ""


def earlier_user_texts(state: ChatState) -> list[str]:
    """The diver's messages before this turn, oldest first."""
    humans = [str(m.content) for m in state.get("messages", []) if isinstance(m, HumanMessage)]
    return humans[:-1]


@dataclass(frozen=True)
class GateDecision:
    emergency: bool
    follow_up: bool  # a follow-up within an emergency in progress
    active: ActiveEmergency | None  # what the thread holds after this turn
    reasons: list[str] = field(default_factory=list)


def is_live(active: ActiveEmergency | None, now: datetime) -> bool:
    if not active:
        return False
    return now - datetime.fromisoformat(active["last_at"]) <= EMERGENCY_WINDOW


async def moved_on(text: str, router: TurnRouter) -> bool:
    """Has the diver clearly changed the subject? Small talk and anything doubtful: no.

    A turn that leans on the last one for its subject ("what now?") is about the emergency.
    """
    if STILL_ABOUT_IT.search(fold(text)) or router.is_small_talk(text) or follows_on(text):
        return False
    decision = await router.route(text)
    return decision.route in MOVED_ON_ROUTES and decision.confidence >= UNSURE_MARGIN


async def decide(
    text: str,
    active: ActiveEmergency | None,
    detector: EmergencyDetector,
    router: TurnRouter,
    now: datetime | None = None,
) -> GateDecision:
    """Is this turn on the emergency path, and what does the thread hold afterwards?"""
    now = now or datetime.now(UTC)
    stamp = now.isoformat()
    assessment = await detector.assess(text)
    if is_live(active, now):
        assert active is not None
        if not assessment.is_emergency:
            if says_it_is_over(fold(text)):
                return GateDecision(False, False, None, ["the diver says it is over"])
            if await moved_on(text, router):
                return GateDecision(False, False, None, ["the diver moved on"])
        kept = ActiveEmergency(
            started_at=active["started_at"],
            last_at=stamp,
            what=active["what"],
            turns=active["turns"] + 1,
        )
        return GateDecision(True, True, kept, ["an emergency in progress", *assessment.reasons])
    if assessment.is_emergency:
        raised = ActiveEmergency(started_at=stamp, last_at=stamp, what=text[:500], turns=1)
        return GateDecision(True, False, raised, assessment.reasons)
    return GateDecision(False, False, None, assessment.reasons)


async def safety_gate(state: ChatState, runtime: Runtime[Context]) -> dict:
    services = await context_of(runtime)
    decision = await decide(
        last_user_text(state),
        state.get("active_emergency"),
        services.emergency_detector or EmergencyDetector(services.embeddings, None),
        services.router,
    )
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
        "active_emergency": decision.active,
    }
    if decision.emergency:
        flags = ["emergency", "emergency_follow_up"] if decision.follow_up else ["emergency"]
        return {**fresh, "route": "emergency", "route_confidence": 1.0, "safety_flags": flags}
    return {**fresh, "route": "", "route_confidence": 0.0}


def emergency_or_route(state: ChatState) -> str:
    """The first emergency turn gets the full reply; a follow-up, an answer to what it asks."""
    if state.get("route") != "emergency":
        return "route"
    return (
        "follow_up" if "emergency_follow_up" in (state.get("safety_flags") or []) else "emergency"
    )
