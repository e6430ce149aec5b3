"""python -m evals <suite> --dataset FILE [--strategy NAME] [--json REPORT]

Also: `python -m evals compare` (every suite, evals/REPORT.md) and `python -m evals
emergency-loco [--sweep] [--show]` (the emergency detector, leave-one-category-out on its bank).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from evals.datasets import DatasetError
from evals.emergency_loco import print_report as print_loco
from evals.strategies import STRATEGIES, EvalContext, get_strategy

SUITES = ("routing", "emergency", "retrieval", "conversations")


async def run_suite(suite: str, dataset: Path, strategy_name: str, ctx=None) -> dict:
    module = importlib.import_module(f"evals.suites.{suite}")
    own = ctx is None
    ctx = ctx or EvalContext()
    try:
        result = await module.run(dataset, get_strategy(strategy_name, ctx))
    finally:
        if own:
            await ctx.close()
    return {
        "suite": suite,
        "strategy": strategy_name,
        "dataset": str(dataset),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **result,
    }


async def _emergency_loco(sweep: bool) -> dict:
    from evals.emergency_loco import run

    ctx = EvalContext()
    try:
        return await run(ctx, sweep)
    finally:
        await ctx.close()


async def _emergency_probe(paths: list[Path]) -> list[dict]:
    from evals.emergency_loco import probe

    ctx = EvalContext()
    try:
        return await probe(ctx, paths)
    finally:
        await ctx.close()


def _print_summary(report: dict) -> None:
    metrics = report["metrics"]
    print(f"{report['suite']} · {report['strategy']} · {report['dataset']} · n={report['n']}")
    for key, value in metrics.items():
        if key in ("confusion", "violations"):
            if key == "violations":
                print(f"  violations: {len(value)}")
                for v in value[:30]:
                    print(f"    {v['id']} turn {v['turn']}: {v['rule']}")
            continue
        if key == "per_category":
            for category, m in value.items():
                figure = (
                    f"recall {m['recall']}  missed {len(m['misses'])}"
                    if m["positives"]
                    else f"false-positive rate {m['false_positive_rate']}  "
                    f"false alarms {len(m['false_alarms'])}"
                )
                print(f"  {category:34} n {m['n']:>3}  {figure}")
            continue
        if key == "per_label":
            for label, m in value.items():
                print(f"  {label:14} precision {m['precision']}  recall {m['recall']}  n {m['n']}")
        else:
            print(f"  {key}: {value}")
    for miss in report.get("fact_misses", [])[:60]:
        print(f"  ✗ {miss['id']}: missing {miss['missing']} — {miss['answer'][:160]}")
    for miss in report.get("not_covered_misses", []):
        print(f"  ✗ {miss['id']}: not said to be uncovered — {miss['answer'][:120]}")
    for failure in report.get("failures", [])[:50]:
        print(
            f"  ✗ {failure['id']}: expected {failure['expected']}, got {failure['predicted']}"
            f" — {failure['query'][:80]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("suite", choices=(*SUITES, "compare", "emergency-loco"))
    parser.add_argument("--dataset", type=Path, help="required for a single suite")
    parser.add_argument("--strategy", default="service", choices=STRATEGIES)
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="compare: read raw reports already in evals/reports instead of re-running them",
    )
    parser.add_argument(
        "--sweep", action="store_true", help="emergency-loco: also the 5-fold threshold sweep"
    )
    parser.add_argument(
        "--show", action="store_true", help="emergency-loco: list the rows it gets wrong"
    )
    parser.add_argument(
        "--probe",
        type=Path,
        action="append",
        help="emergency-loco: instead, every arbitration on this file (aggregates only)",
    )
    parser.add_argument(
        "--langsmith",
        action="store_true",
        help="also push the dataset and results to LangSmith (LANGSMITH_API_KEY)",
    )
    args = parser.parse_args(argv)
    if args.suite == "compare":
        from evals.report import compare

        path = asyncio.run(compare(reuse=args.reuse))
        print(f"wrote {path}")
        return 0
    if args.suite == "emergency-loco" and args.probe:
        from evals.emergency_loco import print_probe

        probed = asyncio.run(_emergency_probe(args.probe))
        print_probe(probed)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(probed, indent=2))
        return 0
    if args.suite == "emergency-loco":
        report = asyncio.run(_emergency_loco(args.sweep))
        print_loco(report, show=args.show)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=2))
        return 0
    if args.dataset is None:
        parser.error("--dataset is required")
    try:
        report = asyncio.run(run_suite(args.suite, args.dataset, args.strategy))
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _print_summary(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.langsmith:
        from config.settings import get_settings
        from evals.langsmith_sync import push

        key = get_settings().langsmith_api_key
        name = push(report, args.dataset, key.get_secret_value() if key else None)
        print(
            f"pushed to LangSmith as {name}"
            if name
            else "LANGSMITH_API_KEY is not set: nothing pushed"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
