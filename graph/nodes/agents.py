"""The four agents and the off-topic reply (the emergency path is graph/nodes/emergency.py).

Each agent retrieves with filters suited to it, then makes exactly one model call with its
prompt, the passages and a bounded window of recent history. Off-topic turns are answered
with fixed text and no model call.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig

from chains import prompts
from chains.models import ModelUnavailableError
from chains.passages import Passage, citation_of, render_passages
from graph.nodes.safety_gate import last_user_text
from graph.places import is_covered, place_name
from graph.profile import depth_limit, site_certification
from graph.services import Services, get_services
from graph.state import ChatState, DiverProfile

# Recent history the model sees; the checkpointer keeps the whole conversation.
HISTORY_MESSAGES = 8
# Below this cosine similarity a passage is noise, however it ranked.
MIN_SIMILARITY = 0.25

MEDICAL = re.compile(
    r"\b(asthma\w*|diabet\w*|epilep\w*|seizures?|heart|blood pressure|pregnan\w*|"
    r"medica(tion|tions|l)|meds|pills?|antidepress\w*|ssris?|surgery|operation|injur\w*|"
    r"symptoms?|dcs|bends|decompression sickness|embolism|barotrauma|sick|illness|cold|flu|"
    r"migraine\w*|fit to dive|fitness to dive|doctor|physician|pain|numb\w*|dizz\w*|"
    r"condition|disease|allerg\w*|covid)\b",
    re.IGNORECASE,
)
BOOKING = re.compile(
    r"\b(book|booking|reserve|reservation|sign (me )?up|enrol+\w*|register|"
    r"(find|recommend|suggest|know) (me )?(a|any|some|good)? ?(dive )?(shop|shops|centre|centres|"
    r"center|centers|operator|operators|school|instructor)|connect me|contact (a|the) "
    r"(shop|centre|center|operator)|how (do|can) i (book|sign up|join|start)|availability|"
    r"available dates|get a quote|price (list|for))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgentSpec:
    route: str
    focus: str
    filters: Callable[[ChatState], dict]
    follow_up: Callable[[DiverProfile], str]


def _profile(state: ChatState) -> DiverProfile:
    return state.get("diver_profile") or {}


def _certification_follow_up(profile: DiverProfile) -> str:
    if not profile.get("certification_level"):
        return "What certification do you hold now, if any?"
    return "Would you like to know what the next course would involve for you?"


def _trip_follow_up(profile: DiverProfile) -> str:
    if not profile.get("destination"):
        return "Which destination are you thinking about?"
    if not profile.get("certification_level"):
        return "What certification level do you hold, and how many dives have you logged?"
    return "When are you planning to travel?"


def _trip_filters(state: ChatState) -> dict:
    destination = _profile(state).get("destination")
    filters: dict = {"doc_type": ["destination", "dive_site"]}
    if destination:
        filters["destination"] = destination
    return filters


AGENTS = {
    "certification": AgentSpec(
        "certification",
        prompts.CERTIFICATION_FOCUS,
        lambda state: {"doc_type": "certification"},
        _certification_follow_up,
    ),
    "trip": AgentSpec("trip", prompts.TRIP_FOCUS, _trip_filters, _trip_follow_up),
    "safety": AgentSpec(
        "safety",
        prompts.SAFETY_FOCUS,
        lambda state: {"doc_type": ["safety", "general"]},
        lambda profile: "Is there a specific dive or situation you'd like to talk through?",
    ),
    "general": AgentSpec(
        "general",
        prompts.GENERAL_FOCUS,
        lambda state: {},
        lambda profile: "Is there anything else about your gear or skills you'd like to explore?",
    ),
}


def bounded_history(messages: list[BaseMessage]) -> list[BaseMessage]:
    recent = [m for m in messages if isinstance(m, HumanMessage | AIMessage)][-HISTORY_MESSAGES:]
    # A window must open on the diver's words, not on a reply to something cut away.
    while recent and not isinstance(recent[0], HumanMessage):
        recent.pop(0)
    return recent


def lead_type_for(text: str, route: str) -> str | None:
    """training or trip, when the diver wants to book or asks for a shop."""
    if not BOOKING.search(text):
        return None
    if route == "certification" or re.search(
        r"\b(course|certif\w*|training|lesson)", text, re.IGNORECASE
    ):
        return "training"
    return "trip"


def _profile_text(profile: DiverProfile) -> str:
    return json.dumps(profile) if profile else "nothing yet"


LEVEL_NAMES = {
    "none": "a diver without a certification (with a guide on a try dive)",
    "open_water": "an Open Water diver",
    "advanced_open_water": "an Advanced Open Water diver",
    "rescue": "a Rescue Diver",
    "divemaster": "a Divemaster",
    "instructor": "an instructor",
}
SITE_QUESTION = re.compile(
    r"\b(sites?|spots?|where|suit\w*|beginners?|my level|recommend\w*|which|easy|"
    r"shallow|good for me|can i dive)\b",
    re.IGNORECASE,
)


async def _site_passages(services: Services, profile: DiverProfile, question: str) -> list[Passage]:
    """The destination's dive sites, split by what the diver's certification allows.

    Read from the dive_sites table, so "which Tioman sites suit an Open Water diver?" is
    answered from the sites' own front matter rather than from whichever passages ranked.
    """
    destination = profile.get("destination")
    if not is_covered(destination) or not SITE_QUESTION.search(question):
        return []
    level = profile.get("certification_level")
    every = await services.sites.sites(destination)
    allowed = None
    if level:
        fitting = await services.sites.sites(
            destination, certification=site_certification(level), max_depth_m=depth_limit(level)
        )
        allowed = {row["path"] for row in fitting}
    if not every:
        return []

    def describe(row) -> str:
        return (
            f"{row['name']} ({row['depth_min_m']}–{row['depth_max_m']} m, "
            f"{row['difficulty']}, {row['current']} current)"
        )

    place = place_name(destination)
    if allowed is None:
        text = (
            f"Dive sites at {place}: "
            + "; ".join(
                f"{describe(r)} needs {r['min_certification'].replace('_', ' ')}" for r in every
            )
            + "."
        )
    else:
        suitable = [describe(r) for r in every if r["path"] in allowed]
        beyond = [
            f"{r['name']} ({r['min_certification'].replace('_', ' ')})"
            for r in every
            if r["path"] not in allowed
        ]
        text = (
            f"Sites at {place} that suit {LEVEL_NAMES.get(level, 'you')}: "
            f"{'; '.join(suitable) if suitable else 'none of the listed sites'}."
        )
        if beyond:
            text += f" Sites that need more training: {', '.join(beyond)}."
    index_path = f"destinations/{destination}/index.md"
    return [
        Passage(
            path=index_path,
            title=f"{place} dive sites",
            section="Sites by level",
            content=f"{place} dive sites\n{text}",
            doc_type="destination",
            destination=destination,
            score=1.0,
            similarity=1.0,
        )
    ]


async def run_agent(spec: AgentSpec, state: ChatState, config: RunnableConfig) -> dict:
    services = await get_services(config)
    profile = _profile(state)
    question = last_user_text(state)
    destination = profile.get("destination")
    if spec.route == "trip" and destination and not is_covered(destination):
        return _fixed_reply(prompts.UNCOVERED_PLACE.format(place=place_name(destination)))
    # The router embedded this same text: the retriever's embedding is a cache hit.
    search_query = state.get("search_query") or question
    passages = [
        p
        for p in await services.retriever.search(search_query, filters=spec.filters(state))
        if p["similarity"] >= MIN_SIMILARITY
    ]
    if spec.route == "trip":
        passages = (await _site_passages(services, profile, search_query)) + passages
    lead = lead_type_for(question, spec.route)
    follow_up = prompts.LEAD_FOLLOW_UP[lead] if lead else spec.follow_up(profile)
    medical = spec.route == "safety" and bool(MEDICAL.search(question))
    system = prompts.AGENT_TEMPLATE.format(
        persona=prompts.PERSONA,
        focus=spec.focus,
        rules=prompts.RESPONSE_RULES.format(follow_up=follow_up),
        profile=_profile_text(profile),
        passages=render_passages(passages),
        closing_rule=prompts.CLOSING_RULE.format(closing=prompts.MEDICAL_NOTE) if medical else "",
    )
    try:
        reply = await services.chat_model.ainvoke(
            [SystemMessage(system), *bounded_history(state["messages"])], config
        )
    except Exception as error:
        raise ModelUnavailableError(f"{type(error).__name__}: {error}") from error
    content = str(reply.content).strip()
    if medical and prompts.MEDICAL_NOTE not in content:
        content = f"{content} {prompts.MEDICAL_NOTE}"  # the rule holds whatever the model wrote
    cited = reply.response_metadata.get("citations")
    used = passages if cited is None else [passages[i - 1] for i in cited if 0 < i <= len(passages)]
    return {
        # A fresh id per turn: a model that reuses its message id must not overwrite history.
        "messages": [
            AIMessage(
                content=content, id=str(uuid.uuid4()), response_metadata=reply.response_metadata
            )
        ],
        "passages": passages,
        "citations": _unique([citation_of(p) for p in used]),
        "lead_offer": lead is not None,
        "lead_type": lead,
        "safety_flags": ["medical_question"] if medical else [],
    }


def _unique(citations: list) -> list:
    seen, out = set(), []
    for citation in citations:
        key = (citation["path"], citation["section"])
        if key not in seen:
            seen.add(key)
            out.append(citation)
    return out


def _fixed_reply(text: str, **extra) -> dict:
    return {"messages": [AIMessage(content=text, id=str(uuid.uuid4()))], **extra}


async def certification_agent(state: ChatState, config: RunnableConfig) -> dict:
    return await run_agent(AGENTS["certification"], state, config)


async def trip_agent(state: ChatState, config: RunnableConfig) -> dict:
    return await run_agent(AGENTS["trip"], state, config)


async def safety_agent(state: ChatState, config: RunnableConfig) -> dict:
    return await run_agent(AGENTS["safety"], state, config)


async def general_agent(state: ChatState, config: RunnableConfig) -> dict:
    text = last_user_text(state)
    services = await get_services(config)
    if services.router.is_small_talk(text):
        thanks = re.search(r"\b(thank|thanks|thx|ty|cheers|terima kasih)\b", text, re.IGNORECASE)
        return _fixed_reply(prompts.THANKS_REPLY if thanks else prompts.GREETING_REPLY)
    return await run_agent(AGENTS["general"], state, config)


def off_topic_reply(state: ChatState, config: RunnableConfig) -> dict:
    return _fixed_reply(prompts.OFF_TOPIC_REPLY)
