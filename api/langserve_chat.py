"""LangServe's /chat/*: the chat graph for LangChain clients, under the same session rules
as /api/chat (api/sessions.py).

- A conversation is a thread; its id is a UUID the client chooses (the X-Session-Id header
  or config.configurable.thread_id) or, when it sends none, a new one returned in the
  X-Session-Id response header. Threads are sessions: a chat_sessions row, the same
  expiry, pruned by `sessions prune`, and the same id continues on /api/chat.
- Before LangServe sees a request, `check_request` refuses what LangServe would answer
  with a 500 (a config that is not an object, batch inputs of the wrong shape) with a 422
  in the error shape, and counts the turn against the client's rate limit.
- `SessionBoundGraph` runs each turn alone on its thread (across processes), rolls back
  a failed turn, and feeds the graph cleaned human messages only.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableBinding, RunnableConfig
from langchain_core.runnables.utils import ConfigurableFieldSpec
from langserve import add_routes
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import core_schema

from api.errors import ERROR_DESCRIPTIONS, ApiError
from api.schemas import THREAD_ID, THREAD_ID_PATTERN, MessageText, clean_message, json_integer
from api.sessions import SessionService, clean_profile

SESSION_HEADER = "X-Session-Id"
STREAMING = ("stream", "stream_log", "stream_events")


class ThreadId(str):
    """A conversation's id as a LangServe client chooses it: a UUID."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        # A type, not a Field constraint: LangServe rebuilds its config models field by
        # field and would drop a constraint, but keeps the annotation.
        return core_schema.str_schema(pattern=THREAD_ID_PATTERN)


class HumanTurn(BaseModel):
    """One message from the diver (a serialized HumanMessage is accepted as is)."""

    model_config = ConfigDict(extra="ignore", regex_engine="python-re")

    type: Literal["human"] = "human"
    content: MessageText

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return clean_message(value)


class DiverProfileInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    agency: str | None = Field(default=None, max_length=100)
    certification_level: str | None = Field(default=None, max_length=100)
    logged_dives: json_integer(0, 99_999) | None = None
    destination: str | None = Field(default=None, max_length=100)
    concerns: list[str] | None = Field(default=None, max_length=10)


class ChatTurnInput(BaseModel):
    """What /chat takes per turn: the diver's new message(s). The thread keeps the history,
    so earlier messages are not sent again."""

    model_config = ConfigDict(extra="ignore")

    messages: list[HumanTurn] = Field(min_length=1, max_length=5)
    diver_profile: DiverProfileInput | None = None


def _turn_input(value: Any) -> dict:
    """The graph's input for a validated turn (LangServe hands over models or dicts)."""
    turn = value if isinstance(value, ChatTurnInput) else ChatTurnInput.model_validate(value)
    data: dict[str, Any] = {"messages": [HumanMessage(m.content) for m in turn.messages]}
    if turn.diver_profile:
        profile = clean_profile(turn.diver_profile.model_dump(exclude_none=True))
        if profile:
            data["diver_profile"] = profile
    return data


class SessionBoundGraph(RunnableBinding):
    """The checkpointed graph, one turn at a time per thread, rolled back if it fails.

    `bound` is re-pointed at the checkpointed graph and `sessions` set once the app's
    lifespan has a database."""

    sessions: Any = None

    @property
    def config_specs(self) -> list[ConfigurableFieldSpec]:
        return [
            ConfigurableFieldSpec(
                id="thread_id",
                annotation=ThreadId | None,
                name="Thread id",
                description="The conversation (a UUID); omitted: a new one, returned in "
                "the X-Session-Id response header.",
                default=None,
            )
        ]

    def _thread(self, config: RunnableConfig | None) -> str:
        thread = ((config or {}).get("configurable") or {}).get("thread_id")
        if not thread or not THREAD_ID.match(str(thread)):
            raise ApiError(422, "VALIDATION_ERROR", "a thread id (UUID) is required")
        if self.sessions is None:
            raise ApiError(503, "STARTING", "the service is starting; retry in a moment")
        return str(thread)

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any):
        thread = self._thread(config)
        async with self.sessions.turn(thread):
            await self.sessions.start_thread(thread)
            return await self.bound.ainvoke(
                _turn_input(input), self._merge_configs(config), **kwargs
            )

    async def abatch(
        self,
        inputs: list[Any],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        configs = config if isinstance(config, list) else [config] * len(inputs)
        # Turns on one thread queue behind its lock, in the order given.
        return await asyncio.gather(
            *(self.ainvoke(i, c, **kwargs) for i, c in zip(inputs, configs, strict=True)),
            return_exceptions=return_exceptions,
        )

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        thread = self._thread(config)
        async with self.sessions.turn(thread):
            await self.sessions.start_thread(thread)
            async for chunk in self.bound.astream(
                _turn_input(input), self._merge_configs(config), **kwargs
            ):
                yield chunk

    async def astream_events(  # type: ignore[override]
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        thread = self._thread(config)
        async with self.sessions.turn(thread):
            await self.sessions.start_thread(thread)
            async for event in self.bound.astream_events(
                _turn_input(input), self._merge_configs(config), **kwargs
            ):
                yield event


# --- before LangServe --------------------------------------------------------------------------
def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", *field.split(".")), "msg": message}])


def _check_config(config: Any, field: str) -> str | None:
    """A request's config must be an object, its configurable too; returns its thread id."""
    if not isinstance(config, dict):
        raise _invalid(field, "must be an object")
    if "configurable" not in config:
        return None
    configurable = config["configurable"]
    if not isinstance(configurable, dict):
        raise _invalid(f"{field}.configurable", "must be an object")
    thread = configurable.get("thread_id")
    if thread is not None and not (isinstance(thread, str) and THREAD_ID.match(thread)):
        raise _invalid(f"{field}.configurable.thread_id", "must be a UUID")
    return thread


async def check_request(request: Request) -> None:
    """The session rules' front door for /chat/*: shape, rate limit, the thread id."""
    endpoint = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    if request.method != "POST" or endpoint not in ("invoke", "batch", *STREAMING):
        return
    if request.query_params.get("config_hash"):
        raise _invalid("config_hash", "is not supported; send the config in the body")
    sessions: SessionService | None = getattr(request.app.state, "session_service", None)
    if sessions is None:
        raise ApiError(503, "STARTING", "the service is starting; retry in a moment")
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise _invalid("", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _invalid("", "must be an object")
    if not isinstance(body.get("kwargs", {}), dict):
        raise _invalid("kwargs", "must be an object")  # LangServe would ignore it
    threads: list[str | None] = []
    turns = 1
    if endpoint == "batch":
        inputs = body.get("inputs")
        if not isinstance(inputs, list):
            raise _invalid("inputs", "must be a list")
        turns = len(inputs)
        for n, item in enumerate(inputs):
            try:
                ChatTurnInput.model_validate(item)
            except ValidationError as error:
                raise RequestValidationError(
                    [{**e, "loc": ("body", "inputs", n, *e["loc"])} for e in error.errors()]
                ) from None
        config = body.get("config", {})
        if isinstance(config, list):
            threads = [_check_config(c, f"config.{n}") for n, c in enumerate(config)]
            # The n-th config goes with the n-th input; inputs past the list's end run
            # without one (on the request's thread), configs past the inputs are unused.
            body["config"] = (config + [{}] * turns)[:turns]
        else:
            threads = [_check_config(config, "config")]
    else:
        threads = [_check_config(body.get("config", {}), "config")]
    header = request.headers.get(SESSION_HEADER)
    if header is not None and not THREAD_ID.match(header):
        raise ApiError(
            422,
            "VALIDATION_ERROR",
            f"{SESSION_HEADER} must be a UUID",
            [{"field": SESSION_HEADER, "message": "must be a UUID"}],
        )
    for _ in range(max(turns, 1)):
        await sessions.admit(request)
    chosen = header or next((t for t in threads if t), None)
    request.state.session_id = chosen or str(uuid.uuid4())


async def _thread_config(config: dict, request: Request) -> dict:
    """Give every LangServe run its thread: the header, the config's own, or the new one."""
    configurable = dict(config.get("configurable") or {})
    header = request.headers.get(SESSION_HEADER)
    configurable["thread_id"] = header or configurable.get("thread_id") or request.state.session_id
    return {**config, "configurable": configurable}


def add_chat_routes(app: FastAPI, runnable: SessionBoundGraph) -> None:
    add_routes(
        app,
        runnable,
        path="/chat",
        per_req_config_modifier=_thread_config,
        dependencies=[Depends(check_request)],
        enabled_endpoints=[
            "invoke",
            "batch",
            *STREAMING,
            "playground",
            "input_schema",
            "output_schema",
            "config_schema",
        ],
    )


# --- what the OpenAPI document says about /chat/* ------------------------------------------------
# LangServe's streams: `event` names the kind (metadata first, data per chunk, then end or
# error); `data` is JSON text.
LANGSERVE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event"],
    "properties": {
        "event": {"enum": ["metadata", "data", "error", "end"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}
_ERROR_STATUSES = {
    "invoke": (409, 413, 422, 429, 500, 503),
    "batch": (409, 413, 422, 429, 500, 503),
    # A stream that has begun reports a failed turn as an `error` event.
    **{name: (413, 422, 429, 500, 503) for name in STREAMING},
}


def document_routes(schema: dict) -> None:
    """Make the generated document say what /chat/* really does: the error shape and
    statuses the session rules add, and the event stream the streaming routes answer."""
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, item in schema["paths"].items():
        if not path.startswith("/chat/"):
            continue
        endpoint = path.rsplit("/", 1)[-1]
        for operation in item.values():
            # A compressed config in the query string is the playground's business; the
            # documented way to send a config is the body.
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p["name"] != "config_hash"
            ]
            if not operation["parameters"]:
                del operation["parameters"]
            if endpoint == "batch":
                operation["description"] = (
                    "Run several turns. A single config applies to every input; with a list, "
                    "the n-th config goes with the n-th input, inputs past the list's end "
                    "run on the request's thread, and configs past the last input are unused."
                )
            responses = operation["responses"]
            if endpoint in STREAMING:
                responses["200"] = {
                    "description": "Server-sent events: metadata, data (one per chunk), then "
                    "end — or error, which ends the stream",
                    "content": {"text/event-stream": {"schema": LANGSERVE_EVENT_SCHEMA}},
                }
            for status in _ERROR_STATUSES.get(endpoint, ()):
                responses[str(status)] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": error_ref}},
                }
