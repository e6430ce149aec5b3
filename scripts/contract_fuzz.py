"""Schemathesis against every operation of openapi.json (web contract and LangServe), with
every check and a fixed seed: the document must tell the truth about the running server.

    .venv/bin/python -m scripts.contract_fuzz                 # the long run (100 examples)
    .venv/bin/python -m scripts.contract_fuzz --examples 10   # what `make test` runs
    .venv/bin/python -m scripts.contract_fuzz --url http://127.0.0.1:8000   # a running server

Without --url it starts a server of its own on the configured database (DATABASE_URL, or
the embedded one) with rate limits out of the way. Exit status: schemathesis' own.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "openapi.json"
SEED = 20261130
# Rate limits would turn generated requests into 429s, which prove nothing.
SERVER_ENV = {"CHAT_RATE_LIMIT": "1000000/minute", "LEADS_RATE_LIMIT": "1000000/minute"}


@dataclass
class FuzzResult:
    returncode: int
    output: str

    @property
    def cases(self) -> int:
        """Test cases schemathesis reports having generated."""
        match = re.search(r"Test cases:\s*(\d+) generated", self.output)
        return int(match.group(1)) if match else 0


def fuzz(base_url: str, examples: int, seed: int = SEED, timeout: float = 3600) -> FuzzResult:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        str(OPENAPI),
        "--url",
        base_url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--generation-database",
        "none",
        "--request-timeout",
        "120",
        "--workers",
        "1",
        "--no-color",
        "--suppress-health-check",
        "all",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
    )
    return FuzzResult(done.returncode, done.stdout + done.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server; default: start one")
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    server = None
    if args.url is None:
        from config.settings import get_settings
        from store.database import resolve_database_url
        from tests.server_process import ServerProcess

        url = os.environ.get("DATABASE_URL") or resolve_database_url(get_settings())
        server = ServerProcess(url, **SERVER_ENV).start()
    try:
        result = fuzz(args.url or server.base_url, args.examples, args.seed)
    finally:
        if server:
            server.stop()
    print(result.output)
    print(f"{result.cases} test cases, exit status {result.returncode}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
