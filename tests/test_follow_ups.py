"""The follow-up question an agent suggests never asks for what the diver has said."""

from chains import prompts
from graph.nodes.agents import AGENTS

trip_follow_up = AGENTS["trip"].follow_up
SUITABILITY = {"destination": "maldives", "topic": "suitability"}


def test_a_certified_diver_is_asked_for_their_dives_once_the_level_is_known():
    profile = {"certification_level": "open_water"}
    assert trip_follow_up(profile, SUITABILITY) == prompts.FOLLOW_UPS["ask_dives"]
    profile["logged_dives"] = 12
    assert trip_follow_up(profile, SUITABILITY) == prompts.FOLLOW_UPS["travel_dates"]


def test_someone_who_has_never_dived_is_not_asked_how_many_dives_they_logged():
    profile = {"certification_level": "none"}
    assert trip_follow_up(profile, SUITABILITY) == prompts.FOLLOW_UPS["travel_dates"]


def test_nobody_is_asked_their_level_after_saying_it():
    for level in ("none", "open_water", "advanced_open_water", "divemaster"):
        profile = {"certification_level": level}
        for topic in ("suitability", "season", "marine_life"):
            question = trip_follow_up(profile, {"destination": "komodo", "topic": topic})
            assert question not in (
                prompts.FOLLOW_UPS["ask_level"],
                prompts.FOLLOW_UPS["ask_level_and_dives"],
            )
