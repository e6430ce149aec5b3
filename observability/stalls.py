"""Where the event loop stops: a diagnostic for tail latency, off unless STALL_LOG_MS is set.

Every turn in flight shares one event loop, so anything that holds it (a blocking call, a
long garbage collection) delays all of them at once, with no more CPU per turn to show for
it. With STALL_LOG_MS set, a thread watches a heartbeat the loop keeps, and when the loop
has not beaten for that long it samples the loop thread's stack until the loop is back,
then logs the stall's length, its wall-clock time and the stacks seen. Garbage
collections that long are logged too (they run on whichever thread allocated).
"""

from __future__ import annotations

import asyncio
import collections
import gc
import logging
import os
import sys
import threading
import time
import traceback

log = logging.getLogger("dovvybuddy.stalls")

BEAT_SECONDS = 0.01
# Stacks shown per stall: the most frequent ones, innermost frames last.
STACKS_SHOWN = 3
FRAMES_SHOWN = 12


class StallWatch:
    def __init__(self, threshold_ms: float) -> None:
        self.threshold = threshold_ms / 1000
        self._beat = time.monotonic()
        self._loop_thread: int | None = None
        self._loop_task: int | None = None  # the kernel's id of the loop thread
        self._stop = threading.Event()
        self._beating: asyncio.Task | None = None
        self._gc_started: tuple[float, float] | None = None  # wall and thread CPU

    async def start(self) -> None:
        self._loop_thread = threading.get_ident()
        self._loop_task = threading.get_native_id()
        self._beating = asyncio.create_task(self._heartbeat(), name="stall-heartbeat")
        threading.Thread(target=self._watch, name="stall-watch", daemon=True).start()
        gc.callbacks.append(self._on_gc)

    async def stop(self) -> None:
        self._stop.set()
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        if self._beating:
            self._beating.cancel()

    async def _heartbeat(self) -> None:
        while True:
            self._beat = time.monotonic()
            await asyncio.sleep(BEAT_SECONDS)

    def _watch(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            if time.monotonic() - self._beat < self.threshold:
                continue
            began = self._beat
            ran_before, queued_before = _schedstat(self._loop_task)
            stolen_before = _stolen()
            stacks: collections.Counter[tuple[str, ...]] = collections.Counter()
            while self._beat == began and not self._stop.wait(BEAT_SECONDS):
                frame = sys._current_frames().get(self._loop_thread)
                if frame is not None:
                    stack = traceback.extract_stack(frame)[-FRAMES_SHOWN:]
                    stacks[tuple(f"{f.filename}:{f.lineno} {f.name}" for f in stack)] += 1
            stalled = time.monotonic() - began
            ran, queued = _schedstat(self._loop_task)
            stolen = _stolen() - stolen_before
            shown = "\n".join(
                f"  {count} samples:\n    " + "\n    ".join(stack)
                for stack, count in stacks.most_common(STACKS_SHOWN)
            )
            # On a CPU, waiting for one, or neither (blocked in a system call, waiting for
            # the GIL, or its virtual CPU not running at all: the hypervisor's "steal", summed
            # over the machine's CPUs): work, the machine's load, or something else's hold.
            log.warning(
                "event loop stalled %.0f ms from %s (since noticed: ran %.0f ms, waited for a "
                "CPU %.0f ms; CPU time stolen by the host %.0f ms)\n%s",
                stalled * 1000,
                _wall(began),
                (ran - ran_before) * 1000,
                (queued - queued_before) * 1000,
                stolen * 1000,
                shown,
            )

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = (time.monotonic(), time.thread_time())
        elif self._gc_started is not None:
            began, cpu = self._gc_started
            took = time.monotonic() - began
            if took >= self.threshold:
                log.warning(
                    "garbage collection of generation %s took %.0f ms (%.0f ms CPU) at %s "
                    "(%s collected)",
                    info.get("generation"),
                    took * 1000,
                    (time.thread_time() - cpu) * 1000,
                    _wall(began),
                    info.get("collected"),
                )


def _schedstat(task: int | None) -> tuple[float, float]:
    """Seconds a thread has run on a CPU and waited on a run queue (Linux), else zeros."""
    try:
        with open(f"/proc/self/task/{task}/schedstat") as stat:
            ran, queued, _ = stat.read().split()
        return int(ran) / 1e9, int(queued) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


def _stolen() -> float:
    """Seconds of CPU time the hypervisor has taken from this machine's CPUs (Linux)."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _wall(monotonic_at: float) -> str:
    at = time.time() - (time.monotonic() - monotonic_at)
    return time.strftime("%H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1000):03d}"
