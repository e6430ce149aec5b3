"""A local stand-in for the hosted model providers, speaking their wire formats.

- Groq's OpenAI-compatible API: POST /openai/v1/chat/completions (streamed as SSE or
  not) and GET /openai/v1/models.
- Gemini's API: POST /v1[beta]/models/{model}:generateContent and
  :streamGenerateContent?alt=sse, and GET /v1[beta]/models.

The real `langchain-groq` and `langchain-google-genai` clients talk to it through their
base-URL settings (GROQ_API_BASE, GEMINI_API_BASE). Each provider's behaviour is
settable: latency before the first token, pace between tokens, and scripted failures
(429, 500, 503, or a hang that outlasts the client's timeout). It counts what it saw,
including streams the client closed before the end.

In a test: `with StandIn() as standin: standin.groq.latency = 0.3 ...`.
From another process (the load benchmark): `python -m tests.provider_standin --port N`,
then POST /_standin/behaviour {"groq": {...}} and GET /_standin/stats.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

DEFAULT_REPLY = (
    "Enriched air nitrox is a breathing gas with more oxygen than air, which shortens "
    "the nitrogen you absorb at depth. Would you like to know about the course?"
)
OUTCOMES = ("ok", 429, 500, 503, "hang")


@dataclass
class Behaviour:
    """How one provider answers. `script` outcomes are used first, one per request."""

    latency: float = 0.0  # seconds before the first token (or the whole non-streamed reply)
    pace: float = 0.0  # seconds between tokens
    reply: str = DEFAULT_REPLY
    default: Any = "ok"  # one of OUTCOMES, for every request once the script is used up
    script: list = field(default_factory=list)
    hang_seconds: float = 3600.0

    def next_outcome(self) -> Any:
        return self.script.pop(0) if self.script else self.default

    def tokens(self) -> list[str]:
        words = self.reply.split(" ")
        return [word + " " for word in words[:-1]] + [words[-1]]


@dataclass
class Stats:
    """What one provider saw."""

    requests: int = 0
    outcomes: collections.Counter = field(default_factory=collections.Counter)
    streams_started: int = 0
    streams_completed: int = 0
    streams_closed_early: int = 0
    active_streams: int = 0
    max_active_streams: int = 0
    model_lists: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["outcomes"] = {str(k): v for k, v in self.outcomes.items()}
        return data


class Provider:
    def __init__(self, name: str) -> None:
        self.name = name
        self.behaviour = Behaviour()
        self.stats = Stats()

    def reset(self) -> None:
        self.behaviour = Behaviour()
        self.stats = Stats()


def _error(status: int, provider: str) -> JSONResponse:
    if provider == "groq":
        body = {"error": {"message": f"stand-in error {status}", "type": "stand_in_error"}}
        # The Groq SDK honours retry-after-ms, so retries in tests cost milliseconds.
        headers = {"retry-after-ms": "10"} if status == 429 else {}
    else:
        state = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}[status]
        body = {"error": {"code": status, "message": f"stand-in error {status}", "status": state}}
        headers = {}
    return JSONResponse(body, status_code=status, headers=headers)


class SSEStream:
    """A streamed reply that notices a client who leaves before the end.

    A task watches `receive` for http.disconnect and cancels the sending at once, so a
    closed stream is counted the moment the client drops it, not at the next write.
    """

    def __init__(self, provider: Provider, events: list[str], latency: float, pace: float):
        self.provider, self.events, self.latency, self.pace = provider, events, latency, pace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        stats = self.provider.stats
        stats.streams_started += 1
        stats.active_streams += 1
        stats.max_active_streams = max(stats.max_active_streams, stats.active_streams)
        sender = asyncio.create_task(self._send(send))

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    sender.cancel()
                    return

        watcher = asyncio.create_task(watch())
        try:
            await sender
            stats.streams_completed += 1
        except (asyncio.CancelledError, OSError):
            stats.streams_closed_early += 1
        finally:
            stats.active_streams -= 1
            watcher.cancel()

    async def _send(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-cache"),
                ],
            }
        )
        await asyncio.sleep(self.latency)
        for index, event in enumerate(self.events):
            if index and self.pace:
                await asyncio.sleep(self.pace)
            await send({"type": "http.response.body", "body": event.encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class StandIn:
    """The stand-in server, run on a thread of the calling process."""

    def __init__(self, port: int | None = None) -> None:
        self.groq = Provider("groq")
        self.gemini = Provider("gemini")
        self.port = port or _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.app = Starlette(
            routes=[
                Route("/openai/v1/chat/completions", self._groq_chat, methods=["POST"]),
                Route("/openai/v1/models", self._groq_models, methods=["GET"]),
                # langchain-google-genai asks for v1; the SDK's own default is v1beta.
                *(
                    route
                    for version in ("v1", "v1beta")
                    for route in (
                        Route(f"/{version}/models", self._gemini_models, methods=["GET"]),
                        Route(
                            f"/{version}/models/{{call:path}}", self._gemini_call, methods=["POST"]
                        ),
                    )
                ),
                Route("/_standin/behaviour", self._set_behaviour, methods=["POST"]),
                Route("/_standin/stats", self._stats, methods=["GET"]),
                Route("/_standin/reset", self._reset, methods=["POST"]),
            ]
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- running ---------------------------------------------------------------------------
    def start(self) -> StandIn:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="standin")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("the provider stand-in did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server:
            self._server.should_exit = True
            self._server.force_exit = True  # hung requests must not hold the test run
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        self.groq.reset()
        self.gemini.reset()

    # --- shared handling -------------------------------------------------------------------
    async def _outcome(self, provider: Provider, request: Request):
        """Count the request; return an error response, hang, or None to answer normally."""
        provider.stats.requests += 1
        outcome = provider.behaviour.next_outcome()
        provider.stats.outcomes[outcome] += 1
        if outcome == "hang":
            await asyncio.sleep(provider.behaviour.hang_seconds)
            return _error(503, provider.name)
        if outcome != "ok":
            return _error(int(outcome), provider.name)
        return None

    # --- Groq (OpenAI-compatible) ---------------------------------------------------------
    async def _groq_chat(self, request: Request):
        body = await request.json()
        failed = await self._outcome(self.groq, request)
        if failed is not None:
            return failed
        behaviour = self.groq.behaviour
        model = body.get("model", "stand-in")
        created = int(time.time())
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        tokens = behaviour.tokens()
        usage = {
            "prompt_tokens": 100,
            "completion_tokens": len(tokens),
            "total_tokens": 100 + len(tokens),
        }
        if not body.get("stream"):
            await asyncio.sleep(behaviour.latency + behaviour.pace * (len(tokens) - 1))
            return JSONResponse(
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": behaviour.reply},
                            "finish_reason": "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": usage,
                }
            )

        def chunk(delta: dict, finish: str | None = None, **extra) -> str:
            data = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **extra,
            }
            return f"data: {json.dumps(data)}\n\n"

        events = [chunk({"role": "assistant", "content": tokens[0]})]
        events += [chunk({"content": token}) for token in tokens[1:]]
        events.append(chunk({}, "stop", x_groq={"id": completion_id, "usage": usage}))
        events.append("data: [DONE]\n\n")
        return SSEStream(self.groq, events, behaviour.latency, behaviour.pace)

    async def _groq_models(self, request: Request):
        self.groq.stats.model_lists += 1
        outcome = self.groq.behaviour.default
        if outcome != "ok":
            return _error(503 if outcome == "hang" else int(outcome), "groq")
        return JSONResponse(
            {"object": "list", "data": [{"id": "llama-3.3-70b-versatile", "object": "model"}]}
        )

    # --- Gemini -----------------------------------------------------------------------------
    async def _gemini_call(self, request: Request):
        model, _, method = request.path_params["call"].partition(":")
        if method not in ("generateContent", "streamGenerateContent"):
            return JSONResponse({"error": {"code": 404, "message": "unknown method"}}, 404)
        await request.body()
        failed = await self._outcome(self.gemini, request)
        if failed is not None:
            return failed
        behaviour = self.gemini.behaviour
        tokens = behaviour.tokens()
        usage = {
            "promptTokenCount": 100,
            "candidatesTokenCount": len(tokens),
            "totalTokenCount": 100 + len(tokens),
        }

        def response(text: str, finish: str | None) -> dict:
            candidate: dict = {"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}
            if finish:
                candidate["finishReason"] = finish
            return {"candidates": [candidate], "usageMetadata": usage, "modelVersion": model}

        if method == "generateContent":
            await asyncio.sleep(behaviour.latency + behaviour.pace * (len(tokens) - 1))
            return JSONResponse(response(behaviour.reply, "STOP"))
        events = [
            f"data: {json.dumps(response(token, 'STOP' if i == len(tokens) - 1 else None))}\r\n\r\n"
            for i, token in enumerate(tokens)
        ]
        return SSEStream(self.gemini, events, behaviour.latency, behaviour.pace)

    async def _gemini_models(self, request: Request):
        self.gemini.stats.model_lists += 1
        outcome = self.gemini.behaviour.default
        if outcome != "ok":
            return _error(503 if outcome == "hang" else int(outcome), "gemini")
        return JSONResponse({"models": [{"name": "models/gemini-2.5-flash"}]})

    # --- control, for a stand-in in another process ---------------------------------------
    async def _set_behaviour(self, request: Request):
        body = await request.json()
        for name, settings in body.items():
            provider = getattr(self, name)
            for key, value in settings.items():
                if not hasattr(provider.behaviour, key):
                    return JSONResponse({"error": f"unknown setting {key}"}, 422)
                setattr(provider.behaviour, key, value)
        return JSONResponse({"ok": True})

    async def _stats(self, request: Request):
        return JSONResponse(
            {"groq": self.groq.stats.as_dict(), "gemini": self.gemini.stats.as_dict()}
        )

    async def _reset(self, request: Request):
        self.reset()
        return JSONResponse({"ok": True})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the provider stand-in on its own.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--pace", type=float, default=0.02)
    args = parser.parse_args()
    standin = StandIn(args.port or None)
    for provider in (standin.groq, standin.gemini):
        provider.behaviour.latency = args.latency
        provider.behaviour.pace = args.pace
    print(f"provider stand-in on {standin.base_url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(standin.app, host="127.0.0.1", port=standin.port, log_level="warning")


if __name__ == "__main__":
    main()
