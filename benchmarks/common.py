"""Small helpers shared by the benchmarks, and the CPU calibration every benchmark prints
first (`python -m benchmarks.common` prints it alone)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} p50={statistics.median(ms):.1f} ms p95={percentile(ms, 95):.1f} ms "
        f"max={max(ms):.1f} ms"
    )


def dev_queries(limit: int = 100) -> list[str]:
    """Real diver questions from the routing dev set (not off-topic, not emergencies)."""
    rows = [
        json.loads(line)
        for line in (ROOT / "evals/datasets/routing.jsonl").read_text().splitlines()
        if line.strip()
    ]
    queries = [r["query"] for r in rows if r["expected_route"] not in ("off_topic", "emergency")]
    return queries[:limit]


# --- calibration ----------------------------------------------------------------------------
# The same machine runs a turn in 38 ms one day and 65 ms another (other tenants, clocks):
# every benchmark first prints how long two fixed pieces of work took, so figures from
# different days can be set side by side (a turn's CPU over the loop's, say).
CALIBRATION_SENTENCES = [
    f"{opening} {subject} {ending}"
    for opening in ("How deep can I go on", "What should I pack for", "Is it safe to plan")
    for subject in (
        "my first dives after the Open Water course",
        "a week of drift diving with strong currents",
        "night dives on a reef with a new buddy",
        "a liveaboard trip in the dry season",
    )
    for ending in ("this year?", "with a rented wetsuit?", "if I get seasick?", "and why?")
][:50]
LOOP_ITERATIONS = 1_000_000


def _python_loop() -> int:
    total = 0
    for i in range(LOOP_ITERATIONS):
        total += (i * i) % 7
    return total


def _best_of(work, repeats: int = 3) -> tuple[float, float]:
    """The least CPU and wall seconds of `repeats` runs of `work` (the least is the steadiest:
    noise only ever adds)."""
    cpu, wall = [], []
    for _ in range(repeats):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - cpu0)
        wall.append(time.perf_counter() - wall0)
    return min(cpu), min(wall)


def calibration_line() -> str:
    """Fixed work timed here and now: a pure-Python loop, and 50 fixed sentences embedded
    one at a time as a turn embeds its message (bundled MiniLM, no cache)."""
    from chains.embeddings import LocalMiniLMEmbeddings

    loop_cpu, loop_wall = _best_of(_python_loop)
    model = LocalMiniLMEmbeddings()
    model.embed_documents(CALIBRATION_SENTENCES[:5])  # loading and first-run work

    def embed_one_by_one() -> None:
        for sentence in CALIBRATION_SENTENCES:
            model.embed_documents([sentence])

    embed_cpu, embed_wall = _best_of(embed_one_by_one)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"calibration: python loop {loop_cpu * 1000:.0f} ms CPU ({loop_wall * 1000:.0f} wall), "
        f"50 sentences embedded {embed_cpu * 1000:.0f} ms CPU ({embed_wall * 1000:.0f} wall), "
        f"load average {load}"
    )


def print_calibration() -> None:
    """Print the calibration line, measured in a process of its own: the benchmark's own
    process keeps no model it does not need, and the figure does not depend on it."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.common"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    line = done.stdout.strip().splitlines()[-1:] or [f"calibration failed: {done.stderr[-300:]}"]
    print(line[0], flush=True)


if __name__ == "__main__":
    print(calibration_line())
