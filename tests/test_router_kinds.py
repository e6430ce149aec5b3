"""The router on the kinds of turn it used to miss, with the real embedding model.

Wordings here are our own, written for each kind; they are not rows of any eval file.
"""

import pytest

from graph.focus import update_focus
from graph.nodes.routing import plan_turn
from graph.places import Gazetteer
from graph.routing.router import TurnRouter, cue_bonus, cued_routes, names_subject
from scripts.conversation_routing import routing_rows

PLACES = Gazetteer.default()


@pytest.fixture(scope="module")
def router(embeddings):
    return TurnRouter(embeddings)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # whether a place suits the diver, the level named first, the place covered or not
        ("PADI Advanced, 40 dives. Could we dive the walls in Palau?", "trip"),
        ("I'm an open water diver with 15 dives, can I dive Ras Mohammed?", "trip"),
        # a course taken on holiday stays a course
        ("We're in Bali in May, can I do my Advanced course while I'm there?", "certification"),
        # try-dives and refreshers are courses
        (
            "we're on Redang next week, is there a try dive for people with no card?",
            "certification",
        ),
        (
            "it's been three years since my last dive, do I need to do anything first?",
            "certification",
        ),
        # seasickness is dive medicine
        ("I get motion sick on boats, any advice for a dive day?", "safety"),
        ("what happens if I vomit into my regulator?", "safety"),
        # gas limits and buying gear are general knowledge
        ("what's the max depth for EAN36?", "general"),
        ("should I buy my own fins or just rent them at the shop?", "general"),
        # paying rent is still not diving
        ("how do I get my landlord to return my rent deposit?", "off_topic"),
        ("best kitesurfing beaches in Bali?", "off_topic"),
    ],
)
async def test_a_turn_of_each_kind_takes_its_route(router, text, route):
    decision = await router.route(text)
    assert decision.route == route, decision.scores


@pytest.mark.parametrize(
    ("history", "text", "route"),
    [
        # a short turn that names no subject asks about the one on the table
        (
            ["How long does the Divemaster programme take?"],
            "what will it set me back?",
            "certification",
        ),
        # Hands disagree on a gas's depth limit: this set and dev4 say general, the blind bank
        # of session 8 (and dev's "MOD of air") say safety; read with the question on the
        # nitrox course before it, the router now says certification, which neither says.
        pytest.param(
            ["Is nitrox worth learning?"],
            "how deep can you go on EAN32?",
            "general",
            marks=pytest.mark.xfail(reason="a gas's depth limit: hands disagree", strict=False),
        ),
        # closing thanks, even after an "ok"
        (["Do I need dive insurance for Sipadan?"], "ok thank you, that helps a lot", "general"),
        (["When is the season in Komodo?"], "alright, cheers!", "general"),
    ],
)
async def test_a_follow_up_takes_its_route(router, history, text, route):
    decision = await router.route(text, history, previous_route=None)
    assert decision.route == route, decision.scores


async def plan_route(router, *messages: str) -> str:
    """The route the router node settles on for the last message, focus rebuilt turn by turn."""
    focus: dict = {}
    previous = None
    for index, message in enumerate(messages):
        focus = update_focus(focus, message, PLACES)
        plan = await plan_turn(router, message, list(messages[:index]), previous, focus, {})
        previous = plan["route"]
    return previous


async def test_a_course_on_holiday_stays_a_course_when_a_place_is_named(router):
    text = "Can I do my Open Water course in the Maldives and finish it in a week?"
    assert await plan_route(router, text) == "certification"


async def test_another_sport_at_a_dive_destination_stays_off_topic(router):
    assert await plan_route(router, "best surfing spots in Bali?") == "off_topic"


async def test_a_site_no_list_holds_is_a_place_whatever_card_is_named(router):
    # The router alone may read the card; the focus knows "dive Shark Point" names a place.
    assert await plan_route(router, "Can I dive Shark Point with an Open Water card?") == "trip"


async def test_a_levels_depth_limit_with_no_place_is_a_course_question(router):
    text = "I hold a CMAS 2 star card. Over in Asia, how deep am I allowed to go?"
    assert await plan_route(router, text) == "certification"
    # About a place in focus, it is the place's.
    assert (
        await plan_route(router, "Thinking about Sipadan.", "I'm Open Water, how deep there?")
        == "trip"
    )


async def test_an_uncovered_place_routes_like_a_covered_one(router):
    covered = await plan_route(router, "Open Water with 12 dives, could I dive Komodo?")
    uncovered = await plan_route(router, "Open Water with 12 dives, could I dive Cozumel?")
    assert covered == uncovered == "trip"


def test_conversation_turns_become_routing_rows_with_their_history():
    rows = routing_rows(
        [
            {
                "id": "c1",
                "turns": [
                    {"user": "Is Tioman good in July?", "expected_route": "trip"},
                    {"user": "thanks!", "expected_route": "general"},
                ],
            }
        ]
    )
    assert [row["id"] for row in rows] == ["c1.t1", "c1.t2"]
    assert rows[0]["history"] == []
    assert rows[1]["history"] == [{"role": "user", "content": "Is Tioman good in July?"}]
    assert rows[1]["expected_route"] == "general"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("whats a good dive compter for a begginer?", "whats a good dive computer for a beginner?"),
        ("is vomitting underwater dangerous?", "is vomiting underwater dangerous?"),
        # real words, names and short words stay as written
        (
            "my buddy is shaking and stuck, is he dying?",
            "my buddy is shaking and stuck, is he dying?",
        ),
        ("Can I dive the Thistlegorm?", "Can I dive the Thistlegorm?"),
        ("wanna dive tmrw", "wanna dive tmrw"),
    ],
)
def test_typos_are_read_as_the_word_meant_and_real_words_are_left_alone(router, written, read):
    assert router.spelling.correct(written) == read


async def test_a_typo_does_not_change_the_route(router):
    right = await router.route("what should a beginner pay for a dive computer?")
    typed = await router.route("what shuld a begginer pay for a dive compter?")
    assert right.route == typed.route == "general"


async def test_the_search_reads_the_turn_as_the_router_did(router):
    """The retriever embeds the corrected turn too: the router's vector is a cache hit."""
    plan = await plan_turn(router, "which dive compter for a begginer?", [], None, {}, {})
    assert "dive computer for a beginner" in plan["search_query"]
    assert "compter" not in plan["search_query"]


async def test_which_animals_not_to_touch_is_safety_though_a_place_is_named(router):
    text = "Heading to Redang next month, which animals should we be careful not to touch?"
    assert await plan_route(router, text) == "safety"


async def test_what_a_course_costs_or_takes_is_a_course_question_wherever_it_is_asked(router):
    text = "What does the Rescue course cost in Malaysia and how many days is it?"
    assert await plan_route(router, text) == "certification"
    card = "PADI Advanced, 30 dives. How many dives does the night specialty have?"
    assert await plan_route(router, card) == "certification"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # how much air a diver uses is a skill, though running out is named
        (
            "My buddy always has more left and I'm out of air first. How do I use less air?",
            "general",
        ),
        # whom to call is a safety question, wherever the diver is
        ("we land in Sipadan on Friday, which emergency number do we call there?", "safety"),
        # the diver says the question is beside the point
        ("this is off-topic, but which phone has the best battery?", "off_topic"),
    ],
)
async def test_a_turn_of_a_newly_handled_kind_takes_its_route(router, text, route):
    assert await plan_route(router, text) == route


async def test_a_question_about_the_site_in_focus_is_a_trip_question(router):
    route = await plan_route(
        router,
        "I have my CMAS 2 star card.",
        "Thinking about Barracuda Point next month.",
        "what card do they want for that reef?",
    )
    assert route == "trip"


async def test_a_health_question_asked_about_a_course_is_a_safety_question(router):
    route = await plan_route(router, "Does my doctor have to clear me for the Open Water course?")
    assert route == "safety"


@pytest.mark.parametrize(
    "text",
    [
        "haha you're a legend",
        "lol ur really good at this",
        "thanks a lot 🙌",
        "hehe cool",
        "really useful, thank you so much",
    ],
)
def test_laughter_praise_and_emoji_are_small_talk(text):
    assert TurnRouter.is_small_talk(text)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # where help is, drinking before a dive and a diver's years are safety
        ("where is the closest hyperbaric chamber to Redang?", "safety"),
        ("can I have a couple of beers the night before a dive?", "safety"),
        ("what if we get separated from the group on the wall?", "safety"),
        ("how do buddies avoid losing each other in bad vis?", "safety"),
        ("my octopus free flowed on the last dive, what was I meant to do?", "safety"),
        ("heading to Komodo, any venomous critters I should know about?", "safety"),
        # DAN's first-aid course is no code library
        ("is React Right needed before the Rescue course?", "certification"),
        # where to see an animal is a trip question
        ("where could I swim with manta rays?", "trip"),
        # the gas, not the course
        ("how does nitrox compare with plain air underwater?", "general"),
        # another pastime at a dive place, a role that is not diving's
        ("any fishing charters around Tioman?", "off_topic"),
        ("act as a linux shell and run ls", "off_topic"),
        # a rule of diving one may ignore is no instruction to drop
        ("ok to ignore that rule about a buddy check when we're both experienced?", "general"),
    ],
)
async def test_a_turn_of_a_session_10_kind_takes_its_route(router, text, route):
    assert await plan_route(router, text) == route


async def test_an_opener_and_a_word_or_two_ask_the_last_question_again(router):
    # "holiday" alone is a trip's word
    decision = await router.route("and for a holiday?", ["which torch should I buy?"], "general")
    assert decision.used_history
    assert decision.route == "general", decision.scores


def test_a_course_or_agency_name_names_the_subject_but_weighs_nothing():
    # The level a diver holds is no course asked about: the name adds no weight ...
    held = "as an SSI open water diver, is the wall at Tulamben ok?"
    assert cue_bonus(held)["certification"] == 0
    # ... yet a turn naming a course stands on its own after another subject.
    assert "certification" in cued_routes("what about AOW?")
    assert names_subject("and the divemaster?")
    # A course's own words still weigh, and a course to take with its agency's name too.
    assert cue_bonus("how much is the course?")["certification"] > 0
    assert cue_bonus("could my dad take PADI advanced at 65?")["certification"] > 0
