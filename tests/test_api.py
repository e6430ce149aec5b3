"""The web contract against a real server process on the real database."""

import json
import threading
import time
import typing
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import psycopg
import pytest

from tests.server_process import ServerProcess, free_port

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def server(database_url, indexed_corpus, tmp_path_factory):
    sink = tmp_path_factory.mktemp("leads") / "delivered.jsonl"
    process = ServerProcess(
        database_url,
        CHAT_RATE_LIMIT="1000/minute",
        LEADS_RATE_LIMIT="1000/minute",
        LEAD_SINK_FILE=str(sink),
        LEAD_RETRY_BASE_SECONDS="0.2",
    ).start()
    process.wait_for_ready()
    process.sink = sink
    yield process
    process.stop()


def chat(server, message, **extra):
    return httpx.post(f"{server.base_url}/api/chat", json={"message": message, **extra}, timeout=30)


def test_a_turn_returns_the_contract_shape_in_camel_case(server):
    response = chat(server, "How deep can a PADI Open Water diver go?")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "message",
        "sessionId",
        "agentType",
        "followUpQuestion",
        "citations",
        "metadata",
    }
    assert body["agentType"] == "certification" and body["metadata"]["route"] == "certification"
    assert body["citations"] and set(body["citations"][0]) == {"path", "title", "section"}
    assert body["followUpQuestion"] and body["message"].endswith(body["followUpQuestion"])
    assert response.headers["x-request-id"]


def test_a_session_continues_and_can_be_read_and_deleted(server):
    first = chat(server, "I'm PADI Open Water with 15 dives").json()
    session = first["sessionId"]
    second = chat(server, "When is the best time for Sipadan?", session_id=session).json()
    assert second["sessionId"] == session  # snake_case accepted on input
    assert second["metadata"]["diverProfile"]["certificationLevel"] == "open_water"
    read = httpx.get(f"{server.base_url}/api/sessions/{session}").json()
    assert [m["role"] for m in read["messages"]] == ["user", "assistant"] * 2
    assert read["messages"][0]["content"] == "I'm PADI Open Water with 15 dives"
    assert read["diverProfile"]["destination"] == "sipadan"
    assert httpx.delete(f"{server.base_url}/api/sessions/{session}").status_code == 204
    gone = httpx.get(f"{server.base_url}/api/sessions/{session}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "SESSION_NOT_FOUND"


def test_an_unknown_or_expired_session_starts_a_new_one(server, database_url):
    unknown = chat(server, "hello", sessionId="never-seen-before").json()
    assert unknown["sessionId"] != "never-seen-before"
    assert unknown["metadata"]["sessionExpired"] is True
    session = chat(server, "what is nitrox?").json()["sessionId"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE chat_sessions SET last_active_at = now() - interval '25 hours' WHERE id = %s",
            (session,),
        )
    assert httpx.get(f"{server.base_url}/api/sessions/{session}").status_code == 404
    after = chat(server, "and is it safe?", sessionId=session).json()
    assert after["sessionId"] != session and after["metadata"]["sessionExpired"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": ""}, "message"),
        ({}, "message"),
        ({"message": "hi", "sessionId": "bad id!"}, "sessionId"),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field(server, payload, field):
    response = httpx.post(f"{server.base_url}/api/chat", json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and field in error["message"]


def test_malformed_json_and_oversized_bodies_get_the_error_shape(server):
    bad = httpx.post(
        f"{server.base_url}/api/chat",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    huge = httpx.post(f"{server.base_url}/api/chat", json={"message": "x" * 100_000})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert huge.headers["x-request-id"]


def test_control_characters_are_dropped_not_fatal(server):
    # Found by schemathesis: a NUL in the message used to fail the checkpoint write (500).
    response = chat(server, "what is\u0000 a safety\u0007 stop?")
    assert response.status_code == 200, response.text
    only_control = httpx.post(f"{server.base_url}/api/chat", json={"message": "\u0000\u0001"})
    assert only_control.status_code == 422
    lone_surrogate = httpx.post(
        f"{server.base_url}/api/chat",
        content=b'{"message": "hi \\ud911 there"}',
        headers={"content-type": "application/json"},
    )
    assert lone_surrogate.status_code == 200
    lead = httpx.post(
        f"{server.base_url}/api/leads",
        json={
            "type": "training",
            "data": {
                "name": "Nul\u0000l",
                "email": "nul@example.com",
                "courseWanted": "Deep\u0000",
            },
        },
    )
    assert lead.status_code == 201


def test_words_like_act_as_or_ignore_are_not_refused(server):
    response = chat(server, "Can my partner act as my buddy, or should I ignore that rule?")
    assert response.status_code == 200 and response.json()["agentType"] != "off_topic"


def test_the_request_id_a_client_sends_comes_back(server):
    response = httpx.get(f"{server.base_url}/health", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def _sse(server, message, **extra):
    events = []
    with httpx.stream(
        "POST", f"{server.base_url}/api/chat/stream", json={"message": message, **extra}, timeout=30
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
    return events


@pytest.mark.parametrize(
    "message", ["How do I equalise my ears?", "Can I dive with asthma?", "write me a poem"]
)
def test_streamed_tokens_add_up_to_the_final_message(server, message):
    events = _sse(server, message)
    types = [e["type"] for e in events]
    assert types[0] == "session" and types[1] == "route" and types[-1] == "final"
    final = events[-1]
    tokens = "".join(e["content"] for e in events if e["type"] == "token")
    assert tokens == final["message"]
    assert final["sessionId"] == events[0]["sessionId"]
    assert [e for e in events if e["type"] == "citation"] == [
        {"type": "citation", **c} for c in final["citations"]
    ]


def test_an_emergency_streams_session_route_final(server):
    events = _sse(server, "my buddy just surfaced and cant feel his legs")
    assert [e["type"] for e in events] == ["session", "route", "final"]
    assert events[1]["agentType"] == "emergency"
    assert "+61-8-8212-9242" in events[-1]["message"]


def test_concurrent_turns_on_one_session_keep_its_history_whole(server):
    session = chat(server, "hello").json()["sessionId"]
    results = []

    def send(text):
        results.append(chat(server, text, sessionId=session))

    threads = [
        threading.Thread(target=send, args=(q,))
        for q in ("what is a safety stop?", "what is nitrox?")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.status_code == 200 for r in results)
    messages = httpx.get(f"{server.base_url}/api/sessions/{session}").json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3


def test_a_lead_is_stored_delivered_and_deduplicated(server, database_url):
    email = f"diver-{uuid.uuid4().hex[:8]}@example.com"
    lead = {
        "type": "training",
        "data": {"name": "Aisha", "email": email, "courseWanted": "Advanced Open Water"},
    }
    first = httpx.post(f"{server.base_url}/api/leads", json=lead)
    assert first.status_code == 201, first.text
    lead_id = first.json()["leadId"]
    again = httpx.post(
        f"{server.base_url}/api/leads",
        json={**lead, "data": {**lead["data"], "phone": "+60 12 345 6789"}},
    )
    assert again.json()["leadId"] == lead_id
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and lead_id not in (
        server.sink.read_text() if server.sink.exists() else ""
    ):
        time.sleep(0.2)
    delivered = [json.loads(line) for line in server.sink.read_text().splitlines()]
    assert [d["leadId"] for d in delivered].count(lead_id) == 1
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT duplicate_count, data FROM leads WHERE id = %s", (lead_id,)
        ).fetchone()
    assert row[0] == 1 and row[1]["phone"] == "+60 12 345 6789"


@pytest.mark.parametrize(
    ("lead", "field"),
    [
        ({"type": "trip", "data": {"name": "A", "email": "a@example.com"}}, "data.destination"),
        (
            {"type": "trip", "data": {"name": "A", "email": "nope", "destination": "Tioman"}},
            "data.email",
        ),
        (
            {
                "type": "trip",
                "data": {
                    "name": "A",
                    "email": "a@example.com",
                    "destination": "X",
                    "groupSize": 51,
                },
            },
            "data.groupSize",
        ),
        ({"type": "training", "data": {"name": "", "email": "a@example.com"}}, "data.name"),
        ({"type": "party", "data": {}}, "type"),
    ],
)
def test_a_bad_lead_is_refused_with_the_field_named(server, lead, field):
    response = httpx.post(f"{server.base_url}/api/leads", json=lead)
    assert response.status_code == 422
    assert field in response.json()["error"]["message"]


def test_the_honeypot_keeps_bots_out_without_telling_them(server, database_url):
    email = f"bot-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(
        f"{server.base_url}/api/leads",
        json={
            "type": "training",
            "website": "http://spam.example",
            "data": {"name": "Bot", "email": email},
        },
    )
    assert response.status_code == 201
    with psycopg.connect(database_url) as conn:
        assert (
            conn.execute("SELECT count(*) FROM leads WHERE email = %s", (email,)).fetchone()[0] == 0
        )


def test_remote_runnable_holds_a_two_turn_conversation(server):
    from langchain_core.messages import HumanMessage
    from langserve import RemoteRunnable

    session = str(uuid.uuid4())
    remote = RemoteRunnable(f"{server.base_url}/chat/", headers={"X-Session-Id": session})
    remote.invoke({"messages": [HumanMessage("When is the best season for Komodo?")]})
    state = remote.invoke({"messages": [HumanMessage("and the water temperature?")]})
    assert [m.type for m in state["messages"]] == ["human", "ai", "human", "ai"]
    assert state["diver_profile"]["destination"] == "komodo"


def test_rate_limits_answer_429_with_retry_after(database_url, indexed_corpus):
    process = ServerProcess(database_url, CHAT_RATE_LIMIT="2/hour").start()
    try:
        codes = [chat(process, "hi").status_code for _ in range(3)]
        limited = chat(process, "hi")
    finally:
        process.stop()
    assert codes[:2] == [200, 200] and limited.status_code == 429
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["retry-after"]) >= 1


def test_when_every_model_fails_the_turn_is_503_and_the_session_unchanged(
    database_url, indexed_corpus
):
    # Groq with no network: every call fails fast, and there is no other provider.
    process = ServerProcess(
        database_url,
        CHAT_MODEL="groq/llama-3.3-70b-versatile",
        GROQ_API_KEY="test-key-no-network",
        LLM_MAX_RETRIES="0",
        LLM_TIMEOUT_SECONDS="3",
    ).start()
    try:
        session = chat(process, "hello").json()["sessionId"]  # small talk: no model call
        failed = chat(process, "What is the minimum age for Open Water?", sessionId=session)
        messages = httpx.get(f"{process.base_url}/api/sessions/{session}").json()["messages"]
    finally:
        process.stop()
    assert failed.status_code == 503
    assert failed.json()["error"]["code"] == "LLM_UNAVAILABLE"
    assert len(messages) == 2 and messages[0]["content"] == "hello"


class _Webhook(BaseHTTPRequestHandler):
    status = 500
    received: typing.ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_leads_survive_a_failing_webhook_and_a_restart(database_url, indexed_corpus):
    port = free_port()
    hook = HTTPServer(("127.0.0.1", port), _Webhook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    env = {"LEAD_WEBHOOK_URL": f"http://127.0.0.1:{port}/leads", "LEAD_RETRY_BASE_SECONDS": "0.2"}
    email = f"hook-{uuid.uuid4().hex[:8]}@example.com"
    try:
        _Webhook.status = 500
        first = ServerProcess(database_url, **env).start()
        try:
            lead_id = httpx.post(
                f"{first.base_url}/api/leads",
                json={
                    "type": "trip",
                    "data": {
                        "name": "Wei",
                        "email": email,
                        "destination": "Sipadan",
                        "groupSize": 4,
                    },
                },
            ).json()["leadId"]
            # Several failing attempts; polled, since the worker starts with the app.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with psycopg.connect(database_url) as conn:
                    status, attempts, error = conn.execute(
                        "SELECT status, attempts, last_error FROM lead_outbox WHERE lead_id = %s",
                        (lead_id,),
                    ).fetchone()
                if attempts >= 2:
                    break
                time.sleep(0.3)
        finally:
            first.stop()
        assert status == "pending" and attempts >= 2 and error == "webhook answered HTTP 500"

        _Webhook.status = 200
        second = ServerProcess(database_url, **env).start()
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                with psycopg.connect(database_url) as conn:
                    status = conn.execute(
                        "SELECT status FROM lead_outbox WHERE lead_id = %s", (lead_id,)
                    ).fetchone()[0]
                if status == "delivered":
                    break
                time.sleep(0.3)
        finally:
            second.stop()
        assert status == "delivered"
        assert any(
            r["leadId"] == lead_id and r["data"]["groupSize"] == 4 for r in _Webhook.received
        )
    finally:
        hook.shutdown()
