"""The four agents and the off-topic reply (the emergency path is graph/nodes/emergency.py).

Each agent retrieves with the turn's search query and the focus's filters, then makes
exactly one model call with its prompt, the passages, the diver's profile, the focus and a
bounded window of recent history. Off-topic turns and places the knowledge base does not
cover are answered with fixed text and no model call; so is a plain request for a shop or
a booking (graph/leads.py), with the opening of the course's or place's own guide.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from chains import prompts
from chains.models import ModelUnavailableError
from chains.passages import citation_of, render_passages
from graph.context import Context, context_of
from graph.focus import Focus, about_uncovered_place, uncovered_place_aside
from graph.leads import Introduction, asks_more_than_booking, introduction_for, lead_type_for
from graph.nodes.safety_gate import last_user_text
from graph.passage_plan import plan_passages
from graph.places import is_covered, place_name
from graph.state import ChatState, DiverProfile

# Recent history the model sees; the checkpointer keeps the whole conversation.
HISTORY_MESSAGES = 8

MEDICAL = re.compile(
    r"\b(asthma\w*|diabet\w*|epilep\w*|seizures?|heart|blood pressure|pregnan\w*|"
    r"medica(tion|tions|l)|meds|pills?|antidepress\w*|ssris?|surgery|operation|injur\w*|"
    r"symptoms?|dcs|bends|decompression sickness|embolism|barotrauma|sick|illness|cold|flu|"
    r"migraine\w*|fit to dive|fitness to dive|doctor|physician|pain|numb\w*|dizz\w*|"
    r"condition|disease|allerg\w*|covid)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgentSpec:
    route: str
    focus: str
    follow_up: Callable[[DiverProfile, Focus], str]


def _profile(state: ChatState) -> DiverProfile:
    return state.get("diver_profile") or {}


def _certification_follow_up(profile: DiverProfile, focus: Focus) -> str:
    if not profile.get("certification_level"):
        return prompts.FOLLOW_UPS["ask_level"]
    return prompts.FOLLOW_UPS["next_course"]


# Facts about getting there and conditions lead on to when the diver travels; their level
# matters to what suits them, and is asked for there.
TRAVEL_TOPICS = ("season", "getting_there", "temperature", "visibility")


def _trip_follow_up(profile: DiverProfile, focus: Focus) -> str:
    if not focus.get("destination"):
        return prompts.FOLLOW_UPS["ask_destination"]
    if focus.get("topic") in TRAVEL_TOPICS:
        return prompts.FOLLOW_UPS["travel_dates"]
    if not profile.get("certification_level"):
        if profile.get("logged_dives"):
            return prompts.FOLLOW_UPS["ask_level"]
        return prompts.FOLLOW_UPS["ask_level_and_dives"]
    # Someone with no certification yet has no logbook to count.
    uncertified = profile.get("certification_level") == "none"
    if profile.get("logged_dives") is None and focus.get("topic") == "suitability":
        return prompts.FOLLOW_UPS["travel_dates" if uncertified else "ask_dives"]
    return prompts.FOLLOW_UPS["travel_dates"]


AGENTS = {
    "certification": AgentSpec(
        "certification", prompts.CERTIFICATION_FOCUS, _certification_follow_up
    ),
    "trip": AgentSpec("trip", prompts.TRIP_FOCUS, _trip_follow_up),
    "safety": AgentSpec(
        "safety", prompts.SAFETY_FOCUS, lambda profile, focus: prompts.FOLLOW_UPS["safety"]
    ),
    "general": AgentSpec(
        "general", prompts.GENERAL_FOCUS, lambda profile, focus: prompts.FOLLOW_UPS["general"]
    ),
}


def bounded_history(messages: list[BaseMessage]) -> list[BaseMessage]:
    recent = [m for m in messages if isinstance(m, HumanMessage | AIMessage)][-HISTORY_MESSAGES:]
    # A window must open on the diver's words, not on a reply to something cut away.
    while recent and not isinstance(recent[0], HumanMessage):
        recent.pop(0)
    return recent


def _profile_text(profile: DiverProfile) -> str:
    return json.dumps(profile) if profile else "nothing yet"


def _focus_text(focus: Focus) -> str:
    known = {
        k: v for k, v in focus.items() if v and k not in ("names_place", "on_place", "elsewhere")
    }
    if is_covered(known.get("destination")):
        known["destination"] = place_name(known["destination"])
    return json.dumps(known) if known else "nothing yet"


async def run_agent(
    spec: AgentSpec, state: ChatState, config: RunnableConfig, runtime: Runtime[Context]
) -> dict:
    context = await context_of(runtime)
    profile = _profile(state)
    focus: Focus = state.get("focus") or {}
    question = last_user_text(state)
    uncovered = about_uncovered_place(focus, question, spec.route)
    if uncovered:
        # Whatever the route: facts about somewhere else would be worse than none. Said once
        # in full; a follow-up about the same place gets the short form.
        text = prompts.UNCOVERED_PLACE if focus.get("names_place") else prompts.UNCOVERED_AGAIN
        return _fixed_reply(text.format(place=place_name(uncovered)))
    lead = lead_type_for(question, spec.route)
    if lead and not asks_more_than_booking(question):
        # "Connect me with a shop for the Advanced course": what the course is and what
        # happens next, from its own guide and fixed text; no search on the booking words.
        introduction = await introduction_for(context.retriever, lead, question, focus, profile)
        if introduction:
            return _lead_reply(lead, introduction)
    search_query = state.get("search_query") or question
    passages = await plan_passages(
        context,
        spec.route,
        question,
        search_query,
        focus,
        profile,
        state.get("previous_route"),
    )
    follow_up = prompts.LEAD_FOLLOW_UP[lead] if lead else spec.follow_up(profile, focus)
    medical = spec.route == "safety" and bool(MEDICAL.search(question))
    closing_rules = []
    if lead:
        closing_rules.append(
            prompts.NEXT_STEPS_RULE.format(next_steps=prompts.LEAD_NEXT_STEPS[lead])
        )
    if medical:
        closing_rules.append(prompts.CLOSING_RULE.format(closing=prompts.MEDICAL_NOTE))
    system = prompts.AGENT_TEMPLATE.format(
        persona=prompts.PERSONA,
        focus=spec.focus,
        rules=prompts.RESPONSE_RULES.format(follow_up=follow_up),
        profile=_profile_text(profile),
        conversation=_focus_text(focus),
        passages=render_passages(passages),
        closing_rule="\n\n".join(closing_rules),
    )
    try:
        reply = await context.chat_model.ainvoke(
            [SystemMessage(system), *bounded_history(state["messages"])], config
        )
    except Exception as error:
        raise ModelUnavailableError(f"{type(error).__name__}: {error}") from error
    content = str(reply.content).strip()
    if medical and prompts.MEDICAL_NOTE not in content:
        content = f"{content} {prompts.MEDICAL_NOTE}"  # the rule holds whatever the model wrote
    aside = uncovered_place_aside(focus, question, spec.route)
    if aside:
        # Before the answer, which ends on its one question.
        content = f"{prompts.UNCOVERED_ASIDE.format(place=place_name(aside))} {content}"
    cited = reply.response_metadata.get("citations")
    used = passages if cited is None else [passages[i - 1] for i in cited if 0 < i <= len(passages)]
    return {
        # The guide this answer drew on first, for a follow-up on the same subject.
        "focus": {**focus, "document": used[0]["path"] if used else None},
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


def _lead_reply(lead: str, introduction: Introduction) -> dict:
    text = " ".join(
        [introduction.text, prompts.LEAD_NEXT_STEPS[lead], prompts.LEAD_FOLLOW_UP[lead]]
    )
    return _fixed_reply(
        text,
        passages=introduction.passages,
        citations=[citation_of(p) for p in introduction.passages],
        lead_offer=True,
        lead_type=lead,
        safety_flags=[],
    )


async def certification_agent(
    state: ChatState, config: RunnableConfig, runtime: Runtime[Context]
) -> dict:
    return await run_agent(AGENTS["certification"], state, config, runtime)


async def trip_agent(state: ChatState, config: RunnableConfig, runtime: Runtime[Context]) -> dict:
    return await run_agent(AGENTS["trip"], state, config, runtime)


async def safety_agent(state: ChatState, config: RunnableConfig, runtime: Runtime[Context]) -> dict:
    return await run_agent(AGENTS["safety"], state, config, runtime)


async def general_agent(
    state: ChatState, config: RunnableConfig, runtime: Runtime[Context]
) -> dict:
    text = last_user_text(state)
    services = await context_of(runtime)
    if services.router.is_small_talk(text):
        thanks = re.search(r"\b(thank|thanks|thx|ty|cheers|terima kasih)\b", text, re.IGNORECASE)
        return _fixed_reply(prompts.THANKS_REPLY if thanks else prompts.GREETING_REPLY)
    return await run_agent(AGENTS["general"], state, config, runtime)


def off_topic_reply(state: ChatState, config: RunnableConfig) -> dict:
    return _fixed_reply(prompts.OFF_TOPIC_REPLY)
