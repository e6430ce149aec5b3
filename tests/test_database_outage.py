"""The database goes away under a running server and comes back: 503s, then recovery."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from config.settings import Settings
from store.database import resolve_database_url, stop_embedded
from store.migrate import upgrade
from tests.server_process import ServerProcess

pytestmark = pytest.mark.db


@pytest.fixture
def own_directory():
    """A directory outside pytest's own temporary root: a pytest session starting meanwhile
    (another checkout's tests) resets that root to mode 0700, and pg_ctl, which runs as the
    pgserver user, could then no longer reach the database it must stop."""
    path = Path(tempfile.mkdtemp(prefix="dovvybuddy-outage-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_chat_and_ready_answer_503_while_the_database_is_down_and_recover(own_directory):
    # A Postgres of its own, so stopping it disturbs no other test.
    settings = Settings(_env_file=None, database_url=None, data_dir=own_directory / "state")
    url = resolve_database_url(settings)
    upgrade(url)
    server = ServerProcess(url).start()
    try:
        ok = httpx.post(f"{server.base_url}/api/chat", json={"message": "hello"}, timeout=30)
        assert ok.status_code == 200
        session = ok.json()["sessionId"]

        assert stop_embedded(settings)
        chat = httpx.post(
            f"{server.base_url}/api/chat",
            json={"message": "what is nitrox?", "sessionId": session},
            timeout=30,
        )
        assert chat.status_code == 503
        assert chat.json()["error"]["code"] == "DATABASE_UNAVAILABLE"
        assert chat.headers["retry-after"]
        ready = httpx.get(f"{server.base_url}/ready", timeout=30)
        assert ready.status_code == 503 and ready.json()["checks"]["database"]["status"] == "error"

        # Start it again as an operator would, from another process.
        subprocess.run(
            [str(Path(sys.executable).parent / "dovvybuddy"), "db", "migrate"],
            env={
                **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                "DATA_DIR": str(settings.data_dir),
            },
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            back = httpx.post(
                f"{server.base_url}/api/chat",
                json={"message": "what is nitrox?", "sessionId": session},
                timeout=30,
            )
            if back.status_code == 200:
                break
            time.sleep(0.5)
        assert back.status_code == 200 and back.json()["sessionId"] == session
        history = httpx.get(f"{server.base_url}/api/sessions/{session}").json()["messages"]
        assert [m["role"] for m in history] == ["user", "assistant"] * 2
    finally:
        server.stop()
        stop_embedded(settings)
