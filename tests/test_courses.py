"""What a course's or an agency's name means in a turn (graph/courses.py), read once for the
focus, the router and the route settling."""

import graph.focus as focus
from graph.courses import (
    COURSE_OR_AGENCY_NAME,
    courses_after,
    courses_asked_about,
    courses_held,
    names_a_person,
)
from graph.routing import router


def test_the_focus_and_the_router_read_course_names_through_one_module():
    # One reading: the focus's and the router's names are the module's own objects.
    assert focus.courses_held is courses_held
    assert focus.courses_asked_about is courses_asked_about
    assert focus.names_a_person is names_a_person
    assert router.SUBJECT_WORDS == [("certification", COURSE_OR_AGENCY_NAME)]


def test_a_course_or_agency_name_marks_the_subject_whether_asked_or_held():
    assert router.subject_words_in("BSAC Ocean Diver, is a Red Sea wreck safari ok?") == {
        "certification"
    }
    assert router.subject_words_in("how long is the rescue diver course?") == {"certification"}
    assert router.subject_words_in("is the reef ok for snorkelling?") == frozenset()
    # A name tells the subject and weighs nothing for the route.
    assert router.cue_bonus("ok for a PADI open water diver?")["certification"] == 0.0


def test_a_level_held_is_not_a_course_asked_about():
    assert courses_held("I'm a BSAC Ocean Diver") == ["cmas_bsac"]
    assert courses_asked_about("I'm a BSAC Ocean Diver") == []
    assert courses_held("SSI AOW, 40 dives. Where next?") == ["advanced_open_water"]
    assert courses_asked_about("how long does the rescue course take?") == ["rescue"]
    assert courses_held("how long does the rescue course take?") == []


def test_the_course_before_the_one_asked_for_is_not_asked_about():
    assert courses_after("what's the course after OW?") == ["open_water"]
    assert courses_asked_about("what's the course after OW?") == []


def test_a_role_spoken_of_as_a_person_is_no_course():
    assert courses_asked_about("my instructor says I'm overweighted, how do I check?") == []
    assert courses_asked_about("how do I become an instructor?") == ["instructor"]


def test_a_level_someone_dives_with_or_holds_is_held_not_asked():
    for text, level in [
        ("can I do the Yongala as an open water diver?", "open_water"),
        ("is a reef there ok with just OW?", "open_water"),
        ("can I dive Sipadan with my AOW card?", "advanced_open_water"),
        ("my husband is only open water, is Tubbataha ok for him?", "open_water"),
        ("she has her Advanced, can she do the Thistlegorm?", "advanced_open_water"),
        ("my buddy only has OW, 15 dives", "open_water"),
    ]:
        assert courses_held(text) == [level], text
        assert courses_asked_about(text) == [], text


def test_an_as_that_equates_a_card_or_names_a_job_is_no_level_held():
    assert courses_asked_about("is SSI Scuba Diver the same thing as Open Water?") == [
        "scuba_diver",
        "open_water",
    ]
    assert courses_asked_about("I'd like to work as a divemaster in Bali") == ["divemaster"]
    assert courses_asked_about("what do I need to go pro as an instructor?") == ["instructor"]
