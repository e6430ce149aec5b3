"""What the conversation is about, turn by turn: a place, a site, a course, and what about it.

The focus is read from the diver's words (no model call) and kept apart from the diver's
profile: the profile says who the diver is, the focus what they are asking about now.

- A place named after "from", "via" or "flying out of" is where the diver travels from,
  not where they want to dive ("how do I get to Komodo from Bali?").
- Two destinations joined by "or", "vs" or "compare" are weighed against each other.
- A named dive site resolves to its destination.
- A turn that names nothing keeps the last focus ("when is the best time to go there?"),
  and a turn that names a new place switches to it ("what about Redang instead?"), keeping
  the topic when the turn asks the same again ("what about the Perhentians?"); a turn
  that asks something of its own without a known topic ("what's Cape Kri like?") has none.
"""

from __future__ import annotations

import re

from typing_extensions import TypedDict

from chains.questions import TOPIC_BY_NAME, asks_the_same, spelled_out, topic_of, topics_of
from graph.courses import (  # noqa: F401 (names_a_person: read through here by the profile)
    COURSE_WORDS,
    courses_after,
    courses_asked_about,
    courses_held,
    names_a_person,
)
from graph.places import Gazetteer, Mention, covered_countries, fold, is_covered


class Focus(TypedDict, total=False):
    destination: str | None  # slug, or "uncovered:<name>" for a place the knowledge base lacks
    site: str | None  # name of a dive site with its own file
    site_path: str | None
    compare: list[str]  # destinations weighed against each other this turn
    origin: str | None  # where the diver travels from ("from Bali")
    course: str | None  # a course key: open_water, advanced_open_water, rescue, nitrox, …
    agency: str | None
    topic: str | None  # what about it: season, getting_there, cost, depth, …
    names_place: bool  # this turn named a destination or site of its own
    on_place: bool  # this turn is about the place in focus: named it, or leans on a turn that was
    elsewhere: bool  # this turn asks for places other than the one in focus ("where else?")
    # The guide the last answer was drawn from; kept while the turns name no other place or
    # course, so a follow-up on the same subject ("how deep can a 12 year old go?" after
    # the minimum age) can be answered from it (graph/passage_plan.py).
    document: str | None


# The course that usually follows a level held (a profile's certification_level).
NEXT_COURSE = {
    "none": "open_water",
    "open_water": "advanced_open_water",
    "advanced_open_water": "rescue",
    "rescue": "divemaster",
    "divemaster": "instructor",
}

AGENCY = re.compile(r"\b(padi|ssi|naui|cmas|bsac)\b", re.IGNORECASE)
# "from Bali", "flying via Singapore", "leaving from KL": where the diver travels from.
ORIGIN_CUE = re.compile(
    r"\b(from|via|through|out of|leaving|departing|based in|live in|living in|i'?m in|"
    # Where the diver has dived before is their experience, not where they are going.
    r"mostly in|dived in|dove in|dived mostly in|logged in)\s+"
    r"(the\s+)?$",
    re.IGNORECASE,
)
PRESENT_IN = re.compile(r"\b(i'?m|i am|im|we'?re|we are)\s+(now\s+)?in\s+(the\s+)?$", re.I)
COMPARISON = re.compile(r"\b(or|vs\.?|versus|compared? (to|with)|better)\b", re.IGNORECASE)
OPENS_COMPARISON = re.compile(r"^\W*(compare|which is better|which one is better)\b", re.I)
# A turn that only points back ("and there?", "what about the currents there?").
BACK_REFERENCE = re.compile(
    r"\b(there|that place|the island|it|this|that|those|them|these|same)\b", re.IGNORECASE
)
# What marks a turn as leaning on the last one (`leans_on_previous`).
LEANING_OPENER = re.compile(
    r"^\W*(and|also|or|but|so|then|plus|what about|how about|what if|same (for|with)|"
    r"(ok(ay)?|right|cool|great),? (and|so|but|what about|how about))\b",
    re.IGNORECASE,
)
LEANING_CLOSER = re.compile(r"\b(then|instead|too|as well|either)\W*$", re.IGNORECASE)
POINTING_BACK = re.compile(
    r"\b(there|it|its|they|them|their|those|these|the same|(this|that) (one|place|site|"
    r"course|dive|island|reef|wreck|trip|spot|option)|(this|that)\W*$|"
    r"(does|did|do|doing|is|was|will|would|about|for|with|like) that\b|"
    r"that (costs?|takes?|includes?|involves?|means?|needs?|sounds?)\b)",
    re.IGNORECASE,
)
# "this year", "last night", "these days": a time, not something said before.
TIME_REFERENCE = re.compile(
    r"\b(this|that|these|next|last)\s+(year|season|month|week|weekend|morning|afternoon|"
    r"evening|night|time|summer|winter|spring|autumn|fall|days)\b",
    re.IGNORECASE,
)
# "is it true that …", "it's raining", "is it safe to fly …": an "it" with nothing behind it.
DUMMY_REFERENCE = re.compile(
    r"\b((is|was|isn't|would|will|does) it|it(\s+is|'s|\s+was))\s+(\w+\s+){0,2}?(to|that)\b|"
    r"\b(is|was|would) it (be )?worth \w+ing\b|"
    # "it's been 14 months since my last dive": a time, not a thing said before.
    r"\bit('s| has| had) been\b(?=[^.?!]{0,30}\b(since|ago|months?|years?|weeks?|while)\b)",
    re.IGNORECASE,
)
# "Are there triggerfish that bite?", "there's a wreck nearby": a "there" that says
# something exists points at no place said before.
EXISTENTIAL_THERE = re.compile(
    # At the head of a clause: "which sites there are easy?" points back at a place.
    r"(^|[.,;:!?]\s*|\b(and|but|so|if|when|because|heard|hear|read|think|says?|said)\s+)"
    r"there\s*(is|are|was|were|'s|'re|’s|will be|would be|might be|has been|have been)\b|"
    r"\b(is|are|was|were|isn'?t|aren'?t|any)\s+there\b(?=\s+\w)",
    re.IGNORECASE,
)
# "They say never hold your breath", "do they let you dive with a cold?": a "they" that
# means people in general (instructors, shops, doctors) points at nothing said before.
GENERIC_THEY = re.compile(
    r"\bthey\s+(always\s+|usually\s+|often\s+)?(say|says|said|recommend|advise|reckon|claim)\b|"
    r"\bthey\s+(\w+\s+)?(let|make|allow|require|want|expect|teach|charge|check|ask|tell|"
    r"force|need)\s+(you|people|divers|anyone|everyone|someone|beginners|kids|children|"
    r"students|newbies)\b",
    re.IGNORECASE,
)
# "Where else could we go?", "somewhere other than Tioman", "where in Malaysia then?": the
# diver asks for places other than the one in focus (a country's name is checked apart).
# "Somewhere closer?", "anywhere near home": a place wanted for being near the diver is
# another place too, whatever the one in focus was.
ELSEWHERE = re.compile(
    r"\b(where else|somewhere else|anywhere else|elsewhere|other (places?|islands?|"
    r"destinations?|countries)|(where|somewhere|anywhere) (other than|besides|"
    r"apart from|except)|where in (the )?(?P<region>[a-z]+( [a-z]+)?)|"
    r"(somewhere|anywhere|someplace|places?|destinations?) (a bit |bit |more )?"
    r"(close|closer|near|nearer|nearby)|(close|closer|near|nearer) (to )?(home|me|us|"
    r"where (i|we) live))\b",
    re.IGNORECASE,
)
REGIONS = frozenset({"asia", "southeast asia", "south east asia", "se asia", "region"})
NEXT_STEP = re.compile(r"\bnext\b", re.IGNORECASE)
# "What's next?", "what should I do next?": the diver asks for their own next course ("next
# year" and "after it" are not this).
NEXT_FOR_ME = re.compile(
    r"\b(what'?s next|what next|(do|take|try|learn) next|next (step|steps|course|level)|"
    r"next for me)\b|\bnext\W*$",
    re.IGNORECASE,
)
# A diver back after a long break wants a refresher, though the course is not named.
LAPSED = re.compile(
    r"\b(months|years|a while|a long time|ages) since (my|our|i|we) (last )?"
    r"(dive|dived|dove|went diving)\b|\bhaven'?t (dived|dove|been diving)\b|"
    r"\b(rusty|out of practice)\b",
    re.IGNORECASE,
)


# "Can't find my PADI card anywhere", "also I lost the card ages ago": the card itself is
# what the turn is about, whatever course it certifies.
MISSING_CARD = re.compile(
    r"\b(lost|lose|losing|misplaced|can'?t find|cannot find|couldn'?t find|replace\w*)\b"
    r"[^.?!]{0,25}\b(card|cert|certification|c-?card|e-?card|licen[cs]e)s?\b|"
    r"\b(card|cert|c-?card)s?\b[^.?!]{0,20}\b(lost|missing|gone|stolen)\b",
    re.IGNORECASE,
)


def about_a_missing_card(text: str) -> bool:
    """Whether the turn asks about a certification card lost or missing: its own guide
    answers, not the guide of the course the card is for (or of the refresher a lapsed
    diver is after), whose title would pull the search away from it."""
    return bool(MISSING_CARD.search(text))


def _destinations(mentions: list[Mention], text: str) -> tuple[list[Mention], list[Mention]]:
    """(places the diver asks about, places they travel from)."""
    wanted, origins = [], []
    for mention in mentions:
        before = text[max(0, mention.start - 30) : mention.start]
        # "I'm in Tioman this week": a dive place the knowledge base covers, where the
        # diver is, is where they dive ("I'm in KL" is where they travel from).
        here = PRESENT_IN.search(before) and is_covered(mention.slug)
        (origins if ORIGIN_CUE.search(before) and not here else wanted).append(mention)
    return wanted, origins


def asks_for_other_places(text: str) -> bool:
    """Whether the turn asks for places other than the one in focus: "where else?", or
    where in a whole country or region ("where in Malaysia can I dive in November then?")
    and not where within the place ("where in Tioman are the turtles?")."""
    for match in ELSEWHERE.finditer(text):
        region = match.group("region")
        if region is None:
            return True
        words = region.lower().split()
        countries = covered_countries() | REGIONS
        if " ".join(words) in countries or words[0] in countries:
            return True
    return False


def update_focus(previous: Focus | None, text: str, gazetteer: Gazetteer) -> Focus:
    """The focus after one user message."""
    old: Focus = dict(previous or {})  # type: ignore[assignment]
    focus: Focus = {
        "destination": old.get("destination"),
        "site": old.get("site"),
        "site_path": old.get("site_path"),
        "compare": [],
        "origin": old.get("origin"),
        "course": old.get("course"),
        "agency": old.get("agency"),
        # A turn that asks something of its own ("what's Cape Kri like?", "how many dives
        # are in it?") does not inherit the last turn's topic; one that asks the same again
        # about something else ("and Sipadan?") does.
        "topic": _topic(text, old.get("topic")),
        "names_place": False,
        # "How much does it cost?" after "Do I need insurance?" leans on the insurance, not
        # on the place named two turns before.
        "on_place": bool((old.get("names_place") or old.get("on_place")) and follows_on(text)),
    }
    wanted, origins = _destinations(gazetteer.mentions(text), text)
    # A place named is where the turn asks about, however it says so.
    focus["elsewhere"] = not wanted and asks_for_other_places(text)
    if origins:
        focus["origin"] = origins[-1].alias
    if wanted:
        focus["names_place"] = focus["on_place"] = True
        slugs = list(dict.fromkeys(m.slug for m in wanted))
        # "Komodo or Raja Ampat?": the word that weighs them stands between the places;
        # the "or" of "is Sipadan ok for me or too much?" weighs something else.
        between = text[wanted[0].start : wanted[-1].start]
        if len(slugs) > 1 and (COMPARISON.search(between) or OPENS_COMPARISON.search(text)):
            focus["compare"] = slugs
        # The first place of a comparison leads, the first the knowledge base covers if any
        # ("Bali or Komodo?" is answered on Komodo, Bali named as not covered); otherwise
        # the place named last.
        covered = [m for m in wanted if is_covered(m.slug)]
        lead = (covered or wanted)[0] if focus["compare"] else wanted[-1]
        focus["destination"] = lead.slug
        site = next((m.site for m in reversed(wanted) if m.site), None)
        if site and site.destination == lead.slug:
            focus["site"], focus["site_path"] = site.name, site.path
        elif lead.slug != old.get("destination") or not site:
            focus["site"] = focus["site_path"] = None
    # "I'm a BSAC Ocean Diver. What's that equal to?" is about the card held, and so is
    # "how deep can I go with it?" after it; a course asked about comes first.
    asked = courses_asked_about(text)
    held = courses_held(text)
    courses = asked or held
    if held and asked and topic_of(text) == "equivalence":
        # "I'm a BSAC Ocean Diver. Is that the same as PADI Open Water?" asks what the card
        # held counts as: its own guide says, and the course it is weighed against is known.
        courses = held
    if LAPSED.search(text) and not asked:
        # "Got my OW in 2021 and haven't dived since. Do I need the whole course again?"
        courses = ["refresher"]
    if courses:
        focus["course"] = courses[0]
    after = courses_after(text)
    if after and not asked and after[-1] in NEXT_COURSE:
        # "What's the SSI course I'd need after OW?" asks about the course that follows it.
        focus["course"] = NEXT_COURSE[after[-1]]
    # A place or a course of its own is another subject: the last answer's guide is not its.
    if not wanted and (not asked or asked == [old.get("course")]):
        focus["document"] = old.get("document")
        # "Can I see threshers somewhere in that area?" answered from Monad Shoal's page,
        # then "is that ok with just OW?": the turn that points back is about that site.
        site = gazetteer.site_at(focus["document"])
        if (
            site
            and not focus["site_path"]
            and site.destination == focus["destination"]
            and leans_on_previous(text)
        ):
            focus["site"], focus["site_path"] = site.name, site.path
    agency = AGENCY.findall(text)
    if agency:
        focus["agency"] = agency[-1].upper()
    return focus


def _topic(text: str, previous: str | None) -> str | None:
    """What the turn asks about: its own topic, or the last one when it asks the same again.

    "And for Divemaster after that?" names the course that comes after: it asks the last
    question again about that course, not what comes next.
    """
    own = _asked_topic(text)
    same = asks_the_same(text)
    if own == "next_step" and same and courses_asked_about(text):
        return previous
    return own or (previous if same else None)


def _asked_topic(text: str) -> str | None:
    """The topic the turn asks about. "I'm OW certified, heading to Koh Tao next month. Can
    I dive Chumphon Pinnacle?" asks whether the site suits the diver: a month said in the
    story before the question tells when the trip is, and makes the question one about
    the season when the question itself speaks of time ("is it good in March?") or asks
    nothing of its own ("is that a good time?")."""
    topics = [topic.name for topic in topics_of(text)]
    sentences = _sentences(text)
    if "season" in topics and len(sentences) > 1:
        # The question is the last sentence that asks something; the last one may lack its
        # question mark ("… should I do nitrox first? how long does that course take").
        candidates = [sentences[-1], *reversed([s for s in sentences if s.endswith("?")])]
        asked = next(([t.name for t in topics_of(s)] for s in candidates if topics_of(s)), [])
        if asked and "season" not in asked:
            return asked[0]
    return topics[0] if topics else None


def with_next_course(focus: Focus, text: str, level: str | None) -> Focus:
    """ "What's next?" from a diver who holds a level puts the course after it in focus, so
    "what do I need before starting it?" and "book it for me" are about that course."""
    if not level or not NEXT_FOR_ME.search(text) or courses_asked_about(text):
        return focus
    course = NEXT_COURSE.get(level)
    return {**focus, "course": course} if course else focus


def follows_on(text: str) -> bool:
    """Might the turn lean on the last one for its subject? A loose reading: when in doubt,
    yes (the emergency gate holds on it). Routing uses `leans_on_previous`."""
    words = text.split()
    return len(words) <= 4 or (len(words) <= 14 and bool(BACK_REFERENCE.search(text)))


def leans_on_previous(text: str) -> bool:
    """Does the turn need the previous one to be understood?

    Yes for an elliptical follow-up ("and for kids?", "what about the price?", "what should
    I wear then?") and for a turn that points back ("how much do they cost?", "is that
    one OK for me?"). No for a self-contained question, even a short one on another
    subject: "this year", "last night" point at a time, and the "it" of "is it true that"
    points at nothing.
    """
    words = text.split()
    if not words:
        return False
    if len(words) <= 4 or LEANING_OPENER.match(text) or LEANING_CLOSER.search(text):
        return True
    if len(words) > 14:
        return False
    pointing = DUMMY_REFERENCE.sub(" ", TIME_REFERENCE.sub(" ", text))
    return bool(POINTING_BACK.search(pointing))


# Words after an "and …" opener enough to carry a subject of their own.
OWN_SUBJECT_WORDS = 8


def names_its_own_subject(text: str) -> bool:
    """ "and what am I supposed to do if I get separated from my buddy?" opens like a
    follow-up, yet says all it asks about: nothing in it points back."""
    rest = LEANING_OPENER.sub(" ", text, count=1)
    if len(rest.split()) < OWN_SUBJECT_WORDS or LEANING_CLOSER.search(rest):
        return False
    return not POINTING_BACK.search(pointing_words(rest))


def pointing_words(text: str) -> str:
    """The text without the words that only look as if they pointed back: "heard there are
    triggerfish that bite??" says what exists, not where; "is it worth going" and "this
    year" point at nothing said before; "they say …" means people in general; the "that"
    of "my mask squeezes my face on the way down, is that normal?" is the turn's own."""
    kept = EXISTENTIAL_THERE.sub(" ", DUMMY_REFERENCE.sub(" ", TIME_REFERENCE.sub(" ", text)))
    return _without_self_reference(GENERIC_THEY.sub(" ", kept))


# "…, is that normal?", "… Is that a problem?": asked of what the turn itself just said.
SELF_REFERENCE = re.compile(
    r"[,.;:!?-]?\s+(is|was|would|will|isn'?t|wasn'?t)\s+(that|this)\b", re.IGNORECASE
)


def _without_self_reference(text: str) -> str:
    """`text` without an "is that" that follows a clause of its own (STORY_WORDS words or
    more before it), which it asks about."""
    kept, start = [], 0
    for match in SELF_REFERENCE.finditer(text):
        if len(text[: match.start()].split()) >= STORY_WORDS:
            kept.append(text[start : match.start()])
            start = match.end()
    return " ".join([*kept, text[start:]])


# What a place is like, as against what a course or a card is.
PLACE_TOPICS = frozenset(
    {"suitability", "season", "getting_there", "temperature", "visibility", "marine_life"}
)


def names_the_place_in_passing(text: str, destination: str, route: str | None = None) -> bool:
    """ "My son got his card in Florida. Is that the same as PADI Junior Open Water?", "can
    he do PADI advanced at his age? we're going to Cozumel": the question asks about a
    course or a card, and the place is named in another sentence, as where it happens.
    So does a safety question after a story told somewhere ("my friend got bent last year
    in Bali. what are the symptoms to look out for?"): how the body or a procedure works
    is the same anywhere. "Do I need the Advanced course to dive Tubbataha?" asks what the
    place needs, and whether a place suits the diver, its season or its sea life are the
    place's."""
    question = _last_question(text)
    if not question:
        return False
    name = destination.split(":", 1)[-1]
    named = courses_asked_about(question) or courses_held(question) or route == "safety"
    place_topics = {topic.name for topic in topics_of(question)} & PLACE_TOPICS
    return name not in fold(question).lower() and bool(named) and not place_topics


def _last_question(text: str) -> str | None:
    """The last of several sentences that asks something, if the message has several."""
    sentences = _sentences(text)
    questions = [s for s in sentences if s.endswith("?")]
    return questions[-1] if len(sentences) > 1 and questions else None


def about_uncovered_place(focus: Focus, text: str, route: str) -> str | None:
    """The uncovered place this turn is about, if it is about one."""
    destination = focus.get("destination")
    if not destination or is_covered(destination) or focus.get("elsewhere"):
        return None
    if route != "trip" and names_the_place_in_passing(text, destination, route):
        return None
    if focus.get("names_place"):
        return destination
    if route == "trip" or (follows_on(text) and focus.get("on_place", True)):
        return destination
    return None


def uncovered_place_aside(focus: Focus, text: str, route: str) -> str | None:
    """The uncovered place this turn names in passing while it asks about something the
    knowledge base covers (`names_the_place_in_passing`), or weighs against a covered place:
    the answer says once, plainly, that the place itself is not covered."""
    destination = focus.get("destination")
    if not focus.get("names_place") or not destination:
        return None
    if is_covered(destination):
        # "Komodo or Tofo for mantas?": Komodo is answered, and Tofo said not to be covered
        # rather than silently dropped.
        weighed = [d for d in focus.get("compare") or [] if not is_covered(d)]
        return weighed[0] if weighed else None
    return None if about_uncovered_place(focus, text, route) else destination


def search_query(
    text: str,
    focus: Focus,
    route: str,
    *,
    place: str | None = None,
    level: str | None = None,
    previous_question: str | None = None,
) -> str:
    """The turn's words plus what the focus says they are about: deterministic, no model.

    `place` is the focus destination's display name; `level` the diver's certification,
    added where the answer depends on it; `previous_question` is added when the turn leans
    on the last one and the focus has nothing to anchor it.
    """
    # What the turn is about (a place, a site, a course) anchors it; the words of what it
    # asks ("depth metres") do not: "how deep would she go in that?" after a question on
    # children's first dives is still about those dives.
    anchors: list[str] = []
    asks: list[str] = []
    topic = TOPIC_BY_NAME.get(focus.get("topic") or "")
    if route == "trip":
        # A turn that asks for other places is not about the place in focus.
        here = not focus.get("names_place") and not focus.get("elsewhere")
        if focus.get("site") and here:
            anchors.append(str(focus["site"]))
        if place and here:
            anchors.append(place)
        if topic:
            asks.append(topic.words)
        if level and topic and topic.name == "suitability":
            asks.append(level.replace("_", " "))
    elif route == "certification":
        course = focus.get("course")
        if course and _names_only_by_other_words(text, course) and not about_a_missing_card(text):
            anchors.append(COURSE_WORDS[course])
        # "which of those would you pick for me?" after "what should I do next?" is still
        # about the next course; "how long does it take?" asks about that course itself.
        asks_next = NEXT_STEP.search(text) or (
            previous_question
            and leans_on_previous(text)
            and NEXT_STEP.search(previous_question)
            and not topic_of(text)
        )
        if asks_next and level:
            anchors.append(f"choosing your next course after {level.replace('_', ' ')}")
        elif course and topic and topic.name == "next_step":
            # "What comes after it?" about a course, from a diver whose level is unknown.
            anchors.append(f"next steps after the {COURSE_WORDS[course]}")
        if topic and topic.name in ("cost", "duration", "age", "depth", "requirements"):
            asks.append(topic.words)
    extras = anchors + asks
    # "What's Cape Kri like?" names its own subject: the last question is not added to it.
    # "how soon after a dive do they show up?" points back with "they" as much as with "it".
    leans = (
        (follows_on(text) or leans_on_previous(text))
        and not names_its_own_subject(text)
        and not _tells_its_own_story(text)
    )
    if not anchors and not focus.get("names_place"):
        if place and route != "trip" and points_back_only_at_a_place(text):
            # "Do I need special insurance for a liveaboard out there?" after a question
            # on a site: "there" is the place in focus, not the last question's subject.
            extras.append(place)
        elif previous_question and leans:
            extras.append(previous_question)
    # The long forms of the turn's short ones ("SMB") come first, and anchor nothing; the
    # question a longer message ends on weighs twice (see `asked_sentence`).
    return " ".join([text, *spelled_out(text), *asked_sentence(text), *extras])


# Words that point back at a place ("out there", "the island"), not at what was asked.
PLACE_POINTER = re.compile(
    r"\b((out|over|up|down|around) there|there|that place|this place|the island|that island|"
    r"the area|that area|this area)\b",
    re.IGNORECASE,
)


def points_back_only_at_a_place(text: str) -> bool:
    """Whether the turn's only words pointing back name the place in focus ("do I need
    special insurance for a liveaboard out there?")."""
    pointing = pointing_words(text)
    if not PLACE_POINTER.search(pointing):
        return False
    return not POINTING_BACK.search(PLACE_POINTER.sub(" ", pointing))


def _tells_its_own_story(text: str) -> bool:
    """ "Last month I ran low on air at 15 m and shot up to the surface. I was fine after.
    What should I have done instead?": a story of its own before the question says what
    the question is about; the last question is not."""
    question = asked_sentence(text)
    if not question:
        return False
    story = text.replace(question[0], " ")
    return len(story.split()) >= OWN_SUBJECT_WORDS


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Words a sentence of the diver's story needs to pull the search away from the question.
STORY_WORDS = 4


def asked_sentence(text: str) -> list[str]:
    """The question a message of several sentences asks, when it names its own subject.

    "My instructor says I'm overweighted and that's why I burn through air. How do I check
    my weighting?": the story before the question shares more words with a guide on air
    consumption than the question does with the one on weighting. Said again, the
    question weighs as much as the story in the query's vector. A question that points
    back into the story ("do they see this like Advanced?") is not said alone.
    """
    sentences = _sentences(text)
    questions = [s for s in sentences if s.endswith("?")]
    if len(sentences) < 2 or not questions:
        return []
    story = [s for s in sentences if s is not questions[-1]]
    if sum(len(s.split()) for s in story) < STORY_WORDS or BACK_REFERENCE.search(questions[-1]):
        return []
    return [questions[-1]]


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def _names_only_by_other_words(text: str, course: str) -> bool:
    """Whether the course in focus is meant without its guide's own name in the turn: not
    named at all ("how long does it take?"), or named the diver's way ("a trial dive",
    "AOW"), which shares no word with the guide's title. A turn naming other courses
    asks about those; one naming the card it holds by its own name ("got my PADI open
    water in 2009 but lost the card") has it in its words already, and its guide's title
    would pull the search towards the course itself."""
    named = courses_asked_about(text)
    if not named and course in courses_held(text):
        named = [course]
    if not named:
        return True
    own_name = " ".join(COURSE_WORDS[course].lower().split()[:2])
    return named == [course] and own_name not in text.lower()


def metadata_filters(focus: Focus, route: str) -> dict:
    """The retriever's filters for this turn."""
    if route == "trip":
        filters: dict = {"doc_type": ["destination", "dive_site"]}
        covered = [d for d in focus.get("compare") or [] if is_covered(d)]
        if focus.get("elsewhere"):
            # "Where else?": the place in focus is the one the diver looks beyond.
            return filters
        if covered:
            filters["destination"] = covered
        elif is_covered(focus.get("destination")):
            filters["destination"] = focus["destination"]
        return filters
    if route == "certification":
        return {"doc_type": "certification"}
    if route == "safety":
        return {"doc_type": ["safety", "general"]}
    if route == "general" and not focus.get("destination"):
        # A question about gear or technique with no place in view is not answered from a
        # destination guide that happens to share a word ("beginners").
        return {"doc_type": ["general", "safety", "certification"]}
    return {}
