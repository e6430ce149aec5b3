"""An emergency in progress: follow-ups stay on the emergency path, answered without a model."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

from chains.callbacks import ModelCallCounter
from graph.context import Context
from graph.graph import compile_chat_graph
from graph.nodes.emergency import asked_topics
from graph.nodes.safety_gate import EMERGENCY_WINDOW, decide
from graph.routing.emergency_detector import EmergencyDetector
from graph.routing.router import TurnRouter
from graph.state import ActiveEmergency
from tests.server_process import ServerProcess

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DAN = "+61-8-8212-9242"


def active(minutes_ago: float) -> ActiveEmergency:
    stamp = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    return ActiveEmergency(
        started_at=stamp, last_at=stamp, what="my buddy is numb after the dive", turns=1
    )


@pytest.fixture(scope="module")
def gate(embeddings):
    detector = EmergencyDetector(embeddings, None)  # the rules: the floor the tests rely on
    router = TurnRouter(embeddings)

    async def run(text, state, minutes_ago=5.0):
        return await decide(text, state(minutes_ago) if state else None, detector, router, NOW)

    return run


async def test_an_emergency_raises_an_active_emergency(gate):
    decision = await gate("my buddy is unconscious on the deck", None)
    assert decision.emergency and not decision.follow_up
    assert decision.active["turns"] == 1 and decision.active["started_at"] == NOW.isoformat()
    assert decision.active["what"] == "my buddy is unconscious on the deck"


@pytest.mark.parametrize(
    "text",
    [
        "ok we called the ambulance and he's on oxygen, what else should we do?",
        "help is on the way. anything else?",
        "where is the nearest recompression chamber?",
        "should we give him water to drink",
        "can he fly home tomorrow?",
        "ok",
        "thanks",
        "what now",
        "he seems a bit better, is that good",
        "what do i tell the paramedics",
        # Better is not over: a question about the casualty keeps the emergency open.
        "he seems ok now but what should we watch for",
        "she's ok now i think. what should we tell the clinic",
        "he says he's fine now and wants to do the afternoon dive, is that ok?",
        "the bleeding has stopped, should she still see a doctor",
    ],
)
async def test_follow_ups_stay_on_the_emergency_path(gate, text):
    decision = await gate(text, active)
    assert decision.emergency and decision.follow_up, decision.reasons
    assert decision.active["started_at"] == active(5)["started_at"]
    assert decision.active["last_at"] == NOW.isoformat() and decision.active["turns"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "false alarm, he's totally fine now",
        "the doctors said it's not DCS, all good",
        "we found him, he surfaced safe behind the boat",
        "all good now, thanks so much",
        # In medical hands, with how it went: over, whatever else is asked.
        "She's been checked by the doctor and is ok now. When can she fly home?",
        "he was seen at the clinic this morning and is recovering, is DAN membership worth it?",
    ],
)
async def test_it_ends_when_the_diver_says_it_is_over(gate, text):
    decision = await gate(text, active)
    assert not decision.emergency and decision.active is None, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "What's the best time of year to dive Komodo?",
        "How much does the PADI Advanced Open Water course cost?",
    ],
)
async def test_it_ends_when_the_diver_clearly_moves_on(gate, text):
    decision = await gate(text, active)
    assert not decision.emergency and decision.active is None, decision.reasons


async def test_it_ends_after_the_window(gate):
    minutes = EMERGENCY_WINDOW.total_seconds() / 60 + 1
    decision = await gate("what else should we do?", active, minutes)
    assert not decision.emergency and decision.active is None
    # …but a new emergency after the window starts a new one.
    decision = await gate("he just collapsed again", active, minutes)
    assert decision.emergency and not decision.follow_up and decision.active["turns"] == 1


def test_a_follow_up_is_answered_on_what_it_asks():
    assert asked_topics("he's on oxygen now, how long do we keep it on?") == ["oxygen"]
    assert asked_topics("can I give him aspirin?") == ["medicine"]
    assert asked_topics("he stopped breathing!!") == ["not_breathing"]
    assert asked_topics("where's the closest chamber") == ["chamber"]
    assert asked_topics("what do we do now") == []


# --- whole conversations on the real graph and database ---------------------------------


@pytest.fixture(scope="module")
async def context(settings, pool, embeddings, indexed_corpus):
    return await Context.create(settings, pool, embeddings=embeddings)


@pytest.fixture(scope="module")
async def graph(pool, context):
    checkpointer = AsyncPostgresSaver(pool)
    await checkpointer.setup()
    return compile_chat_graph(checkpointer, context)


@pytest.fixture
def conversation(graph):
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}

    async def turn(text: str) -> tuple[dict, int]:
        calls = ModelCallCounter()
        state = await graph.ainvoke(
            {"messages": [HumanMessage(text)]}, {**config, "callbacks": [calls]}
        )
        return state, calls.count

    turn.config = config
    return turn


def assert_emergency_answer(state: dict, calls: int) -> str:
    answer = state["answer"]
    assert state["route"] == "emergency" and calls == 0
    assert DAN in answer and "+1-919-684-9111" in answer and "999" in answer
    assert "?" not in answer and state["follow_up"] is None and not state["lead_offer"]
    return answer


@pytest.mark.db
async def test_follow_ups_are_answered_from_first_aid_content_with_the_numbers(conversation):
    state, calls = await conversation(
        "we're diving Tioman. my buddy surfaced 10 min ago and his arm is numb"
    )
    assert_emergency_answer(state, calls)
    assert state["active_emergency"]["turns"] == 1

    state, calls = await conversation(
        "ok we called 999 and he's on oxygen now, what else can we do while we wait"
    )
    answer = assert_emergency_answer(state, calls)
    assert "until medical care takes over" in answer and "lying flat" in answer
    assert "emergency_follow_up" in state["safety_flags"]
    assert any(c["path"] == "safety/diving-emergency-first-aid.md" for c in state["citations"])

    state, calls = await conversation("where is the nearest recompression chamber?")
    answer = assert_emergency_answer(state, calls)
    assert "Lumut" in answer  # the Malaysian chamber, quoted from the knowledge base
    assert any(c["path"] == "safety/emergency-contacts-by-region.md" for c in state["citations"])

    state, calls = await conversation("should we give him some water to drink")
    answer = assert_emergency_answer(state, calls)
    assert "only if they are fully conscious" in answer
    assert state["active_emergency"]["turns"] == 4

    state, calls = await conversation("thanks, the paramedics checked him and he's fine now")
    assert state["route"] != "emergency" and state["active_emergency"] is None


@pytest.mark.db
@pytest.mark.parametrize(
    "place, first_named, named",
    [
        ("Sipadan", "Kota Kinabalu", ("Sandakan", "Tawau", "Semporna")),
        ("Komodo", "Labuan Bajo", ()),
        ("the Maldives", "Bandos", ("ADK",)),
    ],
)
async def test_the_nearest_chambers_are_those_of_the_divers_own_region(
    conversation, place, first_named, named
):
    state, _ = await conversation(f"diving {place}, my buddy just surfaced and can't feel his legs")
    assert state["route"] == "emergency"
    state, calls = await conversation("where is the nearest recompression chamber?")
    assert state["route"] == "emergency" and calls == 0
    chambers = next(p for p in state["answer"].split("\n\n") if "Recompression chambers in" in p)
    assert first_named in chambers and all(name in chambers for name in named), chambers


def test_chamber_lines_naming_the_divers_place_come_first():
    from graph.nodes.emergency import CONTACTS_DOC, chamber_sentences

    passage = {
        "path": CONTACTS_DOC,
        "title": "Emergency numbers",
        "section": "Recompression chambers by region — Malaysia",
        "content": "- Lumut, Perak: the navy's chamber for the peninsula.\n"
        "- Sabah: chambers in Kota Kinabalu, Sandakan and Tawau serve Sipadan and Mabul.\n"
        "- Divers at Tioman may face a transfer of several hours.",
    }
    assert chamber_sentences([passage], "Malaysia")[0].startswith("Lumut")
    sabah = chamber_sentences([passage], "Malaysia", ("sipadan", "semporna", "sabah"))
    assert sabah[0].startswith("Sabah") and sabah[1].startswith("Lumut")


@pytest.mark.db
async def test_after_half_an_hour_a_follow_up_leaves_the_emergency_path(conversation, graph):
    state, _ = await conversation("HELP my wife came up too fast and can't feel her legs")
    assert state["route"] == "emergency"
    old = (datetime.now(UTC) - timedelta(minutes=31)).isoformat()
    await graph.aupdate_state(
        conversation.config, {"active_emergency": {**state["active_emergency"], "last_at": old}}
    )
    state, calls = await conversation("What is the best season for diving Sipadan?")
    assert state["route"] == "trip" and calls == 1 and state["active_emergency"] is None


@pytest.mark.db
async def test_a_clear_change_of_topic_ends_it_at_once(conversation):
    await conversation("my son is throwing up and dizzy after the dive")
    state, calls = await conversation("How old do you need to be for the SSI Open Water course?")
    assert state["route"] == "certification" and calls == 1
    assert state["active_emergency"] is None


@pytest.mark.db
async def test_after_quiz_turns_a_real_report_is_still_caught(conversation):
    state, _ = await conversation("quiz me: what are the first signs of DCS?")
    assert state["route"] != "emergency"
    state, _ = await conversation("and what if a diver is unconscious at the surface in the exam?")
    assert state["route"] != "emergency"
    state, calls = await conversation(
        "ok stop, this isn't the quiz anymore: my wife just surfaced and her hand is numb"
    )
    assert_emergency_answer(state, calls)
    assert state["active_emergency"]["turns"] == 1


@pytest.fixture(scope="module")
def server(database_url, indexed_corpus):
    process = ServerProcess(database_url, CHAT_RATE_LIMIT="1000/minute").start()
    yield process
    process.stop()


def _sse(server, message, **extra):
    events = []
    with httpx.stream(
        "POST", f"{server.base_url}/api/chat/stream", json={"message": message, **extra}, timeout=60
    ) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
    return events


@pytest.mark.db
def test_a_follow_up_streams_as_an_emergency_over_http(server):
    first = _sse(server, "my buddy just surfaced and cant feel his legs")
    session = first[0]["sessionId"]
    events = _sse(server, "he is on oxygen now, what else should we do", sessionId=session)
    types = [e["type"] for e in events]
    assert types[:2] == ["session", "route"] and types[-1] == "final"
    assert set(types[2:-1]) <= {"citation"}
    assert events[1]["agentType"] == "emergency"
    final = events[-1]
    assert final["agentType"] == "emergency" and final["followUpQuestion"] is None
    assert DAN in final["message"] and not final["metadata"]["leadOffer"]
    assert "emergency_follow_up" in final["metadata"]["safetyFlags"]
