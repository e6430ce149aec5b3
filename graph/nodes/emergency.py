"""The emergency path: the first reply, and the answers to follow-ups while it lasts.

No chat-model call on this path. The first reply is fixed text. A follow-up ("help is
called, what else?", "where is the nearest chamber?") is answered from the first-aid and
emergency-contact content: the fixed answers of chains/emergency_texts.py for what it asks,
the chambers of the diver's country quoted from the knowledge base, then the numbers
again. No follow-up question, no lead offer.
"""

from __future__ import annotations

import re
import uuid

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime

from chains import emergency_texts as texts
from chains.passages import Passage, citation_of
from graph.context import Context, context_of
from graph.nodes.safety_gate import last_user_text
from graph.places import COUNTRY_OF, DESTINATION_ALIASES
from graph.routing.emergency_words import fold
from graph.routing.text import any_of
from graph.state import ChatState

FIRST_AID_DOC = "safety/diving-emergency-first-aid.md"
CONTACTS_DOC = "safety/emergency-contacts-by-region.md"
# At most this many answers per follow-up, so the reply stays short enough to act on.
MAX_ANSWERS = 2
CHAMBER_PASSAGES = 16

# What a follow-up asks about, in order of urgency: the first matches are answered.
FOLLOW_UP_TOPICS: list[tuple[str, re.Pattern]] = [
    (
        "not_breathing",
        any_of(
            r"\b(not|isnt|stopped|no longer|hardly|barely|cant) breath\w*",
            r"\bcpr\b|\bno pulse\b|\baed\b|\bcompressions?\b|\brescue breaths?\b",
        ),
    ),
    (
        "missing",
        any_of(
            r"\b(missing|not (back|up)|hasnt (come|surfaced)|cant find|lost sight|search\w*|"
            r"still (down|under)|adrift|drift\w*|left behind|out of sight)\b"
        ),
    ),
    ("oxygen", any_of(r"\b(oxygen|o2|demand valve|non-?rebreather|litres|liters)\b")),
    (
        "back_in_water",
        any_of(r"\b(back (in|into) the water|in-?water recompression|recompress \w+ in)\b"),
    ),
    (
        "position",
        any_of(
            r"\b(lie|lying|laid|lay|position|sit|sitting|recovery|flat|"
            r"move (him|her|them)|on (his|her|their) (side|back))\b"
        ),
    ),
    ("drink", any_of(r"\b(drink|drinking|fluids?|eat|eating|food|juice)\b")),
    (
        "medicine",
        any_of(
            r"\b(aspirin|paracetamol|panadol|ibuprofen|painkillers?|medicine|medication|"
            r"pills?|tablets?|antihistamine\w*|epipen|adrenaline)\b"
        ),
    ),
    (
        "chamber",
        any_of(r"\b(chamber|hyperbaric|recompress\w*|hospital|clinic|nearest|where (is|do|can))\b"),
    ),
    (
        "records",
        any_of(
            r"\b(tell|say|note|write|record|info\w*|details|profile|computer)\b",
            r"\b(paramedics|medics|ambulance crew|doctor) (need|want|ask)",
        ),
    ),
    ("warmth", any_of(r"\b(cold|warm|shiver\w*|blanket|hot|sun|shade|freezing)\b")),
    (
        "better",
        any_of(
            r"\b(better|improv\w*|feels? (ok|fine|good)|seems? (ok|fine)|dive again|"
            r"fly\w*|flight|go home|wait and see)\b"
        ),
    ),
]
# A report of what has been done, or "what else?": the next steps follow the answers.
WHAT_NEXT = any_of(
    r"\b(what (else|now|next)|now what|then what|anything else|next steps?|meanwhile|"
    r"while (we|i) wait|until (they|the ambulance|help) (come|arrive)\w*)\b",
    r"\b(called|calling|rang|phoned|on (the|its|their) way|coming|given|gave|done|did)\b",
)


def destination_of_diver(state: ChatState) -> str | None:
    """The place under discussion, else the diver's destination."""
    focus = state.get("focus") or {}
    return focus.get("destination") or (state.get("diver_profile") or {}).get("destination")


def country_of_diver(state: ChatState) -> str | None:
    return COUNTRY_OF.get(destination_of_diver(state) or "")


def local_numbers(state: ChatState) -> str:
    """The emergency numbers of the country the diver is in, Malaysia's as well."""
    country = country_of_diver(state)
    if country and country != "Malaysia":
        return texts.LOCAL_NUMBERS[country] + texts.ALSO_MALAYSIA
    return texts.MALAYSIA_NUMBERS


def asked_topics(question: str) -> list[str]:
    folded = fold(question)
    return [name for name, pattern in FOLLOW_UP_TOPICS if pattern.search(folded)][:MAX_ANSWERS]


def chamber_sentences(
    passages: list[Passage], country: str, place_names: tuple[str, ...] = ()
) -> list[str]:
    """The knowledge base's lines about chambers in `country`, as plain sentences; those
    naming the diver's own place first (Sabah's chambers for Sipadan, not Perak's)."""
    lines = []
    for passage in passages:
        if passage["path"] != CONTACTS_DOC or country not in passage["section"]:
            continue
        for line in passage["content"].splitlines():
            line = line.strip()
            if line.startswith("- ") or (line and not line.startswith(("#", "|"))):
                sentence = line.removeprefix("- ").replace("**", "").strip()
                # The chunk opens with its title and section: a heading, not a chamber.
                if sentence and "?" not in sentence and not sentence.startswith(passage["title"]):
                    lines.append(sentence)
    lines = [line for line in dict.fromkeys(lines) if country not in line or len(line) > 40]
    if place_names:
        near = re.compile(r"\b(" + "|".join(map(re.escape, place_names)) + r")\b", re.IGNORECASE)
        lines.sort(key=lambda line: not near.search(line))  # stable: the page's order otherwise
    return lines[:2]


def _reply(text: str, **extra) -> dict:
    return {"messages": [AIMessage(content=text, id=str(uuid.uuid4()))], **extra}


def emergency_reply(state: ChatState) -> dict:
    """The first emergency turn: the fixed reply, with the numbers of where the diver is."""
    text = texts.EMERGENCY_REPLY.format(local_numbers=local_numbers(state))
    return _reply(text, safety_flags=["emergency"])


async def emergency_follow_up(state: ChatState, runtime: Runtime[Context]) -> dict:
    """A follow-up while the emergency lasts: answer what is asked, then the numbers."""
    services = await context_of(runtime)
    question = last_user_text(state)
    topics = asked_topics(question)
    answers = [texts.FOLLOW_UP_ANSWERS[name] for name in topics]
    if not topics or WHAT_NEXT.search(fold(question)):
        answers.append(texts.NEXT_STEPS)
    country = country_of_diver(state)
    # The retriever is no model call: it finds the content these answers come from.
    query = f"{question} recompression chamber {country}" if "chamber" in topics else question
    # For a chamber, enough of the two pages to hold the diver's country's section whatever
    # the ranking: the filter scans only them.
    k = CHAMBER_PASSAGES if "chamber" in topics else 4
    passages = await services.retriever.search(
        query, filters={"path": [FIRST_AID_DOC, CONTACTS_DOC]}, k=k
    )
    if "chamber" in topics and country:
        names = DESTINATION_ALIASES.get(destination_of_diver(state) or "", ())
        nearby = chamber_sentences(passages, country, names)
        if nearby:
            answers.insert(
                topics.index("chamber"),
                texts.CHAMBERS_NEAR.format(country=country) + " ".join(nearby),
            )
    answers.append(texts.FOLLOW_UP_NUMBERS.format(local_numbers=local_numbers(state)))
    citations = list({citation_of(p)["path"]: citation_of(p) for p in passages}.values())
    return _reply(
        "\n\n".join(answers),
        passages=passages,
        citations=citations,
        safety_flags=["emergency", "emergency_follow_up"],
    )
