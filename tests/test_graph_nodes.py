"""The graph with a counting fake model and a fixed retriever: no database needed."""

import asyncio

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from chains import prompts
from config.settings import Settings
from graph.context import Context
from graph.graph import compile_chat_graph
from graph.leads import COURSE_WORDS
from graph.nodes.agents import HISTORY_MESSAGES, bounded_history
from graph.places import Gazetteer
from graph.routing.router import TurnRouter
from tests.fakes import CountingChatModel, FixedRetriever, NoSites, graph_conversation, passage

SITE = passage(
    "destinations/tioman/sites/renggis-island.md",
    "Renggis Island\nRenggis is a shallow reef from 5 to 14 m.",
    title="Renggis Island",
    section="Depth and conditions",
    similarity=0.7,
)
# Far in meaning, and held by one ranking only (a fused score no higher than its first place
# gives): noise, however thin the list.
NOISE = {
    **passage("general/photography.md", "Photography\nUse a red filter.", similarity=0.1),
    "score": 1 / 61,
}


@pytest.fixture(scope="module")
def router(embeddings):
    return TurnRouter(embeddings)


@pytest.fixture
def chat(router):
    retriever = FixedRetriever([SITE, NOISE])
    turn, model = graph_conversation(router, retriever, Gazetteer.default(), "t1")
    return turn, model, retriever


@pytest.mark.parametrize(
    ("message", "route", "calls"),
    [
        ("How old do you have to be for the PADI Open Water course?", "certification", 1),
        ("When is the best season to dive Sipadan?", "trip", 1),
        ("Is it safe to fly the day after diving?", "safety", 1),
        ("How do I stop my mask from fogging?", "general", 1),
        ("hi there!", "general", 0),
        ("Write me a python function that reverses a list", "off_topic", 0),
        ("my buddy surfaced 10 minutes ago and now his arm is numb", "emergency", 0),
    ],
)
async def test_model_calls_per_route(chat, message, route, calls):
    turn, model, retriever = chat
    state = await turn(message)
    assert state["route"] == route
    assert model.calls == calls
    # Fixed replies retrieve nothing either; an agent's turn searches (the top chunks, then
    # inside their best document) with one and the same query. The one exception is the
    # lookup of a course's own guide (graph/leads.py course_guide), made once per course
    # and cached for minutes, not once per turn.
    # (searched with the agency's name when one is known: "PADI Open Water Diver course")
    agencies = ("", "PADI ", "SSI ", "NAUI ", "CMAS ", "BSAC ")
    guide_lookups = {f"{agency}{words}" for agency in agencies for words in COURSE_WORDS.values()}
    turn_queries = {q for q in retriever.queries if q not in guide_lookups}
    assert len(turn_queries) == calls
    assert len(set(retriever.queries) & guide_lookups) <= 1


async def test_a_normal_turn_is_grounded_and_cites_only_relevant_passages(chat):
    turn, model, _ = chat
    state = await turn("How deep is Renggis Island at Tioman?")
    assert state["answer"] == model.reply
    assert state["citations"] == [
        {"path": SITE["path"], "title": "Renggis Island", "section": "Depth and conditions"}
    ]
    system = model.prompts[0][0].content
    assert "5 to 14 m" in system and "red filter" not in system
    assert "<follow_up>" in system


async def test_an_emergency_gets_the_fixed_reply_with_no_question(chat):
    turn, model, _ = chat
    await turn("We're diving Komodo next week, any tips?")
    state = await turn("help, my wife came up from 25m and can't feel her legs")
    answer = state["answer"]
    assert state["route"] == "emergency" and state["safety_flags"] == ["emergency"]
    assert "112" in answer and "+61-8-8212-9242" in answer and "+1-919-684-9111" in answer
    assert "999" in answer  # Malaysia's number is always given
    assert "?" not in answer and state["follow_up"] is None and not state["lead_offer"]
    assert model.calls == 1  # the trip question only: the emergency reply costs no call


async def test_medical_questions_end_with_the_dive_physician_sentence(chat):
    turn, _, _ = chat
    state = await turn("Can I dive if I have diabetes?")
    assert state["route"] == "safety"
    assert state["answer"].endswith(prompts.MEDICAL_NOTE)
    assert "medical_question" in state["safety_flags"]


async def test_booking_intent_raises_the_lead_offer(chat):
    turn, model, _ = chat
    state = await turn("I'd like to book a dive trip to Sipadan, can you recommend a shop?")
    assert state["lead_offer"] and state["lead_type"] == "trip"
    assert prompts.LEAD_FOLLOW_UP["trip"] in model.prompts[-1][0].content
    course = await turn("How do I sign up for the Rescue Diver course?")
    assert course["lead_offer"] and course["lead_type"] == "training"


async def test_the_profile_is_learnt_and_a_new_destination_replaces_the_old(chat):
    turn, _, _ = chat
    await turn("I'm SSI Advanced with about 40 logged dives, thinking about Tioman")
    state = await turn("Actually, what about Komodo instead?")
    profile = state["diver_profile"]
    assert profile["agency"] == "SSI"
    assert profile["certification_level"] == "advanced_open_water"
    assert profile["logged_dives"] == 40
    assert profile["destination"] == "komodo"
    other = await turn("My daughter is Open Water certified, can she join?")
    assert other["diver_profile"]["certification_level"] == "advanced_open_water"


async def test_per_turn_results_do_not_leak_into_the_next_turn(chat):
    turn, _, _ = chat
    first = await turn("I want to book a course, find me a shop")
    assert first["lead_offer"]
    second = await turn("Thanks!")
    assert not second["lead_offer"] and second["citations"] == [] and second["lead_type"] is None


async def test_a_place_the_knowledge_base_lacks_is_said_plainly(chat):
    turn, model, _ = chat
    state = await turn("When is the best time to dive in Bali?")
    assert state["route"] == "trip" and model.calls == 0
    assert "Bali" in state["answer"] and "don't have" in state["answer"]


def test_history_sent_to_the_model_is_bounded_and_opens_on_the_diver():
    messages = []
    for i in range(20):
        messages += [HumanMessage(f"q{i}"), AIMessage(f"a{i}")]
    messages.append(HumanMessage("latest"))
    window = bounded_history(messages)
    assert len(window) <= HISTORY_MESSAGES
    assert isinstance(window[0], HumanMessage)
    assert window[-1].content == "latest"


async def test_two_differently_configured_graphs_run_side_by_side(router):
    """Each graph answers with its own model and retriever: nothing is process-wide."""

    def context(reply: str, passages) -> Context:
        return Context(
            settings=Settings(_env_file=None),
            embeddings=router.embeddings,
            chat_model=CountingChatModel(reply=reply),
            retriever=FixedRetriever(passages),
            router=router,
            gazetteer=Gazetteer.default(),
            sites=NoSites(),
        )

    first, second = (
        context("First model. Anything else?", [SITE]),
        context("Second model. Anything else?", [NOISE]),
    )
    graphs = [compile_chat_graph(InMemorySaver(), ctx) for ctx in (first, second)]
    question = {"messages": [HumanMessage("How deep is Renggis Island at Tioman?")]}
    states = await asyncio.gather(
        *(g.ainvoke(question, {"configurable": {"thread_id": "same"}}) for g in graphs)
    )
    assert [s["answer"] for s in states] == [
        "First model. Anything else?",
        "Second model. Anything else?",
    ]
    assert first.chat_model.calls == 1 and second.chat_model.calls == 1
    assert "5 to 14 m" in first.chat_model.prompts[0][0].content
    assert "5 to 14 m" not in second.chat_model.prompts[0][0].content
    # A context passed on the call wins over the one bound to the graph.
    state = await graphs[0].ainvoke(
        question, {"configurable": {"thread_id": "other"}}, context=second
    )
    assert state["answer"] == "Second model. Anything else?"
