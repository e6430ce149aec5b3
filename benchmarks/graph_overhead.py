"""Service overhead per turn, generation excluded: the whole graph with a model that answers
instantly, on the real database (checkpointer, retrieval, dive-site table).

    python -m benchmarks.graph_overhead [--sessions 20] [--turns 5]

Prints p50/p95 per turn for one session at a time and for N concurrent sessions, and the
model calls per turn by route. Target: p95 <= 50 ms at 20 concurrent sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections import defaultdict

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

from benchmarks.common import dev_queries, print_calibration, summary_ms
from chains.callbacks import ModelCallCounter
from config.settings import get_settings
from graph.context import Context
from graph.graph import compile_chat_graph
from store.database import resolve_database_url
from store.pool import open_pool


class InstantModel(BaseChatModel):
    """Answers at once: what remains of a turn's time is the service's own."""

    @property
    def _llm_type(self) -> str:
        return "instant"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        message = AIMessage(content="A short grounded answer. Anything else you'd like to know?")
        return ChatResult(generations=[ChatGeneration(message=message)])


QUERIES_EXTRA = [
    "hi!",
    "write me a poem about taxes",
    "my buddy surfaced 5 minutes ago and his arm is numb",
]


async def session(graph, services, queries, timings, calls_by_route, think: float = 0.0) -> None:
    thread = str(uuid.uuid4())
    pauses = random.Random(thread)
    for query in queries:
        if think:
            # Divers read and type at their own pace: exponential pauses, so sessions do not
            # march in lockstep (which would measure a synthetic burst, not a service).
            await asyncio.sleep(pauses.expovariate(1 / think))
        calls = ModelCallCounter()
        config = {"configurable": {"thread_id": thread}, "callbacks": [calls]}
        started = time.perf_counter()
        state = await graph.ainvoke({"messages": [HumanMessage(query)]}, config, context=services)
        timings.append(time.perf_counter() - started)
        calls_by_route[state["route"]].append(calls.count)


async def main(sessions: int, turns: int, think_time: float) -> None:
    settings = get_settings()
    pool = await open_pool(resolve_database_url(settings), max_size=max(10, sessions))
    try:
        services = await Context.create(settings, pool, chat_model=InstantModel())
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        graph = compile_chat_graph(checkpointer)
        queries = dev_queries(sessions * turns) + QUERIES_EXTRA
        calls_by_route: dict[str, list[int]] = defaultdict(list)
        # Warm-up: first-use costs (pool connections, caches) are not per-turn overhead.
        await session(graph, services, queries[:3], [], defaultdict(list))

        sequential: list[float] = []
        await session(graph, services, queries[: sessions * turns], sequential, calls_by_route)
        print(f"one session at a time:   {summary_ms(sequential)}")

        for label, think, suffix in (
            ("no think time (worst case: every session always waiting)", 0.0, " (again)"),
            (f"{think_time:.1f} s mean think time between turns", think_time, " (once more)"),
        ):
            concurrent: list[float] = []
            # A suffix keeps the embedding cache from serving queries seen in an earlier run.
            batches = [
                [f"{q}{suffix}" for q in queries[i * turns : (i + 1) * turns]]
                for i in range(sessions)
            ]
            started = time.perf_counter()
            await asyncio.gather(
                *(session(graph, services, b, concurrent, calls_by_route, think) for b in batches)
            )
            wall = time.perf_counter() - started
            print(
                f"{sessions} concurrent sessions, {label}: {summary_ms(concurrent)} "
                f"({len(concurrent) / wall:.0f} turns/s)"
            )
        print("model calls per turn by route:")
        for route, counts in sorted(calls_by_route.items()):
            print(
                f"  {route:14} mean {statistics.mean(counts):.2f}  max {max(counts)}  "
                f"n {len(counts)}"
            )
    finally:
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument(
        "--think", type=float, default=2.0, help="seconds between a session's turns"
    )
    args = parser.parse_args()
    print_calibration()
    asyncio.run(main(args.sessions, args.turns, args.think))
