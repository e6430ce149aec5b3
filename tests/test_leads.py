"""Requests for a shop or a booking, through the real graph, corpus and offline answerer."""

import re

import pytest

from chains import prompts
from graph.leads import asks_more_than_booking, lead_type_for

pytestmark = pytest.mark.db


@pytest.mark.parametrize(
    ("text", "route", "lead"),
    [
        (
            "Could you put me in touch with a dive centre for my Rescue course?",
            "certification",
            "training",
        ),
        ("Please book me two fun dives at Redang next weekend", "trip", "trip"),
        ("How do I sign up for the Nitrox course?", "general", "training"),
        ("What does the Rescue course teach?", "certification", None),
        # Put in touch in other words, for "us" as well as "me"; a quote asked for.
        ("great. can you connect us with a dive resort on Redang? 4 of us", "trip", "trip"),
        ("can you hook me up with a centre that does DM internships?", "certification", "training"),
        ("could you get a shop there to send us a quote? 2 people, 10-14 July", "trip", "trip"),
        ("can you get me a quote for a Maldives liveaboard in March?", "trip", "trip"),
        # Getting somewhere, a link to a website, a quotation: no shop asked for.
        ("what's the best way to get us to Komodo from Bali?", "trip", None),
        ("can you link me to the DAN website?", "safety", None),
        ("is it better to go with a resort or a liveaboard?", "trip", None),
    ],
)
def test_a_request_for_a_shop_or_a_booking_is_a_lead(text, route, lead):
    assert lead_type_for(text, route) == lead


def test_a_question_beside_the_booking_is_told_apart_from_the_booking_alone():
    assert not asks_more_than_booking("Can you connect me with a shop for the Rescue course?")
    assert asks_more_than_booking("Please book me on the Rescue course. How long does it take?")


async def test_a_course_request_gets_the_course_and_what_happens_next(conversation):
    state, calls = await conversation(
        "Could you put me in touch with a dive centre for the Rescue Diver course?"
    )
    assert state["lead_offer"] and state["lead_type"] == "training" and calls == 0
    paths = {citation["path"] for citation in state["citations"]}
    assert len(paths) == 1 and "rescue" in paths.pop()  # the course's own guide
    answer = state["answer"]
    assert "Rescue" in answer and prompts.LEAD_NEXT_STEPS["training"] in answer
    assert re.search(r"\bdays?\b", answer)  # how long it takes
    assert answer.endswith(prompts.LEAD_FOLLOW_UP["training"]) and answer.count("?") == 1
    assert "card" not in answer.replace("certification card", "")  # nothing on lost cards


async def test_a_request_for_the_next_course_follows_the_divers_level(conversation):
    await conversation("I'm a PADI Open Water diver with 15 dives.")
    state, calls = await conversation("Can you find me a dive school for my next course?")
    assert state["lead_type"] == "training" and calls == 0
    assert "advanced" in state["citations"][0]["path"]


async def test_a_trip_request_gets_the_place_and_what_happens_next(conversation):
    state, calls = await conversation("Please book me a few fun dives at Tioman next month")
    assert state["route"] == "trip" and state["lead_type"] == "trip" and calls == 0
    assert state["citations"][0]["path"].startswith("destinations/tioman/")
    assert "Tioman" in state["answer"] and prompts.LEAD_NEXT_STEPS["trip"] in state["answer"]


async def test_a_booking_with_a_question_is_answered_by_the_model_with_the_offer(conversation):
    state, calls = await conversation(
        "I'd like to sign up for the Advanced Open Water course. How long does it take?"
    )
    assert state["lead_type"] == "training" and calls == 1
    assert prompts.LEAD_NEXT_STEPS["training"] in state["answer"]


@pytest.mark.parametrize(
    ("course", "agency", "guide"),
    [
        ("advanced_open_water", "NAUI", "certifications/naui-advanced-and-rescue.md"),
        (
            "advanced_open_water",
            "SSI",
            "certifications/ssi-advanced-adventurer-and-advanced-open-water.md",
        ),
        ("open_water", "PADI", "certifications/padi-open-water-diver.md"),
        ("rescue", None, "certifications/padi-rescue-diver.md"),
    ],
)
async def test_a_courses_own_guide_is_found_for_its_agency(
    pool, embeddings, indexed_corpus, course, agency, guide
):
    """On the real corpus: a decision guide full of the course's usual name does not hide
    the agency's own guide, whose title uses the agency's name for it."""
    from chains.retrieval import KnowledgeRetriever
    from graph.leads import course_guide
    from store.vector_index import IndexSpec

    retriever = KnowledgeRetriever(
        pool=pool,
        embeddings=embeddings,
        spec=IndexSpec(embeddings.model_name, embeddings.dimension),
    )
    assert await course_guide(retriever, course, agency) == guide
