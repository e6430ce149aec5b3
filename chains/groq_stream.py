"""Groq's streamed chat completions read as plain JSON, for langchain-groq's ChatGroq.

ChatGroq streams through the Groq SDK, which turns every server-sent event into a typed
object (its `construct_type` walks the chunk's fields one by one) that ChatGroq at once
dumps back into a dict. Profiled under load on the provider stand-in, that round trip was
the largest single cost of a streamed turn: about 9 ms of CPU per 27-word reply, more than
the whole graph's routing and retrieval. Groq sends one event per token, so a real reply
of a few hundred tokens costs ten times that.

`PlainJSONCompletions` stands in for the SDK's `chat.completions` on a ChatGroq: a
streamed request goes through the SDK as before (its URL, headers, timeout, retries and
errors on 4xx/5xx), and its body is read line by line, each `data:` line parsed by
json.loads into the dict ChatGroq expects. Everything else is ChatGroq's own: message
chunks, callbacks, usage. An error event in the stream raises the SDK's APIError, as the
SDK would; closing the stream early (a cancelled turn) closes the HTTP response.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

DONE = "[DONE]"
# Arguments of the SDK's create that shape the HTTP request rather than its JSON body.
REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


class PlainJSONCompletions:
    """The SDK's AsyncCompletions, with streamed replies yielded as dicts."""

    def __init__(self, completions: Any) -> None:
        self._completions = completions

    async def create(self, **params: Any) -> Any:
        if not params.get("stream"):
            return await self._completions.create(**params)
        options = {name: params.pop(name) for name in REQUEST_OPTIONS if name in params}
        body = {**params, **(options.pop("extra_body", None) or {})}
        # Before sending, the SDK walks every field of the body against its typed schema
        # (each message against a union of five message types): ChatGroq's body is plain
        # JSON already, and no field of Groq's chat schema is renamed or reformatted, so the
        # walk changes nothing and cost ~1 ms of the event loop per turn. `extra_body` is
        # sent as given, over the two fields the SDK requires; the request is the same.
        request = self._completions.with_streaming_response.create(
            messages=[], model=body["model"], stream=True, extra_body=body, **options
        )
        # The request is made here, so a refused one (429, 5xx) raises here as before.
        response = await request.__aenter__()
        return _chunks(response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._completions, name)


async def _chunks(response: Any) -> AsyncIterator[dict]:
    try:
        async for line in response.iter_lines():
            if not line.startswith("data:"):
                continue  # blank separators, comments, `event:` names
            data = line[5:].strip()
            if data.startswith(DONE):
                return
            chunk = json.loads(data)
            if not isinstance(chunk, dict):
                continue
            if chunk.get("error"):
                raise _stream_error(response, chunk["error"])
            # The SDK's object always has `choices` (a usage-only chunk has none, and
            # ChatGroq skips it): a dict from the wire may leave the key out.
            chunk.setdefault("choices", [])
            yield chunk
    finally:
        await response.close()


def _stream_error(response: Any, error: Any) -> Exception:
    import groq

    message = error.get("message") if isinstance(error, dict) else None
    return groq.APIError(
        message=message or "An error occurred during streaming",
        request=response.http_response.request,
        body=error,
    )
