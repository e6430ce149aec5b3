"""The DovvyBuddy HTTP app: one compiled chat graph behind two families of endpoints.

- LangServe at /chat (invoke, batch, stream, stream_events, playground) for LangChain
  clients; the thread (a UUID) comes from X-Session-Id or configurable.thread_id.
Both run turns through one session service (api/sessions.py): expiry, rate limit, one
turn at a time per session across processes, rollback of a failed turn.
- The web contract at /api (chat, chat/stream, sessions, leads), plus /health and /ready.

`uvicorn server:app` (or `dovvybuddy serve`) runs it; `langgraph dev` mounts the same app
beside LangGraph's own API (see langgraph.json).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import chat as chat_api
from api import leads as leads_api
from api.errors import install_error_handlers
from api.langserve_chat import (
    SESSION_HEADER,
    ChatTurnInput,
    SessionBoundGraph,
    add_chat_routes,
    document_routes,
)
from api.middleware import RequestContextMiddleware, SessionHeaderMiddleware, configure_logging
from api.ratelimit import Limit, make_limiter
from api.schemas import HealthResponse, ReadyResponse
from api.sessions import SessionService
from chains.model_health import model_health
from chains.models import describe_models, load_embeddings
from config.settings import Settings, get_settings
from config.tracing import configure_tracing
from graph.context import Context
from graph.graph import build_graph, compile_chat_graph
from graph.state import ChatState
from leads.delivery import LeadDelivery, channels_for
from observability.callbacks import TurnMetrics
from observability.errors import configure_sentry
from observability.http import install_metrics
from observability.stalls import StallWatch
from store.checkpoints import TurnCheckpointSaver
from store.database import resolve_database_url
from store.migrate import upgrade
from store.pool import open_pool
from store.session_locks import SessionLocks
from store.sessions import SessionStore
from store.vector_index import IndexSpec, ensure_index, index_stats

log = logging.getLogger("dovvybuddy")

try:
    VERSION = version("dovvybuddy")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "0.0.0"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    configure_tracing(settings)
    configure_sentry(settings)

    # LangServe needs the runnable when routes are declared, but the checkpointer needs a
    # database pool that only exists once the lifespan runs. The binding is declared now
    # around the bare graph (for its schemas) and re-pointed at the checkpointed graph at
    # start-up.
    chat_runnable = SessionBoundGraph(
        bound=build_graph().compile(name="DovvyBuddy"),
        custom_input_type=ChatTurnInput,
        custom_output_type=ChatState,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        started = time.perf_counter()
        phases = StartupPhases()
        stalls = StallWatch(settings.stall_log_ms) if settings.stall_log_ms else None
        if stalls:
            await stalls.start()
        embeddings = load_embeddings(settings)
        # Loading the model is the longest step on the way to /ready and needs no database:
        # it starts first, and runs while the database steps do. The server starts
        # answering meanwhile; /ready says "loading" until it has (a first turn meanwhile
        # simply waits for it).
        warm = getattr(embeddings, "warm_up", None)
        app.state.warming = asyncio.create_task(asyncio.to_thread(warm)) if warm else None
        if app.state.warming:
            app.state.warming.add_done_callback(
                lambda _: log.info(
                    "embedding model loaded %.2f s into the start-up",
                    time.perf_counter() - started,
                )
            )
        url = await asyncio.to_thread(resolve_database_url, settings)
        phases.done("database")
        await asyncio.to_thread(upgrade, url)
        phases.done("migrations")
        pool = await open_pool(
            url, min_size=settings.db_pool_min_size, max_size=settings.db_pool_max_size
        )
        phases.done("pool")
        # Turn locks live on one connection of their own, apart from the queries' pool.
        locks = SessionLocks(url)
        worker = None
        try:
            spec = IndexSpec(embeddings.model_name, embeddings.dimension)
            async with pool.connection() as conn:
                await ensure_index(conn, spec)  # refuses an index of another model
            checkpointer = TurnCheckpointSaver(pool)
            await checkpointer.setup()
            phases.done("index and checkpointer")
            context = await Context.create(settings, pool, embeddings=embeddings)
            phases.done("context")
            graph = compile_chat_graph(checkpointer, context).with_config(callbacks=[TurnMetrics()])
            chat_runnable.bound = graph
            limiter = make_limiter(settings.redis_url)
            app.state.pool = pool
            app.state.context = context
            app.state.index_spec = spec
            app.state.models = describe_models(settings, embeddings)
            app.state.limiter = limiter
            app.state.leads_limit = Limit.parse(settings.leads_rate_limit)
            app.state.lead_channels = channels_for(settings)
            sessions = SessionService(
                SessionStore(pool, settings.session_ttl_hours),
                locks,
                limiter,
                Limit.parse(settings.chat_rate_limit),
                checkpointer,
            )
            app.state.session_service = sessions
            chat_runnable.sessions = sessions
            app.state.chat_service = chat_api.ChatService(
                graph, sessions, settings.session_cookie, embeddings=embeddings
            )
            app.state.lead_delivery = LeadDelivery(pool, settings)
            worker = asyncio.create_task(app.state.lead_delivery.run(), name="lead-outbox")
            settle_heap()
            log.info("models in force: %s", asdict(app.state.models))
            log.info("start-up phases: %s", phases)
            log.info(
                "DovvyBuddy ready in %.1f s — playground: http://%s:%s/chat/playground/ · "
                "API docs: http://%s:%s/docs",
                time.perf_counter() - started,
                settings.host,
                settings.port,
                settings.host,
                settings.port,
            )
            yield
        finally:
            warming = getattr(app.state, "warming", None)
            if warming and not warming.done():
                with contextlib.suppress(Exception):
                    await warming
            if worker:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
                await app.state.lead_delivery.aclose()
            await locks.close()
            await pool.close()
            if stalls:
                await stalls.stop()

    app = FastAPI(
        title="DovvyBuddy",
        version=VERSION,
        description="A chat assistant for scuba divers: a LangGraph graph served by LangServe.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Content-Type", SESSION_HEADER, "X-Request-Id"],
        expose_headers=[SESSION_HEADER, "X-Request-Id", "Retry-After"],
    )

    app.add_middleware(SessionHeaderMiddleware, header=SESSION_HEADER)

    # Outermost: every response, errors included, carries a request id.
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    install_metrics(app, settings)  # counts every response, 413s included
    # The client address: the TCP peer, or X-Forwarded-For when (and only when) the peer is
    # a proxy listed in FORWARDED_ALLOW_IPS. Run uvicorn with --no-proxy-headers so this is
    # the only place that decides.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips or [])

    @app.get("/health", tags=["ops"], response_model=HealthResponse)
    async def health() -> HealthResponse:
        """The process is up."""
        return HealthResponse(status="healthy", version=VERSION)

    @app.get(
        "/ready",
        tags=["ops"],
        response_model=ReadyResponse,
        responses={503: {"model": ReadyResponse, "description": "Not ready"}},
    )
    async def ready(request: Request):
        """Database, vector index and models: 200 when all are usable, 503 otherwise."""
        checks = await readiness_checks(request.app)
        ok = all(check["status"] == "ok" for check in checks.values())
        body = ReadyResponse(status="ready" if ok else "not_ready", version=VERSION, checks=checks)
        return JSONResponse(status_code=200 if ok else 503, content=body.model_dump())

    app.include_router(chat_api.router)
    app.include_router(leads_api.router)
    add_chat_routes(app, chat_runnable)
    generate_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document_routes(generate_openapi())  # cached by FastAPI, completed here
        return app.openapi_schema

    app.openapi = openapi
    # LangServe registers an on_startup banner; Starlette cannot merge on_startup hooks with
    # lifespans (langgraph dev refuses the app), and our lifespan prints the playground URL.
    app.router.on_startup.clear()
    return app


# Collect the youngest objects after this many allocations instead of 700: a turn makes tens
# of thousands of short-lived ones, and fewer, larger young collections cost less in all
# (graph only, three alternating rounds of 100 turns: 19.8 -> 18.7 ms of CPU per turn).
YOUNG_OBJECTS_BEFORE_COLLECTION = 10_000


def settle_heap() -> None:
    """Hide what start-up built from the garbage collector, once it is built.

    The models, the graph, the routers and the libraries' modules (about 175k objects)
    live as long as the process, yet every full collection walked them all: 170-195 ms
    measured here on a busy machine, a pause for every turn in flight. Frozen, they are
    never looked at again, and a full collection sees only what the turns left behind.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTION, older, oldest)


class StartupPhases:
    """How long each step of the start-up took, for the log: where a slow start went."""

    def __init__(self) -> None:
        self.durations: dict[str, float] = {}
        self._since = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.durations[name] = now - self._since
        self._since = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.durations.items())


async def readiness_checks(app: FastAPI) -> dict:
    pool = getattr(app.state, "pool", None)
    if pool is None:
        return {
            name: {"status": "starting"}
            for name in ("database", "vector_index", "llm", "embeddings")
        }
    checks: dict[str, dict] = {}
    try:
        async with asyncio.timeout(3):
            async with pool.connection() as conn:
                await conn.execute("SELECT 1")
                stats = await index_stats(conn, app.state.index_spec)
        checks["database"] = {"status": "ok"}
        checks["vector_index"] = {
            "status": "ok" if stats["chunks"] > 0 else "empty",
            **stats,
            "embedding_model": app.state.index_spec.embedding_model,
            "dimension": app.state.index_spec.dimension,
            **({"hint": "run `dovvybuddy ingest run`"} if stats["chunks"] == 0 else {}),
        }
    except Exception as error:  # any failure here means "not ready", with the reason
        checks["database"] = {"status": "error", "error": type(error).__name__}
        checks["vector_index"] = {"status": "unknown"}
    models = app.state.models
    fallback = models.chat_fallback if models.chat_fallback != models.chat else None
    warming = getattr(app.state, "warming", None)
    if warming and not warming.done() and models.offline:
        llm = {"status": "loading", "models": {}}  # the answerer reads with the embeddings
    else:
        llm = await model_health().check(models.chat, fallback)  # cached: cheap to ask
    checks["llm"] = {
        "status": llm["status"],
        "model": models.chat,
        "fallback": fallback,
        "mode": "offline extractive answerer" if models.offline else "hosted",
        "models": llm["models"],
    }
    checks["embeddings"] = {
        "status": "loading" if warming and not warming.done() else "ok",
        "model": models.embeddings,
        "dimension": models.embedding_dimension,
    }
    return checks


app = create_app()
