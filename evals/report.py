"""`python -m evals compare` (make eval): every suite, for the service and both baselines,
side by side in evals/REPORT.md, with the date and dataset sizes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from evals.strategies import STRATEGIES, EvalContext

ROOT = Path(__file__).resolve().parent
DATASETS = ROOT / "datasets"
REPORT = ROOT / "REPORT.md"
RAW = ROOT / "reports"

SUITE_FILES = {
    "routing": ["routing.jsonl", "routing_dev_b.jsonl"],
    "emergency": ["emergency.jsonl", "emergency_dev_b.jsonl", "emergency_test.jsonl"],
    "retrieval": ["retrieval.jsonl"],
    "conversations": ["conversations.jsonl"],
}
LABELS = ("certification", "trip", "safety", "general", "off_topic", "emergency")


def _fmt(value, digits=3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


async def compare() -> Path:
    from evals.__main__ import run_suite

    ctx = EvalContext()
    results: dict[tuple[str, str, str], dict] = {}
    sizes: dict[str, int] = {}
    try:
        for suite, files in SUITE_FILES.items():
            for name in files:
                path = DATASETS / name
                if not path.exists():
                    continue
                for strategy in STRATEGIES:
                    report = await run_suite(suite, path, strategy, ctx)
                    results[(suite, name, strategy)] = report
                    sizes[name] = report["n"]
                    RAW.mkdir(exist_ok=True)
                    (RAW / f"{name.removesuffix('.jsonl')}.{strategy}.json").write_text(
                        json.dumps(report, indent=2, ensure_ascii=False)
                    )
    finally:
        await ctx.close()

    rows: list[tuple[str, list[str]]] = []

    def row(label: str, suite: str, name: str, get) -> None:
        cells = []
        for strategy in STRATEGIES:
            report = results.get((suite, name, strategy))
            digits = 1 if " ms" in label else 3
            cells.append(_fmt(get(report["metrics"]), digits) if report else "—")
        rows.append((label, cells))

    for name in SUITE_FILES["routing"]:
        if ("routing", name, "service") not in results:
            continue
        row(f"routing accuracy ({name})", "routing", name, lambda m: m["accuracy"])
        for label in LABELS:
            row(
                f"  recall `{label}` ({name})",
                "routing",
                name,
                lambda m, label=label: (m["per_label"].get(label) or {}).get("recall"),
            )
    for name in SUITE_FILES["emergency"]:
        if ("emergency", name, "service") not in results:
            continue
        row(f"emergency recall ({name})", "emergency", name, lambda m: m["recall"])
        row(
            f"emergency false-positive rate ({name})",
            "emergency",
            name,
            lambda m: m["false_positive_rate"],
        )
    if ("retrieval", "retrieval.jsonl", "service") in results:
        row("retrieval recall@5", "retrieval", "retrieval.jsonl", lambda m: m["recall_at_5"])
        row("retrieval MRR", "retrieval", "retrieval.jsonl", lambda m: m["mrr"])
        row(
            "retrieval p95 ms (embed + search)",
            "retrieval",
            "retrieval.jsonl",
            lambda m: m["p95_ms"],
        )
    if ("conversations", "conversations.jsonl", "service") in results:
        name = "conversations.jsonl"
        row("conversation route accuracy", "conversations", name, lambda m: m["route_accuracy"])
        row(
            "conversation violations (all rules)",
            "conversations",
            name,
            lambda m: len(m["violations"]),
        )
        row(
            "  of which safety-rule violations",
            "conversations",
            name,
            lambda m: m["safety_violations"],
        )
        row("supported-claim rate", "conversations", name, lambda m: m["supported_claim_rate"])
        row("LLM calls per turn", "conversations", name, lambda m: m["llm_calls_per_turn"])

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        "# Evals: the LangGraph service against the TypeScript baseline",
        "",
        f"Generated {today} by `make eval` (`python -m evals compare`), offline: MiniLM "
        "embeddings and the extractive answerer for every strategy, same database.",
        "",
        "Datasets: " + ", ".join(f"`{n}` ({sizes[n]})" for n in sorted(sizes)) + ".",
        "",
        "| metric | " + " | ".join(STRATEGIES) + " |",
        "|---|" + "---|" * len(STRATEGIES),
    ]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    lines += [
        "",
        "Notes:",
        "- `ts-baseline` and `py-keyword` are re-implemented from `typescript-baseline.md`. "
        "Neither has an emergency or off-topic label, so those cases count as misses "
        "(recall 0), and a baseline's emergency turn is a violation.",
        "- The baselines count tokens with MiniLM's tokenizer (not GPT BPE); their 650-800 "
        "token chunks exceed MiniLM's 256-word-piece input and are truncated when embedded.",
        "- Baseline retrieval is the TypeScript one (raw message, cosine top 5, similarity ≥ "
        "0.5, no hybrid search) over its own index built from the same `content/`; "
        "`py-keyword` differs only in its router.",
        "- Baseline conversations: keyword route, TypeScript retrieval, one extractive-answerer "
        "call per turn, no emergency reply, no lead offer.",
        "- The `*_dev_b` sets (once called `*_holdout`) are dev sets: the rules and the "
        "router's cues were written against them. `emergency_test.jsonl` is the frozen "
        "test set (see evals/README.md).",
        "- Supported-claim rate: each answer sentence with a number, month or proper name "
        "counts as a claim; it is supported when all of those appear in the turn's "
        "retrieved passages (`evals/grounding.py`).",
        "",
        "Per-case failures: `evals/reports/*.json` (`python -m evals <suite> --dataset FILE "
        "--json REPORT` for one suite).",
        "",
    ]
    REPORT.write_text("\n".join(lines))
    return REPORT
