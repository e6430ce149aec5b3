"""Which turns lean on the last one, and when the last turn's route carries over (no model)."""

import pytest

from chains import prompts
from graph.focus import leans_on_previous, search_query, update_focus
from graph.nodes.routing import settle_route
from graph.places import Gazetteer
from graph.routing.router import UNSURE_MARGIN, RouteDecision, TurnRouter
from tests.fakes import FixedRetriever, graph_conversation, passage

PLACES = Gazetteer.default()


@pytest.mark.parametrize(
    "text",
    [
        "and for kids?",
        "what about the price?",
        "how much do they cost?",
        "How much does that cost?",
        "Is that one OK for me?",
        "What should I wear in the water then?",
        "any models you like?",
        "what about the currents there?",
        "Same for the Rescue course?",
    ],
)
def test_a_turn_that_points_back_leans_on_the_last_one(text):
    assert leans_on_previous(text)


@pytest.mark.parametrize(
    "text",
    [
        "Who do you reckon will be the next prime minister this year?",
        "Is it true that the stock market crashed last night?",
        "Is it safe to fly the day after diving?",
        "What is the best way to improve my buoyancy?",
        "Which Redang sites have the best coral for snorkelling?",
        "Is it worth getting my own dive computer?",
    ],
)
def test_a_self_contained_turn_does_not(text):
    assert not leans_on_previous(text)


def decision(route: str, confidence: float = 0.1, reason: str = "") -> RouteDecision:
    return RouteDecision(route, confidence, reason=reason)


def focus_after(*messages: str) -> dict:
    focus: dict = {}
    for message in messages:
        focus = update_focus(focus, message, PLACES)
    return focus


def test_a_plain_off_topic_question_after_a_trip_turn_stays_off_topic():
    text = "Who do you reckon will be the next prime minister this year?"
    focus = focus_after("When is the best time to dive Tioman?", text)
    assert settle_route(decision("off_topic", 0.17), text, focus, "trip") == "off_topic"


def test_an_elliptical_follow_up_keeps_the_last_subject_when_the_router_is_unsure():
    text = "got a favourite brand?"
    focus = focus_after("Which regulator should I buy?", text)
    assert settle_route(decision("off_topic", 0.05), text, focus, "general") == "general"
    # Sure on its own words, the same kind of turn is off-topic: the history cannot save it.
    assert settle_route(decision("off_topic", 0.2), text, focus, "general") == "off_topic"


def test_thanks_after_a_trip_turn_is_small_talk_not_a_trip_question():
    text = "Thanks, that's really helpful!"
    focus = focus_after("When is the best time to dive Tioman?", text)
    small_talk = decision("general", 1.0, reason="small talk")
    assert settle_route(small_talk, text, focus, "trip") == "general"


def test_a_follow_up_about_the_place_in_focus_stays_on_the_trip():
    text = "What should I wear in the water then?"
    focus = focus_after("When is the best time to dive Sipadan?", text)
    assert settle_route(decision("general"), text, focus, "trip") == "trip"
    # The same words with no place in focus are a gear question.
    assert settle_route(decision("general"), text, focus_after(text), "trip") == "general"


@pytest.fixture(scope="module")
def router(embeddings):
    return TurnRouter(embeddings)


@pytest.fixture
def chat(router):
    """A conversation through the graph with a counting fake model."""
    retriever = FixedRetriever([passage("destinations/tioman/index.md", "Tioman\nCalm.")])
    return graph_conversation(router, retriever, PLACES, "t")


async def test_off_topic_and_thanks_after_a_trip_turn_make_no_model_call(chat):
    turn, model = chat
    assert (await turn("Which Tioman sites are best for turtles?"))["route"] == "trip"
    state = await turn("Who do you reckon will be the next prime minister this year?")
    assert state["route"] == "off_topic" and model.calls == 1
    assert (await turn("And when is the water warmest at Tioman?"))["route"] == "trip"
    state = await turn("Thanks, that's really helpful!")
    assert state["route"] == "general" and model.calls == 2


def test_a_follow_up_on_the_next_course_searches_for_the_course_after_the_divers_level():
    first = "I just finished my Open Water, 10 dives. What's next for me?"
    text = "Which of those would you pick for me?"
    query = search_query(text, {}, "certification", level="open_water", previous_question=first)
    assert "next course after open water" in query
    # A self-contained question on another course is not dragged back to "next".
    other = "How long does the Rescue Diver course take?"
    query = search_query(other, {}, "certification", level="open_water", previous_question=first)
    assert "next course" not in query


async def test_a_place_not_covered_is_said_in_full_once_then_briefly(chat):
    turn, model = chat
    first = await turn("I'm Open Water with 12 dives. Can I dive the reefs of Fiji?")
    again = await turn("what about the currents there?")
    assert first["answer"] == prompts.UNCOVERED_PLACE.format(place="Fiji")
    assert again["answer"] == prompts.UNCOVERED_AGAIN.format(place="Fiji")
    assert model.calls == 0 and "certification" not in again["answer"]


async def test_the_trip_follow_up_asks_for_the_level_once_then_moves_on(chat):
    turn, model = chat
    await turn("Is Tioman good for me?")
    assert prompts.FOLLOW_UPS["ask_level_and_dives"] in model.prompts[-1][0].content
    await turn("When is the best time to go there?")
    assert prompts.FOLLOW_UPS["travel_dates"] in model.prompts[-1][0].content


def test_a_short_question_on_the_site_in_focus_stays_on_the_trip():
    text = "how deep do they go?"
    focus = focus_after("Can I dive the Thistlegorm with my Open Water card?", text)
    assert settle_route(decision("certification"), text, focus, "trip") == "trip"
    # A course named in the turn makes it a question about the course.
    text = "how deep can I go with Open Water?"
    focus = focus_after("Can I dive the Thistlegorm?", text)
    assert settle_route(decision("certification"), text, focus, "trip") == "certification"


def test_a_follow_up_naming_no_subject_stays_with_the_conversation():
    # "What does it usually cover?" after questions on dive insurance.
    used_history = RouteDecision("certification", 0.02, used_history=True)
    text = "What does it usually cover?"
    assert settle_route(used_history, text, {}, "safety") == "safety"
    # A turn that names its own subject keeps the router's route.
    named = "What does the Rescue course cover?"
    assert settle_route(used_history, named, {}, "safety") == "certification"


def test_whether_the_place_in_focus_suits_the_diver_is_a_trip_question():
    focus = update_focus(None, "Is Sipadan worth the trip?", PLACES)
    focus = update_focus(focus, "I'm only Open Water with 15 dives, can I still go?", PLACES)
    text = "I'm only Open Water with 15 dives, can I still go?"
    assert settle_route(decision("certification"), text, focus, "trip") == "trip"


@pytest.mark.parametrize(
    "text",
    ["what's a good SAC rate?", "how big do reef mantas get?", "How do I check my weighting?"],
)
async def test_gear_skills_and_what_an_animal_is_like_are_general(router, text):
    assert (await router.route(text)).route == "general"


@pytest.mark.parametrize(
    ("text", "route", "sure"),
    [
        # Seasickness and vomiting are safety questions, on a boat or under water.
        ("any tips for seasickness on a liveaboard trip?", "safety", True),
        ("I always throw up on boats, what helps on a dive trip?", "safety", True),
        # A try dive is a programme wherever it is done; months away is a refresher question.
        ("we'll be in Redang in June, can my wife do a discover scuba?", "certification", False),
        (
            "it's been two years since my last dive, do I need to redo anything?",
            "certification",
            False,
        ),
        # Renting is gear, not housing.
        ("should I rent fins or bring my own?", "general", True),
        # The diver's level before the place: whether they can dive it is a trip question.
        ("PADI Open Water, 10 dives. Can we dive Darwin's Arch in the Galapagos?", "trip", True),
    ],
)
async def test_general_cues_for_sickness_try_dives_refreshers_rentals_and_levels(
    router, text, route, sure
):
    decision = await router.route(text)
    assert decision.route == route, decision
    # Sure of it, not by a hair, where the cue alone decides: an unsure turn may take the
    # last turn's route instead.
    assert decision.confidence >= UNSURE_MARGIN or not sure, decision


def test_thanks_after_an_ok_is_small_talk():
    assert TurnRouter.is_small_talk("ok thanks, that clears it up")


@pytest.mark.parametrize(
    "text",
    [
        "how long does AOW take and what does it cost in malaysia?",
        "SSI AOW, 40 dives, keen on wrecks. How many dives is the wreck specialty?",
    ],
)
def test_a_question_about_a_course_is_a_course_question_wherever_it_is_asked(text):
    assert settle_route(decision("trip"), text, focus_after(text), None) == "certification"


def test_whether_a_place_suits_the_diver_stays_a_trip_question():
    text = "Is Sipadan OK with my AOW?"
    assert settle_route(decision("trip"), text, focus_after(text), None) == "trip"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("how long is the boat ride there?", True),
        ("which card do they ask for on this wreck?", True),
        ("what if there are strong thermoclines?", False),
        ("is there a course for that?", False),
    ],
)
def test_there_is_a_place_only_when_it_points_at_one(text, place):
    from graph.routing.router import PLACE_REFERENCE

    assert bool(PLACE_REFERENCE.search(text)) is place


@pytest.mark.parametrize(
    ("decided", "text", "previous", "settled"),
    [
        # health outweighs the course it is asked about
        ("certification", "Will I need a doctor's note before the Rescue course?", None, "safety"),
        # what a named course requires is the course's question, when no health is in it
        (
            "safety",
            "How much CPR training do I need before the Rescue course?",
            None,
            "certification",
        ),
        # a word's meaning stays general, though the last turn was about a place
        ("general", "what does a drift dive mean for it?", "trip", "general"),
    ],
)
def test_the_focus_settles_a_route_by_what_the_turn_asks(decided, text, previous, settled):
    focus = update_focus({"destination": "sipadan"} if previous else {}, text, PLACES)
    decision = RouteDecision(decided, 0.1, used_history=True)
    assert settle_route(decision, text, focus, previous) == settled


def test_a_turn_pointing_at_the_place_in_focus_is_a_trip_question():
    focus = update_focus({"destination": "komodo"}, "how long is the boat ride there?", PLACES)
    decision = RouteDecision("certification", 0.1)
    assert (
        settle_route(decision, "how long is the boat ride there?", focus, "certification") == "trip"
    )


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("Will the shops in Bali treat my BSAC Sports Diver as Advanced?", "certification"),
        ("Is my CMAS 2 star accepted as AOW by the Komodo boats?", "certification"),
        # places weighed against each other, and a place that suits a card, stay trips
        ("I have my Advanced, is Komodo the same as Raja Ampat for currents?", "trip"),
        ("I'm a CMAS 2 star, can I dive in Komodo?", "trip"),
    ],
)
def test_what_a_card_counts_as_is_a_course_question_wherever_it_is_shown(text, settled):
    focus = update_focus({}, text, PLACES)
    assert settle_route(RouteDecision("trip", 0.1), text, focus, None) == settled


@pytest.mark.parametrize(
    "text",
    [
        "Off to Sipadan in June but I get horribly seasick, what helps on the boat?",
        "I'm on insulin, is a liveaboard around Komodo realistic for me?",
        "Could I still do my Advanced course in Bali while pregnant?",
    ],
)
def test_the_divers_health_outweighs_the_place_or_course_it_is_asked_about(text):
    focus = update_focus({}, text, PLACES)
    for decided in ("trip", "certification"):
        assert settle_route(RouteDecision(decided, 0.1), text, focus, None) == "safety"


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("can you find us a shop there that gives lessons to beginners?", "certification"),
        ("please connect me with a centre in Redang to do the upgrade", "certification"),
        # a shop for fun dives at the place stays a trip
        ("can you find us a dive shop there for a few fun dives?", "trip"),
    ],
)
def test_a_booking_is_routed_by_what_it_books(text, settled):
    focus = update_focus({"destination": "redang"}, text, PLACES)
    assert settle_route(RouteDecision("trip", 0.1), text, focus, "trip") == settled


def test_what_the_course_in_focus_requires_stays_the_courses_though_named_by_a_pronoun():
    text = "do I need a first aid certificate for it?"
    focus = update_focus(focus_after("What comes after the Advanced course?"), text, PLACES)
    focus = {**focus, "course": "rescue"}
    decision = RouteDecision("safety", 0.1)
    assert settle_route(decision, text, focus, "certification") == "certification"
    # Without a course just asked about, the same words are a first-aid question.
    assert settle_route(decision, text, {}, "safety") == "safety"


@pytest.mark.parametrize(
    ("text", "off_topic"),
    [
        ("ok totally unrelated, what's a good rice cooker for a small flat?", True),
        ("new topic: any tips for my job interview on Monday?", True),
        # the new subject is still diving: no off-topic weight
        ("unrelated, but which dive computer is easiest to read?", False),
        ("btw how long should I wait before flying after two dives?", False),
    ],
)
def test_a_change_of_subject_to_nothing_of_diving_leans_off_topic(text, off_topic):
    from graph.routing.router import SUBJECT_CHANGE_WEIGHT, cue_bonus

    assert (cue_bonus(text)["off_topic"] >= SUBJECT_CHANGE_WEIGHT) == off_topic


@pytest.mark.parametrize("text", ["is it safer with a pony bottle?", "can I do it safely alone?"])
def test_comparative_and_adverb_forms_of_safe_are_safety_words(text):
    from graph.routing.router import cue_bonus

    assert cue_bonus(text)["safety"] > 0


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        # the diver's card, pointed at the place in focus: does the place suit it?
        ("is my NAUI open water enough for the wreck there?", "trip"),
        ("would that reef be ok with just my AOW?", "trip"),
        # a course to take there stays a course
        ("how much is the advanced course there?", "certification"),
    ],
)
def test_whether_the_place_in_focus_suits_the_card_named_is_a_trip_question(text, settled):
    focus = update_focus({"destination": "tioman"}, text, PLACES)
    assert settle_route(RouteDecision("certification", 0.1), text, focus, "trip") == settled


def test_what_becomes_of_a_card_is_a_course_question_though_the_place_is_in_focus():
    text = "will the dive centres there recognise my NAUI card?"
    focus = focus_after("Off to Redang in June for fun dives", text)
    assert settle_route(decision("certification", 0.3), text, focus, "trip") == "certification"
    # whether the place suits the card stays the place's question
    suits = "is my Open Water card enough for the sites there?"
    focus = focus_after("Off to Redang in June for fun dives", suits)
    assert settle_route(decision("certification", 0.3), suits, focus, "trip") == "trip"


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("Could I take my rescue course on a Raja Ampat liveaboard?", "certification"),
        ("Is Moalboal a good spot to do divemaster training?", "certification"),
        # where to dive once the course is done is the place's
        ("I'm doing my Open Water in Redang; which sites there after that?", "trip"),
    ],
)
def test_a_course_to_take_somewhere_is_a_course_question(text, settled):
    assert settle_route(decision("trip"), text, focus_after(text), None) == settled


def test_signing_up_right_after_a_course_question_books_the_course():
    focus = focus_after("What does the Rescue Diver course involve?", "great, can you book me in?")
    settled = settle_route(decision("trip"), "great, can you book me in?", focus, "certification")
    assert settled == "certification"


def test_a_words_meaning_is_general_though_the_word_is_a_courses():
    text = "what does SSI stand for?"
    assert settle_route(decision("certification"), text, focus_after(text), None) == "general"


def test_an_explicit_change_of_subject_leaves_the_place_behind():
    text = "unrelated, but how do I tell a moray from a conger eel?"
    focus = focus_after("What's Tiger Reef like?", text)
    assert settle_route(decision("general", 0.3), text, focus, "trip") == "general"


def test_a_turn_that_leans_on_the_last_and_is_unsure_keeps_its_subject():
    text = "is swimming fine then?"
    focus = focus_after("Can I dive three weeks after knee surgery?", text)
    assert settle_route(decision("general", 0.02), text, focus, "safety") == "safety"
    assert settle_route(decision("general", 0.2), text, focus, "safety") == "general"


def test_a_place_of_its_own_asked_whether_it_suits_is_not_the_last_turns_risk():
    text = "and Blue Corner, could I go there with my Advanced?"
    focus = focus_after("what do I do if a triggerfish charges me?", text)
    read_with_history = RouteDecision("safety", 0.2, used_history=True)
    assert settle_route(read_with_history, text, focus, "safety") == "trip"


def test_doing_the_course_in_focus_somewhere_stays_a_course_question():
    text = "could I do it in Redang?"
    focus = focus_after("What's in the Rescue Diver course?", text)
    assert settle_route(decision("trip", 0.3), text, focus, "certification") == "certification"
    # after a question on a place, the same words ask about the place
    focus = focus_after("Is Redang good in July?", text)
    assert settle_route(decision("trip", 0.3), text, focus, "trip") == "trip"


def test_working_as_a_pro_somewhere_is_a_question_of_the_pro_levels():
    text = "can divemasters find work easily in Moalboal?"
    assert settle_route(decision("certification", 0.2), text, focus_after(text), None) == (
        "certification"
    )


def test_what_to_wear_in_a_stated_temperature_is_gear_though_a_place_is_in_focus():
    text = "which suit would I want for 27 degree water, then?"
    focus = focus_after("When's the season for Sipadan?", text)
    assert settle_route(decision("general", 0.1), text, focus, "trip") == "general"
    place = "what suit would I want there, then?"
    focus = focus_after("When's the season for Sipadan?", place)
    assert settle_route(decision("general", 0.1), place, focus, "trip") == "trip"


def test_where_the_course_in_focus_is_done_asks_for_a_place():
    text = "where on Redang would I do it?"
    focus = focus_after("What's in the Rescue Diver course?", text)
    assert settle_route(decision("trip", 0.3), text, focus, "certification") == "trip"


def test_a_card_nowhere_to_be_found_is_a_course_question_wherever_it_was_issued():
    text = "Learnt to dive in Bali years ago and can't find my card now, what can I do?"
    assert settle_route(decision("certification", 0.2), text, focus_after(text), None) == (
        "certification"
    )


def test_a_course_asked_about_right_after_a_place_stays_the_courses_though_it_says_there():
    # Our own wording of the kind: the course is named, the place is only pointed at.
    focus = focus_after(
        "I have my open water, is the Thistlegorm in the Red Sea possible for me?",
        "so I get the advanced there before. how long is it?",
    )
    text = "so I get the advanced there before. how long is it?"
    read_with_history = RouteDecision("certification", 0.08, used_history=True)
    assert settle_route(read_with_history, text, focus, "trip") == "certification"
    # Without a course named, "how long does it take to get there?" is the place's.
    place = "and how long does it take to get there?"
    assert settle_route(read_with_history, place, focus, "trip") == "trip"


def test_a_follow_up_naming_the_divers_health_keeps_its_safety_route():
    # A pregnancy asked about after questions on a place: the health is a subject of its own.
    used_history = RouteDecision("safety", 0.1, used_history=True)
    text = "and once I give birth, how soon could I dive again?"
    assert settle_route(used_history, text, {}, "trip") == "safety"


def test_what_it_costs_or_lasts_asked_of_nothing_named_is_the_course_in_focus():
    focus = focus_after("What does the Rescue Diver course involve?")
    text = "price and number of days in indonesia?"
    focus = update_focus(focus, text, PLACES)
    assert settle_route(decision("trip", 0.01), text, focus, "certification") == "certification"
    # A liveaboard is a subject of its own: its price stays the trip's.
    text = "what's the price of a liveaboard in indonesia?"
    assert settle_route(decision("trip", 0.01), text, focus, "certification") == "trip"


def test_a_shop_booked_for_training_at_a_named_place_is_the_courses():
    text = "ok, can you find me a shop on Redang that teaches open water?"
    focus = focus_after("When is Redang's season?", text)
    assert settle_route(decision("certification"), text, focus, "trip") == "certification"
    # Fun dives booked there stay the place's.
    text = "ok, can you find me a shop on Redang for some fun dives?"
    assert settle_route(decision("certification"), text, focus, "trip") == "trip"


def test_an_unsure_follow_up_on_the_place_in_focus_read_as_the_places_is_not_pulled_back():
    # Our own wording: the course's price on an island, then a site "there" for a level held.
    focus = focus_after(
        "how much is the advanced course on Tioman roughly?",
        "and are there any reefs there I could dive as an advanced diver?",
    )
    text = "and are there any reefs there I could dive as an advanced diver?"
    assert settle_route(decision("trip", 0.01), text, focus, "certification") == "trip"
    # With no place in focus for "there" to point at, it follows the conversation.
    no_place = focus_after("how much is the advanced course roughly?", text)
    assert settle_route(decision("trip", 0.01), text, no_place, "certification") == (
        "certification"
    )


def test_a_remedy_asked_for_the_problem_just_raised_is_that_problems_question():
    # Our own wording: a gas asked about as a cure for the safety problem of the last turn.
    text = "would diving on enriched air fix that?"
    assert settle_route(decision("general", 0.2), text, {}, "safety") == "safety"
    # A course asked for, or what a named course takes, is the course's.
    text = "is there a class that fixes that?"
    assert settle_route(decision("certification", 0.2), text, {}, "safety") == "certification"
    focus = focus_after("would the Peak Performance Buoyancy course help with that? how long?")
    text = "would the Peak Performance Buoyancy course help with that? how long?"
    assert settle_route(decision("certification", 0.2), text, focus, "general") == ("certification")


def test_what_a_course_costs_or_lasts_at_a_named_place_stays_the_courses():
    text = "ok so the rescue then, what's the price and how many days on Tioman?"
    focus = focus_after("what comes after advanced?", text)
    assert settle_route(decision("certification"), text, focus, "certification") == (
        "certification"
    )


def test_a_professional_working_at_a_place_asks_about_the_professional_level():
    text = "SSI instructor, working on Tioman now: am I allowed to teach try dives alone?"
    focus = focus_after(text)
    assert settle_route(decision("certification"), text, focus, None) == "certification"


def test_a_course_named_as_a_time_does_not_make_a_place_question_a_course_question():
    focus = focus_after(
        "when is Tioman's season?", "what sites there are good once the course is done?"
    )
    text = "which reef out there suits him best after the course?"
    focus = update_focus(focus, text, PLACES)
    assert settle_route(decision("certification"), text, focus, "trip") == "trip"
