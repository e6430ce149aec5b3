"""The hosted-model path, proven offline: the real server and the real Groq and Gemini
clients, pointed at the provider stand-in (tests/provider_standin.py) through
GROQ_API_BASE and GEMINI_API_BASE."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import psycopg
import pytest

from tests.provider_standin import StandIn
from tests.server_process import ServerProcess

pytestmark = pytest.mark.db

GROQ_REPLY = "Groq says the minimum age for Open Water is ten years old with a junior card."
GEMINI_REPLY = "Gemini says Open Water starts at ten, as a junior diver, in most agencies."
QUESTIONS = [
    "What is the minimum age for Open Water?",
    "How long does the Open Water course take?",
    "What does the Advanced Open Water course cover?",
    "Do I need a medical form for a dive course?",
    "What is the difference between PADI and SSI?",
    "How deep can an Open Water diver go?",
    "What is a Rescue Diver course?",
    "Is nitrox worth learning?",
]
PROBE_TTL = 1.0


@pytest.fixture(scope="module")
def standin():
    with StandIn() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_standin(standin):
    standin.reset()
    standin.groq.behaviour.reply = GROQ_REPLY
    standin.gemini.behaviour.reply = GEMINI_REPLY


@pytest.fixture(scope="module")
def server(database_url, indexed_corpus, standin):
    process = ServerProcess(
        database_url,
        CHAT_MODEL="groq/llama-3.3-70b-versatile",
        CHAT_FALLBACK_MODEL="google_genai/gemini-2.5-flash",
        EMBEDDING_MODEL="local/all-MiniLM-L6-v2",
        GROQ_API_KEY="stand-in",
        GOOGLE_API_KEY="stand-in",
        GROQ_API_BASE=standin.base_url,
        GEMINI_API_BASE=standin.base_url,
        LLM_TIMEOUT_SECONDS="2",
        LLM_MAX_RETRIES="1",
        LLM_PROBE_TTL_SECONDS=str(PROBE_TTL),
        CHAT_RATE_LIMIT="100000/minute",
    ).start(timeout=240)  # generous: the test machine is shared
    yield process
    process.stop()


async def stream(base_url: str, message: str, *, leave_after_first_token: bool = False):
    """One diver's streamed turn: [(seconds since the request, event), ...].

    Each call is its own client with its own cookie jar, as two divers' browsers are.
    """
    events = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        started = time.perf_counter()
        async with client.stream("POST", "/api/chat/stream", json={"message": message}) as reply:
            assert reply.status_code == 200
            async for line in reply.aiter_lines():
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                events.append((time.perf_counter() - started, event))
                if leave_after_first_token and event["type"] == "token":
                    break
    return events


def chat(server, message: str, **extra) -> httpx.Response:
    return httpx.post(f"{server.base_url}/api/chat", json={"message": message, **extra}, timeout=30)


def test_concurrent_streams_overlap(server, standin):
    # A long model stream (about 2.5 s) next to which the turn's own CPU work is small,
    # even on a busy machine: eight turns in turn would take 20 s.
    standin.groq.behaviour.latency = 1.0
    standin.groq.behaviour.pace = 0.1
    asyncio.run(stream(server.base_url, "What is a dive computer for?"))  # warm the path

    started = time.perf_counter()
    one = asyncio.run(stream(server.base_url, QUESTIONS[0]))
    single = time.perf_counter() - started

    async def many():
        return await asyncio.gather(*(stream(server.base_url, q) for q in QUESTIONS))

    started = time.perf_counter()
    runs = asyncio.run(many())
    together = time.perf_counter() - started

    assert one[-1][1]["type"] == "final"
    assert all(run[-1][1]["type"] == "final" for run in runs)
    assert all(run[-1][1]["message"].startswith("Groq says") for run in runs)
    # The stand-in saw all eight model streams open at once...
    assert standin.groq.stats.max_active_streams == len(QUESTIONS)
    # ...so eight turns take about as long as one, not eight times as long.
    assert together < 2 * single, f"8 streams took {together:.2f} s, one took {single:.2f} s"


def test_turns_of_one_session_take_turns_even_when_streamed(server, standin):
    """What made streams look serial: clients sharing one cookie jar share one session,
    and a session runs one turn at a time (its history stays whole). Different divers'
    streams overlap (above); one diver's concurrent streams queue."""
    standin.groq.behaviour.latency = 0.2
    standin.groq.behaviour.pace = 0.02

    async def shared_jar():
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as client:
            await client.post("/api/chat", json={"message": "hello"})  # sets the cookie

            async def one(question: str) -> str:
                body = {"message": question}
                async with client.stream("POST", "/api/chat/stream", json=body) as reply:
                    lines = [line async for line in reply.aiter_lines()]
                return json.loads(next(ln for ln in lines if ln.startswith("data:"))[5:])

            return await asyncio.gather(*(one(q) for q in QUESTIONS[:3]))

    sessions = {event["sessionId"] for event in asyncio.run(shared_jar())}
    assert len(sessions) == 1
    assert standin.groq.stats.requests == 3 and standin.groq.stats.max_active_streams == 1


def test_tokens_reach_the_client_as_the_model_emits_them(server, standin):
    standin.groq.behaviour.latency = 0.2
    standin.groq.behaviour.pace = 0.1
    events = asyncio.run(stream(server.base_url, QUESTIONS[1]))
    tokens = [(at, e) for at, e in events if e["type"] == "token"]
    final_at = next(at for at, e in events if e["type"] == "final")
    words = len(GROQ_REPLY.split(" "))
    assert len(tokens) >= words  # one event per word the model sent, not one lump
    # The first word arrived while the model was still writing the other fifteen.
    assert final_at - tokens[0][0] > 0.5 * 0.1 * (words - 1)
    assert "".join(e["content"] for _, e in tokens) == events[-1][1]["message"]


@pytest.mark.parametrize("failure", [429, 500, "hang"])
def test_groq_failures_fall_back_to_gemini_and_back(server, standin, failure):
    standin.groq.behaviour.default = failure
    standin.groq.behaviour.hang_seconds = 10  # past the 2 s client timeout
    reply = chat(server, QUESTIONS[2])
    assert reply.status_code == 200, reply.text
    assert reply.json()["message"].startswith("Gemini says")
    # LLM_MAX_RETRIES=1: Groq was tried twice, then Gemini answered at its first attempt.
    assert standin.groq.stats.requests == 2
    assert standin.gemini.stats.requests == 1

    standin.groq.behaviour.default = "ok"
    again = chat(server, QUESTIONS[3])
    assert again.status_code == 200
    assert again.json()["message"].startswith("Groq says")
    assert standin.groq.stats.requests == 3 and standin.gemini.stats.requests == 1


def test_a_retry_that_succeeds_needs_no_fallback(server, standin):
    standin.groq.behaviour.script = [429]
    reply = chat(server, QUESTIONS[4])
    assert reply.status_code == 200 and reply.json()["message"].startswith("Groq says")
    assert standin.groq.stats.outcomes == {429: 1, "ok": 1}
    assert standin.gemini.stats.requests == 0


def _session_messages(server, session: str) -> list[dict]:
    return httpx.get(f"{server.base_url}/api/sessions/{session}").json()["messages"]


def test_when_both_providers_fail_the_turn_is_503_and_the_session_unchanged(server, standin):
    session = chat(server, "hello").json()["sessionId"]  # small talk: no model call
    standin.groq.behaviour.default = 500
    standin.gemini.behaviour.default = 503
    failed = chat(server, QUESTIONS[5], sessionId=session)
    assert failed.status_code == 503
    assert failed.json()["error"]["code"] == "LLM_UNAVAILABLE"
    assert standin.groq.stats.requests == 2 and standin.gemini.stats.requests == 2
    messages = _session_messages(server, session)
    assert len(messages) == 2 and messages[0]["content"] == "hello"

    events = asyncio.run(stream(server.base_url, QUESTIONS[5]))
    assert events[-1][1] == {
        "type": "error",
        "code": "LLM_UNAVAILABLE",
        "message": events[-1][1]["message"],
    }
    streamed_session = events[0][1]["sessionId"]
    assert httpx.get(f"{server.base_url}/api/sessions/{streamed_session}").status_code == 404


def test_a_client_that_leaves_mid_stream_cancels_the_turn(server, standin, database_url):
    standin.groq.behaviour.latency = 0.1
    standin.groq.behaviour.pace = 0.2  # about three seconds of reply
    events = asyncio.run(stream(server.base_url, QUESTIONS[6], leave_after_first_token=True))
    session = events[0][1]["sessionId"]
    assert events[-1][1]["type"] == "token"
    deadline = time.monotonic() + 5
    while standin.groq.stats.streams_closed_early == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    # The model's stream was closed long before its end...
    assert standin.groq.stats.streams_closed_early == 1
    assert standin.groq.stats.streams_completed == 0
    time.sleep(0.5)
    # ...and the turn left nothing behind: no checkpoint, no session.
    with psycopg.connect(database_url) as conn:
        count = conn.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id = %s", (session,)
        ).fetchone()[0]
    assert count == 0
    assert httpx.get(f"{server.base_url}/api/sessions/{session}").status_code == 404


def _ready(server) -> httpx.Response:
    return httpx.get(f"{server.base_url}/ready", timeout=15)


def test_ready_reports_a_failing_provider_and_its_recovery(server, standin):
    time.sleep(PROBE_TTL)
    healthy = _ready(server)
    assert healthy.status_code == 200, healthy.text
    assert healthy.json()["checks"]["llm"]["status"] == "ok"

    standin.groq.behaviour.default = 500
    standin.gemini.behaviour.default = 500
    assert chat(server, QUESTIONS[7]).status_code == 503
    failing = _ready(server)
    assert failing.status_code == 503
    assert failing.json()["status"] == "not_ready"
    llm = failing.json()["checks"]["llm"]
    assert llm["status"] == "error"
    assert {m["status"] for m in llm["models"].values()} == {"failing"}

    # Still failing once the last call's outcome is stale: the probe fails too.
    time.sleep(PROBE_TTL + 0.2)
    assert _ready(server).status_code == 503

    standin.groq.behaviour.default = "ok"
    standin.gemini.behaviour.default = "ok"
    time.sleep(PROBE_TTL + 0.2)
    recovered = _ready(server)
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["checks"]["llm"]["status"] == "ok"
    # The probe was the model-list call: it spent no tokens.
    assert standin.groq.stats.model_lists >= 1


def test_ready_is_ok_while_the_fallback_answers(server, standin):
    standin.groq.behaviour.default = 429
    assert chat(server, f"{QUESTIONS[0]} {uuid.uuid4().hex[:4]}").status_code == 200
    ready = _ready(server)
    assert ready.status_code == 200
    models = ready.json()["checks"]["llm"]["models"]
    assert models["groq/llama-3.3-70b-versatile"]["status"] == "failing"
    assert models["google_genai/gemini-2.5-flash"]["status"] == "ok"
