"""Who the diver is, read from their words: a level asked about or planned is not held."""

import pytest

from graph.profile import held_and_wanted, update_profile


@pytest.mark.parametrize(
    "message",
    [
        "Would the Similans require my Advanced card, do you think?",
        "Is AOW needed for the deeper sites at Komodo?",
        "if I get my Advanced, could I go on a Red Sea liveaboard?",
        "do I have to get AOW before going to Sipadan?",
        "Will I need Rescue Diver to start the divemaster course?",
    ],
)
def test_a_level_asked_about_or_planned_is_not_held(message):
    assert update_profile({}, message).get("certification_level") is None


@pytest.mark.parametrize(
    ("message", "level"),
    [
        # The card held stands, whatever is asked about another level after it.
        ("I'm an Open Water diver, would Advanced be required for the wrecks?", "open_water"),
        ("I'm Open Water so will I need the Advanced for Barracuda Point", "open_water"),
        ("PADI Open Water, 12 dives. Is AOW enough for me at Tubbataha?", "open_water"),
        ("I have AOW and 40 dives. Can I dive Elphinstone?", "advanced_open_water"),
        # A level named in a clause that asks, with no word saying it is held.
        (
            "I'm NAUI Scuba Diver, 9 dives. Which is harder, Rescue or Advanced Scuba Diver?",
            "open_water",
        ),
        ("i've done my OW, 14 dives, is the advanced course a big step up?", "open_water"),
        ("I hold my open water. how many dives is the AOW?", "open_water"),
        ("Advanced Open Water, 45 dives, so can I dive the wrecks?", "advanced_open_water"),
    ],
)
def test_the_card_held_is_read_beside_a_question_about_another_level(message, level):
    assert update_profile({}, message)["certification_level"] == level


def test_a_level_held_by_a_stated_plain_card_is_still_read():
    assert held_and_wanted("SSI Open Water with 20 dives here")[0] == "open_water"


@pytest.mark.parametrize(
    "message",
    [
        "I learned with my old instructor in Egypt, nine dives so far",
        "our dive guide told me my trim was fine",
        "the divemaster said I can't dive tomorrow",
    ],
)
def test_a_person_in_a_role_is_not_a_level_held(message):
    assert update_profile({}, message).get("certification_level") is None


@pytest.mark.parametrize(
    ("message", "level", "dives"),
    [
        # A sentence that only says who the diver is, with no "I" in the message.
        ("OW diver. What's the difference between AOW and Deep?", "open_water", None),
        ("hey, OW diver here with 8 dives - what next?", "open_water", 8),
        ("SSI AOW, 35 logged", "advanced_open_water", 35),
        ("Newly certified Open Water, 8 dives. where should we go?", "open_water", 8),
        ("AOW diver. 40 dives. Is Blue Corner ok?", "advanced_open_water", 40),
    ],
)
def test_a_self_description_without_i_sets_the_level(message, level, dives):
    profile = update_profile({}, message)
    assert profile["certification_level"] == level
    assert profile.get("logged_dives") == dives


@pytest.mark.parametrize(
    "message",
    [
        # A course named, asked about: no word marks a person.
        "Open water. How long does it take?",
        "Rescue Diver course. how long?",
        "open water and advanced, how many days?",
        "Deep diver? how deep can you go",
        "AOW - is Deep worth it?",
        # Someone else's level.
        "My son is an OW diver. What next for him?",
    ],
)
def test_a_course_named_or_someone_elses_level_is_not_a_self_description(message):
    assert update_profile({}, message).get("certification_level") is None


def test_a_dash_ends_the_clause_that_says_a_level_is_held():
    assert update_profile({}, "I am OW - what about AOW?")["certification_level"] == "open_water"


@pytest.mark.parametrize(
    ("message", "level"),
    [
        # The diver's own diving told without the "I" makes the message about the diver.
        (
            "Haven't been diving since 2019, SSI Advanced. Do I need a refresher?",
            "advanced_open_water",
        ),
        ("been diving 10 years, rescue diver, what about divemaster?", "rescue"),
        ("got certified OW in march, is Sipadan ok?", "open_water"),
        ("not dived for 3 years (AOW, 50 dives). what should I do first?", "advanced_open_water"),
    ],
)
def test_the_divers_own_diving_told_without_i_sets_the_level(message, level):
    assert update_profile({}, message).get("certification_level") == level


@pytest.mark.parametrize(
    "message",
    [
        "been wondering what the AOW course covers",
        "Haven't decided between OW and AOW, which is better?",
        "my son hasn't dived since his junior OW, refresher?",
    ],
)
def test_a_wish_a_doubt_or_someone_else_without_i_sets_no_level(message):
    assert update_profile({}, message).get("certification_level") is None
