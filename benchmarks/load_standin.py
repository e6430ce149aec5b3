"""Load on the hosted-model path, offline: the service streaming from the provider stand-in.

    python -m benchmarks.load_standin [--sessions 20,50,200] [--turns 3] [--think 1.0]
        [--targets service,langserve,langgraph] [--latency 0.3] [--pace 0.02] [--workers 1]
        [--no-pin]
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
Prints, per target: turns/s, first-token and total p50/p95/p99, errors, the server's RSS
afterwards and its CPU time per turn (its process tree's user + system time over the phase,
steadier than latencies because waiting for a core does not count), and Postgres's and the
harness's CPU per turn beside it. Figures, not pass/fail; on a shared machine they are noisy.

Cores (--pin, on by default where the machine has two or more): the load client and the
stand-in stand for other machines (the divers' browsers, the model provider), yet on one
small machine they compete with the service for the same cores. Left to the scheduler, a
turn's latency then measures how the whole machine queues: on two cores, before this
client was made lighter (one TLS context for all divers, token events counted rather than
parsed) and the service cheaper, the stand-in's own 300 ms first token reached the client
at p95 490-680 ms, so a "cost over direct" at p95 was mostly waiting for a core (now:
308 ms unpinned, 303-305 ms pinned). So the harness (this client and the stand-in) gets
the first half of the cores and the service with its Postgres the rest (one core each on
two): the service is measured on what it would have on its own machine, and the direct
stream's p95 shows how close the harness comes to the stand-in's own timing (it is
printed: if it is far above --latency, the harness itself is starved and the costs say
little). `--no-pin` leaves every process to the scheduler, as before. The client is one
process on uvloop, one keep-alive connection per diver, and parses only the events it
times (not every token).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.common import ROOT, dev_queries, percentile, print_calibration
from benchmarks.processes import (
    cpu_seconds,
    lower_priority,
    pin_tree,
    plan_cores,
    postmaster_pid,
    rss_mb,
)

GROQ_MODEL = "llama-3.3-70b-versatile"


@dataclass
class Figures:
    first: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    token_events: list[int] = field(default_factory=list)  # per streamed turn (service)
    # (wall-clock start, session, turn index, first token, total) per timed turn, for --trace
    timeline: list[tuple[float, int, int, float, float]] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A child process that is ready once `ready_url` answers 200."""

    def __init__(
        self,
        name: str,
        args: list[str],
        env: dict,
        ready_url: str,
        cores: frozenset[int] | None = None,
    ) -> None:
        self.name, self.ready_url = name, ready_url
        self.log = ROOT / ".dovvybuddy" / f"bench-{name}.log"
        self.log.parent.mkdir(exist_ok=True)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            # Pinned before it runs a line, so every thread and child it starts inherits it.
            preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None,
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
        # BENCH_SERVICE_LOG_LEVEL=INFO shows, e.g., the provider SDK's retries.
        "LOG_LEVEL": os.environ.get("BENCH_SERVICE_LOG_LEVEL", "WARNING"),
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
        # Raw chunks, not lines: only the first content is timed, the rest is read through.
        async for chunk in reply.aiter_raw():
            if first is None and b'"content"' in chunk:
                first = time.perf_counter() - started
    return first, time.perf_counter() - started


# How the service's token events begin (json.dumps of {"type": "token", ...}).
TOKEN_EVENT = 'data: {"type": "token"'


async def turn_service(client: httpx.AsyncClient, question: str, state: dict):
    started = time.perf_counter()
    first = None
    failed = None
    body = {"message": question, "sessionId": state.get("session")}
    async with client.stream("POST", "/api/chat/stream", json=body) as reply:
        reply.raise_for_status()
        async for line in reply.aiter_lines():
            if line.startswith(TOKEN_EVENT):
                # Tokens are counted, not parsed: the client stands for a browser, and its
                # own CPU would be taken from the harness's core.
                if first is None:
                    first = time.perf_counter() - started
                state["token_events"] = state.get("token_events", 0) + 1
                continue
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event["type"] == "session":
                state["session"] = event["sessionId"]
            elif event["type"] == "final" and first is None:
                first = time.perf_counter() - started
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


_TLS = ssl.create_default_context()


async def session(
    target: str, base_url: str, questions: list[str], think: float, out: Figures, number: int = 0
):
    rng = random.Random()
    state: dict = {}
    await asyncio.sleep(rng.uniform(0, think))  # divers do not all arrive at once
    if target == "langgraph":
        from langgraph_sdk import get_client

        client = get_client(url=base_url, timeout=120)
        closer = None
    else:
        # One TLS context for every diver: httpx would build one per client (loading the CA
        # bundle costs the harness's core milliseconds), and plain HTTP never uses it.
        client = httpx.AsyncClient(base_url=base_url, timeout=120, verify=_TLS)
        closer = client
    try:
        for index, question in enumerate(questions):
            if index:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            try:
                state.pop("token_events", None)
                began = time.time()
                first, total = await TURNS[target](client, question, state)
            except Exception as error:
                out.error(type(error).__name__ if str(error) == "" else str(error)[:40])
                continue
            if first is None:
                out.error("no token")
                continue
            out.first.append(first)
            out.total.append(total)
            out.timeline.append((began, number, index, first, total))
            if "token_events" in state:
                out.token_events.append(state["token_events"])
    finally:
        if closer:
            await closer.aclose()


POOL_FIGURE = re.compile(r"^dovvybuddy_db_pool_(\w+?)(?:_total)? ([0-9.e+]+)$", re.MULTILINE)


def pool_figures(url: str) -> dict[str, float]:
    """The service's connection-pool figures from its /metrics (running totals and gauges)."""
    try:
        text = httpx.get(f"{url}/metrics", timeout=10).text
    except httpx.HTTPError:
        return {}
    return {name: float(value) for name, value in POOL_FIGURE.findall(text)}


def print_pool(before: dict[str, float], after: dict[str, float], turns: int) -> None:
    """Whether turns waited for a database connection: the pool (10 by default) is smaller
    than the sessions, and a wait there holds a turn back without any CPU to show for it."""
    if not after or not turns:
        return

    def grown(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    requests = grown("requests")
    print(
        f"    pool: {requests / turns:.1f} connections lent per turn, "
        f"{grown('requests_queued') / max(requests, 1):.1%} of them waited, "
        f"{grown('requests_wait_ms') / turns:.1f} ms waited per turn, "
        f"{grown('requests_errors'):.0f} timed out; size {after.get('size', 0):.0f} "
        f"of {after.get('max', 0):.0f}"
    )


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:7.0f}" if values else "      -"


class Questions:
    """Diver questions, none asked twice in a run.

    The service remembers the vectors of queries it embedded: a question asked again (by
    a later phase, or by another diver once the dev set is used up) would skip the
    embedding model and flatter whichever target came second. After one pass through the
    dev set, each pass adds its own words to every question, as real divers' questions
    differ.
    """

    AGAIN = ("", " (again)", " (once more)", " (asking again)", " (one more time)")

    def __init__(self) -> None:
        self.pool = dev_queries(1000)
        self.asked = 0

    def take(self, count: int) -> list[str]:
        taken = []
        for index in range(self.asked, self.asked + count):
            rounds, position = divmod(index, len(self.pool))
            again = self.AGAIN[rounds] if rounds < len(self.AGAIN) else f" (again, {rounds})"
            taken.append(self.pool[position] + again)
        self.asked += count
        return taken


async def warm_up(name: str, url: str, questions: Questions, turns: int = 3) -> None:
    """A few turns first, so lazy start-up work (models, detector, pools) is not measured."""
    figures = Figures()
    await session(name, url, questions.take(turns), 0.0, figures)
    if figures.errors:
        raise RuntimeError(f"{name} failed its warm-up turns: {figures.errors}")


async def phase(
    name: str,
    url: str,
    direct_url: str,
    sessions: int,
    turns: int,
    think: float,
    questions: Questions,
) -> tuple[Figures, Figures, float]:
    """`sessions` divers on one target and as many on the stand-in directly, side by side."""
    target, direct = Figures(), Figures()
    asked = [questions.take(turns) for _ in range(sessions)]
    started = time.perf_counter()
    await asyncio.gather(
        *(session(name, url, asked[s], think, target, s) for s in range(sessions)),
        *(session("direct", direct_url, asked[s], think, direct, s) for s in range(sessions)),
    )
    return target, direct, time.perf_counter() - started


def _row(name: str, f: Figures, wall: float, rss: float) -> str:
    return (
        f"  {name:<10} {len(f.total):>5} {len(f.total) / wall:>7.2f} "
        + " ".join(_ms(values, pct) for values in (f.first, f.total) for pct in (50, 95, 99))
        + f" {sum(f.errors.values()):>6}  {rss:>6.0f}"
        + (f"  {f.errors}" if f.errors else "")
    )


def _cost(values: list[float], reference: list[float], pct: float) -> float:
    return (percentile(values, pct) - percentile(reference, pct)) * 1000


def print_phase(name: str, target: Figures, direct: Figures, wall: float, rss: dict) -> None:
    print(_row(name, target, wall, rss[name]))
    print(_row("  direct", direct, wall, rss["direct"]))
    if target.total and direct.total:
        for label, values, reference in (
            ("first token", target.first, direct.first),
            ("total", target.total, direct.total),
        ):
            print(
                f"    {name} cost over direct, {label}: "
                + ", ".join(
                    f"p{pct} {_cost(values, reference, pct):+.0f} ms" for pct in (50, 95, 99)
                )
            )


HEADER = (
    f"  {'target':<10} {'turns':>5} {'turns/s':>7} "
    + " ".join(f"{kind + ' p' + str(pct):>7}" for kind in ("1st", "total") for pct in (50, 95, 99))
    + f" {'errors':>6}  {'RSS MB':>6}"
)


def start_standin(
    latency: float, pace: float, cores: frozenset[int] | None = None
) -> tuple[Child, str]:
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
        cores,
    )
    child.wait_ready()
    return child, url


def start_service(
    standin_url: str, workers: int = 1, cores: frozenset[int] | None = None
) -> tuple[Child, str]:
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
        cores,
    )
    return child, url


def start_langgraph(standin_url: str, cores: frozenset[int] | None = None) -> tuple[Child, str]:
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
        cores,
    )
    return child, url


def pin_postgres(cores: frozenset[int] | None) -> int | None:
    """Put the embedded Postgres (started earlier, or by the service) on the service's
    cores; its backends for new connections inherit them. Returns its main process."""
    from config.settings import get_settings
    from store.database import pgdata_dir

    pid = postmaster_pid(pgdata_dir(get_settings()))
    if pid is not None and cores:
        pin_tree(pid, cores)
    if pid is not None and lower_priority(pid):
        # The embedded server outlives the command that started it: one started by a
        # `nice` test run makes every turn here wait behind the machine's other work.
        print(f"note: Postgres (pid {pid}) runs at a lower priority than this benchmark")
    return pid


def run_levels(args) -> None:
    wanted = args.targets.split(",")
    split = plan_cores(args.pin)
    if split:
        # This process is the load client: it and its children (the stand-in) stay here.
        os.sched_setaffinity(0, split.harness)
    server_cores = split.service if split else None
    children: list[Child] = []
    try:
        standin, standin_url = start_standin(
            args.latency, args.pace, split.harness if split else None
        )
        children.append(standin)
        targets: dict[str, str] = {}
        pids: dict[str, int] = {}
        pids["direct"] = standin.process.pid
        if {"service", "langserve"} & set(wanted):
            service, url = start_service(standin_url, args.workers, server_cores)
            children.append(service)
            for name in ("service", "langserve"):
                if name in wanted:
                    targets[name], pids[name] = url, service.process.pid
        if "langgraph" in wanted:
            langgraph, url = start_langgraph(standin_url, server_cores)
            children.append(langgraph)
            targets["langgraph"], pids["langgraph"] = url, langgraph.process.pid
        for child in children[1:]:  # the servers start side by side; wait for each
            child.wait_ready()
        postgres = pin_postgres(server_cores)
        questions = Questions()
        for name, url in targets.items():
            run(warm_up(name, url, questions))
        print(
            f"stand-in: first token after {args.latency * 1000:.0f} ms, then a word every "
            f"{args.pace * 1000:.0f} ms; {args.turns} turns per session, think {args.think} s"
        )
        print(f"cores: {split}" if split else "cores: not pinned (--no-pin, or one core)")
        if split and args.workers > len(split.service):
            # More workers than cores measures their contention, not what they would add.
            cores = len(split.service)
            print(f"  note: {args.workers} workers share the service's {cores} core(s)")
        for count in (int(c) for c in args.sessions.split(",")):
            print(f"\n{count} sessions per target (each target in its own phase)")
            print(HEADER)
            for name, url in targets.items():
                cpu_before = cpu_seconds(pids[name])
                postgres_before = cpu_seconds(postgres) if postgres else 0.0
                standin_before = cpu_seconds(standin.process.pid)
                client_before = time.process_time()
                pool_before = pool_figures(url) if name != "langgraph" else {}
                target, direct, wall = run(
                    phase(name, url, standin_url, count, args.turns, args.think, questions)
                )
                cpu = cpu_seconds(pids[name]) - cpu_before
                rss = {key: rss_mb(pid) for key, pid in pids.items()}
                print_phase(name, target, direct, wall, rss)
                if args.trace:
                    write_trace(args.trace, count, {name: target, "direct": direct})
                if target.total:
                    # CPU time is steadier than latency on a shared machine: it does not
                    # count waiting for the cores, only the work the server did per turn.
                    turns = len(target.total)
                    line = f"    {name} CPU per turn: {cpu / turns * 1000:.1f} ms"
                    if postgres:
                        used = cpu_seconds(postgres) - postgres_before
                        line += f"; Postgres {used / turns * 1000:.1f} ms"
                    print(line)
                    # The harness's CPU, per turn of both kinds it ran (target and direct).
                    both = turns + len(direct.total)
                    client = time.process_time() - client_before
                    provider = cpu_seconds(standin.process.pid) - standin_before
                    print(
                        f"    harness CPU per turn: client {client / both * 1000:.1f} ms, "
                        f"stand-in {provider / both * 1000:.1f} ms"
                    )
                if name != "langgraph":
                    print_pool(pool_before, pool_figures(url), len(target.total))
                if target.token_events:
                    # Each event costs the server JSON, the middleware stack and a write.
                    events = sum(target.token_events) / len(target.token_events)
                    print(f"    {name} token events per streamed turn: {events:.1f}")
                sys.stdout.flush()
    finally:
        for child in reversed(children):
            child.stop()


def write_trace(path: str, sessions: int, figures: dict[str, Figures]) -> None:
    """Every timed turn, one JSON line each, with its wall-clock start: slow turns that
    cluster in time point at something that held the whole server, not at the turn."""
    with open(path, "a") as out:
        for target, f in figures.items():
            for began, number, index, first, total in f.timeline:
                line = {
                    "target": target,
                    "sessions": sessions,
                    "session": number,
                    "turn": index,
                    "at": round(began, 3),
                    "first_ms": round(first * 1000, 1),
                    "total_ms": round(total * 1000, 1),
                }
                out.write(json.dumps(line) + "\n")


def run(coroutine):
    """Run the client on uvloop, as the servers do: less of the harness's core per event."""
    import uvloop

    return uvloop.run(coroutine)


async def forty_turns(url: str) -> None:
    questions = Questions().take(40)
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
        run(forty_turns(url))
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
        "--trace", help="append every timed turn (wall-clock start, first token, total) as JSONL"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes for the service"
    )
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="harness and service on separate cores (default where there are two or more)",
    )
    args = parser.parse_args()
    print_calibration()
    if args.startup:
        run_startup(args)
    else:
        run_levels(args)


if __name__ == "__main__":
    main()
