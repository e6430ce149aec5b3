"""The answerer's training table: what it was given on every fact-bearing turn of the dev files.

    python -m evals.selection_data [--out DIR] [FILE ...]

Each conversation file is run through the service as `python -m evals conversations` runs
it, and for each turn with `must_mention_any` the messages the offline answerer received
(the prompt with its passages, the diver's turns) are kept with the turn's fact groups and
file: `DIR/<file stem>.jsonl`, one turn a line. The answerer's choices do not change what it
is given (the focus, profile and search are built from the diver's words), so the sentence
selection can then be refitted and replayed offline (`python -m evals.selection_fit`)
without running the graph again. Frozen files are refused: they are never tuned on.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
from pathlib import Path

from evals.datasets import DATASETS, DEV_CONVERSATIONS, load_conversations, refuse_frozen
from evals.strategies import EvalContext, ServiceStrategy
from evals.suites.conversations import missing_facts, where_facts_are

CACHE = Path(__file__).parent / "selection_cache"


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _message(message) -> dict:
    return {"type": message.type, "content": str(message.content)}


async def record(dataset: Path, out: Path, strategy: ServiceStrategy) -> tuple[int, int]:
    """Run one file, write its fact turns' answerer inputs; return (fact turns, passes)."""
    from chains.extractive import ExtractiveAnswerer

    seen: list[list] = []
    original = ExtractiveAnswerer.compose

    def compose(self, messages):
        seen.append(messages)
        return original(self, messages)

    ExtractiveAnswerer.compose = compose
    rows, passes = [], 0
    try:
        for script in load_conversations(dataset):
            turn_fn = await strategy.conversation()
            for index, expected in enumerate(script["turns"], start=1):
                seen.clear()
                turn = await turn_fn(expected["user"])
                groups = expected.get("must_mention_any")
                if not groups:
                    continue
                passed = not missing_facts(turn.answer, groups)
                passes += passed
                rows.append(
                    {
                        "file": dataset.name,
                        "id": f"{script['id']} turn {index}",
                        "groups": groups,
                        "passed": passed,
                        "facts_in_passages": where_facts_are(expected, turn)["facts_in_passages"],
                        "source": expected.get("source"),
                        "messages": [_message(m) for m in seen[-1]] if seen else None,
                    }
                )
    finally:
        ExtractiveAnswerer.compose = original
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"{dataset.stem}.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows), passes


async def main(files: list[Path], out: Path) -> None:
    ctx = EvalContext()
    strategy = ServiceStrategy(ctx)
    try:
        for path in files:
            turns, passes = await record(path, out, strategy)
            print(f"{path.name}: {turns} fact turns, fact recall {passes / max(turns, 1):.4f}")
    finally:
        await ctx.close()


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    files = args.files or [DATASETS / name for name in DEV_CONVERSATIONS]
    refuse_frozen(files, "frozen files are never tuned on")
    asyncio.run(main(files, args.out))


if __name__ == "__main__":
    cli()
