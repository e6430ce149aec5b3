"""The HTTP app end to end: a real server process on the real database."""

import time
import uuid

import httpx
import pytest

from tests.server_process import ServerProcess

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def server(database_url, indexed_corpus):
    process = ServerProcess(database_url).start().wait_for_ready()
    yield process
    process.stop()


def _turn(server, text, session=None, **kwargs):
    headers = {"X-Session-Id": session} if session else {}
    response = httpx.post(
        f"{server.base_url}/chat/invoke",
        json={"input": {"messages": [{"type": "human", "content": text}]}, **kwargs},
        headers=headers,
        timeout=30,
    )
    return response


def _contents(response) -> list[str]:
    return [m["content"] for m in response.json()["output"]["messages"]]


def test_a_session_remembers_its_turns_and_another_does_not(server):
    session = str(uuid.uuid4())
    first = _turn(server, "When is the best time to dive in Tioman?", session)
    assert first.status_code == 200, first.text
    assert first.headers["X-Session-Id"] == session
    second = _turn(server, "what about the water temperature?", session)
    contents = _contents(second)
    assert len(contents) == 4 and contents[0] == "When is the best time to dive in Tioman?"
    output = second.json()["output"]
    assert output["messages"][-1]["type"] == "ai" and output["citations"]

    other = _turn(server, "what about the water temperature?", str(uuid.uuid4()))
    assert len(_contents(other)) == 2


def test_the_thread_id_may_come_in_the_body(server):
    session = str(uuid.uuid4())
    config = {"config": {"configurable": {"thread_id": session}}}
    _turn(server, "hi", **config)
    again = _turn(server, "How deep can an Open Water diver go?", **config)
    assert again.headers["X-Session-Id"] == session
    assert len(_contents(again)) == 4


def test_a_request_without_a_session_gets_a_fresh_one(server):
    a, b = _turn(server, "hello"), _turn(server, "hello")
    ids = {a.headers["X-Session-Id"], b.headers["X-Session-Id"]}
    assert len(ids) == 2 and all(uuid.UUID(i) for i in ids)
    assert len(_contents(b)) == 2


def test_a_malformed_session_id_is_a_validation_error(server):
    response = _turn(server, "hello", "not a valid id!")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_ready_reports_database_index_and_models(server):
    # The embedding model loads in the background after start-up: "loading", then ready.
    deadline = time.monotonic() + 60
    while (body := httpx.get(f"{server.base_url}/ready", timeout=10).json())["status"] != "ready":
        assert body["checks"]["embeddings"]["status"] in ("loading", "ok"), body
        assert time.monotonic() < deadline, body
        time.sleep(0.2)
    assert body["status"] == "ready"
    checks = body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["vector_index"]["chunks"] > 100
    assert checks["llm"]["model"] == "offline/extractive"
    assert checks["embeddings"] == {
        "status": "ok",
        "model": "local/all-MiniLM-L6-v2",
        "dimension": 384,
    }
    assert httpx.get(f"{server.base_url}/health").json()["status"] == "healthy"


def test_tokens_stream_over_the_langserve_stream_endpoint(server):
    with httpx.stream(
        "POST",
        f"{server.base_url}/chat/stream_events",
        json={
            "input": {"messages": [{"type": "human", "content": "How do I equalise my ears?"}]},
            "version": "v2",
        },
        timeout=30,
    ) as response:
        assert response.status_code == 200
        events = [line for line in response.iter_lines() if line.startswith("data:")]
    assert sum('"on_chat_model_stream"' in line for line in events) > 3


def test_history_survives_a_server_restart(database_url, indexed_corpus):
    session = str(uuid.uuid4())
    first = ServerProcess(database_url).start()
    try:
        _turn(first, "Which certification do I need for the Thistlegorm?", session)
    finally:
        first.stop()
    second = ServerProcess(database_url).start()
    try:
        contents = _contents(_turn(second, "and how deep is it?", session))
    finally:
        second.stop()
    assert len(contents) == 4
    assert contents[0] == "Which certification do I need for the Thistlegorm?"
