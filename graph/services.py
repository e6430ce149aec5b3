"""What the nodes need at run time: models, the retriever, the router and the gazetteer.

Nodes are plain functions of (state, config). They find their services in
`config["configurable"]["services"]` when a caller injects them (tests inject fakes), and
otherwise use the process-wide services: the server installs its own at start-up, and
under `langgraph dev` they are built lazily from the settings on first use.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable, RunnableConfig
from psycopg_pool import AsyncConnectionPool

from chains.models import load_chat_runnable, load_embeddings
from chains.retrieval import KnowledgeRetriever
from config.settings import Settings, get_settings
from graph.places import Gazetteer
from graph.routing.emergency_detector import EmergencyDetector, build_detector
from graph.routing.router import TurnRouter, load_examples
from store.dive_sites import SiteCatalog
from store.embedding_cache import cached_embeddings, parse_vector
from store.vector_index import IndexSpec

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    embeddings: Embeddings
    chat_model: Runnable
    retriever: KnowledgeRetriever
    router: TurnRouter
    gazetteer: Gazetteer
    sites: SiteCatalog
    # The rules and the learned detector; None leaves the rules alone (unit tests).
    emergency_detector: EmergencyDetector | None = None

    @classmethod
    async def create(
        cls,
        settings: Settings,
        pool: AsyncConnectionPool,
        *,
        embeddings: Embeddings | None = None,
        chat_model: Runnable | None = None,
    ) -> Services:
        embeddings = embeddings or load_embeddings(settings)
        examples = load_examples()
        # The router's examples go through the embedding cache: a warm start embeds nothing.
        literals, _ = await cached_embeddings(pool, embeddings, [text for text, _ in examples])
        router = TurnRouter(
            embeddings, examples, [parse_vector(literals[text]) for text, _ in examples]
        )
        sites = SiteCatalog(pool)
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
            gazetteer=Gazetteer.default(await sites.site_names()),
            sites=sites,
            emergency_detector=await build_detector(pool, embeddings),
        )


_default: Services | None = None
_default_lock = asyncio.Lock()


def install_services(services: Services | None) -> None:
    """Make `services` the process-wide default (the server does this in its lifespan)."""
    global _default
    _default = services


async def _lazy_default() -> Services:
    global _default
    async with _default_lock:
        if _default is None:
            # Only reached outside our server, e.g. under `langgraph dev`.
            from store.database import resolve_database_url
            from store.migrate import upgrade
            from store.pool import open_pool

            settings = get_settings()
            url = await asyncio.to_thread(resolve_database_url, settings)
            await asyncio.to_thread(upgrade, url)
            pool = await open_pool(url, max_size=settings.db_pool_max_size)
            _default = await Services.create(settings, pool)
            log.info("graph services built lazily for %s", settings.resolved_chat_model)
        return _default


async def get_services(config: RunnableConfig | None) -> Services:
    injected = ((config or {}).get("configurable") or {}).get("services")
    if injected is not None:
        return injected
    return _default or await _lazy_default()
