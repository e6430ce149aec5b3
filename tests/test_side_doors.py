"""LangServe's /chat under the session rules, the log, and forwarded addresses — against a
real server process on the real database."""

import json
import uuid

import httpx
import psycopg
import pytest

from api.redaction import session_tag
from store.sessions import SessionStore
from tests.server_process import ServerProcess

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def server(database_url, indexed_corpus):
    process = ServerProcess(
        database_url,
        CHAT_RATE_LIMIT="1000/minute",
        LOG_LEVEL="INFO",
        LOG_FORMAT="json",
        FORWARDED_ALLOW_IPS="10.9.8.7",  # a proxy that is not the test client
    ).start()
    yield process
    process.stop()


def invoke(server, text, thread=None, headers=None, **body):
    payload = {"input": {"messages": [{"type": "human", "content": text}]}, **body}
    if thread:
        payload["config"] = {"configurable": {"thread_id": thread}}
    return httpx.post(f"{server.base_url}/chat/invoke", json=payload, headers=headers, timeout=120)


def test_a_langserve_thread_is_a_session_that_continues_on_the_web_contract(server, database_url):
    thread = str(uuid.uuid4())
    first = invoke(server, "I'm PADI Open Water with 15 dives", thread)
    assert first.status_code == 200, first.text
    assert first.headers["x-session-id"] == thread
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT 1 FROM chat_sessions WHERE id = %s", (thread,)).fetchone()
    web = httpx.post(
        f"{server.base_url}/api/chat",
        json={"message": "When is the best time for Sipadan?", "sessionId": thread},
        timeout=120,
    ).json()
    assert web["sessionId"] == thread and web["metadata"]["sessionExpired"] is False
    assert web["metadata"]["diverProfile"]["certificationLevel"] == "open_water"
    again = invoke(server, "and the water temperature?", thread).json()["output"]
    assert [m["type"] for m in again["messages"]] == ["human", "ai"] * 3


def test_a_langserve_thread_without_an_id_gets_one_back(server):
    response = invoke(server, "what is nitrox?")
    assert response.status_code == 200
    thread = response.headers["x-session-id"]
    assert uuid.UUID(thread)
    assert httpx.get(f"{server.base_url}/api/sessions/{thread}").status_code == 200


async def test_an_expired_langserve_thread_starts_afresh_and_is_pruned(server, database_url, pool):
    thread = str(uuid.uuid4())
    assert invoke(server, "what is nitrox?", thread).status_code == 200
    expire = "UPDATE chat_sessions SET last_active_at = now() - interval '25 hours' WHERE id = %s"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(expire, (thread,))
    fresh = invoke(server, "what is a safety stop?", thread).json()["output"]
    assert [m["type"] for m in fresh["messages"]] == ["human", "ai"]

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(expire, (thread,))
    assert await SessionStore(pool, 24).prune() >= 1
    with psycopg.connect(database_url) as conn:
        assert not conn.execute("SELECT 1 FROM chat_sessions WHERE id = %s", (thread,)).fetchone()
        assert not conn.execute(
            "SELECT 1 FROM checkpoints WHERE thread_id = %s", (thread,)
        ).fetchone()


@pytest.mark.parametrize(
    ("path", "body", "headers", "field"),
    [
        ("batch", {"inputs": [{"messages": [{"content": "hi"}]}], "config": [1]}, {}, "config.0"),
        ("batch", {"inputs": [{"messages": [{"content": "hi"}]}], "config": "x"}, {}, "config"),
        ("batch", {"inputs": [{"messages": []}]}, {}, "inputs.0.messages"),
        ("batch", {"inputs": "hi"}, {}, "inputs"),
        (
            "invoke",
            {"input": {"messages": [{"content": "hi"}]}, "config": {"configurable": 5}},
            {},
            "config.configurable",
        ),
        (
            "invoke",
            {
                "input": {"messages": [{"content": "hi"}]},
                "config": {"configurable": {"thread_id": "my-thread"}},
            },
            {},
            "thread_id",
        ),
        (
            "stream",
            {"input": {"messages": [{"content": "hi"}]}},
            {"X-Session-Id": "not-a-uuid"},
            "X-Session-Id",
        ),
        ("invoke", {"input": {"messages": [{"type": "ai", "content": "hi"}]}}, {}, "type"),
        ("invoke", {"input": {"messages": [{"content": " \u0000 "}]}}, {}, "content"),
        ("stream_events", [1, 2], {}, "body"),
    ],
)
def test_malformed_langserve_requests_get_422_in_the_error_shape(
    server, path, body, headers, field
):
    response = httpx.post(f"{server.base_url}/chat/{path}", json=body, headers=headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in json.dumps(error), error


def test_langserve_input_is_cleaned_like_the_web_contract(server):
    thread = str(uuid.uuid4())
    output = invoke(server, "<b>what is\u0007 nitrox?</b>", thread).json()["output"]
    assert output["messages"][0]["content"] == "what is nitrox?"


def test_the_log_never_holds_a_session_id_or_a_message(server):
    secret_text = f"my secret question {uuid.uuid4().hex[:6]} about nitrox"
    web = httpx.post(f"{server.base_url}/api/chat", json={"message": secret_text}, timeout=120)
    session = web.json()["sessionId"]
    httpx.get(f"{server.base_url}/api/sessions/{session}")
    httpx.post(
        f"{server.base_url}/api/chat", json={"message": "<p>", "sessionId": session}, timeout=120
    )
    httpx.delete(f"{server.base_url}/api/sessions/{session}")
    thread = str(uuid.uuid4())
    invoke(server, secret_text, thread)
    invoke(server, "hi", "not-a-uuid")
    log = server.log.read_text()
    assert "/api/sessions/" + session_tag(session) in log  # the flow was logged, redacted
    for secret in (session, session[:13], thread, thread[:13], secret_text):
        assert secret not in log, f"{secret!r} appears in the server log"


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(database_url, indexed_corpus):
    process = ServerProcess(database_url, CHAT_RATE_LIMIT="2/hour").start()
    try:
        # The test client (127.0.0.1) is no trusted proxy: spoofing X-Forwarded-For does not
        # make it a new client, so the limit still applies to it.
        codes = [
            httpx.post(
                f"{process.base_url}/chat/invoke",
                json={"input": {"messages": [{"content": "hi"}]}},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                timeout=120,
            ).status_code
            for n in range(3)
        ]
    finally:
        process.stop()
    assert codes == [200, 200, 429]


def test_a_trusted_proxy_names_the_client(database_url, indexed_corpus):
    process = ServerProcess(
        database_url, CHAT_RATE_LIMIT="1/hour", FORWARDED_ALLOW_IPS="127.0.0.1"
    ).start()
    try:
        codes = [
            httpx.post(
                f"{process.base_url}/api/chat",
                json={"message": "hi"},
                headers={"X-Forwarded-For": f"198.51.100.1, 203.0.113.{n}"},
                timeout=120,
            ).status_code
            for n in (1, 2, 2)
        ]
    finally:
        process.stop()
    # Behind a trusted proxy each forwarded client has its own limit; the left-most entry,
    # which the client itself wrote, is not believed.
    assert codes == [200, 200, 429]
