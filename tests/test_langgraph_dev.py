"""`langgraph dev` loads the graph from langgraph.json and mounts our HTTP app beside it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server_process import ROOT, free_port

pytestmark = pytest.mark.db


def test_langgraph_dev_serves_the_graph_and_our_routes(database_url, indexed_corpus):
    port = free_port()
    cli = Path(sys.executable).parent / "langgraph"
    log = ROOT / ".dovvybuddy" / "test-langgraph-dev.log"
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [str(cli), "dev", "--no-browser", "--no-reload", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"langgraph dev did not become ready:\n{log.read_text()[-3000:]}")

        assistants = httpx.post(f"{base}/assistants/search", json={}, timeout=10).json()
        assert [a["graph_id"] for a in assistants] == ["dovvybuddy"]
        run = httpx.post(
            f"{base}/runs/wait",
            json={
                "assistant_id": "dovvybuddy",
                "input": {"messages": [{"type": "human", "content": "How do I equalise?"}]},
            },
            timeout=60,
        )
        assert run.status_code == 200, run.text
        messages = run.json()["messages"]
        assert messages[-1]["type"] == "ai" and messages[-1]["content"]
        # Our own routes answer on the same server.
        invoke = httpx.post(
            f"{base}/chat/invoke",
            json={"input": {"messages": [{"type": "human", "content": "hi"}]}},
            timeout=30,
        )
        assert invoke.status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
