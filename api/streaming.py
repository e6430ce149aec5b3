"""The streamed turn: one graph run pumped into server-sent events as it happens.

Events, in order: `session`, `route` (once the turn is routed), `token` (pieces of the
reply as the model emits them: at most one event per TOKEN_INTERVAL_SECONDS), `citation`,
then `final`, or `error` instead.

The run goes on a task of its own, and this generator relays its events through a queue,
so the first token leaves as soon as the model produces it. When the client goes away, the
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
        # The last "values" chunk is the state the turn ends with, the one the checkpointer
        # writes: reading it back (aget_state) would cost a query and a deserialisation.
        state: dict = {}
        async for mode, chunk in graph.astream(
            graph_input, config, stream_mode=["messages", "updates", "values"]
        ):
            if mode == "values":
                state = chunk
            elif mode == "updates":
                for event in _route_events(chunk):
                    queue.put_nowait(event)
            elif token := _agent_token(chunk):
                streamed += token
                queue.put_nowait({"type": "token", "content": token})
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


# Tokens that follow one just sent wait at most this long and leave together: a model that
# emits a word every few milliseconds would otherwise cost an event (JSON, the middleware
# stack, a socket write) per word. The first token of a turn always leaves at once.
TOKEN_INTERVAL_SECONDS = 0.05


async def _drain(queue: asyncio.Queue) -> AsyncIterator[dict]:
    """The queue's events until _DONE. A token leaves at once when none left in the last
    TOKEN_INTERVAL_SECONDS; otherwise it waits for the interval to end, and the tokens that
    came meanwhile leave with it as one event. Any other event first sends what waits."""
    loop = asyncio.get_running_loop()
    held = ""  # tokens waiting for the interval to end
    sent_at = float("-inf")  # when the last token event left
    while True:
        try:
            if held:
                async with asyncio.timeout_at(sent_at + TOKEN_INTERVAL_SECONDS):
                    event = await queue.get()
            else:
                event = await queue.get()
        except TimeoutError:
            yield {"type": "token", "content": held}
            held, sent_at = "", loop.time()
            continue
        if event is not _DONE and event["type"] == "token":
            held += event["content"]
            if loop.time() - sent_at >= TOKEN_INTERVAL_SECONDS:
                yield {"type": "token", "content": held}
                held, sent_at = "", loop.time()
            continue
        if held:
            yield {"type": "token", "content": held}
            held, sent_at = "", loop.time()
        if event is _DONE:
            return
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
