"""python -m evals <suite> --dataset FILE [--strategy NAME] [--json REPORT]"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from evals.datasets import DatasetError
from evals.strategies import STRATEGIES, get_strategy

SUITES = ("routing", "emergency")


async def run_suite(suite: str, dataset: Path, strategy_name: str) -> dict:
    module = importlib.import_module(f"evals.suites.{suite}")
    result = await module.run(dataset, get_strategy(strategy_name))
    return {
        "suite": suite,
        "strategy": strategy_name,
        "dataset": str(dataset),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **result,
    }


def _print_summary(report: dict) -> None:
    metrics = report["metrics"]
    print(f"{report['suite']} · {report['strategy']} · {report['dataset']} · n={report['n']}")
    for key, value in metrics.items():
        if key in ("confusion",):
            continue
        if key == "per_label":
            for label, m in value.items():
                print(f"  {label:14} precision {m['precision']}  recall {m['recall']}  n {m['n']}")
        else:
            print(f"  {key}: {value}")
    for failure in report.get("failures", [])[:50]:
        print(
            f"  ✗ {failure['id']}: expected {failure['expected']}, got {failure['predicted']}"
            f" — {failure['query'][:80]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("suite", choices=SUITES)
    parser.add_argument("--dataset", required=True, type=Path)
    parser.add_argument("--strategy", default="service", choices=STRATEGIES)
    parser.add_argument("--json", type=Path, help="write the full report here")
    args = parser.parse_args(argv)
    try:
        report = asyncio.run(run_suite(args.suite, args.dataset, args.strategy))
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _print_summary(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
