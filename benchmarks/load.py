"""Load on the web contract with the offline models: /api/chat latency and the time to
the first token of /api/chat/stream, at 1 and N concurrent clients.

    python -m benchmarks.load [--base-url http://127.0.0.1:8000] [--clients 1,20] [--turns 5]

Each client is one diver: its own HTTP client (so its own cookies: one shared cookie jar
would put every client on the session of the last Set-Cookie, and the service runs one
turn at a time per session), sending its turns one after another. Start the server
with generous rate limits (CHAT_RATE_LIMIT=100000/minute) so the limiter is not measured.
With --outage, stops and restarts the embedded database mid-run and reports the status
codes seen and how long the service took to recover.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import dev_queries, print_calibration, summary_ms


async def chat_client(
    base_url: str,
    queries: list[str],
    latencies: list[float],
    codes: collections.Counter,
) -> None:
    session = None
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        for query in queries:
            started = time.perf_counter()
            body = {"message": query, "sessionId": session}
            response = await client.post("/api/chat", json=body)
            latencies.append(time.perf_counter() - started)
            codes[response.status_code] += 1
            if response.status_code == 200:
                session = response.json()["sessionId"]


async def stream_client(
    base_url: str,
    queries: list[str],
    first_token: list[float],
    codes: collections.Counter,
) -> None:
    session = None
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        for query in queries:
            started = time.perf_counter()
            seen_token = False
            body = {"message": query, "sessionId": session}
            async with client.stream("POST", "/api/chat/stream", json=body) as response:
                codes[response.status_code] += 1
                async for line in response.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    event = json.loads(line[5:])
                    if event["type"] == "session":
                        session = event["sessionId"]
                    if event["type"] in ("token", "final") and not seen_token:
                        first_token.append(time.perf_counter() - started)
                        seen_token = True


async def run(base_url: str, clients: int, turns: int) -> None:
    queries = dev_queries(clients * turns)
    while len(queries) < clients * turns:
        queries += queries
    latencies: list[float] = []
    codes: collections.Counter = collections.Counter()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            chat_client(base_url, queries[i * turns : (i + 1) * turns], latencies, codes)
            for i in range(clients)
        )
    )
    wall = time.perf_counter() - started
    print(
        f"/api/chat, {clients} client(s): {summary_ms(latencies)} "
        f"({len(latencies) / wall:.1f} req/s) status {dict(codes)}"
    )
    first: list[float] = []
    codes = collections.Counter()
    await asyncio.gather(
        *(
            stream_client(base_url, queries[i * turns : (i + 1) * turns], first, codes)
            for i in range(clients)
        )
    )
    print(
        f"/api/chat/stream first token, {clients} client(s): {summary_ms(first)} "
        f"status {dict(codes)}"
    )


async def outage(base_url: str, clients: int, data_dir: str | None) -> None:
    """Chat continuously while the embedded database is stopped for a few seconds."""
    dovvybuddy = str(Path(sys.executable).parent / "dovvybuddy")
    env_args = {"env": {**os.environ, "DATA_DIR": data_dir}} if data_dir else {}
    timeline: list[tuple[float, int]] = []
    stop_at = restart_at = None
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def worker(n: int) -> None:
            while time.perf_counter() - t0 < 20:
                response = await client.post("/api/chat", json={"message": f"what is nitrox? {n}"})
                timeline.append((time.perf_counter() - t0, response.status_code))
                await asyncio.sleep(0.1)

        t0 = time.perf_counter()
        tasks = [asyncio.create_task(worker(n)) for n in range(clients)]
        await asyncio.sleep(4)
        stop_at = time.perf_counter() - t0
        subprocess.run([dovvybuddy, "db", "stop"], check=True, capture_output=True, **env_args)
        await asyncio.sleep(5)
        restart_at = time.perf_counter() - t0
        subprocess.run([dovvybuddy, "db", "migrate"], check=True, capture_output=True, **env_args)
        await asyncio.gather(*tasks)
    during = collections.Counter(code for t, code in timeline if stop_at <= t < restart_at + 0.5)
    recovered = next((t for t, code in sorted(timeline) if t > restart_at and code == 200), None)
    print(f"database stopped at {stop_at:.1f} s, restarted at {restart_at:.1f} s")
    print(f"  while down: status {dict(during)}")
    print(
        f"  first 200 after restart: {recovered - restart_at:.2f} s after the database was back"
        if recovered
        else "  never recovered"
    )
    after = collections.Counter(code for t, code in timeline if recovered and t > recovered)
    print(f"  after recovery: status {dict(after)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--outage", action="store_true")
    parser.add_argument("--data-dir", help="DATA_DIR of the server's embedded database")
    args = parser.parse_args()
    print_calibration()
    if args.outage:
        asyncio.run(outage(args.base_url, 5, args.data_dir))
        return
    for clients in (int(c) for c in args.clients.split(",")):
        asyncio.run(run(args.base_url, clients, args.turns))


if __name__ == "__main__":
    main()
