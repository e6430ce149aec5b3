"""How the router's learned part generalises to messages it was not given.

    python -m evals.route_cv [--bank FILE] [--folds 5] [--examples FILE ...] [--no-loco]
    python -m evals.route_cv --lofo

- k-fold (stratified, seeded) on the router's examples (graph/data/routing_examples.jsonl,
  or the `--examples` files given);
- with `--bank FILE` (rows of a message, its route, optionally the `previous` message or a
  routing dataset's `history`, and a `category`): the bank routed by a router that never
  saw it (the unseen-hands figure), k-fold on the bank (the examples and the other folds
  given), then leave-one-category-out: each category routed by a router given the examples
  and every other category of the bank.

`--lofo` (leave one file out) routes each file of the router's examples
(graph/data/routing_examples*.jsonl: the hand-written file and each bank, every one written
by another hand) by a router trained on the other files only: how the examples and the cues
generalise to a writer they never saw.

Each figure is given for the learned part alone and with the cues added (the product's
tie-breaks, graph/routing/router.py), for each classifier of graph/routing/learned.py. A
bank row with a `previous` message is read as the router reads a follow-up that leans on
the one before: both messages together when the turn alone is elliptic. The history rules
and the focus (graph/nodes/routing.py) are not applied: evals.route_dev measures those.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from graph.routing.learned import CLASSIFIERS, ROUTES, unit
from graph.routing.router import (
    DEFAULT_CLASSIFIER,
    EXAMPLES_FILE,
    cue_bonus,
    is_elliptic,
    route_example_files,
)

SEED = 11


def load_rows(path: Path) -> list[dict]:
    """Rows as {"text", "label", "previous", "category"}, whatever a bank calls them (a
    routing dataset's `history` gives the diver's previous message); emergencies are left
    out, the router never sees them."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row.get("text") or row.get("message") or row.get("query") or row.get("user")
        label = row.get("label") or row.get("route") or row.get("expected_route")
        if label == "emergency":
            continue  # the safety gate's, before the router (graph/nodes/safety_gate.py)
        rows.append(
            {
                "text": text,
                "label": label,
                "previous": row.get("previous") or last_user_message(row.get("history")),
                "category": row.get("category") or row.get("kind") or "-",
            }
        )
    return rows


def last_user_message(history: list[dict] | None) -> str | None:
    """The diver's message before the turn, in a routing dataset's `history`."""
    users = [turn["content"] for turn in history or [] if turn.get("role") == "user"]
    return users[-1] if users else None


def read_text(row: dict) -> str:
    """What the router embeds for the row: a follow-up too short to stand alone is read
    together with the message before it."""
    if row.get("previous") and is_elliptic(row["text"]):
        return f"{row['previous']} {row['text']}"
    return row["text"]


def cue_matrix(texts: list[str]) -> np.ndarray:
    return np.array([[cue_bonus(t)[r] for r in ROUTES] for t in texts], dtype=np.float32)


def predict(name: str, train_x, train_y, test_x, test_cues) -> tuple[np.ndarray, np.ndarray]:
    scores = CLASSIFIERS[name](train_x, train_y).scores(test_x)
    routes = np.array(ROUTES)
    return routes[scores.argmax(axis=1)], routes[(scores + test_cues).argmax(axis=1)]


def folds(labels: np.ndarray, k: int) -> list[np.ndarray]:
    """Stratified, seeded: each fold holds about 1/k of every route."""
    rng = np.random.default_rng(SEED)
    assignment = np.zeros(len(labels), dtype=int)
    for route in ROUTES:
        index = np.flatnonzero(labels == route)
        rng.shuffle(index)
        assignment[index] = np.arange(len(index)) % k
    return [np.flatnonzero(assignment == f) for f in range(k)]


def _row(title: str, columns, labels: np.ndarray, mask=None) -> str:
    """One table row: each classifier's accuracy alone and with the cues."""
    mask = np.ones(len(labels), dtype=bool) if mask is None else mask
    cells = (
        f"{_acc(a[mask], labels[mask]):>14s}  {_acc(c[mask], labels[mask]):>14s}"
        for a, c in columns
    )
    return f"{title:28s}" + "  ".join(cells)


def _acc(predicted: np.ndarray, labels: np.ndarray) -> str:
    return f"{float((predicted == labels).mean()):.4f}" if len(labels) else "  -   "


def leave_one_file_out(embeddings, names: list[str], header: str, ablate: bool) -> None:
    """Each example file routed by a router trained on the others; with `ablate`, what
    each weighted cue adds to the product's classifier there (evals.route_ablation's
    switch-offs, the learned scores unchanged)."""
    files = route_example_files()
    rows = {path: load_rows(path) for path in files}
    texts = [r["text"] for path in files for r in rows[path]]
    x = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    y = np.array([r["label"] for path in files for r in rows[path]])
    which = np.array([path.name for path in files for _ in rows[path]])
    cues = cue_matrix(texts)
    print(f"leave one file out ({len(y)} rows in {len(files)} files)")
    print(f"{'':28s}{header}")
    out = {n: [np.empty(len(y), dtype=object), np.empty(len(y), dtype=object)] for n in names}
    learned = np.zeros((len(y), len(ROUTES)), dtype=np.float32)
    for path in files:
        test = which == path.name
        for n in names:
            alone, cued = predict(n, x[~test], y[~test], x[test], cues[test])
            out[n][0][test], out[n][1][test] = alone, cued
        learned[test] = CLASSIFIERS[DEFAULT_CLASSIFIER](x[~test], y[~test]).scores(x[test])
        title = path.name.removeprefix("routing_examples").removesuffix(".jsonl") or "(hand)"
        print(_row(f"{title[:21]} n={int(test.sum())}", out.values(), y, test))
    print(_row("ALL", out.values(), y))
    for route in ROUTES:
        print(_row(f"  {route}", out.values(), y, y == route))
    if not ablate:
        return
    from evals.route_ablation import Ablations

    routes = np.array(ROUTES)
    base = routes[(learned + cues).argmax(axis=1)] == y
    print(f"\n{DEFAULT_CLASSIFIER}+cues {int(base.sum())}/{len(y)}; each cue switched off:")
    for name, (off, on) in Ablations().items.items():
        if not name.startswith("cue"):
            continue
        off()
        try:
            now = routes[(learned + cue_matrix(texts)).argmax(axis=1)] == y
        finally:
            on()
        gained, lost = base & ~now, now & ~base
        print(
            f"{name:40s} gains {int(gained.sum()):3d} loses {int(lost.sum()):3d}  "
            f"{dict(Counter(which[gained]))} / {dict(Counter(which[lost]))}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--bank", type=Path, help="a route-labelled bank the router never saw")
    parser.add_argument(
        "--examples",
        type=Path,
        action="append",
        help="the router's examples to train on (default: graph/data/routing_examples.jsonl)",
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--no-loco",
        action="store_true",
        help="skip leave-one-category-out (a bank whose categories are nearly one row each)",
    )
    parser.add_argument(
        "--lofo",
        action="store_true",
        help="leave one example file out: each file routed by a router trained on the others",
    )
    parser.add_argument(
        "--ablate", action="store_true", help="with --lofo: what each weighted cue adds"
    )
    args = parser.parse_args()

    from evals.strategies import EvalContext

    embeddings = EvalContext().embeddings
    names = list(CLASSIFIERS)
    header = "  ".join(f"{n + ' alone':>14s}  {n + '+cues':>14s}" for n in names)
    if args.lofo:
        leave_one_file_out(embeddings, names, header, args.ablate)
        return
    examples = [row for path in args.examples or [EXAMPLES_FILE] for row in load_rows(path)]
    example_texts = [r["text"] for r in examples]
    x = np.asarray(embeddings.embed_documents(example_texts), dtype=np.float32)
    y = np.array([r["label"] for r in examples])
    cues = cue_matrix(example_texts)

    print(f"{args.folds}-fold on the examples ({len(examples)} rows)")
    print(f"{'':28s}{header}")
    out = {n: [np.empty(len(y), dtype=object), np.empty(len(y), dtype=object)] for n in names}
    for test in folds(y, args.folds):
        train = np.setdiff1d(np.arange(len(y)), test)
        for n in names:
            alone, cued = predict(n, x[train], y[train], x[test], cues[test])
            out[n][0][test], out[n][1][test] = alone, cued
    print(_row("all", out.values(), y))
    for route in ROUTES:
        print(_row(route, out.values(), y, y == route))
    # The learned part's cost per turn (the turn is embedded already, for the retriever too).
    for n in names:
        classifier = CLASSIFIERS[n](x, y)
        started = time.perf_counter()
        for vector in x[:200]:
            classifier.scores(vector[None, :])
        per_turn = (time.perf_counter() - started) / min(200, len(x)) * 1000
        print(f"{n}: {per_turn:.3f} ms per turn to score ({len(x)} examples)")
    if not args.bank:
        return

    bank = load_rows(args.bank)
    texts = [read_text(r) for r in bank]
    bx = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    by = np.array([r["label"] for r in bank])
    bcues = cue_matrix(texts)
    categories = np.array([r["category"] for r in bank])
    follow = np.array([bool(r["previous"]) for r in bank])

    print(f"\nthe bank unseen ({len(bank)} rows), router trained on the examples only")
    print(f"{'':28s}{header}")
    unseen = {n: predict(n, x, y, bx, bcues) for n in names}
    for title, mask in (
        ("all", np.ones(len(by), dtype=bool)),
        ("first messages", ~follow),
        ("follow-ups", follow),
        *((f"route {r}", by == r) for r in ROUTES),
    ):
        print(_row(title, unseen.values(), by, mask))

    print(f"\nthe bank {args.folds}-fold: examples + the other folds of the bank")
    print(f"{'':28s}{header}")
    mixed = {n: [np.empty(len(by), dtype=object), np.empty(len(by), dtype=object)] for n in names}
    for test in folds(by, args.folds):
        train = np.setdiff1d(np.arange(len(by)), test)
        train_x, train_y = np.vstack([x, bx[train]]), np.concatenate([y, by[train]])
        for n in names:
            mixed[n][0][test], mixed[n][1][test] = predict(
                n, train_x, train_y, bx[test], bcues[test]
            )
    print(_row("all", mixed.values(), by))
    if args.no_loco:
        return

    print("\nleave one category out: examples + the bank's other categories")
    print(f"{'':28s}{header}")
    loco = {n: [np.empty(len(by), dtype=object), np.empty(len(by), dtype=object)] for n in names}
    for category in sorted(set(categories)):
        test = categories == category
        train_x = np.vstack([x, bx[~test]])
        train_y = np.concatenate([y, by[~test]])
        for n in names:
            alone, cued = predict(n, train_x, train_y, bx[test], bcues[test])
            loco[n][0][test], loco[n][1][test] = alone, cued
        print(_row(f"{category[:21]} n={int(test.sum())}", loco.values(), by, test))
    print(_row("ALL", loco.values(), by))
    print(_row("  follow-ups", loco.values(), by, follow))
    if not follow.any():
        return

    # How a follow-up is best read: alone, as the router reads it (with the message before
    # when the turn is elliptic), always with it, or as its vector plus half the previous one.
    rows = [r for r in bank if r["previous"]]
    fy = by[follow]
    alone_x = np.asarray(embeddings.embed_documents([r["text"] for r in rows]), dtype=np.float32)
    prev_x = np.asarray(embeddings.embed_documents([r["previous"] for r in rows]), np.float32)
    joint_texts = [f"{r['previous']} {r['text']}" for r in rows]
    joint_x = np.asarray(embeddings.embed_documents(joint_texts), dtype=np.float32)
    readings = {
        "alone": (alone_x, [r["text"] for r in rows]),
        "router's reading": (bx[follow], [texts[i] for i in np.flatnonzero(follow)]),
        "always joint": (joint_x, joint_texts),
        "vector + prev/2": (
            unit(alone_x) + 0.5 * unit(prev_x),
            [r["text"] for r in rows],
        ),
    }
    print(f"\nfollow-ups ({len(rows)} rows) unseen, by how the turn is read")
    print(f"{'':28s}{header}")
    for title, (vectors, read) in readings.items():
        columns = [predict(n, x, y, vectors, cue_matrix(read)) for n in names]
        print(_row(title, columns, fy))


if __name__ == "__main__":
    main()
