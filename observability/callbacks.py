"""A LangChain callback handler that turns graph runs into Prometheus counts.

Attached once to the compiled graph (server.py), it sees every run under it: chat-model
calls (provider from LangChain's standard `ls_provider` metadata), their latency and
failures, and the finished turn itself, whose final state names the route that answered.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from observability.metrics import (
    EMERGENCIES,
    MODEL_CALLS,
    MODEL_FAILURES,
    MODEL_LATENCY,
    TURNS,
)

# A model call whose end never arrives (a client hung up mid-stream) must not leak forever.
MAX_OPEN_CALLS = 10_000


class TurnMetrics(BaseCallbackHandler):
    """Counts turns by route, emergencies, and chat-model calls, latency and failures."""

    # Counter updates are cheap and thread-safe: run in the event loop, not in an executor.
    run_inline = True

    def __init__(self) -> None:
        self._open_calls: dict[UUID, tuple[str, float]] = {}

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list,
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        provider = provider_of(serialized, metadata)
        MODEL_CALLS.labels(provider).inc()
        if len(self._open_calls) >= MAX_OPEN_CALLS:
            self._open_calls.clear()
        self._open_calls[run_id] = (provider, time.perf_counter())

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._close_call(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        provider = self._close_call(run_id)
        if provider is not None:
            MODEL_FAILURES.labels(provider, type(error).__name__).inc()

    def on_chain_end(
        self,
        outputs: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        # Only the graph's own run has no parent; its output is the turn's final state.
        if parent_run_id is not None or not isinstance(outputs, dict):
            return
        route = outputs.get("route")
        if not route:
            return
        TURNS.labels(str(route)).inc()
        if route == "emergency":
            EMERGENCIES.inc()

    def _close_call(self, run_id: UUID) -> str | None:
        opened = self._open_calls.pop(run_id, None)
        if opened is None:
            return None
        provider, started = opened
        MODEL_LATENCY.labels(provider).observe(time.perf_counter() - started)
        return provider


def provider_of(serialized: dict[str, Any] | None, metadata: dict[str, Any] | None) -> str:
    """The provider a chat model reports for tracing, else its class name."""
    provider = (metadata or {}).get("ls_provider")
    if provider:
        return str(provider)
    ids = (serialized or {}).get("id") or ["unknown"]
    return str(ids[-1])
