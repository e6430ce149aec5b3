"""Turn a conversations eval file into routing rows, one per turn, each with its history.

    python scripts/conversation_routing.py evals/datasets/conversations_dev4.jsonl OUT.jsonl

A conversation file's turns carry `expected_route`; the routing eval accepts `history`, so
every turn becomes `{"id", "query", "history", "expected_route"}` with the diver's earlier
messages of the same conversation as its history (the files hold no assistant replies).
The routing eval then measures the router on the same turns, without running the agents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def routing_rows(conversations: list[dict]) -> list[dict]:
    rows = []
    for conversation in conversations:
        history: list[dict] = []
        for number, turn in enumerate(conversation["turns"], start=1):
            rows.append(
                {
                    "id": f"{conversation['id']}.t{number}",
                    "query": turn["user"],
                    "history": list(history),
                    "expected_route": turn["expected_route"],
                }
            )
            history.append({"role": "user", "content": turn["user"]})
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source, target = (Path(arg) for arg in argv)
    conversations = [
        json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    rows = routing_rows(conversations)
    target.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} routing rows from {len(conversations)} conversations -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
