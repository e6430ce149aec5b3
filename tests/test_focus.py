"""The conversation focus and the diver's profile, read from ordinary phrasing (no model)."""

import pytest

from chains.questions import topic_of
from graph.focus import (
    about_uncovered_place,
    courses_asked_about,
    metadata_filters,
    names_its_own_subject,
    search_query,
    spelled_out,
    uncovered_place_aside,
    update_focus,
    with_next_course,
)
from graph.places import Gazetteer, Site
from graph.profile import update_profile

SITES = [
    Site("Barracuda Point", "sipadan", "destinations/sipadan/sites/barracuda-point.md"),
    Site(
        "Manta Point (Makassar Reef)",
        "komodo",
        "destinations/komodo/sites/manta-point-makassar-reef.md",
    ),
    Site("SS Thistlegorm", "red-sea", "destinations/red-sea/sites/ss-thistlegorm.md"),
]
PLACES = Gazetteer.default(sites=SITES)


def converse(*messages):
    focus, profile = {}, {}
    for message in messages:
        focus = update_focus(focus, message, PLACES)
        profile = update_profile(profile, message)
    return focus, profile


def test_a_follow_up_keeps_the_place_and_asks_its_own_topic():
    focus, _ = converse("Is Sipadan OK for me?", "When is the best time to go there?")
    assert focus["destination"] == "sipadan" and focus["topic"] == "season"
    assert not focus["names_place"]
    query = search_query("When is the best time to go there?", focus, "trip", place="Sipadan")
    assert "Sipadan" in query and "season" in query
    assert metadata_filters(focus, "trip")["destination"] == "sipadan"


def test_the_place_travelled_from_is_not_the_destination():
    focus, _ = converse("Tell me about Komodo.", "How do I get there from Bali?")
    assert focus["destination"] == "komodo" and focus["origin"] == "bali"
    assert about_uncovered_place(focus, "How do I get there from Bali?", "trip") is None
    focus, _ = converse("Flying via Singapore, how do I get to Tioman?")
    assert focus["destination"] == "tioman"


def test_a_comparison_filters_on_both_places_and_a_switch_keeps_the_topic():
    focus, _ = converse("Komodo or Raja Ampat for an advanced diver?")
    assert focus["compare"] == ["komodo", "raja-ampat"]
    assert metadata_filters(focus, "trip")["destination"] == ["komodo", "raja-ampat"]
    focus, _ = converse("How do I get to Redang?", "What about the Perhentians instead?")
    assert focus["destination"] == "redang" and focus["topic"] == "getting_there"
    focus, _ = converse("When should I dive the Maldives?", "What about the Red Sea instead?")
    assert focus["destination"] == "red-sea" and focus["compare"] == []


def test_a_named_site_resolves_to_its_destination():
    focus, _ = converse("Can I dive Barracuda Point with my Open Water card?")
    assert focus["destination"] == "sipadan" and focus["site"] == "Barracuda Point"
    focus, _ = converse("Is Manta Point OK for me?", "How deep is it?")
    assert focus["destination"] == "komodo" and focus["site"] == "Manta Point (Makassar Reef)"
    assert focus["topic"] == "depth"
    focus, _ = converse("Tell me about the Thistlegorm", "And Sipadan?")
    assert focus["destination"] == "sipadan" and focus["site"] is None


def test_a_site_the_last_answer_was_about_is_in_focus_for_a_turn_pointing_back():
    barracuda = "destinations/sipadan/sites/barracuda-point.md"
    focus = {"destination": "sipadan", "document": barracuda, "course": "open_water"}
    pointing_back = update_focus(focus, "is that ok with just OW?", PLACES)
    assert pointing_back["site"] == "Barracuda Point" and pointing_back["site_path"] == barracuda
    # A turn with a subject of its own, or a guide of another place, puts no site in focus.
    own = update_focus(focus, "what wetsuit thickness do people use in 28 degree water?", PLACES)
    assert own["site_path"] is None
    elsewhere = update_focus({**focus, "destination": "komodo"}, "is that ok for me?", PLACES)
    assert elsewhere["site_path"] is None


@pytest.mark.parametrize("route", ["certification", "trip", "general"])
def test_an_uncovered_place_is_noticed_whatever_the_route(route):
    text = "I am an SSI Open Water diver with 12 dives. Can I dive Blue Corner in Palau?"
    focus, _ = converse(text)
    assert about_uncovered_place(focus, text, route) == "uncovered:palau"
    focus, _ = converse(text, "what about the currents there?")
    assert about_uncovered_place(focus, "what about the currents there?", route)
    focus, _ = converse(text, "How long should I wait before flying after diving?")
    assert not about_uncovered_place(focus, "How long should I wait before flying?", "safety")


@pytest.mark.parametrize(
    ("message", "level", "dives", "agency"),
    [
        (
            "Hi! I just got my Open Water with PADI, 8 dives so far. What next?",
            "open_water",
            8,
            "PADI",
        ),
        ("I'm AOW with about 40 dives", "advanced_open_water", 40, None),
        ("I'm a DM now, about 200 dives", "divemaster", 200, None),
        ("Is SSI Open Water with 12 dives enough?", None, None, None),
        ("I'm PADI Open Water and I want to do my Advanced", "open_water", None, "PADI"),
        ("Can you connect me with a shop for the Advanced course?", None, None, None),
        ("Finished my AOW last week, 25 dives in total", "advanced_open_water", 25, None),
        ("hey! finished my PADI open water last week, 6 dives in the log", "open_water", 6, "PADI"),
        ("Thanks, just got my AOW with SSI", "advanced_open_water", None, "SSI"),
        ("My son just got his SSI Open Water, 4 dives", None, None, None),
    ],
)
def test_the_profile_reads_ordinary_phrasing(message, level, dives, agency):
    _, profile = converse(message)
    assert profile.get("certification_level") == level
    assert profile.get("logged_dives") == dives
    assert profile.get("agency") == agency


def test_a_wanted_course_is_a_goal_and_the_focus_course():
    focus, profile = converse("I'm PADI Open Water and I want to do my Advanced")
    assert profile["certification_level"] == "open_water"
    assert profile["goals"] == ["advanced_open_water"]
    assert focus["course"] == "advanced_open_water"
    focus, _ = converse("I want to do my Advanced", "How long does it take?")
    query = search_query("How long does it take?", focus, "certification")
    assert "Advanced Open Water" in query and "duration" in query


def test_a_general_question_with_no_place_does_not_search_destination_guides():
    assert metadata_filters({}, "general") == {"doc_type": ["general", "safety", "certification"]}
    assert metadata_filters({"destination": "tioman"}, "general") == {}


def test_a_new_question_does_not_inherit_the_last_topic_and_a_repeat_does():
    focus, _ = converse("How do I get to Sipadan?", "What's Barracuda Point like?")
    assert focus["site"] == "Barracuda Point" and focus["topic"] == "overview"
    focus, _ = converse("How long does the Open Water course take?", "How many dives are in it?")
    assert focus["topic"] is None
    focus, _ = converse("How do I get to Sipadan?", "And Redang?")
    assert focus["topic"] == "getting_there"


def test_when_asks_a_time_only_as_a_question():
    assert topic_of("When is the best time to go?") == "season"
    assert topic_of("when might I see a whale shark there?") == "season"
    assert topic_of("Why shouldn't I hold my breath when I ascend?") == "reason"


def test_courses_beyond_the_core_ones_are_followed():
    assert courses_asked_about("And the Wreck specialty, how long does that take?") == ["wreck"]
    assert courses_asked_about("Is NAUI Scuba Diver the same as Open Water?") == [
        "scuba_diver",
        "open_water",
    ]
    assert courses_asked_about("NAUI Advanced Scuba Diver") == ["advanced_open_water"]
    assert courses_asked_about("Is Peak Performance Buoyancy worth it?") == ["buoyancy"]


def test_whats_next_puts_the_course_after_the_divers_level_in_focus():
    text = "Just got my Advanced with NAUI, 25 dives. What's next?"
    focus, profile = converse(text)
    assert with_next_course(focus, text, profile["certification_level"])["course"] == "rescue"
    # "after it" is about the course in focus, and a date is not a next step.
    for other in ("how deep can I go after it?", "I'm diving Komodo next year"):
        assert (
            with_next_course({"course": "deep"}, other, "advanced_open_water")["course"] == "deep"
        )
    query = search_query(
        "What comes after it?", {"course": "scuba_diver", "topic": "next_step"}, "certification"
    )
    assert "next steps after the Scuba Diver course" in query


def test_an_uncovered_place_is_not_assumed_once_the_talk_moved_to_another_subject():
    focus, _ = converse(
        "I want to dive Palau for the mantas.",
        "Do I need dive insurance for a liveaboard?",
        "How much does it cost?",
    )
    assert about_uncovered_place(focus, "How much does it cost?", "safety") is None
    # On the trip route, the place in focus is still the one talked about.
    assert about_uncovered_place(focus, "How much does it cost?", "trip") == "uncovered:palau"


def test_what_can_i_do_asks_for_a_how_to_not_a_verdict():
    assert topic_of("my ears hurt when I descend, what can I do?") == "how_to"
    assert topic_of("Can I dive Barracuda Point?") == "suitability"


def test_a_follow_up_with_a_question_of_its_own_does_not_inherit_the_topic():
    focus, _ = converse(
        "my ears hurt when I descend, what can I do?", "and what if it happens on the way up?"
    )
    assert focus["topic"] is None


def test_what_a_question_asks_for_is_read_from_its_own_words():
    # "close" as a distance is not a season; a park that closes is.
    assert topic_of("how close can we get?") == "distance"
    assert topic_of("when does the park close for the season?") == "season"
    assert topic_of("how do you get out there?") == "getting_there"
    assert topic_of("I'm only Open Water with 15 dives, can I still go?") == "suitability"
    assert topic_of("Can I scuba dive with the mantas there?") == "suitability"
    assert topic_of("can we go inside the wreck?") == "permission"
    assert topic_of("What about Sugar Wreck, could I dive that?") == "suitability"
    assert topic_of("How do I get there?") == "getting_there"
    assert topic_of("What's the procedure if I lose my buddy?") == "how_to"


def test_a_short_form_is_searched_with_its_long_form():
    query = search_query("how tall should my SMB be?", {}, "general")
    assert "surface marker buoy" in query
    # Written out already: not added twice.
    assert spelled_out("my surface marker buoy (SMB)") == []


def test_past_dates_next_steps_and_acknowledged_follow_ups():
    assert topic_of("when did it sink?") is None
    assert topic_of("Just got my Open Water. What should I do next?") == "next_step"
    focus, _ = converse("Is Tioman good for beginners?", "Fine, what about Redang?")
    assert focus["topic"] == "suitability"


def test_ssis_dive_guide_is_a_course_of_its_own():
    assert courses_asked_about("What do I need for SSI Dive Guide?") == ["dive_guide"]
    assert courses_asked_about("and for Divemaster after that?") == ["divemaster"]


def test_a_follow_up_asking_about_the_next_course_itself_is_not_searched_as_what_is_next():
    focus = {"course": "advanced_open_water", "topic": "duration"}
    previous = "I just got my Open Water, what should I do next?"
    query = search_query(
        "how long does it take?",
        focus,
        "certification",
        level="open_water",
        previous_question=previous,
    )
    assert "choosing your next course" not in query
    assert "Advanced Open Water course" in query
    which = search_query(
        "which of those would you pick for me?",
        {"course": "advanced_open_water"},
        "certification",
        level="open_water",
        previous_question=previous,
    )
    assert "choosing your next course after open water" in which


def test_the_card_the_diver_holds_is_in_focus_until_a_course_is_asked_about():
    focus, _ = converse("I'm a BSAC Ocean Diver. What's that equal to with PADI?")
    assert focus["course"] == "cmas_bsac"
    # Weighed against another course, the card held is still what is asked about.
    focus, _ = converse("I'm a BSAC Ocean Diver from the UK. Is that the same as PADI open water?")
    assert focus["course"] == "cmas_bsac"
    focus, _ = converse("I'm a BSAC Ocean Diver.", "What does the Rescue course involve?")
    assert focus["course"] == "rescue"
    assert topic_of("What's a BSAC Ocean Diver equal to with PADI?") == "equivalence"


def test_and_for_the_next_course_after_that_asks_the_same_again():
    focus, _ = converse("What do I need for SSI Dive Guide?", "and for Divemaster after that?")
    assert focus["course"] == "divemaster"
    assert focus["topic"] == "requirements"
    focus, _ = converse("What do I need for SSI Dive Guide?", "and what comes after that?")
    assert focus["topic"] == "next_step"


def test_a_follow_up_pointing_back_with_they_is_searched_with_the_last_question():
    last = "what are the signs of decompression sickness?"
    query = search_query(
        "how soon after a dive do they show up?", {}, "safety", previous_question=last
    )
    assert last in query
    # A question that names its own subject is searched on its own words.
    query = search_query("how do I clear my mask?", {}, "safety", previous_question=last)
    assert last not in query


def test_a_course_asked_about_in_a_follow_up_is_a_goal_not_the_level_held():
    _, profile = converse(
        "I just finished my PADI Open Water, what should I do next?",
        "ok and for Rescue Diver later, what do I need before it?",
    )
    assert profile["certification_level"] == "open_water"
    assert profile["goals"] == ["rescue"]
    _, profile = converse("What comes after Advanced? I'm Open Water with 20 dives.")
    assert profile["certification_level"] == "open_water"


def test_an_opening_ok_acknowledges_and_does_not_ask_whether_something_is_ok():
    assert topic_of("ok and for Rescue Diver, what do I need before it?") == "requirements"
    assert topic_of("Okay, is Sipadan OK for me?") == "suitability"
    assert topic_of("OK then, how about the Red Sea for an Open Water diver?") == "suitability"


def test_a_turn_opening_with_and_that_names_its_own_subject_is_searched_on_its_own_words():
    last = "any tips for staying warm on long dives?"
    own = "and what am I supposed to do if I get separated from my buddy?"
    assert topic_of(own) == "how_to"
    assert last not in search_query(own, {}, "safety", previous_question=last)
    # One that points back, or says too little, still borrows the last question's subject.
    for leaning in ("and if it hurts on the way up instead?", "and at night?"):
        assert last in search_query(leaning, {}, "safety", previous_question=last)


def test_an_is_that_after_a_clause_of_the_turn_asks_about_that_clause():
    last = "what is a reverse block exactly?"
    own = "and my mask squeezes my face on the way down, is that normal?"
    assert last not in search_query(own, {}, "safety", previous_question=last)
    assert names_its_own_subject("and diving with a blocked nose from a cold, is that a bad idea?")
    # With nothing of its own before it, or a pointer of its own, "that" is the last turn's.
    for leaning in ("and is that normal?", "and what about that one, is that ok?"):
        assert last in search_query(leaning, {}, "safety", previous_question=last)


def test_its_been_a_while_is_a_time_not_a_pointer_back():
    last = "I lost my SSI card, can a shop still look me up?"
    own = "also it's been over a year since my last dive, will the shop make me do anything?"
    assert last not in search_query(own, {}, "certification", previous_question=last)


@pytest.mark.parametrize(
    ("message", "course"),
    [
        # A card stated with a dive count is held; the course asked about is the focus.
        ("SSI AOW, 40 dives. How many dives is the wreck specialty?", "wreck"),
        ("Rescue diver with 45 dives here. What do I need for PADI Divemaster?", "divemaster"),
        ("We're both SSI open water. Can my son do the nitrox course with me?", "nitrox"),
        # A lapsed diver asks about the refresher without naming it.
        ("Got my PADI OW in 2021 and haven't dived since. Do I redo the course?", "refresher"),
        # A course named by what it teaches.
        ("is there a course for buoyancy? how long is it?", "buoyancy"),
        ("What does the instructor course cost?", "instructor"),
    ],
)
def test_the_course_in_focus_is_the_one_asked_about(message, course):
    focus, _ = converse(message)
    assert focus["course"] == course


def test_my_instructor_is_a_person_not_the_course():
    assert courses_asked_about("my instructor says I'm overweighted, how do I check?") == []
    assert courses_asked_about("how do I become an instructor?") == ["instructor"]


def test_places_weighed_against_each_other_need_the_word_between_them():
    focus, _ = converse("Around 30 dives, mostly in Thailand. Is Sipadan ok for me or too much?")
    assert focus["destination"] == "sipadan" and not focus["compare"]
    focus, _ = converse("Komodo or Raja Ampat for mantas?")
    assert focus["compare"] == ["komodo", "raja-ampat"]


def test_the_question_a_longer_message_ends_on_weighs_twice_in_the_search():
    from graph.focus import asked_sentence

    story = "We did three dives today and my mask kept fogging up. How do I keep the glass clear?"
    assert asked_sentence(story) == ["How do I keep the glass clear?"]
    assert search_query(story, {}, "general").count("How do I keep the glass clear?") == 2
    # one sentence, a bare greeting, or a question pointing back into the story: said once
    assert asked_sentence("How do I stop my mask fogging?") == []
    assert asked_sentence("Hi there. How do I stop my mask fogging?") == []
    assert asked_sentence("I hold a CMAS 2 star card from home. Is it the same as AOW?") == []


def test_the_last_answers_guide_is_kept_until_another_place_or_course_is_named():
    focus = {"document": "certifications/kids-and-junior-diving.md", "course": None}
    kept = update_focus(focus, "and how deep may a ten year old go?", PLACES)
    assert kept["document"] == "certifications/kids-and-junior-diving.md"
    assert update_focus(focus, "what about Sipadan?", PLACES).get("document") is None
    assert update_focus(focus, "how long is the Rescue course?", PLACES).get("document") is None


@pytest.mark.parametrize(
    ("text", "course"),
    [
        ("which PADI course comes after my Rescue?", "divemaster"),
        ("what's the next level after AOW for me?", "rescue"),
        # a time, not a course asked for
        ("after the Open Water course, how deep may I go?", "open_water"),
        ("Can I take Nitrox right after Open Water?", "nitrox"),
    ],
)
def test_the_course_named_after_after_is_the_one_before_the_course_asked(text, course):
    assert update_focus({}, text, PLACES)["course"] == course


def test_a_there_that_says_something_exists_points_at_no_place():
    previous = "doing my open water on koh tao next month!! when's the best season there?"
    text = "heard there are triggerfish that bite?? kinda scared lol"
    assert names_its_own_subject(text)
    query = search_query(
        text, {"destination": "thailand-similan"}, "safety", previous_question=previous
    )
    assert previous not in query
    # "which sites there are easy?" points back at the place talked about.
    assert not names_its_own_subject("After my course, which sites there are easy for new divers?")


def test_a_month_in_the_story_does_not_make_the_question_one_about_the_season():
    focus, _ = converse(
        "I'm OW certified, heading to Koh Tao next month. Can I dive Chumphon Pinnacle?"
    )
    assert focus["topic"] == "suitability"
    # The question itself speaks of time, or asks nothing of its own: the season.
    for text in (
        "Is Hanifaru Bay good for diving in August? me and my wife are both AOW",
        "First trip to the Maldives in February, I'm Open Water. Is that a good time?",
        "Heading to Sipadan. When is the best time to go?",
    ):
        assert converse(text)[0]["topic"] == "season", text


@pytest.mark.parametrize("route", ["certification", "general", "safety"])
def test_an_uncovered_place_named_in_passing_leaves_the_course_question_answered(route):
    text = (
        "My son got his NAUI Junior Scuba Diver card in Florida. "
        "Is that the same thing as PADI Junior Open Water?"
    )
    focus, _ = converse(text)
    assert about_uncovered_place(focus, text, route) is None
    assert uncovered_place_aside(focus, text, route) == "uncovered:florida"
    later = "can he do PADI advanced at his age? we're going to cozumel this summer"
    focus, _ = converse(text, later)
    assert about_uncovered_place(focus, later, route) is None
    assert uncovered_place_aside(focus, later, route) == "uncovered:cozumel"
    # What the place needs, or whether it suits the diver, is the place's own question.
    for own in (
        "Do I need the Advanced course to dive Tubbataha?",
        "I am an SSI Open Water diver with 12 dives. Can I dive Blue Corner in Palau?",
    ):
        focus, _ = converse(own)
        assert about_uncovered_place(focus, own, route), own
        assert uncovered_place_aside(focus, own, route) is None
    # Whatever else is said, the trip route answers about the place.
    focus, _ = converse(later)
    assert about_uncovered_place(focus, later, "trip") == "uncovered:cozumel"


def test_an_uncovered_place_named_in_a_safety_story_leaves_the_safety_question_answered():
    text = "my friend got bent last year in Bali. what are the symptoms to look out for?"
    focus, _ = converse(text)
    assert about_uncovered_place(focus, text, "safety") is None
    assert uncovered_place_aside(focus, text, "safety") == "uncovered:bali"
    # On another route, or when the question is the place's own, the place is the subject.
    assert about_uncovered_place(focus, text, "trip") == "uncovered:bali"
    for own in (
        "Heading to Palau next week. When is the best season?",
        "Heading to Palau next week. Is Palau safe for beginners?",
    ):
        focus, _ = converse(own)
        assert about_uncovered_place(focus, own, "safety") == "uncovered:palau", own


def test_the_words_of_what_is_asked_do_not_anchor_a_follow_up():
    previous = "my daughter is 9. can she learn to dive already?"
    # "depth metres" says what is asked, not what about: the last question says that.
    query = search_query(
        "how deep would she go in that?",
        {"topic": "depth"},
        "certification",
        previous_question=previous,
    )
    assert previous in query and "depth metres" in query
    # A course in focus anchors the same follow-up.
    anchored = search_query(
        "how deep would she go in that?",
        {"course": "open_water", "topic": "depth"},
        "certification",
        previous_question=previous,
    )
    assert previous not in anchored and "Open Water Diver course" in anchored


@pytest.mark.parametrize(
    "message",
    [
        "My former instructor reckons I should try sidemount, any good?",
        "our scuba instructor kept telling us to slow down, how fast should we ascend?",
        "his old PADI instructor said nitrox is a scam, true?",
    ],
)
def test_an_instructor_the_diver_knows_does_not_put_the_course_in_focus(message):
    focus, _ = converse("What does the Open Water course involve?", message)
    assert focus["course"] != "instructor"


def test_the_instructor_course_is_still_the_course_when_named_so():
    assert courses_asked_about("my instructor training starts in May, what to expect?") == [
        "instructor"
    ]
    assert courses_asked_about("can you tell me about the instructor exam?") == ["instructor"]


def test_a_junior_scuba_diver_card_is_the_scuba_diver_course():
    focus, _ = converse("What depth can a NAUI Junior Scuba Diver go to?")
    assert focus["course"] == "scuba_diver"


@pytest.mark.parametrize(
    "message",
    [
        "why do they always tell you to exhale on the way up?",
        "they say you should never dive hungover, true or false?",
        "do they make beginners do a swim test before the course starts?",
    ],
)
def test_a_they_meaning_people_in_general_does_not_borrow_the_last_question(message):
    last = "Is diving insurance worth buying for a one-week trip?"
    assert last not in search_query(message, {}, "safety", previous_question=last)


def test_a_they_pointing_back_at_things_still_borrows_the_last_question():
    last = "what are the symptoms of a reverse block?"
    query = search_query("and when do they usually go away?", {}, "safety", previous_question=last)
    assert last in query


def test_a_follow_up_pointing_back_only_at_the_place_is_searched_with_the_place():
    last = "is Barracuda Point ok for an Open Water diver?"
    focus = {"destination": "sipadan"}
    query = search_query(
        "any recompression chamber over there?",
        focus,
        "safety",
        place="Sipadan",
        previous_question=last,
    )
    assert "Sipadan" in query and last not in query
    # "it" points at what was asked: the last question still comes along.
    query = search_query(
        "and is it safe with a cold?", focus, "safety", place="Sipadan", previous_question=last
    )
    assert last in query


def test_a_follow_up_with_a_story_of_its_own_does_not_borrow_the_last_question():
    last = "how often should I get my regulator serviced?"
    story = (
        "Yesterday my mask kept fogging up and I could barely see the reef all morning. "
        "What should I do differently next time?"
    )
    assert last not in search_query(story, {}, "general", previous_question=last)


def test_a_card_held_named_by_its_own_name_adds_no_course_title_to_the_search():
    text = "Did my PADI Open Water in 2012, lost the card in a move. Can a shop look me up?"
    focus, _ = converse(text)
    assert focus["course"] == "open_water"
    assert "Open Water Diver course" not in search_query(text, focus, "certification")
    # The course after the card held is still anchored: the turn does not name it.
    ask = "I'm SSI Advanced Adventurer with 50 dives. What comes next?"
    focus = with_next_course(converse(ask)[0], ask, "advanced_open_water")
    assert "Rescue Diver course" in search_query(ask, focus, "certification")


def test_a_comparison_leads_with_the_covered_place_and_sets_the_other_aside():
    text = "Tofo in Mozambique or Raja Ampat for big animals?"
    focus, _ = converse(text)
    assert focus["destination"] == "raja-ampat"
    assert about_uncovered_place(focus, text, "trip") is None
    assert uncovered_place_aside(focus, text, "trip") == "uncovered:tofo"
    # Where the diver comes from is no place weighed against the one they ask about.
    text = "I live in England; is Raja Ampat good in March?"
    focus, _ = converse(text)
    assert focus["destination"] == "raja-ampat"
    assert uncovered_place_aside(focus, text, "trip") is None


def test_a_turn_about_a_missing_card_is_not_anchored_on_the_course_in_focus():
    from graph.focus import about_a_missing_card

    focus = {"course": "refresher"}
    for lost in (
        "haven't dived in 3 yrs and cant find my PADI card anywhere... can I still dive?",
        "also i lost the card ages ago lol. problem?",
        "how much is a replacement plastic card?",
        "my c-card is missing, what now?",
    ):
        assert about_a_missing_card(lost)
        assert "refresher course" not in search_query(lost, focus, "certification")
    # The card named for what it certifies, or whether it lasts, is not a missing card.
    for kept in ("does my card expire?", "is the PADI one ok even tho my card is SSI?"):
        assert not about_a_missing_card(kept)
        assert "refresher course" in search_query(kept, focus, "certification")


@pytest.mark.parametrize(
    "message",
    [
        "where else could we go in November then?",
        "hmm, where in Malaysia is good in November then",
        "somewhere other than here with calmer water?",
        "any other islands that are better for beginners?",
        "I actually live in KL. somewhere closer with calm water?",
        "anything nearer to home in November?",
    ],
)
def test_a_turn_asking_for_other_places_is_not_filtered_to_the_place_in_focus(message):
    focus, _ = converse("Is Redang good in November?", message)
    assert focus["destination"] == "redang"  # still what the conversation was about
    assert focus["elsewhere"]
    assert "destination" not in metadata_filters(focus, "trip")
    assert "Redang" not in search_query(message, focus, "trip", place="Redang")


@pytest.mark.parametrize(
    "message",
    [
        "where in Tioman are the turtles?",
        "where in the water column do mantas feed?",
        "and the other sites there, are they ok for me?",
        "any good sites near the jetty?",
        "is there a chamber nearby?",
    ],
)
def test_a_turn_asking_within_the_place_in_focus_keeps_its_filter(message):
    focus, _ = converse("Is Tioman good in July?", message)
    assert not focus["elsewhere"]
    assert metadata_filters(focus, "trip")["destination"] == "tioman"


def test_a_named_place_is_asked_about_however_the_turn_looks_beyond():
    focus, _ = converse("Is Redang good in November?", "where in the Philippines then?")
    assert not focus["elsewhere"]
    assert metadata_filters(focus, "trip")["destination"] == "philippines-moalboal"


def test_a_turn_asking_for_other_places_is_not_answered_as_not_covered():
    focus, _ = converse("Can I dive Fiji in August?", "ok, where else in asia then?")
    assert about_uncovered_place(focus, "ok, where else in asia then?", "trip") is None


def test_a_place_wanted_near_the_diver_is_not_answered_as_not_covered():
    message = "I live in Singapore actually. anywhere near me for drift dives?"
    focus, _ = converse("Can I dive Fiji in August?", message)
    assert focus["elsewhere"]
    assert about_uncovered_place(focus, message, "trip") is None
