"""Whole conversations through the real graph: Postgres checkpointer, real retrieval, the
offline extractive answerer."""

import re
import uuid

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

from chains.callbacks import ModelCallCounter
from graph.context import Context
from graph.graph import compile_chat_graph

pytestmark = pytest.mark.db
FORBIDDEN = re.compile(r"\b(context|documents?|passages?|retriev\w*)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
async def services(settings, pool, embeddings, indexed_corpus):
    return await Context.create(settings, pool, embeddings=embeddings)


@pytest.fixture(scope="module")
async def graph(pool, services):
    checkpointer = AsyncPostgresSaver(pool)
    await checkpointer.setup()
    # The context is bound to the graph, as the server binds it for LangServe.
    return compile_chat_graph(checkpointer, services)


@pytest.fixture
def conversation(graph, services):
    thread = str(uuid.uuid4())

    async def turn(text: str) -> tuple[dict, int]:
        calls = ModelCallCounter()
        config = {"configurable": {"thread_id": thread}, "callbacks": [calls]}
        state = await graph.ainvoke({"messages": [HumanMessage(text)]}, config)
        assert not FORBIDDEN.search(state["answer"]), state["answer"]
        return state, calls.count

    return turn


async def test_beginner_to_open_water_to_a_first_trip(conversation):
    state, calls = await conversation("I've never dived before. How do I get started?")
    assert state["route"] == "certification" and calls == 1
    assert state["diver_profile"]["certification_level"] == "none"
    assert any(c["path"].startswith("certifications/") for c in state["citations"])

    state, _ = await conversation("How long does the PADI Open Water course take?")
    assert state["route"] == "certification"
    assert state["answer"].count("?") == 1 and state["answer"].rstrip().endswith("?")

    state, calls = await conversation(
        "Great, I'm now PADI Open Water certified! Which sites at Tioman suit me for a first trip?"
    )
    assert state["route"] == "trip" and calls == 1
    profile = state["diver_profile"]
    assert profile["certification_level"] == "open_water" and profile["destination"] == "tioman"
    assert "Renggis" in state["answer"]  # a beginner site, from the dive_sites table
    assert all("tioman" in c["path"] for c in state["citations"])


async def test_a_snorkel_only_bay_is_not_offered_as_a_dive(conversation):
    state, calls = await conversation(
        "I've never dived but I'm going to the Maldives. Can I dive Hanifaru Bay?"
    )
    assert state["route"] == "trip" and calls == 1
    assert "snorkel-only" in state["answer"] and "suits" not in state["answer"], state["answer"]
    state, _ = await conversation("Which Maldives sites suit me then?")
    suit = state["answer"].split("Sites that need more training")[0]
    assert "Sites at" in suit and "Hanifaru" not in suit, state["answer"]


async def test_switching_from_tioman_to_komodo_answers_about_komodo(conversation):
    state, _ = await conversation("When is the best time to dive Tioman?")
    assert state["diver_profile"]["destination"] == "tioman"
    assert "Tioman" in state["answer"] or "April" in state["answer"]
    state, _ = await conversation("And what about Komodo? When should I go there?")
    assert state["route"] == "trip" and state["diver_profile"]["destination"] == "komodo"
    assert state["citations"] and all("/komodo/" in c["path"] for c in state["citations"])
    assert "Tioman" not in state["answer"]


async def test_an_emergency_in_the_middle_of_a_trip_chat(conversation):
    await conversation("We're on a liveaboard in the Red Sea, what is the Thistlegorm like?")
    state, calls = await conversation("my buddy just surfaced and he's confused and slurring")
    assert state["route"] == "emergency" and calls == 0
    assert "123" in state["answer"]  # Egypt's ambulance number, from the destination
    assert state["follow_up"] is None and not state["lead_offer"]
    # Still about the casualty ("he", "the medics"): when in doubt the emergency holds.
    state, calls = await conversation(
        "ok he is with the medics now. what is the Thistlegorm depth?"
    )
    assert state["route"] == "emergency" and calls == 0
    state, calls = await conversation(
        "false alarm, he's totally fine now. So how deep is the Thistlegorm?"
    )
    assert state["route"] == "trip" and calls == 1


async def test_a_booking_intent_raises_the_lead_offer(conversation):
    state, _ = await conversation(
        "I want to book a trip to Sipadan in May, can you recommend a dive shop?"
    )
    assert state["route"] == "trip"
    assert state["lead_offer"] and state["lead_type"] == "trip"
    assert (
        state["follow_up"]
        == "Would you like me to connect you with a partner dive shop for this trip?"
    )


async def test_the_checkpointer_keeps_the_whole_conversation(conversation, graph):
    for text in ("hi", "what is nitrox?", "and is it safe for beginners?"):
        state, _ = await conversation(text)
    assert [m.type for m in state["messages"]] == ["human", "ai"] * 3


async def test_tokens_stream_through_the_graph(graph, services):
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    tokens = []
    async for chunk, meta in graph.astream(
        {"messages": [HumanMessage("How do I equalise my ears on descent?")]},
        config,
        stream_mode="messages",
    ):
        if isinstance(chunk, AIMessageChunk):
            tokens.append(chunk.content)
            assert meta["langgraph_node"] == "general_agent" or meta["langgraph_node"].endswith(
                "agent"
            )
    state = (await graph.aget_state(config)).values
    assert len(tokens) > 5
    assert "".join(tokens) == state["answer"]


async def test_a_turn_writes_one_checkpoint(graph, services, pool):
    thread = str(uuid.uuid4())
    config = {"configurable": {"thread_id": thread}}
    await graph.ainvoke({"messages": [HumanMessage("what is a safety stop?")]}, config)
    await graph.ainvoke({"messages": [HumanMessage("and how long is it?")]}, config)
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT count(*) AS n FROM checkpoints WHERE thread_id = %s", (thread,)
        )
        assert (await cur.fetchone())["n"] == 2  # one per turn, not one per node


async def test_how_long_after_what_next_is_answered_from_the_courses_duration_section(
    conversation,
):
    """The guide of the course in focus is searched again for this turn: its section
    headed for what is asked ("Duration and cost") comes in before closer echoes."""
    state, _ = await conversation(
        "Hi! I just got my Open Water with PADI, 8 dives so far. What should I do next?"
    )
    assert state["focus"]["course"] == "advanced_open_water"
    state, _ = await conversation("how long does it take?")
    assert state["route"] == "certification"
    assert "2 days" in state["answer"], state["answer"]
