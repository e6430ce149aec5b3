"""What is measured: the service's own gate and router, or a baseline (issue: evals)."""

from __future__ import annotations

import functools
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from graph.routing.emergency import is_emergency

STRATEGIES = ("service",)


@functools.lru_cache(maxsize=1)
def _router():
    from chains.models import load_embeddings
    from config.settings import Settings
    from graph.routing.router import TurnRouter

    settings = Settings(_env_file=None, embedding_model="local/all-MiniLM-L6-v2")
    return TurnRouter(load_embeddings(settings))


class ServiceStrategy:
    """The graph's first two decisions, exactly as the nodes make them."""

    name = "service"

    def detect_emergency(self, message: str) -> bool:
        return is_emergency(message)

    async def route(self, query: str, history: list[dict]) -> str:
        if is_emergency(query):
            return "emergency"
        users = [h["content"] for h in history if h["role"] == "user"]
        previous_route = None
        if users:
            # The previous turn's route, as the graph would have stored it.
            prior = users[-1]
            previous_route = (
                "emergency"
                if is_emergency(prior)
                else (await _router().route(prior, users[:-1])).route
            )
        return (await _router().route(query, users, previous_route)).route


def get_strategy(name: str):
    if name == "service":
        return ServiceStrategy()
    raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
