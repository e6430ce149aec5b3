"""The Groq token stream read as plain JSON (chains/groq_stream.py), without a network."""

from __future__ import annotations

import asyncio
import json

import groq
import httpx
import pytest

from chains.groq_stream import PlainJSONCompletions


class Response:
    """What the SDK's streaming response offers: lines, a request, close()."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.closed = False
        self.http_response = httpx.Response(200, request=httpx.Request("POST", "http://x"))

    async def iter_lines(self):
        for line in self.lines:
            yield line

    async def close(self) -> None:
        self.closed = True


class Completions:
    def __init__(self, response: Response) -> None:
        self.response = response
        self.with_streaming_response = self
        self.plain_calls = 0

    def create(self, **params):
        if params.get("stream"):
            return self._entered()
        self.plain_calls += 1
        return self._plain()

    async def _plain(self):
        return {"choices": []}

    def _entered(self):
        response = self.response

        class Manager:
            async def __aenter__(self):
                return response

        return Manager()


def chunk(text: str) -> str:
    return "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]})


async def collect(completions: PlainJSONCompletions) -> list[dict]:
    return [c async for c in await completions.create(stream=True, model="m")]


def test_each_data_line_becomes_a_dict_until_done_and_the_response_is_closed():
    response = Response([chunk("Hello "), "", ": keep-alive", chunk("diver"), "data: [DONE]"])
    chunks = asyncio.run(collect(PlainJSONCompletions(Completions(response))))
    assert [c["choices"][0]["delta"]["content"] for c in chunks] == ["Hello ", "diver"]
    assert response.closed


def test_an_error_event_raises_the_sdk_error_and_closes_the_response():
    error = {"error": {"message": "overloaded", "type": "server_error"}}
    response = Response([chunk("Hi"), "data: " + json.dumps(error)])
    with pytest.raises(groq.APIError, match="overloaded"):
        asyncio.run(collect(PlainJSONCompletions(Completions(response))))
    assert response.closed


def test_a_request_without_stream_goes_to_the_sdk_unchanged():
    completions = Completions(Response([]))
    result = asyncio.run(PlainJSONCompletions(completions).create(model="m"))
    assert result == {"choices": []} and completions.plain_calls == 1


def test_a_streamed_request_sends_what_the_sdk_itself_would_send():
    # The body skips the SDK's schema walk; the request on the wire must not change.
    sent = []

    def provider(request: httpx.Request) -> httpx.Response:
        sent.append((str(request.url), json.loads(request.content)))
        stream = f"{chunk('Hi')}\n\ndata: [DONE]\n\n".encode()
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream)

    client = groq.AsyncGroq(
        api_key="k", http_client=httpx.AsyncClient(transport=httpx.MockTransport(provider))
    )
    messages = [
        {"role": "system", "content": "Answer from these passages: ..."},
        {"role": "user", "content": "Can I fly after diving?"},
    ]
    params = {"model": "m", "stream": True, "n": 1, "temperature": 0.3, "stop": None}

    async def both() -> list[dict]:
        async for _ in await client.chat.completions.create(messages=messages, **params):
            pass
        plain = PlainJSONCompletions(client.chat.completions)
        return [c async for c in await plain.create(messages=messages, **params)]

    chunks = asyncio.run(both())
    assert len(sent) == 2 and sent[0] == sent[1]
    assert sent[1][1]["messages"] == messages
    assert [c["choices"][0]["delta"]["content"] for c in chunks] == ["Hi"]
