"""What is measured: the service itself, or one of the baselines of typescript-baseline.md.

A strategy answers four questions, one per suite: is this an emergency, which route, which
passages, and how does a whole conversation go.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from langchain_core.messages import HumanMessage, SystemMessage

from chains.callbacks import ModelCallCounter
from evals import baselines

STRATEGIES = ("service", "ts-baseline", "py-keyword")


@dataclass
class Turn:
    route: str
    answer: str
    lead_offer: bool
    llm_calls: int
    passages: list[str] = field(default_factory=list)
    # The document path of each passage, in the same order: where a turn's facts were lost.
    passage_paths: list[str] = field(default_factory=list)
    fixed_reply: bool = False  # rule-written text (emergency, off-topic, small talk)


class EvalContext:
    """Settings, embeddings and a database pool, opened once per eval run when needed."""

    def __init__(self) -> None:
        from chains.models import load_embeddings
        from config.settings import get_settings

        settings = get_settings()
        # Every strategy uses the same (offline) embedding model: an equal footing.
        self.settings = settings.model_copy(update={"embedding_model": "local/all-MiniLM-L6-v2"})
        self.embeddings = load_embeddings(self.settings)
        self._pool = None
        self._router = None
        self._detector = None

    async def pool(self):
        if self._pool is None:
            from store.database import resolve_database_url
            from store.pool import open_pool

            self._pool = await open_pool(resolve_database_url(self.settings), max_size=4)
        return self._pool

    def router(self):
        if self._router is None:
            from graph.routing.router import TurnRouter

            self._router = TurnRouter(self.embeddings)
        return self._router

    async def emergency_detector(self):
        """The service's two emergency detectors, trained from the bank as at start-up."""
        if self._detector is None:
            from graph.routing.emergency_detector import build_detector

            self._detector = await build_detector(await self.pool(), self.embeddings)
        return self._detector

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


class ServiceStrategy:
    """The graph's own gate, router, retriever and whole conversations."""

    name = "service"

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx
        self._context = None
        self._graph = None
        self._retriever = None
        self._places = None

    async def detect_emergency(self, message: str) -> bool:
        detector = await self.ctx.emergency_detector()
        return (await detector.assess(message)).is_emergency

    async def route(self, query: str, history: list[dict]) -> str:
        """The route of `query` after the diver's earlier turns of `history` (`routes`)."""
        users = [h["content"] for h in history if h["role"] == "user"]
        return (await self.routes([*users, query]))[-1]

    async def routes(self, messages: list[str]) -> list[str]:
        """The safety gate then the router node, replayed over a diver's messages in turn.

        The turns are taken as minutes apart, so an emergency raised earlier is still in
        progress, as it would be on the service. The focus and profile are rebuilt turn by
        turn as the graph's memory node does, so each route is the one the router node
        settles on ("can I dive Barracuda Point?" names a site).
        """
        from graph.focus import update_focus, with_next_course
        from graph.nodes.routing import plan_turn
        from graph.nodes.safety_gate import decide
        from graph.profile import update_profile

        detector = await self.ctx.emergency_detector()
        router = self.ctx.router()
        gazetteer = await self._gazetteer()
        active, previous_route, focus, profile = None, None, {}, {}
        routes = []
        for index, text in enumerate(messages):
            gate = await decide(text, active, detector, router)
            active = gate.active
            focus = update_focus(focus, text, gazetteer)
            profile = update_profile(profile, text)
            focus = with_next_course(focus, text, profile.get("certification_level"))
            if gate.emergency:
                route = "emergency"
            else:
                plan = await plan_turn(
                    router, text, messages[:index], previous_route, focus, profile
                )
                route = plan["route"]
            routes.append(route)
            previous_route = route
        return routes

    async def retrieve(self, query: str, filters: dict | None, history: list[str]) -> list[str]:
        anchor = None  # the diver's own words, which the search query starts with
        if history:
            from graph.nodes.routing import replay_search

            anchor = query
            query, focus_filters = await replay_search(
                self.ctx.router(), await self._gazetteer(), history, query
            )
            filters = filters or focus_filters
        if self._retriever is None:
            from chains.retrieval import KnowledgeRetriever
            from store.vector_index import IndexSpec

            self._retriever = KnowledgeRetriever(
                pool=await self.ctx.pool(),
                embeddings=self.ctx.embeddings,
                spec=IndexSpec(self.ctx.embeddings.model_name, self.ctx.embeddings.dimension),
            )
        results = await self._retriever.search(query, k=5, filters=filters or None, anchor=anchor)
        return [p["path"] for p in results]

    async def _gazetteer(self):
        if self._places is None:
            from graph.places import Gazetteer, Site
            from store.dive_sites import SiteCatalog

            sites = SiteCatalog(await self.ctx.pool())
            self._places = Gazetteer.default(
                await sites.site_names(),
                [Site(r["name"], r["destination"], r["path"]) for r in await sites.named_sites()],
            )
        return self._places

    async def _setup(self):
        if self._graph is None:
            from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

            from graph.context import Context
            from graph.graph import compile_chat_graph

            pool = await self.ctx.pool()
            self._context = await Context.create(
                self.ctx.settings, pool, embeddings=self.ctx.embeddings
            )
            checkpointer = AsyncPostgresSaver(pool)
            await checkpointer.setup()
            self._graph = compile_chat_graph(checkpointer)

    async def conversation(self):
        await self._setup()
        thread = f"eval-{uuid.uuid4()}"

        async def turn(text: str) -> Turn:
            calls = ModelCallCounter()
            config = {
                "configurable": {"thread_id": thread},
                "callbacks": [calls],
            }
            state = await self._graph.ainvoke(
                {"messages": [HumanMessage(text)]}, config, context=self._context
            )
            return Turn(
                route=state["route"],
                answer=state["answer"],
                lead_offer=bool(state.get("lead_offer")),
                llm_calls=calls.count,
                passages=[p["content"] for p in state.get("passages", [])],
                passage_paths=[p["path"] for p in state.get("passages", [])],
                fixed_reply=calls.count == 0,
            )

        return turn


class KeywordBaseline:
    """A baseline: its keyword router, the TypeScript retrieval, one model call per turn."""

    def __init__(self, ctx: EvalContext, name: str, router) -> None:
        self.ctx = ctx
        self.name = name
        self._route = router
        self._index_ready = False

    async def detect_emergency(self, message: str) -> bool:
        return False  # neither baseline has emergency detection

    async def route(self, query: str, history: list[dict]) -> str:
        return self._route(query, history)

    async def _index(self):
        pool = await self.ctx.pool()
        if not self._index_ready:
            from config.settings import PROJECT_ROOT

            await baselines.build_ts_index(pool, self.ctx.embeddings, PROJECT_ROOT / "content")
            self._index_ready = True
        return pool

    async def retrieve(self, query: str, filters: dict | None, history: list[str]) -> list[str]:
        pool = await self._index()
        return [
            r["path"]
            for r in await baselines.ts_retrieve(pool, self.ctx.embeddings, query, filters)
        ]

    async def conversation(self):
        from chains.extractive import ExtractiveAnswerer
        from chains.passages import render_passages

        pool = await self._index()
        model = ExtractiveAnswerer(embeddings=self.ctx.embeddings)
        history: list[dict] = []

        async def turn(text: str) -> Turn:
            route = self._route(text, history)
            rows = await baselines.ts_retrieve(pool, self.ctx.embeddings, text)
            passages = [
                {
                    "path": r["path"],
                    "title": r["path"],
                    "section": r["section"] or "",
                    "content": r["content"],
                }
                for r in rows
            ]
            prompt = f"You are DovvyBuddy ({route} mode).\n\n{render_passages(passages)}"
            messages = [SystemMessage(prompt)]
            messages += [HumanMessage(h["content"]) for h in history if h["role"] == "user"]
            messages.append(HumanMessage(text))
            reply = await model.ainvoke(messages)
            history.extend(
                [
                    {"role": "user", "content": text},
                    {"role": "assistant", "content": str(reply.content)},
                ]
            )
            return Turn(
                route=route,
                answer=str(reply.content),
                lead_offer=False,
                llm_calls=1,
                passages=[p["content"] for p in passages],
                passage_paths=[p["path"] for p in passages],
            )

        return turn


def get_strategy(name: str, ctx: EvalContext):
    if name == "service":
        return ServiceStrategy(ctx)
    if name == "ts-baseline":
        return KeywordBaseline(ctx, name, baselines.ts_detect_prompt_mode)
    if name == "py-keyword":
        return KeywordBaseline(ctx, name, baselines.py_keyword_route)
    raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
