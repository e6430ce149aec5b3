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
    "routing": ["routing.jsonl", "routing_dev_b.jsonl", "routing_frozen.jsonl"],
    "emergency": [
        "emergency.jsonl",
        "emergency_dev_b.jsonl",
        "emergency_dev_c.jsonl",
        "emergency_test.jsonl",
    ],
    "retrieval": ["retrieval.jsonl", "retrieval_followups.jsonl"],
    "conversations": [
        "conversations.jsonl",
        "conversations_dev.jsonl",
        "conversations_test.jsonl",
        "conversations_dev2.jsonl",
        "conversations_test2.jsonl",
        "conversations_frozen.jsonl",
    ],
}
LABELS = ("certification", "trip", "safety", "general", "off_topic", "emergency")


def _fmt(value, digits=3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


async def compare(reuse: bool = False) -> Path:
    """Run every suite for every strategy and write REPORT.md. With `reuse`, a raw report
    already in evals/reports (e.g. from `python -m evals <suite> --json ...`) is read
    instead of run again."""
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
                    raw = RAW / f"{name.removesuffix('.jsonl')}.{strategy}.json"
                    if reuse and raw.exists():
                        results[(suite, name, strategy)] = json.loads(raw.read_text())
                        sizes[name] = results[(suite, name, strategy)]["n"]
                        continue
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
    if ("retrieval", "retrieval_followups.jsonl", "service") in results:
        name = "retrieval_followups.jsonl"
        row(f"follow-up retrieval recall@5 ({name})", "retrieval", name, lambda m: m["recall_at_5"])
        row(f"follow-up retrieval MRR ({name})", "retrieval", name, lambda m: m["mrr"])
    for name in SUITE_FILES["conversations"]:
        if ("conversations", name, "service") not in results:
            continue
        row(
            f"conversation route accuracy ({name})",
            "conversations",
            name,
            lambda m: m["route_accuracy"],
        )
        if name != "conversations.jsonl":
            row(f"  fact recall ({name})", "conversations", name, lambda m: m["fact_recall"])
            row(
                f"  not-covered honesty ({name})",
                "conversations",
                name,
                lambda m: m["not_covered_honesty"],
            )
        row(
            f"  violations, all rules ({name})",
            "conversations",
            name,
            lambda m: len(m["violations"]),
        )
        row(
            f"  of which safety-rule violations ({name})",
            "conversations",
            name,
            lambda m: m["safety_violations"],
        )
        row(
            f"  supported-claim rate ({name})",
            "conversations",
            name,
            lambda m: m["supported_claim_rate"],
        )
        row(
            f"  LLM calls per turn ({name})",
            "conversations",
            name,
            lambda m: m["llm_calls_per_turn"],
        )

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
        "router's cues were written against them. `emergency_test.jsonl`, "
        "`routing_frozen.jsonl` and `conversations_frozen.jsonl` are frozen test sets, "
        "written by people who saw neither the code nor the dev sets (see evals/README.md).",
        "- `conversations_dev.jsonl` (50 conversations, 151 turns) is the dev set for the "
        "answers: each fact-bearing turn names facts its `source` file states "
        "(`must_mention_any`), and places the knowledge base lacks must be called uncovered. "
        "The answerer was tuned on it. `conversations_test.jsonl` (8 conversations) was "
        "written at the same time and kept aside: it was run, never tuned on. "
        "`conversations_dev2.jsonl` and `conversations_test2.jsonl` are a second such pair, "
        "written later from other documents, test2 never tuned on.",
        "- `retrieval_followups.jsonl`: follow-up questions whose document can only be found "
        "through the earlier turns (`history`). The service rebuilds the conversation focus "
        "and searches with its query and filters; the baselines search the raw message.",
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
