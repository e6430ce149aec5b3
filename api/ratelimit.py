"""Per-client rate limits: in memory by default, in Redis (shared by replicas) with REDIS_URL.

Fixed one-window counters: simple, predictable, and the same in both stores.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from fastapi import Request

from api.errors import ApiError

log = logging.getLogger(__name__)
WINDOWS = {"second": 1, "minute": 60, "hour": 3600}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        count, _, unit = text.partition("/")
        return cls(int(count), WINDOWS[unit])


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, window: int) -> tuple[int, float]:
        """Count a hit; return (hits in this window, seconds until it resets)."""
        now = time.time()
        slot = int(now // window)
        async with self._lock:
            current_slot, count = self._counts.get(key, (slot, 0))
            count = count + 1 if current_slot == slot else 1
            self._counts[key] = (slot, count)
            if len(self._counts) > 50_000:  # forget idle clients
                self._counts = {k: v for k, v in self._counts.items() if v[0] == slot}
        return count, (slot + 1) * window - now


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.client = redis.from_url(url)

    async def hit(self, key: str, window: int) -> tuple[int, float]:
        now = time.time()
        slot = int(now // window)
        redis_key = f"dovvybuddy:rl:{key}:{slot}"
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window + 1)
            count, _ = await pipe.execute()
        return int(count), (slot + 1) * window - now


class RateLimiter:
    def __init__(self, counter) -> None:
        self.counter = counter

    def client_key(self, request: Request) -> str:
        # The client as uvicorn's ProxyHeadersMiddleware resolved it: the TCP peer, or the
        # forwarded address when the peer is a proxy listed in FORWARDED_ALLOW_IPS.
        return request.client.host if request.client else "unknown"

    async def check(self, request: Request, name: str, limit: Limit) -> None:
        key = f"{name}:{self.client_key(request)}"
        try:
            count, reset = await self.counter.hit(key, limit.seconds)
        except Exception:  # a broken shared store must not take the chat down with it
            log.warning("rate limiter unavailable; allowing the request", exc_info=True)
            return
        if count > limit.count:
            raise ApiError(
                429,
                "RATE_LIMITED",
                f"too many requests: at most {limit.count} per {limit.seconds} s",
                headers={"Retry-After": str(max(1, math.ceil(reset)))},
            )


def make_limiter(redis_url: str | None) -> RateLimiter:
    counter = RedisCounter(redis_url) if redis_url else MemoryCounter()
    return RateLimiter(counter)
