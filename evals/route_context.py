"""How the follow-up reader (graph/routing/follow_up.py) generalises to follow-ups it was
not given.

    python -m evals.route_context [--folds 5] [--bank FILE] [--service] [--cost]

The reader says whether a follow-up keeps the previous route; if not, the turn takes the
route its own words give (the router's learned part and cues, the turn alone). On the
context bank (graph/data/routing_context_bank_s14.jsonl; its emergencies left out, the
safety gate's): k-fold (stratified, seeded) and leave-one-category-out (each kind of
follow-up read by a reader fitted on the other kinds), beside what needs no fitting: the
previous route kept, the turn's own best route, and with `--service` the service's own
route for the follow-up (the router node with the focus rebuilt over the history, the
previous turn's route as the bank gives it). Also the reader's cost per turn; with `--cost`,
its whole cost on every follow-up of the conversation dev files as the service meets them
(the previous turn routed first), p50 and p95, and how many embedding-model runs it needed.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from pathlib import Path

import numpy as np

from evals.route_cv import folds
from graph.routing.follow_up import (
    CONTEXT_BANK_FILE,
    CONTEXT_C,
    FollowUpReader,
    load_context_bank,
)
from graph.routing.learned import ROUTES

C_VARIANTS = (0.03, 0.1, 0.3, 1.0, 3.0)


def held_out(matrix, keeps, groups: list[np.ndarray], c: float) -> np.ndarray:
    """Each group's probability of keeping the route, from a reader fitted on the others."""
    out = np.zeros(len(keeps))
    for test in groups:
        train = np.setdiff1d(np.arange(len(keeps)), test)
        out[test] = FollowUpReader(matrix[train], keeps[train], c=c).keeps(matrix[test])
    return out


def _acc(predicted, labels, mask=None) -> str:
    mask = np.ones(len(labels), dtype=bool) if mask is None else mask
    right = int((np.asarray(predicted)[mask] == labels[mask]).sum())
    return f"{right / max(1, mask.sum()):.4f} ({right}/{int(mask.sum())})"


async def service_readings(rows: list[dict]) -> list[tuple]:
    """For each follow-up, what the router node settles without the reader: (decision, route,
    the turn as read, focus), the history's routes as the bank gives them."""
    from evals.strategies import EvalContext, ServiceStrategy
    from graph.focus import update_focus, with_next_course
    from graph.nodes.routing import settle_route
    from graph.profile import update_profile
    from graph.routing.router import TurnRouter

    ctx = EvalContext()
    try:
        gazetteer = await ServiceStrategy(ctx)._gazetteer()
        router = TurnRouter(ctx.embeddings, follow_up=False)
        out = []
        for row in rows:
            focus, profile = {}, {}
            messages = [turn["user"] for turn in row["history"]] + [row["text"]]
            for text in messages:
                focus = update_focus(focus, text, gazetteer)
                profile = update_profile(profile, text)
                focus = with_next_course(focus, text, profile.get("certification_level"))
            previous = row["history"][-1]["route"]
            text = router.spelling.correct(row["text"])
            decision = await router.route(text, messages[:-1], previous)
            out.append((decision, settle_route(decision, text, focus, previous), text, focus))
        return out
    finally:
        await ctx.close()


async def follow_up_cost(router) -> None:
    """The reader's whole cost per follow-up (both readings fetched, scores, features), on
    the conversation dev files, each turn routed first as the service routes it."""
    import json

    from evals.datasets import DATASETS
    from evals.route_dev import DEV_FILES

    model = type(router.embeddings)
    runs = {"n": 0}
    encode = model._encode

    def counted(self, texts):
        runs["n"] += 1
        return encode(self, texts)

    timings, misses = [], 0
    model._encode = counted
    try:
        for name in DEV_FILES:
            for line in (DATASETS / name).read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                messages = [turn["user"] for turn in json.loads(line)["turns"]]
                previous_route = None
                for index, text in enumerate(messages):
                    text = router.spelling.correct(text)
                    decision = await router.route(text, messages[:index], previous_route)
                    if index and previous_route in ROUTES:
                        before = runs["n"]
                        started = time.perf_counter()
                        await router.keeps_route(text, messages[index - 1], previous_route)
                        timings.append((time.perf_counter() - started) * 1000)
                        misses += runs["n"] - before
                    previous_route = decision.route
    finally:
        model._encode = encode
    p50, p95 = np.percentile(timings, [50, 95])
    print(
        f"\nthe reader in the service, {len(timings)} dev follow-ups: p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms; embedding-model runs it needed: {misses}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--bank", type=Path, default=CONTEXT_BANK_FILE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--service", action="store_true", help="the service's routes too")
    parser.add_argument("--cost", action="store_true", help="the reader's cost in the service")
    args = parser.parse_args()

    from evals.strategies import EvalContext
    from graph.routing.router import TurnRouter

    rows = load_context_bank(args.bank)
    embeddings = EvalContext().embeddings
    router = TurnRouter(embeddings, follow_up=False)
    started = time.perf_counter()
    matrix = router.follow_up_matrix(rows)
    print(f"features of {len(rows)} rows: {time.perf_counter() - started:.1f} s (embedding them)")
    labels = np.array([row["label"] for row in rows])
    previous = np.array([row["history"][-1]["route"] for row in rows])
    categories = np.array([row["category"] for row in rows])
    own = np.array(ROUTES)[matrix[:, : len(ROUTES)].argmax(axis=1)]
    keeps = labels == previous

    print(f"\n{'':30s}{'all':>18s}{'keeps route':>18s}{'changes route':>18s}")

    def line(title, predicted):
        print(
            f"{title:30s}{_acc(predicted, labels):>18s}{_acc(predicted, labels, keeps):>18s}"
            f"{_acc(predicted, labels, ~keeps):>18s}"
        )

    line("previous route kept", previous)
    line("turn alone (learned+cues)", own)
    if args.service:
        readings = asyncio.run(service_readings(rows))
        line("service without the reader", np.array([route for _, route, _, _ in readings]))
    line("keep or not, known (the bound)", np.where(keeps, previous, own))
    k_groups = folds(labels, args.folds)
    c_groups = [np.flatnonzero(categories == c) for c in sorted(set(categories))]
    loco_best = None
    for c in C_VARIANTS:
        mark = " *" if c == CONTEXT_C else ""
        for title, groups in ((f"{args.folds}-fold", k_groups), ("leave-one-cat-out", c_groups)):
            kept = held_out(matrix, keeps, groups, c) >= 0.5
            routes = np.where(kept, previous, own)
            line(f"reader C={c} {title}{mark}", routes)
            if c == CONTEXT_C and groups is c_groups:
                loco_best = routes
    if args.service:
        from graph.nodes.routing import reconsider_follow_up

        loco_keeps = held_out(matrix, keeps, c_groups, CONTEXT_C)
        line(
            "service with the reader (l-o-c-o)",
            np.array(
                [
                    reconsider_follow_up(decision, route, p, text, focus, before)
                    for (decision, route, text, focus), p, before in zip(
                        readings, loco_keeps, previous, strict=True
                    )
                ]
            ),
        )
    print("\nleave one category out, per category (reader at the chosen C):")
    for group in c_groups:
        name = categories[group[0]]
        print(
            f"  {name[:34]:34s} n={len(group):3d}  reader {_acc(loco_best[group], labels[group])}"
            f"  alone {_acc(own[group], labels[group])}"
        )
    misses = Counter(
        f"{e}->{p}" for e, p in zip(labels, loco_best, strict=True) if e != p
    ).most_common(8)
    print("reader's leave-one-category-out misses:", misses)

    reader = FollowUpReader(matrix, keeps)
    started = time.perf_counter()
    for row in matrix[:200]:
        reader.keeps(row)
    print(f"\nthe reader: {(time.perf_counter() - started) / 200 * 1000:.3f} ms per turn to score")
    if args.cost:
        router.follow_up = reader
        asyncio.run(follow_up_cost(router))


if __name__ == "__main__":
    main()
