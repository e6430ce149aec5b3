"""POST /api/chat, POST /api/chat/stream, GET and DELETE /api/sessions/{id}.

Every turn runs the same compiled graph as LangServe's /chat, under the same session rules
(api/sessions.py): rate limit, expiry, one turn at a time per session across processes,
and a rollback of whatever a failed turn wrote. This module is the HTTP side of it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Path, Request, Response
from langchain_core.embeddings import Embeddings
from langchain_core.messages import AIMessage, HumanMessage
from sse_starlette import EventSourceResponse

from api.errors import ApiError, DatabaseUnavailable, error_responses
from api.schemas import (
    SESSION_ID_PATTERN,
    ChatMetadata,
    ChatRequest,
    ChatResponse,
    Citation,
    SessionMessage,
    SessionResponse,
)
from api.sessions import DB_ERRORS, SessionService, clean_profile
from api.streaming import stream_turn
from chains.embeddings import caches_queries

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["chat"])
COOKIE = "dovvy_session"
TURN_ERRORS = error_responses(409, 413, 422, 429, 500, 503)


def _camel_profile(profile: dict) -> dict:
    names = {"certification_level": "certificationLevel", "logged_dives": "loggedDives"}
    return {names.get(k, k): v for k, v in (profile or {}).items()}


class ChatService:
    def __init__(
        self,
        graph,
        sessions: SessionService,
        cookie: bool,
        embeddings: Embeddings | None = None,
    ) -> None:
        self.graph = graph
        self.sessions = sessions
        self.cookie = cookie
        # Only a model that remembers its query vectors gains from being asked early.
        self.embeddings = embeddings if embeddings and caches_queries(embeddings) else None
        self._ahead: set[asyncio.Task] = set()

    def _embed_ahead(self, text: str) -> None:
        """Start embedding the diver's message now. The safety gate asks for its vector
        first thing, and until the graph gets there the turn waits on the database
        (session, turn lock, last checkpoint): the two now overlap instead of following
        each other. The gate shares a vector still under way, and reads a finished one
        from the cache; if this fails, the gate embeds the message itself."""
        if self.embeddings is None:
            return
        task = asyncio.create_task(self.embeddings.aembed_query(text))
        self._ahead.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(self._embedded)

    def _embedded(self, task: asyncio.Task) -> None:
        self._ahead.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("embedding a message ahead failed: the safety gate will retry")

    async def resolve(self, request: Request, body: ChatRequest) -> tuple[str, bool]:
        """The session this turn belongs to, and whether the requested one had expired."""
        requested = body.session_id or (request.cookies.get(COOKIE) if self.cookie else None)
        return await self.sessions.resolve_web(requested)

    def _input(self, body: ChatRequest) -> dict:
        data: dict[str, Any] = {"messages": [HumanMessage(body.message)]}
        profile = clean_profile(body.diver_profile)
        if profile:
            data["diver_profile"] = profile
        return data

    def response(self, state: dict, session_id: str, expired: bool) -> ChatResponse:
        route = state.get("route") or "general"
        return ChatResponse(
            message=state.get("answer", ""),
            session_id=session_id,
            agent_type=route,
            follow_up_question=state.get("follow_up"),
            citations=[Citation(**c) for c in state.get("citations", [])],
            metadata=ChatMetadata(
                route=route,
                confidence=float(state.get("route_confidence") or 0.0),
                lead_offer=bool(state.get("lead_offer")),
                lead_type=state.get("lead_type"),
                safety_flags=list(state.get("safety_flags") or []),
                diver_profile=_camel_profile(state.get("diver_profile") or {}),
                session_expired=expired,
            ),
        )

    async def _guarded(self, session_id: str, run):
        """Run one turn under the session rules (alone, rolled back if it fails)."""
        async with self.sessions.turn(session_id):
            return await run()

    async def turn(self, request: Request, body: ChatRequest) -> tuple[ChatResponse, str]:
        await self.sessions.admit(request)
        self._embed_ahead(body.message)
        session_id, expired = await self.resolve(request, body)
        config = {"configurable": {"thread_id": session_id}}

        async def run():
            return await self.graph.ainvoke(self._input(body), config)

        state = await self._guarded(session_id, run)
        return self.response(state, session_id, expired), session_id

    async def stream(self, request: Request, body: ChatRequest) -> tuple[AsyncIterator[dict], str]:
        await self.sessions.admit(request)
        self._embed_ahead(body.message)
        session_id, expired = await self.resolve(request, body)
        config = {"configurable": {"thread_id": session_id}}

        events = stream_turn(
            self.graph,
            self._input(body),
            config,
            session_id=session_id,
            guard=lambda run: self._guarded(session_id, run),
            respond=lambda state: self.response(state, session_id, expired),
        )
        return events, session_id


def _service(request: Request) -> ChatService:
    service = getattr(request.app.state, "chat_service", None)
    if service is None:
        raise ApiError(503, "STARTING", "the service is starting; retry in a moment")
    return service


def _set_cookie(response: Response, request: Request, service: ChatService, session_id: str):
    if service.cookie:
        local = request.url.hostname in ("localhost", "127.0.0.1", "::1")
        response.set_cookie(
            COOKIE,
            session_id,
            httponly=True,
            samesite="lax",
            secure=not local,
            max_age=int(service.sessions.ttl.total_seconds()),
        )


# Each event is one `data:` line holding a JSON object whose `type` names the event.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"enum": ["session", "route", "token", "citation", "final", "error"]}
                },
            },
        }
    },
}


@router.post("/chat", response_model=ChatResponse, responses=TURN_ERRORS)
async def chat(body: ChatRequest, request: Request, response: Response) -> ChatResponse:
    """One turn of conversation; the reply carries the session id now in use."""
    service = _service(request)
    result, session_id = await service.turn(request, body)
    _set_cookie(response, request, service, session_id)
    return result


@router.post(
    "/chat/stream",
    responses={
        200: {
            "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}},
            "description": "Server-sent events: session, route, token, citation, final, error",
        },
        **TURN_ERRORS,
    },
)
async def chat_stream(body: ChatRequest, request: Request):
    """The same turn as /api/chat, streamed as server-sent events."""
    service = _service(request)
    events, session_id = await service.stream(request, body)

    async def encoded():
        async for event in events:
            yield {"data": json.dumps(event, ensure_ascii=False)}

    response = EventSourceResponse(encoded(), ping=15)
    _set_cookie(response, request, service, session_id)
    return response


SessionId = Path(pattern=SESSION_ID_PATTERN, max_length=128)


@router.get(
    "/sessions/{session_id}",
    response_model=SessionResponse,
    responses=error_responses(404, 422, 500, 503),
)
async def get_session(request: Request, session_id: str = SessionId) -> SessionResponse:
    """The conversation so far; 404 when the session is unknown or expired."""
    service = _service(request)
    try:
        row = await service.sessions.store.get_live(session_id)
        if not row:
            raise ApiError(404, "SESSION_NOT_FOUND", "no such session, or it has expired")
        state = (await service.graph.aget_state({"configurable": {"thread_id": session_id}})).values
    except DB_ERRORS as error:
        raise DatabaseUnavailable() from error
    messages = [
        SessionMessage(
            role="user" if isinstance(m, HumanMessage) else "assistant", content=str(m.content)
        )
        for m in state.get("messages", [])
        if isinstance(m, HumanMessage | AIMessage)
    ]
    return SessionResponse(
        id=session_id,
        messages=messages,
        diver_profile=_camel_profile(state.get("diver_profile") or {}),
        created_at=row["created_at"].isoformat(),
        updated_at=row["last_active_at"].isoformat(),
    )


@router.delete(
    "/sessions/{session_id}", status_code=204, responses=error_responses(409, 422, 500, 503)
)
async def delete_session(request: Request, session_id: str = SessionId) -> Response:
    """Forget a session and its conversation (idempotent)."""
    service = _service(request)
    await service.sessions.delete(session_id)
    return Response(status_code=204)
