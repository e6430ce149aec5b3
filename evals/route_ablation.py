"""What each hand-written routing cue is worth: switch it off, replay every dev file, count.

    python -m evals.route_ablation [--json FILE] [--only NAME ...]

Every dev conversation file (evals.datasets.DEV_CONVERSATIONS) and the routing dev sets
(routing.jsonl, routing_dev_b.jsonl) are replayed as the service runs them (the safety gate,
the focus, the profile, the router node; no agents), once as they are, then once per cue
switched off: a weighted cue of graph/routing/router.py's CUES (each pattern of an entry
alone, and the whole entry), an entry of its SUBJECT_WORDS, or a rule pattern of
graph/nodes/routing.py or of the router made to match nothing. For each, the turns it gains
(wrong with it off, right with it on) and loses, and the files they are in: a cue that helps
only the file it was written for, or nothing, is a candidate for removal. The frozen files
are never read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evals.datasets import DATASETS, DEV_CONVERSATIONS

ROUTING_DEV_SETS = ("routing.jsonl", "routing_dev_b.jsonl")
NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Case:
    """Messages replayed in turn and the routes expected of the last `len(expected)`."""

    file: str
    key: str
    messages: tuple[str, ...]
    expected: tuple[str, ...]


def load_cases() -> list[Case]:
    cases = []
    for name in DEV_CONVERSATIONS:
        for line in (DATASETS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                turns = row["turns"]
                cases.append(
                    Case(
                        name,
                        row["id"],
                        tuple(t["user"] for t in turns),
                        tuple(t["expected_route"] for t in turns),
                    )
                )
    for name in ROUTING_DEV_SETS:
        for line in (DATASETS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                users = [h["content"] for h in row.get("history") or [] if h["role"] == "user"]
                cases.append(
                    Case(name, row["id"], (*users, row["query"]), (row["expected_route"],))
                )
    return cases


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex source ("(?:a)|(?:b)|c" -> the three)."""
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


class Ablations:
    """Each switch-off as a name and a pair of functions (off, back on)."""

    def __init__(self) -> None:
        import graph.nodes.routing as node
        import graph.routing.router as router

        self.node, self.router = node, router
        self.items: dict[str, tuple] = {}
        for index, (route, pattern, weight) in enumerate(router.CUES):
            parts = alternatives(pattern.pattern)
            self.items[f"cue{index:02d} {route} +{weight} (all {len(parts)})"] = (
                self._cue_off(index, None),
                self._cue_on(index),
            )
            if len(parts) > 1:
                for part in range(len(parts)):
                    self.items[f"cue{index:02d}.{part} {route} +{weight}"] = (
                        self._cue_off(index, part),
                        self._cue_on(index),
                    )
        self.originals = list(router.CUES)
        # Words that name a turn's subject without weighing for a route.
        self.subject_originals = list(router.SUBJECT_WORDS)
        for index, (route, _) in enumerate(router.SUBJECT_WORDS):
            self.items[f"subject{index:02d} {route}"] = (
                self._subject(index, NEVER),
                self._subject(index, None),
            )
        shared = {"PLACE_REFERENCE", "SUBJECT_CHANGE"}
        for module, prefix in ((router, "router"), (node, "node")):
            for name, value in vars(module).items():
                if not isinstance(value, re.Pattern) or name == "NEVER":
                    continue
                if module is node and name in shared:
                    continue
                self.items[f"{prefix}.{name}"] = (
                    self._regex(name, NEVER),
                    self._regex(name, value),
                )

    def _refresh(self) -> None:
        # the cues and subject words a text matched are remembered
        self.router.cues_in.cache_clear()
        self.router.subject_words_in.cache_clear()

    def _subject(self, index: int, pattern: re.Pattern | None):
        def apply() -> None:
            route, original = self.subject_originals[index]
            self.router.SUBJECT_WORDS[index] = (route, pattern or original)
            self._refresh()

        return apply

    def _cue_off(self, index: int, part: int | None):
        def off() -> None:
            route, pattern, weight = self.originals[index]
            if part is None:
                kept = NEVER
            else:
                parts = alternatives(pattern.pattern)
                kept = re.compile("|".join(parts[:part] + parts[part + 1 :]), pattern.flags)
            self.router.CUES[index] = (route, kept, weight)
            self._refresh()

        return off

    def _cue_on(self, index: int):
        def on() -> None:
            self.router.CUES[index] = self.originals[index]
            self._refresh()

        return on

    def _regex(self, name: str, value: re.Pattern):
        def apply() -> None:
            for module in (self.router, self.node):
                if name in vars(module):
                    setattr(module, name, value)

        return apply


def remember_vectors(embeddings) -> None:
    """Each text embedded once per run: the replays differ only in their rules."""
    known: dict[str, list[float]] = {}
    query, documents = embeddings.embed_query, embeddings.embed_documents

    def embed_query(text: str) -> list[float]:
        if text not in known:
            known[text] = query(text)
        return known[text]

    def embed_documents(texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, documents(missing), strict=True))
        return [known[t] for t in texts]

    async def aembed_query(text: str) -> list[float]:
        return embed_query(text)

    async def aembed_documents(texts: list[str]) -> list[list[float]]:
        return embed_documents(texts)

    for function in (embed_query, embed_documents, aembed_query, aembed_documents):
        object.__setattr__(embeddings, function.__name__, function)


async def replay(strategy, cases: list[Case]) -> list[bool]:
    right = []
    for case in cases:
        routes = await strategy.routes(list(case.messages))
        got = routes[len(routes) - len(case.expected) :]
        right += [g == e for g, e in zip(got, case.expected, strict=True)]
    return right


async def _main(args: argparse.Namespace) -> None:
    from evals.strategies import EvalContext, ServiceStrategy

    cases = load_cases()
    files = [c.file for c in cases for _ in c.expected]
    expected = [e for c in cases for e in c.expected]
    ctx = EvalContext()
    remember_vectors(ctx.embeddings)
    strategy = ServiceStrategy(ctx)
    ablations = Ablations()
    try:
        base = await replay(strategy, cases)
        print(f"baseline {sum(base)}/{len(base)}", flush=True)
        results = {}
        for name, (off, on) in ablations.items.items():
            if args.only and not any(o in name for o in args.only):
                continue
            off()
            try:
                now = await replay(strategy, cases)
            finally:
                on()
            gained = [i for i, (b, n) in enumerate(zip(base, now, strict=True)) if b and not n]
            lost = [i for i, (b, n) in enumerate(zip(base, now, strict=True)) if n and not b]
            results[name] = {
                "gained": len(gained),
                "lost": len(lost),
                "files_gained": dict(Counter(files[i] for i in gained)),
                "files_lost": dict(Counter(files[i] for i in lost)),
                "emergency_lost_without": sum(expected[i] == "emergency" for i in gained),
            }
            r = results[name]
            print(
                f"{name:48s} gains {r['gained']:3d} loses {r['lost']:3d}  "
                f"{r['files_gained']} / {r['files_lost']}",
                flush=True,
            )
    finally:
        await ctx.close()
    if args.json:
        Path(args.json).write_text(
            json.dumps({"baseline": [sum(base), len(base)], "cues": results}, indent=1)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--json", help="write the table to this file")
    parser.add_argument("--only", action="append", default=[], help="names containing this")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
