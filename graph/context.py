"""What the nodes need at run time: models, the retriever, the router, the gazetteer, the sites.

The graph declares `Context` as its `context_schema` and every node that needs a service
takes `runtime: Runtime[Context]`, as in langchain-ai/react-agent. Callers pass their
context per run (`graph.ainvoke(..., context=ctx)`); `compile_chat_graph(context=...)`
binds one to the graph for callers that cannot (LangServe). Two graphs with different
contexts therefore run side by side in one process.

Only `langgraph dev` / LangGraph Studio run the exported graph with no context of ours:
for them `context_of` builds one from the settings, once, on first use.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, fields

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable
from langgraph.runtime import Runtime
from psycopg_pool import AsyncConnectionPool

from chains.models import load_chat_runnable, load_embeddings
from chains.retrieval import KnowledgeRetriever
from config.settings import Settings, get_settings
from graph.places import Gazetteer, Site
from graph.routing.emergency_detector import EmergencyDetector, build_detector
from graph.routing.router import TurnRouter, load_route_examples
from store.dive_sites import SiteCatalog
from store.embedding_cache import cached_embeddings, parse_vector
from store.vector_index import IndexSpec

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class Context:
    """Every field is needed to run the graph; all default to None only because LangGraph
    builds an empty Context when a runner (langgraph dev) passes `{}`: see `context_of`."""

    settings: Settings | None = None
    embeddings: Embeddings | None = None
    chat_model: Runnable | None = None
    retriever: KnowledgeRetriever | None = None
    router: TurnRouter | None = None
    gazetteer: Gazetteer | None = None
    sites: SiteCatalog | None = None
    # The learned emergency detector beside the rules; None leaves the rules alone (unit
    # tests), so a context is complete without it.
    emergency_detector: EmergencyDetector | None = None
    # Paths of course guides the agents looked up, with when: {(course, agency): (t, path)}.
    guide_paths: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(
            getattr(self, f.name) is not None
            for f in fields(self)
            if f.name not in ("emergency_detector", "guide_paths")
        )

    @classmethod
    async def create(
        cls,
        settings: Settings,
        pool: AsyncConnectionPool,
        *,
        embeddings: Embeddings | None = None,
        chat_model: Runnable | None = None,
    ) -> Context:
        embeddings = embeddings or load_embeddings(settings)
        # Files read off the event loop (langgraph dev refuses blocking calls in it).
        examples = await asyncio.to_thread(load_route_examples)
        # The router's examples go through the embedding cache: a warm start embeds nothing.
        literals, _ = await cached_embeddings(pool, embeddings, [text for text, _ in examples])
        # Off the event loop: the router reads the knowledge base's words for its spelling.
        router = await asyncio.to_thread(
            TurnRouter,
            embeddings,
            examples,
            [parse_vector(literals[text]) for text, _ in examples],
            settings.content_dir,
            cache_dir=settings.data_dir / "models",
            follow_up=False,
        )
        # The follow-up reader's bank goes through the embedding cache as the examples do.
        readings = await asyncio.to_thread(router.follow_up_readings)
        literals, _ = await cached_embeddings(pool, embeddings, readings)
        vectors = {text: parse_vector(literals[text]) for text in readings}
        await asyncio.to_thread(router.fit_follow_up, vectors)
        sites = SiteCatalog(pool)
        gazetteer = await asyncio.to_thread(
            Gazetteer.default,
            await sites.site_names(),
            [Site(r["name"], r["destination"], r["path"]) for r in await sites.named_sites()],
            settings.content_dir,
        )
        return cls(
            settings=settings,
            embeddings=embeddings,
            chat_model=chat_model or load_chat_runnable(settings, embeddings=embeddings),
            retriever=KnowledgeRetriever(
                pool=pool,
                embeddings=embeddings,
                spec=IndexSpec(embeddings.model_name, embeddings.dimension),
                k=settings.retrieval_k,
            ),
            router=router,
            gazetteer=gazetteer,
            sites=sites,
            emergency_detector=await build_detector(
                pool, embeddings, cache_dir=settings.data_dir / "models"
            ),
        )


_studio_context: Context | None = None
_studio_lock = asyncio.Lock()


async def _context_for_studio() -> Context:
    global _studio_context
    async with _studio_lock:
        if _studio_context is None:
            from store.database import resolve_database_url
            from store.migrate import upgrade
            from store.pool import open_pool

            settings = get_settings()
            url = await asyncio.to_thread(resolve_database_url, settings)
            await asyncio.to_thread(upgrade, url)
            pool = await open_pool(url, max_size=settings.db_pool_max_size)
            _studio_context = await Context.create(settings, pool)
            log.info("graph context built from settings for %s", settings.resolved_chat_model)
        return _studio_context


async def context_of(runtime: Runtime[Context]) -> Context:
    """The run's context; built from the settings when the runner brought none."""
    if isinstance(runtime.context, Context) and runtime.context.complete:
        return runtime.context
    return await _context_for_studio()
