"""Follow-ups that lean on the conversation, through the real graph, corpus and answerer."""

import pytest

from chains import prompts

pytestmark = pytest.mark.db


async def test_a_named_sites_suitability_goes_to_the_trip_agent_with_a_verdict(conversation):
    state, _ = await conversation("I hold an SSI Open Water card. Would Hanging Gardens suit me?")
    assert state["route"] == "trip"
    assert "Hanging Gardens needs Advanced Open Water" in state["answer"]
    assert prompts.FOLLOW_UPS["ask_level"] not in state["answer"]


async def test_the_level_given_once_is_kept_and_not_asked_for_again(conversation):
    state, _ = await conversation("Just got my PADI Open Water, 6 dives so far. What now?")
    assert state["diver_profile"]["certification_level"] == "open_water"
    state, _ = await conversation("Which would you go for?")
    assert state["route"] == "certification"
    assert state["diver_profile"]["logged_dives"] == 6
    for question in (prompts.FOLLOW_UPS["ask_level"], prompts.FOLLOW_UPS["ask_level_and_dives"]):
        assert question not in state["answer"]


async def test_a_short_follow_up_on_a_courses_price_stays_on_the_course(conversation):
    await conversation("What does the Deep Diver specialty teach?")
    state, calls = await conversation("and the price?")
    assert state["route"] == "certification" and calls == 1


async def test_off_topic_after_a_trip_turn_makes_no_model_call(conversation):
    await conversation("Which Similan sites are best for mantas?")
    state, calls = await conversation(
        "Who do you reckon will be the next prime minister this year?"
    )
    assert state["route"] == "off_topic" and calls == 0
