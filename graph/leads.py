"""A request for a dive shop or a booking: the lead it raises and how it is answered.

When a diver asks for a shop or wants to book, the assistant offers to pass the request to
a partner shop (product.md, lead capture). A plain request ("connect me with a shop for
the Advanced course") is answered with what the course or place is, from the opening of
its own guide, then what happens next and the offer (fixed text, chains/prompts.py): a
search on the booking words themselves would find sentences about shops in general, such
as how a shop checks a lost card. A request that also asks something ("book me the
Advanced course, how long is it?") goes to the agent's model with the lead rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chains.passages import Passage
from chains.questions import TOPIC_BY_NAME, Topic, topic_of
from chains.retrieval import KnowledgeRetriever
from graph.focus import COURSE_WORDS, NEXT_COURSE, Focus, courses_asked_about
from graph.places import is_covered, place_name
from graph.state import DiverProfile

# Who a diver asks to be put in touch with: "connect us with a dive resort on Redang",
# "hook me up with a centre that does DM internships".
CONTACT = (
    r"(dive |diving |scuba )?(shops?|centres?|centers?|operators?|schools?|instructors?|"
    r"resorts?|liveaboards?|boats?|guides?|outfits?|partners?|someone|somebody|anyone|people)"
)
BOOKING = re.compile(
    r"\b(book|booking|reserve|reservation|sign (me |us )?up|enrol+\w*|register|"
    r"(find|recommend|suggest|know) (me |us )?(a|any|some|good)? ?(dive )?"
    r"(shop|shops|centre|centres|center|centers|operator|operators|school|instructor)|"
    r"(connect|hook|link|set|refer|introduce|match) (me|us)( up)? (with|to) "
    rf"([^.?!]{{0,30}}\b)?{CONTACT}|"
    r"connect me|(put|get) (me|us) in touch|"
    r"contact (a|the) "
    r"(shop|centre|center|operator)|how (do|can) (i|we) (book|sign up|join|start)|availability|"
    # "get us a quote", "could a shop there send me a quote": a price asked for this diver.
    r"available dates|(get|send|give) (me |us )?an? quotes?|quotes? for|price (list|for))\b",
    re.IGNORECASE,
)
QUESTION = re.compile(
    r"\b(how|what|when|which|where|why|is|are|does|do i|can i|should i|will i)\b", re.IGNORECASE
)
TRAINING = re.compile(r"\b(course|certif\w*|training|lesson)", re.IGNORECASE)
# The course that usually comes after the level a diver holds.
# A guide's opening section: untitled under the document's title, or its overview.
OPENING_SECTION = re.compile(r"^(|overview|introduction|about)$", re.IGNORECASE)
# Passages searched for a course's own guide, and for a guide's opening.
COURSE_CANDIDATES = 12
GUIDE_SECTIONS = 20
# The introduction is the guide's first sentences, up to about this many words.
INTRODUCTION_WORDS = 45
# Besides what it is: how long a course takes, when a place is best.
LEAD_TOPIC = {"training": "duration", "trip": "season"}
_BULLET = re.compile(r"^([-*+]|\d+\.)\s+")
_MARKUP = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Z0-9])")


@dataclass(frozen=True)
class Introduction:
    text: str  # sentences of the guide, as prose
    passages: list[Passage]  # the sections they come from, to cite


def lead_type_for(text: str, route: str) -> str | None:
    """training or trip, when the diver wants to book or asks for a shop."""
    if not BOOKING.search(text):
        return None
    if route == "certification" or TRAINING.search(text):
        return "training"
    return "trip"


def asks_more_than_booking(text: str) -> bool:
    """Does the turn ask something besides the booking ("…, how long does it take?")? A
    date or a place given for the booking ("in May", "next month") is not a question."""
    rest = BOOKING.sub(" ", text)
    return bool(QUESTION.search(rest)) and topic_of(rest) is not None


def course_wanted(text: str, focus: Focus, profile: DiverProfile) -> str | None:
    """The course a training request is for: named now, talked about, wanted, or next."""
    named = courses_asked_about(text)
    if named:
        return named[0]
    if focus.get("course"):
        return focus["course"]
    goals = [goal for goal in profile.get("goals", []) if goal in COURSE_WORDS]
    if goals:
        return goals[-1]
    return NEXT_COURSE.get(profile.get("certification_level") or "")


async def course_guide(
    retriever: KnowledgeRetriever, course: str, agency: str | None
) -> str | None:
    """The path of the course's own guide: the certification document whose title names
    the course first (of the diver's agency when known)."""
    filters: dict = {"doc_type": "certification"}
    if agency:
        filters["agency"] = [agency, "multi"]
    # The agency's name is in its guides' titles ("NAUI Advanced Scuba Diver"), which share
    # fewer words with the course's usual name than a decision guide full of it does.
    query = f"{agency} {COURSE_WORDS[course]}" if agency else COURSE_WORDS[course]
    found = await retriever.search(query, k=COURSE_CANDIDATES, filters=filters)
    own = next((p for p in found if courses_asked_about(p["title"])[:1] == [course]), None)
    # "NAUI Advanced Scuba Diver and NAUI Rescue Scuba Diver" is the NAUI Rescue guide too.
    own = own or next((p for p in found if course in courses_asked_about(p["title"])), None)
    return own["path"] if own else None


def sentences_of(content: str) -> list[str]:
    """A section's sentences as prose: no heading line, no markdown; a list item that
    reads as a sentence ("- Usually **2 days**, …") is one."""
    body = content.split("\n", 1)[1] if "\n" in content else content
    sentences = []
    for line in body.splitlines():
        line = _BULLET.sub("", line.strip())
        if not line or line[0] in "#|" or line.endswith(":"):
            continue
        line = _LINK.sub(r"\1", _MARKUP.sub("", line))
        sentences += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return [s if s[-1] in ".!" else f"{s}." for s in sentences if "?" not in s]


def first_sentences(sentences: list[str], words: int = INTRODUCTION_WORDS) -> list[str]:
    """Whole sentences from the start, up to about `words` words."""
    chosen: list[str] = []
    for sentence in sentences:
        if chosen and sum(len(s.split()) for s in chosen) + len(sentence.split()) > words:
            break
        chosen.append(sentence)
    return chosen


def topic_sentence(sections: list[Passage], topic: Topic) -> tuple[str, Passage] | None:
    """The first sentence shaped like the answer to `topic` ("Usually 2 days …") in a
    section whose heading answers it."""
    for section in sections:
        if not re.search(topic.heading, section["section"] or "", re.IGNORECASE):
            continue
        for sentence in sentences_of(section["content"]):
            if re.search(topic.looks, sentence, re.IGNORECASE):
                return sentence, section
    return None


async def introduction_for(
    retriever: KnowledgeRetriever, lead: str, text: str, focus: Focus, profile: DiverProfile
) -> Introduction | None:
    """What the course or place being booked is, from its own guide: its opening, and how
    long the course takes or when the place is best."""
    topic = TOPIC_BY_NAME[LEAD_TOPIC[lead]]
    if lead == "training":
        course = course_wanted(text, focus, profile)
        path = course and await course_guide(
            retriever, course, focus.get("agency") or profile.get("agency")
        )
        subject = COURSE_WORDS[course] if course else ""
        filters: dict = {"path": path}
    else:
        destination = focus.get("destination")
        path = destination if is_covered(destination) else None
        subject = place_name(destination) if path else ""
        filters = {"doc_type": "destination", "destination": destination}
    if not path:
        return None
    sections = await retriever.search(f"{subject} {topic.words}", k=GUIDE_SECTIONS, filters=filters)
    opening = next((p for p in sections if OPENING_SECTION.match(p["section"] or "")), None)
    if opening is None:
        return None
    chosen = first_sentences(sentences_of(opening["content"]))
    cited = [opening]
    extra = topic_sentence(sections, topic)
    if extra and extra[0] not in chosen:
        chosen.append(extra[0])
        cited.append(extra[1])
    return Introduction(" ".join(chosen), cited) if chosen else None
