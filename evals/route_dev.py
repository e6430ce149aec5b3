"""Route accuracy over every conversation dev file at once, without running the agents.

    python -m evals.route_dev [FILE ...] [--show] [--aggregate] [--classifier NAME]
        [--examples FILE ...]

Each conversation is replayed turn by turn as the service runs it: the safety gate, the
focus and the profile, then the router node (graph/nodes/routing.py). The report gives the
accuracy per file and over all files, first turns apart from follow-ups, and the misses
counted by (expected route, predicted route). `--show` lists the missed turns (dev files
only); `--aggregate` prints figures and nothing of any row, for a file run blind.

The frozen files (evals/README.md) are never in the default list.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evals.datasets import DATASETS, DEV_CONVERSATIONS

# The dev conversation files, without the two test files its figures were first given for.
DEV_FILES = tuple(name for name in DEV_CONVERSATIONS if not name.startswith("conversations_test"))


@dataclass(frozen=True)
class RoutedTurn:
    file: str
    conversation: str
    number: int
    text: str
    expected: str
    predicted: str

    @property
    def first(self) -> bool:
        return self.number == 1


async def route_files(paths: list[Path], ctx) -> list[RoutedTurn]:
    from evals.strategies import ServiceStrategy

    # The gate, the focus, the profile and the router node of the service, with no agents.
    replayer = ServiceStrategy(ctx)
    turns = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            conversation = json.loads(line)
            messages = [turn["user"] for turn in conversation["turns"]]
            predicted = await replayer.routes(messages)
            for number, (turn, route) in enumerate(
                zip(conversation["turns"], predicted, strict=True), start=1
            ):
                turns.append(
                    RoutedTurn(
                        path.name,
                        conversation["id"],
                        number,
                        turn["user"],
                        turn["expected_route"],
                        route,
                    )
                )
    return turns


def _accuracy(turns: list[RoutedTurn]) -> str:
    if not turns:
        return "   -   (n=0)"
    right = sum(t.expected == t.predicted for t in turns)
    return f"{right / len(turns):.4f} ({right}/{len(turns)})"


def summary(turns: list[RoutedTurn]) -> dict:
    files = sorted({t.file for t in turns})
    by_file = {f: [t for t in turns if t.file == f] for f in files}
    right = sum(t.expected == t.predicted for t in turns)
    return {
        "n": len(turns),
        "accuracy": round(right / len(turns), 4) if turns else None,
        "per_file": {
            f: round(sum(t.expected == t.predicted for t in ts) / len(ts), 4)
            for f, ts in by_file.items()
        },
        "misses": Counter(
            f"{t.expected}->{t.predicted}" for t in turns if t.expected != t.predicted
        ),
    }


def print_report(turns: list[RoutedTurn], show: bool) -> None:
    for name in sorted({t.file for t in turns}):
        print(f"{name:32s} {_accuracy([t for t in turns if t.file == name])}")
    print(f"{'ALL':32s} {_accuracy(turns)}")
    print(f"{'  first turns':32s} {_accuracy([t for t in turns if t.first])}")
    print(f"{'  follow-ups':32s} {_accuracy([t for t in turns if not t.first])}")
    print("misses by expected -> predicted:")
    for pair, count in summary(turns)["misses"].most_common():
        print(f"  {pair:28s} {count}")
    if show:
        for t in turns:
            if t.expected != t.predicted:
                kind = "first" if t.first else "follow"
                print(
                    f"  ✗ {t.file}:{t.conversation} t{t.number} [{kind}] "
                    f"{t.expected}->{t.predicted}: {t.text}"
                )


async def _main(args: argparse.Namespace) -> None:
    from evals.strategies import EvalContext

    paths = [Path(p) for p in args.files] or [
        DATASETS / name for name in DEV_FILES if (DATASETS / name).exists()
    ]
    ctx = EvalContext()
    if args.classifier or args.examples:
        from graph.routing.router import DEFAULT_CLASSIFIER, TurnRouter, load_examples

        examples = [row for path in args.examples for row in load_examples(Path(path))]
        ctx._router = TurnRouter(
            ctx.embeddings, examples or None, classifier=args.classifier or DEFAULT_CLASSIFIER
        )
    try:
        turns = await route_files(paths, ctx)
    finally:
        await ctx.close()
    print_report(turns, show=args.show and not args.aggregate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("files", nargs="*", help="conversation files (default: every dev file)")
    parser.add_argument("--show", action="store_true", help="list the missed turns")
    parser.add_argument(
        "--aggregate", action="store_true", help="figures only, no row (a file run blind)"
    )
    parser.add_argument(
        "--classifier", choices=("knn", "logistic", "blend"), help="the learned part"
    )
    parser.add_argument(
        "--examples",
        action="append",
        default=[],
        help="example file(s) instead of the router's own",
    )
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
