"""The DovvyBuddy HTTP app: one compiled chat graph behind two families of endpoints.

- LangServe at /chat (invoke, batch, stream, stream_events, playground) for LangChain
  clients; the thread id comes from X-Session-Id or the body's configurable.thread_id.
- The web contract at /api (chat, chat/stream, sessions, leads), plus /health and /ready.

`uvicorn server:app` (or `dovvybuddy serve`) runs it; `langgraph dev` mounts the same app
beside LangGraph's own API (see langgraph.json).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from langchain_core.runnables import RunnableBinding, RunnableConfig
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langserve import add_routes

from api import chat as chat_api
from api import leads as leads_api
from api.errors import ApiError, install_error_handlers
from api.middleware import RequestContextMiddleware, configure_logging
from api.ratelimit import Limit, make_limiter
from api.schemas import SESSION_ID, HealthResponse, ReadyResponse
from chains.model_health import model_health
from chains.models import describe_models, load_embeddings
from config.settings import Settings, get_settings
from config.tracing import configure_tracing
from graph.graph import build_graph, compile_chat_graph
from graph.services import Services, install_services
from graph.state import ChatState, InputState
from leads.delivery import LeadDelivery, channels_for
from store.database import resolve_database_url
from store.migrate import upgrade
from store.pool import open_pool
from store.sessions import SessionStore
from store.vector_index import IndexSpec, ensure_index, index_stats

log = logging.getLogger("dovvybuddy")

SESSION_HEADER = "X-Session-Id"

try:
    VERSION = version("dovvybuddy")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "0.0.0"


async def _session_config(config: RunnableConfig, request: Request) -> RunnableConfig:
    """Pick the LangServe conversation's thread: X-Session-Id, the body's thread_id, or new.

    LangServe drops `configurable` keys the graph does not declare, so the thread id is
    read from the raw request here rather than trusted to survive its validation.
    """
    session_id = request.headers.get(SESSION_HEADER)
    if not session_id:
        try:
            body = await request.json()
        except ValueError:  # not JSON: LangServe itself will answer with a 422
            body = None
        if isinstance(body, dict):
            configurable = (body.get("config") or {}).get("configurable") or {}
            session_id = configurable.get("thread_id") or configurable.get("session_id")
    if session_id is not None and not SESSION_ID.match(str(session_id)):
        raise ApiError(
            422,
            "VALIDATION_ERROR",
            "session id must be 1-128 letters, digits, '-' or '_', starting with a letter or digit",
            {"field": SESSION_HEADER},
        )
    session_id = str(session_id) if session_id else str(uuid.uuid4())
    request.state.session_id = session_id
    configurable = dict(config.get("configurable") or {})
    configurable["thread_id"] = session_id
    return {**config, "configurable": configurable}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    configure_tracing(settings)

    # LangServe needs the runnable when routes are declared, but the checkpointer needs a
    # database pool that only exists once the lifespan runs. The binding is declared now
    # around the bare graph (for its schemas) and re-pointed at the checkpointed graph at
    # start-up.
    chat_runnable = RunnableBinding(
        bound=build_graph().compile(name="DovvyBuddy"),
        custom_input_type=InputState,
        custom_output_type=ChatState,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        started = time.perf_counter()
        url = await asyncio.to_thread(resolve_database_url, settings)
        await asyncio.to_thread(upgrade, url)
        pool = await open_pool(
            url, min_size=settings.db_pool_min_size, max_size=settings.db_pool_max_size
        )
        worker = None
        try:
            embeddings = load_embeddings(settings)
            # The model (torch) takes seconds to load and nothing before the first question
            # needs it: the server starts answering while it loads, and /ready says
            # "loading" until it has (a first turn meanwhile simply waits for it).
            warm = getattr(embeddings, "warm_up", None)
            app.state.warming = asyncio.create_task(asyncio.to_thread(warm)) if warm else None
            spec = IndexSpec(embeddings.model_name, embeddings.dimension)
            async with pool.connection() as conn:
                await ensure_index(conn, spec)  # refuses an index of another model
            checkpointer = AsyncPostgresSaver(pool)
            await checkpointer.setup()
            services = await Services.create(settings, pool, embeddings=embeddings)
            install_services(services)
            graph = compile_chat_graph(checkpointer)
            chat_runnable.bound = graph
            limiter = make_limiter(settings.redis_url, settings.trust_proxy_headers)
            app.state.pool = pool
            app.state.services = services
            app.state.index_spec = spec
            app.state.models = describe_models(settings, embeddings)
            app.state.limiter = limiter
            app.state.leads_limit = Limit.parse(settings.leads_rate_limit)
            app.state.lead_channels = channels_for(settings)
            app.state.chat_service = chat_api.ChatService(
                graph,
                pool,
                SessionStore(pool, settings.session_ttl_hours),
                limiter,
                Limit.parse(settings.chat_rate_limit),
                settings.session_cookie,
            )
            app.state.lead_delivery = LeadDelivery(pool, settings)
            worker = asyncio.create_task(app.state.lead_delivery.run(), name="lead-outbox")
            log.info("models in force: %s", asdict(app.state.models))
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
            install_services(None)
            await pool.close()

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

    @app.middleware("http")
    async def echo_session(request: Request, call_next):
        response = await call_next(request)
        session_id = getattr(request.state, "session_id", None)
        if session_id:
            response.headers[SESSION_HEADER] = session_id
        return response

    # Outermost: every response, errors included, carries a request id.
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)

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
    add_routes(
        app,
        chat_runnable,
        path="/chat",
        per_req_config_modifier=_session_config,
        enabled_endpoints=[
            "invoke",
            "batch",
            "stream",
            "stream_log",
            "stream_events",
            "playground",
            "input_schema",
            "output_schema",
            "config_schema",
        ],
    )
    # LangServe registers an on_startup banner; Starlette cannot merge on_startup hooks with
    # lifespans (langgraph dev refuses the app), and our lifespan prints the playground URL.
    app.router.on_startup.clear()
    return app


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
