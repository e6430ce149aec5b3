"""What each of the rules' framings buys, file by file: the "first figures" replay.

The framings (graph/routing/emergency_framings.py) and the look-alike readings
(graph/routing/emergency_lookalikes.py) were written one file at a time, each from the misses
and false alarms of the file that had just arrived. History cannot be undone, but each
pattern can be switched off alone and the whole gate replayed on every file: how many
look-alikes it keeps from being raised (what it saves) and how many emergencies it holds
back (what it costs). A pattern that saves nothing anywhere is dead weight; one that saves
only on the file it was written for is fitted to that file and is a candidate for removal or
for becoming bank rows.

    python -m evals.emergency_replay [--json FILE] [FILE ...]

The detector is trained on the whole bank and scores each file once (as `--probe` of
evals/emergency_loco.py); only the rules' readings change between replays. Aggregates only:
no row is printed, so a blind file may be replayed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import graph.routing.emergency_arbitration as arbitration_module
import graph.routing.emergency_framings as framings_module
from evals.emergency_loco import (
    _signals,
    bound,
    gate,
    readables,
    scores_with_statements,
    signs,
    statement_vectors,
)
from graph.routing.emergency_arbitration import Arbitration
from graph.routing.emergency_words import fold

DATASETS = Path(__file__).parent / "datasets"
# The dev and probe files (never a frozen or blind one).
DEV_FILES = (
    "emergency.jsonl",
    *(f"emergency_dev_{letter}.jsonl" for letter in "bcdefghijkl"),
    "bank_s8_other_hands.jsonl",
    "bank_s10_texting.jsonl",
    "bank_s10_stories.jsonl",
)
NEVER = re.compile(r"(?!x)x")
# The look-alike readings that hold back the learned detector alone, by their name in
# graph/routing/emergency_arbitration.py.
LOOKALIKE_READINGS = (
    "settled",
    "asks_about_taking_part",
    "talks_of_visibility",
    "talks_of_travel",
    "asks_as_a_precaution",
    "talks_of_gear",
    "tells_of_a_sighting",
    "asks_for_tips",
)


def framing_patterns() -> list[str]:
    """Every pattern the framings read, by name (those imported from the signs too)."""
    return sorted(
        name
        for name, value in vars(framings_module).items()
        if isinstance(value, re.Pattern) and name.isupper()
    )


@contextmanager
def switched_off(*names: str):
    """The rules with framing patterns, or look-alike readings, never matching."""
    kept = []
    for name in names:
        if name in LOOKALIKE_READINGS:
            module, off = arbitration_module, (lambda _text: False)
        else:
            module, off = framings_module, NEVER
        kept.append((module, name, getattr(module, name)))
        setattr(module, name, off)
    try:
        yield
    finally:
        for module, name, value in reversed(kept):
            setattr(module, name, value)


def readings(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rules' verdict, whether a framing holds the detector back, and whether that
    framing binds, for every row, under the rules as they are now."""
    _, _, ruled, framed = _signals(rows)
    return ruled, framed, bound(rows)


def decided(rows, ruled, framed, binding, sign, readable, scores, whole) -> np.ndarray:
    return gate(ruled, framed, sign, scores, Arbitration(), readable, binding, whole)


def touches(names: tuple[str, ...], folded: list[str]) -> np.ndarray:
    """The rows switched-off framing patterns can change: those one of them matches. (A
    pattern that matches no part of the whole message matches none of its clauses either,
    but for an anchored pattern on a clause: close enough for a replay.) A look-alike reading
    may change any row."""
    if any(name in LOOKALIKE_READINGS for name in names):
        return np.ones(len(folded), dtype=bool)
    patterns = [getattr(framings_module, name) for name in names]
    return np.array([any(p.search(text) for p in patterns) for text in folded], dtype=bool)


async def scored(ctx, detector, path: Path) -> tuple[list[dict], np.ndarray, np.ndarray]:
    from evals.datasets import load_emergency
    from graph.routing.emergency_detector import bank_vectors, text_signals

    rows = load_emergency(path)
    pool = await ctx.pool()
    vectors = await bank_vectors(pool, ctx.embeddings, rows)
    whole = detector.probabilities(vectors, text_signals([r["message"] for r in rows]))
    told = await statement_vectors(pool, ctx.embeddings, rows)
    told_scores = (
        detector.probabilities(told.vectors, told.signals) if told.owners.size else np.zeros(0)
    )
    return rows, scores_with_statements(whole, told, told_scores), whole


async def bank_scored(ctx) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """The bank, each row scored by a detector trained without its category (LOCO)."""
    from evals.emergency_loco import loco_scores
    from graph.routing.emergency_detector import bank_vectors, load_bank

    rows = load_bank()
    pool = await ctx.pool()
    vectors = await bank_vectors(pool, ctx.embeddings, rows)
    scores, whole, _ = loco_scores(
        rows, vectors, await statement_vectors(pool, ctx.embeddings, rows)
    )
    return rows, scores, whole


async def replay(
    ctx, paths: list[Path], switches: list[tuple[str, ...]], with_bank: bool = False
) -> dict:
    from graph.routing.emergency_detector import bank_vectors, fit_on_bank, load_bank

    bank = load_bank()
    detector = fit_on_bank(bank, await bank_vectors(await ctx.pool(), ctx.embeddings, bank))
    files = {}
    scored_files = [(path.name, await scored(ctx, detector, path)) for path in paths]
    if with_bank:
        scored_files.append(("bank (each kind unseen)", await bank_scored(ctx)))
    for name, (rows, scores, whole) in scored_files:
        labels = np.array([r["is_emergency"] for r in rows], dtype=bool)
        folded = [fold(r["message"]) for r in rows]
        sign, readable = signs(rows), readables(rows)
        ruled, framed, binding = readings(rows)
        base = decided(rows, ruled, framed, binding, sign, readable, scores, whole)
        threshold = Arbitration().threshold
        # Only a row with a sign, or a score the detector raises, can ever be raised.
        raisable = sign | (scores >= threshold)
        entry = {
            "emergencies": int(labels.sum()),
            "look_alikes": int((~labels).sum()),
            "missed": int((~base & labels).sum()),
            "false_alarms": int((base & ~labels).sum()),
            "rules_alone_false_alarms": int((ruled & ~labels).sum()),
            "learned_alone_missed": int((labels & (scores < threshold)).sum()),
            "learned_alone_false_alarms": int((~labels & (scores >= threshold)).sum()),
            "learned_framed_false_alarms": int((~labels & (scores >= threshold) & ~framed).sum()),
            "switched_off": {},
        }
        for names in switches:
            rows_of = np.flatnonzero(touches(names, folded) & raisable)
            if not rows_of.size:
                continue
            some = [rows[i] for i in rows_of]
            with switched_off(*names):
                readings_off = readings(some)
            raised = base.copy()
            raised[rows_of] = decided(
                some,
                *readings_off,
                sign[rows_of],
                readable[rows_of],
                scores[rows_of],
                whole[rows_of],
            )
            gained = int((raised & ~base & labels).sum())
            lost = int((~raised & base & labels).sum())
            saved = int((raised & ~base & ~labels).sum())
            spared = int((~raised & base & ~labels).sum())
            if gained or lost or saved or spared:
                # gained/lost: emergencies raised/missed with it off; saved: look-alikes it
                # keeps from being raised; spared: look-alikes raised only because of it.
                entry["switched_off"]["+".join(names)] = {
                    "emergencies_gained": gained,
                    "emergencies_lost": lost,
                    "look_alikes_saved": saved,
                    "look_alikes_spared": spared,
                }
        files[name] = entry
    return files


def print_replay(files: dict) -> None:
    print("file: emergencies missed / look-alikes raised (rules alone raised; learned alone")
    print("      missed, raised before and after the framings)")
    for name, entry in files.items():
        print(
            f"  {name:28} {entry['missed']:>2}/{entry['emergencies']:<3} "
            f"{entry['false_alarms']:>2}/{entry['look_alikes']:<3} "
            f"(rules {entry['rules_alone_false_alarms']}; "
            f"learned {entry['learned_alone_missed']} missed, {entry['learned_alone_false_alarms']}"
            f" -> {entry['learned_framed_false_alarms']} raised)"
        )
    names = sorted({n for entry in files.values() for n in entry["switched_off"]})
    print("\nswitched off alone: per file, look-alikes it saves / emergencies it holds back")
    print("(+n: emergencies it costs; -n: emergencies it raises; !n: look-alikes it raises)")
    for pattern in names:
        cells = []
        for file, entry in files.items():
            effect = entry["switched_off"].get(pattern)
            if not effect:
                continue
            short = file.removeprefix("emergency_").removesuffix(".jsonl")
            cell = f"{short} {effect['look_alikes_saved']}"
            if effect["emergencies_gained"]:
                cell += f" +{effect['emergencies_gained']}"
            if effect["emergencies_lost"]:
                cell += f" -{effect['emergencies_lost']}"
            if effect["look_alikes_spared"]:
                cell += f" !{effect['look_alikes_spared']}"
            cells.append(cell)
        print(f"  {pattern:24} " + "; ".join(cells))
    switched = {n for entry in files.values() for n in entry.get("switches", [])}
    dead = sorted(switched - set(names))
    print(f"\nno effect on any file: {', '.join(dead)}")


async def _main(paths: list[Path], switches: list[tuple[str, ...]], with_bank: bool) -> dict:
    from evals.strategies import EvalContext

    ctx = EvalContext()
    try:
        return await replay(ctx, paths, switches, with_bank)
    finally:
        await ctx.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.emergency_replay", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--bank", action="store_true", help="also the bank, each row scored with its kind unseen"
    )
    parser.add_argument(
        "--off",
        action="append",
        help="only these switches: NAME, or NAME+NAME+... switched off together",
    )
    args = parser.parse_args(argv)
    paths = args.files or [DATASETS / name for name in DEV_FILES]
    switches = (
        [tuple(option.split("+")) for option in args.off]
        if args.off
        else [(name,) for name in [*framing_patterns(), *LOOKALIKE_READINGS]]
    )
    files = asyncio.run(_main(paths, switches, args.bank))
    for entry in files.values():
        entry["switches"] = ["+".join(names) for names in switches]
    print_replay(files)
    if args.json:
        args.json.write_text(json.dumps(files, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
