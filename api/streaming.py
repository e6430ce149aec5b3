"""The streamed turn: one graph run pumped into server-sent events as it happens.

Events, in order: `session`, `route` (once the turn is routed), `token` (each piece of
the reply as the model emits it), `citation`, then `final`, or `error` instead.

The run goes on a task of its own, and this generator relays its events through a queue,
so tokens leave as soon as the model produces them. When the client goes away, the
generator is closed or cancelled; it then cancels the run, which closes the model's
stream and (through `guard`) rolls back whatever the turn wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessageChunk

from api.errors import ApiError
from api.redaction import session_tag
from api.schemas import ChatResponse

log = logging.getLogger(__name__)

Guard = Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]
_DONE = object()


async def stream_turn(
    graph,
    graph_input: dict,
    config: dict,
    *,
    session_id: str,
    guard: Guard,
    respond: Callable[[dict], ChatResponse],
) -> AsyncIterator[dict]:
    """The turn's events. `guard(run)` runs the turn alone on its session and undoes a
    failed one; `respond(state)` turns the final state into the contract's reply."""
    yield {"type": "session", "sessionId": session_id}
    queue: asyncio.Queue = asyncio.Queue()

    async def run() -> tuple[dict, str]:
        streamed = ""
        async for mode, chunk in graph.astream(
            graph_input, config, stream_mode=["messages", "updates"]
        ):
            if mode == "updates":
                for event in _route_events(chunk):
                    queue.put_nowait(event)
            elif token := _agent_token(chunk):
                streamed += token
                queue.put_nowait({"type": "token", "content": token})
        state = (await graph.aget_state(config)).values
        return state, streamed

    async def guarded() -> tuple[dict, str]:
        try:
            return await guard(run)
        finally:
            queue.put_nowait(_DONE)

    task = asyncio.create_task(guarded(), name=f"turn-{session_id}")
    try:
        async for event in _drain(queue):
            yield event
        state, streamed = await task
    except ApiError as error:
        yield {"type": "error", "code": error.code, "message": error.message}
        return
    except Exception:
        log.exception("streamed turn failed on session %s", session_tag(session_id))
        yield {
            "type": "error",
            "code": "INTERNAL_ERROR",
            "message": "Something went wrong on our side.",
        }
        return
    finally:
        if not task.done():
            # The client left: stop the model and let the guard roll the turn back.
            task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.shield(task)
    response = respond(state)
    # Fixed replies and sentences added after the model (the dive-medicine note) arrive
    # as one last token, so the tokens always add up to the final message.
    if response.agent_type != "emergency" and response.message.startswith(streamed):
        rest = response.message[len(streamed) :]
        if rest:
            yield {"type": "token", "content": rest}
    for citation in response.citations:
        yield {"type": "citation", **citation.model_dump(by_alias=True)}
    yield {"type": "final", **response.model_dump(by_alias=True)}


async def _drain(queue: asyncio.Queue) -> AsyncIterator[dict]:
    """The queue's events until _DONE. Tokens already waiting behind a token leave with it
    as one event: a busy server sends fewer, larger events instead of falling behind,
    and an idle one sends each token the moment it comes."""
    waiting = None
    while True:
        event = waiting if waiting is not None else await queue.get()
        waiting = None
        if event is _DONE:
            return
        if event["type"] == "token":
            text = event["content"]
            while not queue.empty():
                following = queue.get_nowait()
                if following is _DONE or following["type"] != "token":
                    waiting = following
                    break
                text += following["content"]
            event = {"type": "token", "content": text}
        yield event


def _route_events(update: dict) -> list[dict]:
    events = []
    for node, values in update.items():
        route = (values or {}).get("route")
        if node == "router" or (node == "safety_gate" and route == "emergency"):
            events.append(
                {
                    "type": "route",
                    "agentType": route,
                    "confidence": values.get("route_confidence", 1.0),
                }
            )
    return events


def _agent_token(chunk: tuple) -> str | None:
    """The text of a reply chunk an agent's model emitted (not the router's, if any)."""
    message, meta = chunk
    if (
        isinstance(message, AIMessageChunk)
        and message.content
        and str(meta.get("langgraph_node", "")).endswith("_agent")
    ):
        return str(message.content)
    return None
