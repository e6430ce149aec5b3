"""Load on the hosted-model path, offline: the service streaming from the provider stand-in.

    python -m benchmarks.load_standin [--sessions 20,50,200] [--turns 3] [--think 1.0]
        [--targets service,langserve,langgraph] [--latency 0.3] [--pace 0.02] [--workers 1]
    python -m benchmarks.load_standin --startup      # warm start to /ready, RSS after 40 turns

Starts the stand-in (tests/provider_standin.py, Groq's wire format: first token after
--latency, then a word every --pace seconds) and the servers as child processes:
- service:   `uvicorn server:app`, streaming through POST /api/chat/stream;
- langserve: the same process's LangServe POST /chat/stream (graph updates, no tokens);
- langgraph: `langgraph dev` serving the same graph, POST runs/stream via langgraph-sdk
  (stream_mode messages-tuple);
- direct:    the stand-in itself, streamed by the same client in the same run, so the
  difference between a target and it is what the target costs.

Each session is one diver with its own HTTP client (and so its own cookies): it sends
--turns questions with --think seconds (±50 %) between them. At each level every server
target runs in a phase of its own (a machine with two cores cannot run four of them at once
and say anything about one), with as many divers streaming from the stand-in directly, by
the same client, at the same time: the difference between the two is what the target costs.
Each target answers a few warm-up turns first, so lazy start-up work is not counted.
Prints, per target: turns/s, first-token and total p50/p95, errors, the server's RSS
afterwards and its CPU time per turn (its process tree's user + system time over the phase,
steadier than latencies because waiting for a core does not count). Figures, not pass/fail;
on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.common import ROOT, dev_queries, percentile

GROQ_MODEL = "llama-3.3-70b-versatile"


@dataclass
class Figures:
    first: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    token_events: list[int] = field(default_factory=list)  # per streamed turn (service)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending.extend(int(child) for child in children)
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its descendants, in seconds."""
    ticks = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]
            )
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total / 1024


class Child:
    """A child process that is ready once `ready_url` answers 200."""

    def __init__(self, name: str, args: list[str], env: dict, ready_url: str) -> None:
        self.name, self.ready_url = name, ready_url
        self.log = ROOT / ".dovvybuddy" / f"bench-{name}.log"
        self.log.parent.mkdir(exist_ok=True)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.ready_url, timeout=2).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def service_env(standin_url: str) -> dict:
    return {
        **os.environ,
        "CHAT_MODEL": f"groq/{GROQ_MODEL}",
        "CHAT_FALLBACK_MODEL": "none",
        "EMBEDDING_MODEL": "local/all-MiniLM-L6-v2",
        "GROQ_API_KEY": "stand-in",
        "GROQ_API_BASE": standin_url,
        "CHAT_RATE_LIMIT": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
    }


# --- one streamed turn per target: returns (first token, total) in seconds -------------
async def turn_direct(client: httpx.AsyncClient, question: str, state: dict):
    body = {
        "model": GROQ_MODEL,
        "stream": True,
        "messages": [{"role": "user", "content": question}],
    }
    started = time.perf_counter()
    first = None
    async with client.stream("POST", "/openai/v1/chat/completions", json=body) as reply:
        reply.raise_for_status()
        async for line in reply.aiter_lines():
            if line.startswith("data:") and first is None and '"content"' in line:
                first = time.perf_counter() - started
    return first, time.perf_counter() - started


async def turn_service(client: httpx.AsyncClient, question: str, state: dict):
    started = time.perf_counter()
    first = None
    failed = None
    body = {"message": question, "sessionId": state.get("session")}
    async with client.stream("POST", "/api/chat/stream", json=body) as reply:
        reply.raise_for_status()
        async for line in reply.aiter_lines():
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event["type"] == "session":
                state["session"] = event["sessionId"]
            elif event["type"] in ("token", "final") and first is None:
                first = time.perf_counter() - started
            if event["type"] == "token":
                state["token_events"] = state.get("token_events", 0) + 1
            elif event["type"] == "error":
                failed = event["code"]
    if failed:
        raise RuntimeError(failed)
    return first, time.perf_counter() - started


async def turn_langserve(client: httpx.AsyncClient, question: str, state: dict):
    state.setdefault("session", str(uuid.uuid4()))
    body = {
        "input": {"messages": [{"type": "human", "content": question}]},
        "config": {"configurable": {"thread_id": state["session"]}},
    }
    started = time.perf_counter()
    first = None
    async with client.stream("POST", "/chat/stream", json=body) as reply:
        reply.raise_for_status()
        event = None
        async for line in reply.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
                if event == "error":
                    raise RuntimeError("langserve error event")
            elif line.startswith("data:") and first is None and '_agent":' in line:
                # LangServe streams the graph's node updates, not tokens: the first words
                # arrive with the agent's whole answer.
                first = time.perf_counter() - started
    total = time.perf_counter() - started
    # A turn answered without the model (an emergency, a fixed reply) arrives whole.
    return first if first is not None else total, total


async def turn_langgraph(client, question: str, state: dict):
    if "thread" not in state:
        state["thread"] = (await client.threads.create())["thread_id"]
    started = time.perf_counter()
    first = None
    async for part in client.runs.stream(
        state["thread"],
        "dovvybuddy",
        input={"messages": [{"type": "human", "content": question}]},
        stream_mode="messages-tuple",
    ):
        if part.event == "error":
            raise RuntimeError(str(part.data)[:200])
        if first is None and part.event == "messages":
            message, meta = part.data
            if message.get("content") and str(meta.get("langgraph_node", "")).endswith("_agent"):
                first = time.perf_counter() - started
    total = time.perf_counter() - started
    # A turn answered without the model (an emergency, a fixed reply) arrives whole.
    return first if first is not None else total, total


TURNS = {
    "direct": turn_direct,
    "service": turn_service,
    "langserve": turn_langserve,
    "langgraph": turn_langgraph,
}


async def session(target: str, base_url: str, questions: list[str], think: float, out: Figures):
    rng = random.Random()
    state: dict = {}
    await asyncio.sleep(rng.uniform(0, think))  # divers do not all arrive at once
    if target == "langgraph":
        from langgraph_sdk import get_client

        client = get_client(url=base_url, timeout=120)
        closer = None
    else:
        client = httpx.AsyncClient(base_url=base_url, timeout=120)
        closer = client
    try:
        for index, question in enumerate(questions):
            if index:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            try:
                state.pop("token_events", None)
                first, total = await TURNS[target](client, question, state)
            except Exception as error:
                out.error(type(error).__name__ if str(error) == "" else str(error)[:40])
                continue
            if first is None:
                out.error("no token")
                continue
            out.first.append(first)
            out.total.append(total)
            if "token_events" in state:
                out.token_events.append(state["token_events"])
    finally:
        if closer:
            await closer.aclose()


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:7.0f}" if values else "      -"


async def warm_up(name: str, url: str, turns: int = 3) -> None:
    """A few turns first, so lazy start-up work (models, detector, pools) is not measured."""
    figures = Figures()
    await session(name, url, dev_queries(turns), 0.0, figures)
    if figures.errors:
        raise RuntimeError(f"{name} failed its warm-up turns: {figures.errors}")


async def phase(
    name: str, url: str, direct_url: str, sessions: int, turns: int, think: float
) -> tuple[Figures, Figures, float]:
    """`sessions` divers on one target and as many on the stand-in directly, side by side."""
    questions = dev_queries(200)
    target, direct = Figures(), Figures()

    def asked(s: int) -> list[str]:
        return [questions[(s * turns + t) % len(questions)] for t in range(turns)]

    started = time.perf_counter()
    await asyncio.gather(
        *(session(name, url, asked(s), think, target) for s in range(sessions)),
        *(session("direct", direct_url, asked(s), think, direct) for s in range(sessions)),
    )
    return target, direct, time.perf_counter() - started


def _row(name: str, f: Figures, wall: float, rss: float) -> str:
    return (
        f"  {name:<10} {len(f.total):>5} {len(f.total) / wall:>7.2f} {_ms(f.first, 50):>9} "
        f"{_ms(f.first, 95):>9} {_ms(f.total, 50):>9} {_ms(f.total, 95):>9} "
        f"{sum(f.errors.values()):>6}  {rss:>6.0f}" + (f"  {f.errors}" if f.errors else "")
    )


def _cost(values: list[float], reference: list[float], pct: float) -> float:
    return (percentile(values, pct) - percentile(reference, pct)) * 1000


def print_phase(name: str, target: Figures, direct: Figures, wall: float, rss: dict) -> None:
    print(_row(name, target, wall, rss[name]))
    print(_row("  direct", direct, wall, rss["direct"]))
    if target.total and direct.total:
        print(
            f"    {name} cost over direct: first token p50 "
            f"{_cost(target.first, direct.first, 50):+.0f} ms, p95 "
            f"{_cost(target.first, direct.first, 95):+.0f} ms; total p50 "
            f"{_cost(target.total, direct.total, 50):+.0f} ms, p95 "
            f"{_cost(target.total, direct.total, 95):+.0f} ms"
        )


HEADER = (
    f"  {'target':<10} {'turns':>5} {'turns/s':>7} {'first p50':>9} {'first p95':>9} "
    f"{'total p50':>9} {'total p95':>9} {'errors':>6}  {'RSS MB':>6}"
)


def start_standin(latency: float, pace: float) -> tuple[Child, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    child = Child(
        "standin",
        [
            sys.executable,
            "-m",
            "tests.provider_standin",
            "--port",
            str(port),
            "--latency",
            str(latency),
            "--pace",
            str(pace),
        ],
        os.environ.copy(),
        f"{url}/_standin/stats",
    )
    child.wait_ready()
    return child, url


def start_service(standin_url: str, workers: int = 1) -> tuple[Child, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    child = Child(
        "service",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(workers),
        ],
        service_env(standin_url),
        f"{url}/ready",
    )
    return child, url


def start_langgraph(standin_url: str) -> tuple[Child, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cli = str(Path(sys.executable).parent / "langgraph")
    child = Child(
        "langgraph",
        [
            cli,
            "dev",
            "--no-browser",
            "--no-reload",
            "--port",
            str(port),
            "--n-jobs-per-worker",
            "250",
        ],
        service_env(standin_url),
        f"{url}/ready",
    )
    return child, url


def run_levels(args) -> None:
    wanted = args.targets.split(",")
    children: list[Child] = []
    try:
        standin, standin_url = start_standin(args.latency, args.pace)
        children.append(standin)
        targets: dict[str, str] = {}
        pids: dict[str, int] = {}
        pids["direct"] = standin.process.pid
        if {"service", "langserve"} & set(wanted):
            service, url = start_service(standin_url, args.workers)
            children.append(service)
            for name in ("service", "langserve"):
                if name in wanted:
                    targets[name], pids[name] = url, service.process.pid
        if "langgraph" in wanted:
            langgraph, url = start_langgraph(standin_url)
            children.append(langgraph)
            targets["langgraph"], pids["langgraph"] = url, langgraph.process.pid
        for child in children[1:]:  # the servers start side by side; wait for each
            child.wait_ready()
        for name, url in targets.items():
            asyncio.run(warm_up(name, url))
        print(
            f"stand-in: first token after {args.latency * 1000:.0f} ms, then a word every "
            f"{args.pace * 1000:.0f} ms; {args.turns} turns per session, think {args.think} s"
        )
        for count in (int(c) for c in args.sessions.split(",")):
            print(f"\n{count} sessions per target (each target in its own phase)")
            print(HEADER)
            for name, url in targets.items():
                cpu_before = cpu_seconds(pids[name])
                target, direct, wall = asyncio.run(
                    phase(name, url, standin_url, count, args.turns, args.think)
                )
                cpu = cpu_seconds(pids[name]) - cpu_before
                rss = {key: rss_mb(pid) for key, pid in pids.items()}
                print_phase(name, target, direct, wall, rss)
                if target.total:
                    # CPU time is steadier than latency on a shared machine: it does not
                    # count waiting for the cores, only the work the server did per turn.
                    print(f"    {name} CPU per turn: {cpu / len(target.total) * 1000:.1f} ms")
                if target.token_events:
                    # Each event costs the server JSON, the middleware stack and a write.
                    events = sum(target.token_events) / len(target.token_events)
                    print(f"    {name} token events per streamed turn: {events:.1f}")
                sys.stdout.flush()
    finally:
        for child in reversed(children):
            child.stop()


async def forty_turns(url: str) -> None:
    questions = dev_queries(40)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        sid = None
        for question in questions:
            reply = await client.post("/api/chat", json={"message": question, "sessionId": sid})
            sid = reply.json().get("sessionId") if reply.status_code == 200 else sid


def run_startup(args) -> None:
    """Warm start to /ready 200 (index and ONNX file already there), RSS after 40 turns."""
    children: list[Child] = []
    try:
        standin, standin_url = start_standin(args.latency, args.pace)
        children.append(standin)
        service, url = start_service(standin_url)
        children.append(service)
        print(f"warm start to /ready 200: {service.wait_ready():.2f} s")
        print(f"server RSS at ready: {rss_mb(service.process.pid):.0f} MB")
        asyncio.run(forty_turns(url))
        print(f"server RSS after 40 turns: {rss_mb(service.process.pid):.0f} MB")
    finally:
        for child in reversed(children):
            child.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="20,50,200")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--targets", default="service,langserve,langgraph")
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--pace", type=float, default=0.02)
    parser.add_argument("--startup", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes for the service"
    )
    args = parser.parse_args()
    if args.startup:
        run_startup(args)
    else:
        run_levels(args)


if __name__ == "__main__":
    main()
