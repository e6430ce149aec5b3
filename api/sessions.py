"""The session rules every route that runs the graph follows — /api/chat, /api/chat/stream
and LangServe's /chat/*:

- admit: the client's rate limit;
- resolve: which session a turn belongs to, and what expiry means for it;
- turn: one turn at a time per session across every process (an in-process lock, so a
  process queues its own turns, then a Postgres advisory lock held for the whole turn on
  the process's one lock connection: store/session_locks.py), the session row touched when
  the turn succeeds, and whatever a failed turn wrote rolled back (the checkpointer notes
  what each turn writes: store/checkpoints.py).

Because the rollback runs under the same lock, it can only remove its own turn.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import Request
from psycopg_pool import PoolTimeout

from api.errors import ApiError, DatabaseUnavailable, ModelUnavailable
from api.ratelimit import Limit, RateLimiter
from api.redaction import session_tag
from api.schemas import SESSION_ID, clean_text
from chains.models import ModelUnavailableError
from store.checkpoints import TurnCheckpointSaver
from store.session_locks import LockTimeout, SessionLocks
from store.sessions import SessionStore, rollback_thread

log = logging.getLogger(__name__)
DB_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)
# A turn waits this long for the one before it on the same session, then gives up (409).
TURN_WAIT = dt.timedelta(seconds=120)


PROFILE_KEYS = {
    "agency": "agency",
    "certificationLevel": "certification_level",
    "certification_level": "certification_level",
    "loggedDives": "logged_dives",
    "logged_dives": "logged_dives",
    "destination": "destination",
    "concerns": "concerns",
}


def clean_profile(raw: dict | None) -> dict:
    """The known keys of a client-sent diver profile, in the graph's own names and types."""
    profile: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        name = PROFILE_KEYS.get(key)
        if name == "logged_dives" and isinstance(value, int) and 0 <= value < 100_000:
            profile[name] = value
        elif name == "concerns" and isinstance(value, list):
            profile[name] = [clean_text(str(v))[:50] for v in value[:10]]
        elif name and isinstance(value, str) and clean_text(value):
            profile[name] = clean_text(value)[:100]
    return profile


class SessionBusy(ApiError):
    def __init__(self) -> None:
        super().__init__(
            409,
            "SESSION_BUSY",
            "another turn on this session is still running; retry when it has finished",
            headers={"Retry-After": "5"},
        )


class SessionService:
    def __init__(
        self,
        store: SessionStore,
        locks: SessionLocks,
        limiter: RateLimiter,
        chat_limit: Limit,
        checkpoints: TurnCheckpointSaver,
        turn_wait: dt.timedelta = TURN_WAIT,
    ) -> None:
        self.store = store
        self.checkpoints = checkpoints
        self.pool = store.pool
        self.locks = locks
        self.limiter = limiter
        self.chat_limit = chat_limit
        self.turn_wait = turn_wait
        self._local: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @property
    def ttl(self) -> dt.timedelta:
        return self.store.ttl

    async def admit(self, request: Request) -> None:
        """Count the turn against the client's rate limit (429 beyond it)."""
        await self.limiter.check(request, "chat", self.chat_limit)

    # --- resolution ------------------------------------------------------------------------
    async def resolve_web(self, requested: str | None) -> tuple[str, bool]:
        """/api: the live session asked for, or a new one (and whether the asked-for one had
        expired). An expired or unknown id never comes back: its thread is forgotten."""
        if requested and not SESSION_ID.match(requested):
            requested = None
        if not requested:
            return str(uuid.uuid4()), False
        try:
            if await self.store.get_live(requested):
                return requested, False
        except DB_ERRORS as error:
            raise DatabaseUnavailable() from error
        await self._forget(requested)
        return str(uuid.uuid4()), True

    async def start_thread(self, thread_id: str) -> bool:
        """LangServe: the client names its thread. A live one continues; an expired (or
        never recorded) one starts afresh under the same id, its old checkpoints gone.
        Call inside `turn`. Returns whether an old thread was dropped."""
        if await self.store.get_live(thread_id):
            return False
        if await self.store.has_thread(thread_id):
            await self.store.delete(thread_id)
            log.info("session %s had expired: its thread starts afresh", session_tag(thread_id))
            return True
        return False

    async def _forget(self, session_id: str) -> None:
        try:
            async with self.lock(session_id):
                await self.store.delete(session_id)
        except (*DB_ERRORS, SessionBusy):
            log.warning("could not delete expired session %s", session_tag(session_id))

    # --- the turn --------------------------------------------------------------------------
    @asynccontextmanager
    async def lock(self, session_id: str) -> AsyncIterator[None]:
        """Hold the session alone, across processes, until the block ends."""
        local = self._local.get(session_id)
        if local is None:
            local = self._local[session_id] = asyncio.Lock()
        try:
            async with asyncio.timeout(self.turn_wait.total_seconds()):
                await local.acquire()
        except TimeoutError as error:
            raise SessionBusy() from error
        try:
            try:
                await self.locks.acquire(session_id, self.turn_wait)
            except LockTimeout as error:
                raise SessionBusy() from error
            except DB_ERRORS as error:
                raise DatabaseUnavailable() from error
            try:
                yield
            finally:
                # Shielded: a cancelled turn (a client that hung up) must still let go.
                await asyncio.shield(self.locks.release(session_id))
        finally:
            local.release()

    @asynccontextmanager
    async def turn(self, session_id: str) -> AsyncIterator[None]:
        """One turn on the session: alone, touched when it succeeds, undone when it fails."""
        async with self.lock(session_id):
            self.checkpoints.begin_turn(session_id)
            try:
                yield
                await self.store.touch(session_id)
            except BaseException as error:
                await self._rollback(session_id, self.checkpoints.written(session_id))
                translated = translate(error)
                if translated is error:
                    raise
                raise translated from error
            finally:
                self.checkpoints.end_turn(session_id)

    async def _rollback(self, session_id: str, written: list[str]) -> None:
        try:
            await asyncio.shield(rollback_thread(self.pool, session_id, written))
        except DB_ERRORS:
            log.error("could not roll back session %s after a failed turn", session_tag(session_id))

    async def delete(self, session_id: str) -> None:
        async with self.lock(session_id):
            try:
                await self.store.delete(session_id)
            except DB_ERRORS as error:
                raise DatabaseUnavailable() from error


def translate(error: BaseException) -> BaseException:
    """The API error a failure inside a turn becomes."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, ModelUnavailableError):
        return ModelUnavailable()
    if isinstance(error, DB_ERRORS):
        return DatabaseUnavailable()
    return error
