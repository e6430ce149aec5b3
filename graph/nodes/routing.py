"""Route the turn to one agent and build its search query from the turn and the focus."""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from chains.questions import topic_of, topics_of
from graph.context import Context, context_of
from graph.focus import (
    Focus,
    courses_asked_about,
    courses_held,
    leans_on_previous,
    metadata_filters,
    search_query,
    update_focus,
    with_next_course,
)
from graph.leads import BOOKING
from graph.nodes.safety_gate import earlier_user_texts, last_user_text
from graph.places import Gazetteer, is_covered, place_name
from graph.profile import update_profile
from graph.routing.router import (
    COURSE_SHORT_NAMES,
    PLACE_REFERENCE,
    SUBJECT_CHANGE,
    TAKES_A_COURSE,
    UNSURE_MARGIN,
    WHERE_WORDS,
    RouteDecision,
    TurnRouter,
    changes_subject_off_diving,
    cued_routes,
    names_subject,
)
from graph.state import ChatState, DiverProfile

AGENT_FOR_ROUTE = {
    "certification": "certification_agent",
    "trip": "trip_agent",
    "safety": "safety_agent",
    "general": "general_agent",
    "off_topic": "off_topic_reply",
}
# Whether a named place or site suits the diver is a trip question, whatever card is named.
PLACE_QUESTION = re.compile(
    r"\b(can i (dive|do|visit|see)|ok|okay|suit\w*|good for|my level|my card|"
    r"with my|dive (it|there)|worth it|which sites|what sites|how deep|when|"
    r"possible|doable|allowed|qualified|enough|(this|that) (card|cert\w*|level)|"
    # "What are the Abu Nuhas wrecks like for someone rusty?", "SS Yongala - advanced only?"
    r"what('?s| is| are) [^.?!]{0,40}\blike|let (me|us) (in|dive|go|join)|"
    r"(advanced|experienced|open water|aow|ow|beginners?|certified)( divers?)? only)\b",
    re.IGNORECASE,
)
# What becomes of a card itself (lost, replaced, accepted, still valid) is a certification
# question wherever the diver is: "will the shops there accept my card?".
CARD = r"(card|cards|cert|certs|certification|licen[cs]e|ecard)"
CARD_FATE = r"(lost|lose|replace\w*|accept\w*|recogni[sz]\w*|valid|expire\w*|can'?t find)"
CARD_STATUS = re.compile(
    rf"\b{CARD}\b[^.?!]{{0,40}}\b{CARD_FATE}\b|\b{CARD_FATE}\b[^.?!]{{0,40}}\b{CARD}\b",
    re.IGNORECASE,
)
# A course the diver means to take somewhere: "can I do my advanced during a Komodo
# liveaboard?", "is Koh Tao a good place to do divemaster training?".
TAKES_COURSE = re.compile(
    TAKES_A_COURSE + r"|\b(do|doing|take|taking|finish|complete|start|sign up for|book)\b"
    r"[^.?!]{0,25}\b(course|training|certification)\b",
    re.IGNORECASE,
)
# Where to dive after a course is the place's question: "which Tioman sites after that?".
PLACES_AFTER = re.compile(
    r"\b(which|what) (\w+ ){0,2}(sites?|destinations?|places?|islands?|spots?)\b|"
    r"\bwhere (else|to go|should (i|we) go)\b|\bafter (that|it|the course|certification)\b",
    re.IGNORECASE,
)
# "Can she go to 30m with her level?": a depth asked as a figure.
DEPTH_GOAL = re.compile(
    r"\b(go|dive|descend|get) (down )?(to|below|beyond|past) \d+ ?(m|metres|meters|ft|feet)\b",
    re.IGNORECASE,
)
# "Can I do that in Tioman?" right after a question on a course: the course, done there.
DOES_IT = re.compile(
    r"\b(do|take|finish|complete|start|book) (it|that|this|one|them|the course)\b", re.IGNORECASE
)
# "Where on Tioman would she do it?" asks for a place, whatever is done there.
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
# Working as a dive professional somewhere is a question of the professional levels.
PRO_WORK = re.compile(
    r"\b(instructors?|divemasters?|dms?|dive (pros?|guides?))\b[^.?!]{0,30}"
    r"\b(jobs?|work(ing)?|career|salary|salaries|pay(ing|s)?|earn\w*|hired|hiring)\b|"
    r"\b(jobs?|work(ing)?|career) (as|for) an? (instructor|divemaster|dive (pro|guide))\b",
    re.IGNORECASE,
)
# A water temperature the diver states ("thermoclines around 24-26 °C", "28 degree water"):
# the question is what to wear in it, not what the place is like.
STATED_TEMPERATURE = re.compile(
    r"\b\d{1,2}(\s?[-–]\s?\d{1,2})?\s?(°\s?c?|degrees?\b|c\b)", re.IGNORECASE
)
# Doing or finishing a course somewhere: a course question even when a place is named.
COURSE_REQUEST = re.compile(
    r"\b(course|courses|class|classes|training|referral|upgrade|get certified|"
    r"(do|finish|take|complete) (my|the|an?) " + COURSE_SHORT_NAMES + r")\b",
    re.IGNORECASE,
)
# "after the course", "once I'm certified": a course named as a time, not one asked for.
COURSE_AS_A_TIME = re.compile(
    r"\b(after|before|once|during|when) (i finish |she finishes |he finishes |we finish )?"
    r"(my |her |his |our |the |their )?"
    r"(course|training|certification|(being |getting )?certified)\b",
    re.IGNORECASE,
)
# "does nitrox help with it?", "would a hood fix that?": something asked as a remedy for the
# problem the last turn raised.
REMEDY_FOR_IT = re.compile(
    r"\b(help|helps|fix|fixes|cure|cures|prevent|prevents|reduce|reduces|stop|stops)"
    r"( with)? (it|that|this|them)\b",
    re.IGNORECASE,
)
# What a course costs, how long it takes, from what age, what it equals and what follows it.
COURSE_TOPICS = {"cost", "duration", "age", "equivalence", "next_step"}
# A turn that calls the course it asks about a course ("the wreck specialty").
COURSE_NAMED = re.compile(
    r"\b(course|courses|specialty|specialties|class|classes|electives?|adventure dives)\b",
    re.IGNORECASE,
)
# The diver's health: a question about it is safety's, even asked about a course ("do I
# need a doctor to sign something for the course?"); a course's medical form to fill in is
# the course's paperwork.
HEALTH = re.compile(
    r"\b(doctors?|physicians?|asthma\w*|diabet\w*|epilep\w*|heart|blood pressure|pregnan\w*|"
    r"medications?|meds|surgery|c-section|caesarean|(give|gave|giving) birth|childbirth|"
    r"after (the )?birth|postpartum|post-partum|breastfeed\w*|injur\w*|illness|health|fitness|"
    r"inhaler|insulin|seizures?|hypertension|cardiac|migraine\w*|antidepress\w*|ssris?|"
    r"sertraline|antihistamine\w*|malaria|beta.?blockers?|sea ?sick\w*|motion sick\w*|nause\w*|"
    r"(fit|fit enough|physically fit) (to|for)\b)",
    re.IGNORECASE,
)
# What a booking or a shop is asked for: a course or a try-dive is training, wherever it is.
TRAINING_WANTED = re.compile(
    r"\b(course|courses|certif\w*|training|lessons?|teach\w*|upgrade|"
    r"try[- ]?dives?|discover scuba|dsd|bubblemaker|" + COURSE_SHORT_NAMES + r")\b",
    re.IGNORECASE,
)
# Diving booked for itself rather than a course: "a 4-night liveaboard", "6 fun dives".
DIVING_BOOKED = re.compile(
    r"\b(liveaboards?|fun div\w*|dive (trip|days?|package)|boat dives|resort)\b", re.IGNORECASE
)
# "What does X mean?": a word's meaning, asked about whatever the conversation is on.
MEANING = re.compile(
    r"\bwhat (does|do|is) .{1,40} (mean|stand for)\b|\bwhat does (that|it|this) mean\b",
    re.IGNORECASE,
)
# "See this like Advanced", "treat my card as AOW": what a card counts as.
SEEN_AS = re.compile(
    r"\b(see|sees|treat|treats|view|views|regard|regards|take|takes) (this|it|that|them|"
    r"my( [\w-]+){1,3}) (like|as)( an?)?\b",
    re.IGNORECASE,
)
# What a course takes: asked of a named course, it is the course's question.
COURSE_NEEDS = {"requirements", "cost", "duration", "age"}
# What a diver asks about a place they are already talking about.
PLACE_TOPICS = ("temperature", "visibility", "season", "getting_there", "depth", "marine_life")
# What only a place has: a course has a depth limit, not a season.
PLACE_ONLY_TOPICS = {t for t in PLACE_TOPICS if t != "depth"}
# A router margin this wide means the turn is off-topic on its own words.
SURE_OFF_TOPIC = 2 * UNSURE_MARGIN
# The follow-up reader overrules the history rules only when it is this sure (a chance of
# keeping the route at most this, or at least 1 minus this): on the context bank, each
# kind of follow-up read by a reader fitted on the others, its readings this sure were
# right 98% of the time, all its readings 94% (python -m evals.route_context).
SURE_READING = 0.2


def settle_route(
    decision: RouteDecision,
    text: str,
    focus: Focus,
    previous: str | None,
    history_rules: bool = True,
) -> str:
    """The router's choice, corrected by what the focus knows.

    The previous turn's subject carries over only to a turn that leans on it (an
    elliptical follow-up, a pronoun, "what about …"); a self-contained question on another
    subject, or a greeting or thanks, keeps its own route.
    """
    route = decision.route
    if decision.reason == "small talk":
        return route
    # "I get seasick and we're on a Komodo liveaboard next month, tips?": the diver's health
    # outweighs the place or course it is asked about.
    if route in ("certification", "trip") and HEALTH.search(text):
        return "safety"
    # "What does 'AOW' mean?" asks for a word's meaning, though the word is a course's.
    if route in ("certification", "trip") and MEANING.search(text):
        return "general"
    if route == "certification" and CARD_STATUS.search(text):
        return route
    if route == "trip" and (asks_about_a_course(text, focus) or takes_a_course(text)):
        return "certification"
    if (
        route == "trip"
        and previous == "certification"
        and focus.get("course")
        and DOES_IT.search(text)
        and not PLACES_AFTER.search(text)
        and not WHERE.search(text)
    ):
        return "certification"
    names_place = bool(focus.get("names_place"))
    # "Can you find us a shop there that teaches kids?": a booking is for what it books, and
    # "ok sign me up" right after a course question books the course, unless it names
    # diving of its own ("a quote for a 4-night liveaboard").
    if (
        route == "trip"
        and BOOKING.search(text)
        and (
            TRAINING_WANTED.search(text)
            or (
                previous == "certification"
                and focus.get("course")
                and not names_place
                and not DIVING_BOOKED.search(text)
            )
        )
    ):
        return "certification"
    # "ok and Chumphon Pinnacle, could I go there after my OW?" after a question on
    # stonefish: a place of its own, asked whether it suits, is not the last turn's risk.
    if (
        names_place
        and route == "safety"
        and decision.used_history
        and "safety" not in cued_routes(text)
        and not HEALTH.search(text)
        and PLACE_QUESTION.search(text)
    ):
        return "trip"
    if names_place and route in ("certification", "general", "off_topic"):
        # A course taken on holiday stays a course ("can I do my AOW in the Maldives?"), as
        # does a shop there booked for training (a booking is for what it books), and
        # surfing in Bali stays off-topic.
        keeps_route = (
            route == "certification"
            and (
                COURSE_REQUEST.search(text)
                or PRO_WORK.search(text)
                or (BOOKING.search(text) and TRAINING_WANTED.search(text))
                # What a course costs or lasts, wherever it is done (as for a trip above).
                or asks_about_a_course(text, focus)
            )
        ) or (
            route == "off_topic"
            and ("off_topic" in cued_routes(text) or changes_subject_off_diving(text))
        )
        if not keeps_route and (route != "certification" or PLACE_QUESTION.search(text)):
            return "trip"
    if route == "trip" and asks_what_a_card_counts_as(text):
        return "certification"
    if (
        route == "trip"
        and not names_place
        and not focus.get("on_place")
        and not PLACE_REFERENCE.search(text)
        and (topic_of(text) == "depth" or DEPTH_GOAL.search(text))
        and (courses_held(text) or courses_asked_about(text))
    ):
        # "I have the Niveau 2, in Asia how deep am I allowed?": the depth limit of a level,
        # where no destination or site is named or pointed at, is the level's.
        return "certification"
    if (
        route == "safety"
        and not HEALTH.search(text)
        and asks_what_a_course_takes(text, focus, previous)
    ):
        # "What first aid do I need before the Rescue course?" asks what the course takes.
        return "certification"
    if route == "general" and MEANING.search(text):
        # "What does a negative entry mean?" asks for a word's meaning wherever it was heard.
        return route
    # "How long does the boat take to get there?", "which card do they ask for this wreck?":
    # about the place in focus, whatever the previous turn was about.
    # An explicit change of subject ("unrelated but …") leaves the place behind.
    switched = bool(SUBJECT_CHANGE.search(text))
    if (
        route in ("certification", "general")
        and not switched
        and is_covered(focus.get("destination"))
        and PLACE_REFERENCE.search(text)
        # "any easy site there after the course?": a course named as a time asks for none.
        and not COURSE_REQUEST.search(COURSE_AS_A_TIME.sub(" ", text))
        and (not courses_asked_about(text) or suits_my_level(text))
        # "so I get the advanced there before, how long is it?" asks about the
        # course, as it would had the router read it as a trip (the rule above).
        and not asks_about_a_course(text, focus)
    ):
        return "trip"
    if not history_rules:
        return route
    leans = leans_on_previous(text)
    # "does nitrox help with that?" after narcosis at depth: a remedy asked for the problem
    # just raised is a question on that problem; "would Peak Performance Buoyancy help with
    # that? how long is it?" asks about the course.
    if (
        previous in ("safety", "general")
        and route != previous
        and REMEDY_FOR_IT.search(text)
        # "is there a course that helps with this?" asks for a course.
        and not COURSE_NAMED.search(text)
        and not asks_about_a_course(text, focus)
        and not switched
    ):
        return previous
    follow_up = follow_up_of_a_place_or_course(route, text, focus, previous)
    if follow_up:
        return follow_up
    # "What does it usually cover?" after "how much does it cost?" about insurance: a
    # follow-up that names no subject of its own stays with the conversation's subject,
    # however its few words read alone.
    if (
        previous in ("certification", "trip", "safety", "general")
        and route != previous
        and route != "off_topic"
        and decision.used_history
        and leans
        and not cued_routes(text)
        # "and after the birth, how long before I can dive again?" names the diver's health.
        and not HEALTH.search(text)
        # "so I get the advanced there before, how long is it?" names its course.
        and not courses_asked_about(text)
    ):
        return previous
    # "how much do they cost?" after a gear or course question is not off-topic; a turn
    # that is plainly off-topic on its own words stays so, whatever came before.
    if (
        route == "off_topic"
        and previous in AGENT_FOR_ROUTE
        and previous != "off_topic"
        and leans
        and decision.confidence < SURE_OFF_TOPIC
        and "off_topic" not in cued_routes(text)
    ):
        return previous
    # "can I at least snorkel then?" after a question on pregnancy: a turn that leans on the
    # last one and is unsure on its own words stays with the conversation's subject; one
    # that leans on the place in focus ("is there a wreck there I can do as open water?"
    # after the course's price on that island) and reads as the place's stays the place's.
    if (
        previous in ("certification", "trip", "safety", "general")
        and route not in (previous, "off_topic")
        and leans
        and not switched
        and decision.confidence < UNSURE_MARGIN
        and not (
            route == "trip"
            and is_covered(focus.get("destination"))
            and PLACE_REFERENCE.search(text)
        )
    ):
        return previous
    return route


def reconsider_follow_up(
    decision: RouteDecision,
    route: str,
    keeps: float,
    text: str,
    focus: Focus,
    previous: str,
) -> str:
    """The settled `route` of a follow-up, overruled by the follow-up reader
    (graph/routing/follow_up.py) when it is sure that the turn keeps the previous route
    (the rules changed it: "and the oslob whale sharks, worth it?" after a trip stays a
    trip) or takes its own (the rules kept it). The product's tie-breaks still apply to
    the reader's choice, and a follow-up on a place or a course that they settle is left
    to them."""
    settled = settle_route(decision, text, focus, previous, history_rules=False)
    if follow_up_of_a_place_or_course(settled, text, focus, previous) or (
        previous == "trip"
        and decision.route == "trip"
        and decision.used_history
        and PLACE_REFERENCE.search(text)
    ):
        return route
    if route == previous and keeps <= SURE_READING:
        return settle_route(decision.alone(), text, focus, previous, history_rules=False)
    if route != previous and keeps >= 1 - SURE_READING:
        kept = decision.kept(previous)
        return settle_route(kept, text, focus, previous, history_rules=False)
    return route


def follow_up_of_a_place_or_course(
    route: str, text: str, focus: Focus, previous: str | None
) -> str | None:
    """The product's tie-breaks for a follow-up: what a course costs or lasts, asked after
    the course, is the course's ("what does it cost in Malaysia?"); what a place is like or
    whether it suits the diver, asked after the place, is the place's ("Do I need a thick
    wetsuit?"). None when neither applies."""
    leans = leans_on_previous(text)
    switched = bool(SUBJECT_CHANGE.search(text))
    # "What does it cost in Malaysia?", "can you connect me with a centre to book it?" after
    # a course: a follow-up on the course that names no destination is the course's, though
    # a country or a booking reads like a trip. What a place is like stays the place's.
    if (
        route == "trip"
        and previous == "certification"
        and focus.get("course")
        and (leans or asks_what_it_takes_of_nothing_named(text))
        and not focus.get("names_place")
        and not PLACE_REFERENCE.search(text)
        and topic_of(text) not in PLACE_ONLY_TOPICS
    ):
        return "certification"
    # "Do I need a thick wetsuit?" or "is it OK for an Open Water diver?" right after a
    # question about a place asks about that place.
    if (
        previous == "trip"
        and is_covered(focus.get("destination"))
        and route != "safety"
        and not switched
    ):
        topic = topic_of(text)
        # "how deep do they go?" after a wreck site is about the site, not a course's limit.
        place_follow_up = topic == "suitability" or (
            topic in PLACE_TOPICS and not courses_asked_about(text)
        )
        gear_for_a_stated_temperature = topic == "temperature" and bool(
            STATED_TEMPERATURE.search(text)
        )
        # "I'm only Open Water, can I still go?" asks whether the place suits the diver,
        # though it names a level and points back at nothing.
        if (
            route == "general"
            and (leans or topic in PLACE_TOPICS)
            and not gear_for_a_stated_temperature
        ) or (
            route == "certification"
            and (leans or topic == "suitability")
            and place_follow_up
            and not COURSE_REQUEST.search(text)
        ):
            return "trip"
    return None


def takes_a_course(text: str) -> bool:
    """ "Can I do my advanced during a Komodo liveaboard?": a course the diver means to take
    (not one held), asked where or when, not which sites come after it."""
    return bool(
        courses_asked_about(text) and TAKES_COURSE.search(text) and not PLACES_AFTER.search(text)
    )


def asks_what_it_takes_of_nothing_named(text: str) -> bool:
    """ "how many days and cost in malaysia": what something costs or lasts, asked of nothing
    the turn names (a country or a place says where, not what), so of the last turn's
    subject; "how much is a liveaboard in Indonesia?" names its own."""
    topics = {topic.name for topic in topics_of(text)}
    return (
        bool(topics) and topics <= COURSE_TOPICS and not names_subject(WHERE_WORDS.sub(" ", text))
    )


def suits_my_level(text: str) -> bool:
    """ "Is my SSI open water enough for the wreck there?": a level named as the diver's card,
    not as a course to take, in a question of whether the place suits it."""
    topics = {topic.name for topic in topics_of(text)}
    return (
        bool(PLACE_QUESTION.search(text))
        and not COURSE_NAMED.search(text)
        and not topics & COURSE_TOPICS
    )


def asks_what_a_card_counts_as(text: str) -> bool:
    """ "Do shops in Egypt see my CMAS 2 star like Advanced?": what a card equals, wherever
    it is shown, is a certification question."""
    if not (courses_held(text) or courses_asked_about(text)):
        return False
    # "Is Komodo the same as Raja Ampat?" weighs places: a course must follow the words.
    said = SEEN_AS.search(text)
    rest = text[said.end() :] if said else ""
    return bool(courses_asked_about(rest) or courses_held(rest))


def asks_what_a_course_takes(text: str, focus: Focus, previous: str | None) -> bool:
    """ "What first aid do I need before the Rescue course?", "how old must you be for the
    Nitrox course?": what a named course requires, costs or lasts; also "do I need first
    aid training for it?" right after a question on the course in focus."""
    if not {t.name for t in topics_of(text)} & COURSE_NEEDS:
        return False
    asked = courses_asked_about(text)
    named = bool(COURSE_NAMED.search(text))  # "nitrox" alone may be the gas
    if asked and named:
        return True
    return previous == "certification" and bool(focus.get("course")) and leans_on_previous(text)


def asks_about_a_course(text: str, focus: Focus) -> bool:
    """ "How long does AOW take and what does it cost in Malaysia?", "how many dives is the
    wreck specialty?", "which electives should I pick if I'm heading to Sipadan?": a
    question about a course, wherever the diver means to take it or dive after it. Whether
    a place or site suits the diver stays a trip question."""
    asked = courses_asked_about(text)
    named = COURSE_NAMED.search(text)
    if not asked and not (named and focus.get("course")):
        return False
    topics = {topic.name for topic in topics_of(text)}
    # "How far inside can I go?" about a specialty asks what the course allows.
    if "suitability" in topics and (focus.get("names_place") or not named):
        return False
    return bool(topics & COURSE_TOPICS) or bool(named)


async def plan_turn(
    router: TurnRouter,
    text: str,
    history: list[str],
    previous_route: str | None,
    focus: Focus,
    profile: DiverProfile,
) -> dict:
    """The turn's route and search query: the router's decision, settled by the focus."""
    # The turn as the router reads it, typos corrected: the search then embeds the same
    # text, and the retriever finds the router's vector in the embedding cache.
    text = router.spelling.correct(text)
    decision = await router.route(text, history, previous_route)
    route = settle_route(decision, text, focus, previous_route)
    if history and decision.reason != "small talk":
        keeps = await router.keeps_route(text, history[-1], previous_route)
        if keeps is not None:
            route = reconsider_follow_up(decision, route, keeps, text, focus, previous_route)
    destination = focus.get("destination")
    query = search_query(
        text,
        focus,
        route,
        place=place_name(destination) if is_covered(destination) else None,
        level=profile.get("certification_level"),
        # "what's a normal figure?" leans on the last question even when the router could
        # tell the route without it.
        previous_question=(
            history[-1] if history and (decision.used_history or leans_on_previous(text)) else None
        ),
    )
    return {"route": route, "route_confidence": decision.confidence, "search_query": query}


async def route_turn(state: ChatState, runtime: Runtime[Context]) -> dict:
    context = await context_of(runtime)
    return await plan_turn(
        context.router,
        last_user_text(state),
        earlier_user_texts(state),
        state.get("previous_route"),
        state.get("focus") or {},
        state.get("diver_profile") or {},
    )


async def replay_search(
    router: TurnRouter, gazetteer: Gazetteer, history: list[str], text: str
) -> tuple[str, dict]:
    """The search query and filters the graph would use for `text` after `history` (the
    diver's earlier messages): the focus and profile are rebuilt turn by turn. For evals."""
    focus: Focus = {}
    profile: DiverProfile = {}
    previous_route = None
    plan: dict = {}
    for index, message in enumerate([*history, text]):
        focus = update_focus(focus, message, gazetteer)
        profile = update_profile(profile, message)
        focus = with_next_course(focus, message, profile.get("certification_level"))
        plan = await plan_turn(router, message, history[:index], previous_route, focus, profile)
        previous_route = plan["route"]
    return plan["search_query"], metadata_filters(focus, plan["route"])


async def pick_agent(state: ChatState) -> str:
    # async so that LangGraph calls it on the event loop instead of on an executor thread.
    return AGENT_FOR_ROUTE[state["route"]]
