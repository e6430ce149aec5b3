"""The follow-up reader: whether a follow-up keeps the previous route, read in context.

Wordings here are our own, written for each kind; they are not rows of the context bank nor
of any eval file.
"""

import numpy as np
import pytest

from graph.focus import update_focus
from graph.nodes.routing import reconsider_follow_up, settle_route
from graph.places import Gazetteer
from graph.routing.follow_up import (
    FollowUp,
    FollowUpReader,
    features,
    load_context_bank,
)
from graph.routing.learned import ROUTES
from graph.routing.router import RouteDecision, TurnRouter

PLACES = Gazetteer.default()


def follow_up(previous_route: str, own_best: str, leans: bool) -> FollowUp:
    own = np.full(len(ROUTES), 0.3, dtype=np.float32)
    own[ROUTES.index(own_best)] = 0.5
    return FollowUp(
        own=own,
        before=own,
        previous_route=previous_route,
        similarity=0.6 if leans else 0.1,
        marks={"leans": leans, "elliptic": leans, "names_subject": not leans},
        cued=frozenset() if leans else frozenset({own_best}),
        words=4 if leans else 14,
    )


def test_the_bank_holds_only_routes_the_router_gives():
    rows = load_context_bank()
    assert len(rows) > 500
    assert {row["label"] for row in rows} <= set(ROUTES)
    assert all(row["history"][-1]["route"] in ROUTES for row in rows)


def test_features_have_one_length_whatever_the_turn():
    lengths = {
        len(features(follow_up(previous, own, leans)))
        for previous in ("trip", "safety")
        for own in ("general", "certification")
        for leans in (True, False)
    }
    assert len(lengths) == 1


def test_the_reader_learns_that_a_leaning_turn_keeps_the_route():
    rows = [
        (follow_up(previous, own, leans), leans)
        for previous in ("trip", "certification", "safety", "general")
        for own in ("trip", "certification", "safety", "general")
        if own != previous
        for leans in (True, False)
    ]
    reader = FollowUpReader(np.array([features(r) for r, _ in rows]), [k for _, k in rows], c=1.0)
    leaning = reader.keeps(features(follow_up("trip", "general", True)))[0]
    switching = reader.keeps(features(follow_up("trip", "general", False)))[0]
    assert leaning > 0.8 > 0.2 > switching


def focus_after(*messages: str) -> dict:
    focus: dict = {}
    for message in messages:
        focus = update_focus(focus, message, PLACES)
    return focus


def decision(
    route: str, own: str, used_history: bool = True, confidence: float = 0.02
) -> RouteDecision:
    scores = dict.fromkeys(ROUTES, 0.3)
    own_scores = {**scores, own: 0.5}
    return RouteDecision(
        route,
        confidence,
        {**scores, route: 0.3 + confidence},
        used_history,
        "follow-up",
        own_scores,
    )


def test_a_sure_reader_overrules_a_history_rule_that_changed_the_route():
    text = "and the whale sharks, worth it?"
    # A place the knowledge base does not cover: no place rule applies.
    focus = focus_after("Is Fiji good in May?", text)
    made = decision("certification", "certification", used_history=False, confidence=0.1)
    route = settle_route(made, text, focus, "trip")
    assert route == "certification"
    assert reconsider_follow_up(made, route, 0.95, text, focus, "trip") == "trip"
    # Unsure, it leaves the rules' route alone.
    assert reconsider_follow_up(made, route, 0.6, text, focus, "trip") == "certification"


def test_a_sure_reader_lets_a_turn_take_its_own_route():
    text = "how do I stop my mask from fogging up"
    focus = focus_after("Which course after Open Water?", text)
    kept = decision("certification", "general")
    route = settle_route(kept, text, focus, "certification")
    assert route == "certification"
    assert reconsider_follow_up(kept, route, 0.05, text, focus, "certification") == "general"


def test_the_product_tie_breaks_apply_to_the_readers_choice():
    # Health is safety, even when the reader would keep the trip.
    text = "I'm on blood pressure pills, is that ok for the dives there?"
    focus = focus_after("Is Redang nice in June?", text)
    made = decision("safety", "safety", confidence=0.1)
    route = settle_route(made, text, focus, "trip")
    assert route == "safety"
    assert reconsider_follow_up(made, route, 0.99, text, focus, "trip") == "safety"


def test_a_place_follow_up_the_tie_breaks_settle_is_left_to_them():
    text = "Do I need a thick wetsuit then?"
    focus = focus_after("When is the best time to dive Sipadan?", text)
    made = decision("general", "general")
    settled = settle_route(made, text, focus, "trip")
    assert settled == "trip"
    assert reconsider_follow_up(made, settled, 0.01, text, focus, "trip") == "trip"


@pytest.fixture(scope="module")
def router(embeddings):
    return TurnRouter(embeddings)


@pytest.mark.parametrize(
    ("previous", "previous_route", "text", "keeps"),
    [
        ("Is Komodo good in August?", "trip", "and what about the currents then?", True),
        ("How long is the Rescue course?", "certification", "and the price?", True),
        (
            "Is Komodo good in August?",
            "trip",
            "how many logged dives do I need to start the divemaster course?",
            False,
        ),
        (
            "What does the Advanced course cover?",
            "certification",
            "how do I stop my mask from fogging up?",
            False,
        ),
    ],
)
async def test_the_reader_on_turns_that_keep_or_change_the_route(
    router, previous, previous_route, text, keeps
):
    await router.route(router.spelling.correct(previous))  # as the previous turn embedded it
    p = await router.keeps_route(router.spelling.correct(text), previous, previous_route)
    assert (p >= 0.5) == keeps, p


async def test_no_reading_after_an_emergency_or_with_no_previous_route(router):
    assert await router.keeps_route("and now?", "my buddy is numb", "emergency") is None
    assert await router.keeps_route("and now?", "hello", None) is None
