"""STALL_LOG_MS: a call that holds the event loop is logged with where it was made."""

from __future__ import annotations

import asyncio
import gc
import logging
import time

from observability.stalls import StallWatch


def hold_the_loop(seconds: float) -> None:
    time.sleep(seconds)  # a blocking call, as a synchronous client or a long computation


async def test_a_blocked_loop_is_logged_with_the_blocking_call(caplog):
    watch = StallWatch(threshold_ms=50)
    await watch.start()
    try:
        await asyncio.sleep(0.05)  # the watcher's first beat
        with caplog.at_level(logging.WARNING, logger="dovvybuddy.stalls"):
            hold_the_loop(1.0)  # long beside the threshold: the watcher may wait for a CPU
            await asyncio.sleep(0.1)  # the loop beats again: the stall is over and logged
    finally:
        await watch.stop()
    stalls = [r.getMessage() for r in caplog.records if "event loop stalled" in r.getMessage()]
    assert stalls, caplog.text
    assert "hold_the_loop" in stalls[0]
    assert "waited for a CPU" in stalls[0]


async def test_a_quiet_loop_logs_nothing_and_stop_removes_the_gc_hook(caplog):
    watch = StallWatch(threshold_ms=2_000)
    await watch.start()
    with caplog.at_level(logging.WARNING, logger="dovvybuddy.stalls"):
        for _ in range(5):
            await asyncio.sleep(0.01)
    await watch.stop()
    assert not caplog.records
    assert watch._on_gc not in gc.callbacks
