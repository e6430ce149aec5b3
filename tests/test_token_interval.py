"""How the streamed turn relays tokens: the first at once, the ones that follow quickly
together, at most one token event per interval, nothing lost or reordered."""

from __future__ import annotations

import asyncio
import time

from api import streaming
from api.streaming import _DONE, TOKEN_INTERVAL_SECONDS, _drain


async def _relay(feed: list[tuple[float, object]]) -> list[tuple[float, dict]]:
    """Events `_drain` yields (with when) while `feed` puts (delay, event) on the queue."""
    queue: asyncio.Queue = asyncio.Queue()

    async def produce():
        for delay, event in feed:
            await asyncio.sleep(delay)
            queue.put_nowait(event)

    producer = asyncio.create_task(produce())
    started = time.perf_counter()
    events = [(time.perf_counter() - started, e) async for e in _drain(queue)]
    await producer
    return events


def _token(text: str) -> dict:
    return {"type": "token", "content": text}


def test_fast_tokens_leave_together_and_add_up_to_the_reply():
    words = [f"w{i} " for i in range(40)]
    feed = [(0.0, {"type": "route", "agentType": "general", "confidence": 1.0})]
    feed += [(0.005, _token(w)) for w in words] + [(0.0, _DONE)]
    events = asyncio.run(_relay(feed))
    tokens = [(at, e) for at, e in events if e["type"] == "token"]
    assert events[0][1]["type"] == "route"
    assert "".join(e["content"] for _, e in tokens) == "".join(words)
    # 40 words over ~0.2 s: about one event per interval, not one per word.
    assert 2 <= len(tokens) < len(words) / 3
    assert tokens[0][1]["content"] == words[0]  # the first word did not wait


def test_slow_tokens_each_leave_on_their_own():
    words = ["Open ", "Water ", "is ", "the ", "first ", "course."]
    feed = [(TOKEN_INTERVAL_SECONDS * 1.5, _token(w)) for w in words] + [(0.0, _DONE)]
    events = asyncio.run(_relay(feed))
    assert [e["content"] for _, e in events] == words


def test_a_held_token_leaves_when_its_interval_ends_not_with_the_next_one(monkeypatch):
    monkeypatch.setattr(streaming, "TOKEN_INTERVAL_SECONDS", 0.05)
    # "Hel" leaves at once, "lo" is held; the model then pauses for 0.5 s.
    feed = [(0.0, _token("Hel")), (0.01, _token("lo")), (0.5, _token("!")), (0.0, _DONE)]
    events = asyncio.run(_relay(feed))
    assert [e["content"] for _, e in events] == ["Hel", "lo", "!"]
    held_at = events[1][0]
    assert held_at < 0.3, f"the held token waited {held_at:.2f} s, for the next one"


def test_other_events_send_what_is_held_first():
    feed = [
        (0.0, _token("a")),
        (0.0, _token("b")),
        (0.0, {"type": "route", "agentType": "trip", "confidence": 1.0}),
        (0.0, _DONE),
    ]
    events = asyncio.run(_relay(feed))
    assert [e["type"] for _, e in events] == ["token", "token", "route"]
    assert "".join(e["content"] for _, e in events if e["type"] == "token") == "ab"
