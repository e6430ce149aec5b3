"""Whether each configured chat model is usable now, for /ready.

Two sources, cheapest first:
- the outcome of the model's last real call, trusted for LLM_PROBE_TTL_SECONDS;
- otherwise a probe, cached for as long: the provider's model-list call for a hosted
  model (no tokens spent), a one-passage answer for the offline extractive answerer.

A real call that fails after the SDK's own retries marks its model failing at once; the
next success clears it. A cancelled call (a diver who left mid-stream) says nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from langchain_core.callbacks import AsyncCallbackHandler

log = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 5.0

Probe = Callable[[], Awaitable[None]]


@dataclass
class Outcome:
    ok: bool
    at: float
    source: str  # "call" or "probe"
    error: str | None = None


@dataclass
class TrackedModel:
    name: str
    probe: Probe
    last: Outcome | None = None
    _probing: asyncio.Lock = field(default_factory=asyncio.Lock)


class OutcomeRecorder(AsyncCallbackHandler):
    """Attached to one chat model: records how each of its calls ended."""

    # Awaited in line, not gathered: LangChain wraps each handler that is not inline in a
    # task of its own for every event, and a streamed reply sends one event per token.
    run_inline = True

    def __init__(self, tracked: TrackedModel) -> None:
        self.tracked = tracked

    async def on_llm_end(self, response, **kwargs) -> None:
        self.tracked.last = Outcome(True, time.monotonic(), "call")

    async def on_llm_error(self, error: BaseException, **kwargs) -> None:
        if isinstance(error, asyncio.CancelledError):
            return
        self.tracked.last = Outcome(False, time.monotonic(), "call", type(error).__name__)


class ModelHealth:
    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._models: dict[str, TrackedModel] = {}

    def track(self, name: str, probe: Probe) -> OutcomeRecorder:
        """Register a model (once per name) and return the callback that feeds its health."""
        tracked = self._models.get(name)
        if tracked is None:
            tracked = self._models[name] = TrackedModel(name, probe)
        else:
            tracked.probe = probe
        return OutcomeRecorder(tracked)

    async def outcome(self, name: str) -> Outcome:
        tracked = self._models[name]
        if self._fresh(tracked.last):
            return tracked.last
        async with tracked._probing:  # one probe at a time, however many /ready calls
            if not self._fresh(tracked.last):
                tracked.last = await self._probe(tracked)
        return tracked.last

    async def check(self, primary: str, fallback: str | None) -> dict:
        """The /ready entry for the chat models: ok while any of them answers."""
        names = [primary, *([fallback] if fallback else [])]
        outcomes = await asyncio.gather(*(self.outcome(name) for name in names))
        usable = any(outcome.ok for outcome in outcomes)
        return {
            "status": "ok" if usable else "error",
            "models": {
                name: {
                    "status": "ok" if outcome.ok else "failing",
                    "source": outcome.source,
                    "age_seconds": round(time.monotonic() - outcome.at, 1),
                    **({"error": outcome.error} if outcome.error else {}),
                }
                for name, outcome in zip(names, outcomes, strict=True)
            },
        }

    def _fresh(self, outcome: Outcome | None) -> bool:
        return outcome is not None and time.monotonic() - outcome.at < self.ttl_seconds

    async def _probe(self, tracked: TrackedModel) -> Outcome:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                await tracked.probe()
        except Exception as error:
            log.warning("chat model %s failed its readiness probe: %r", tracked.name, error)
            return Outcome(False, time.monotonic(), "probe", type(error).__name__)
        return Outcome(True, time.monotonic(), "probe")


_health = ModelHealth()


def model_health() -> ModelHealth:
    """The process's health record: the chat models built by chains.models report here."""
    return _health
