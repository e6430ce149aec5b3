"""Fit the offline answerer's sentence selection, and measure it leave-one-file-out.

    python -m evals.selection_fit [--cache DIR] [--write searched|logistic|hand|pairwise]
    python -m evals.selection_fit --against-shipped

Reads the turns `python -m evals.selection_data` recorded (what the answerer was given on
every fact-bearing turn of each dev file). Every candidate sentence gets its features
(chains.selection.FEATURES) and a label: it contains one alternative of one of the turn's
fact groups, the eval's own matching. A logistic regression is fitted on the sentences,
and the floors and word budget that go with it are chosen by replaying the answerer on the
training turns: the share of turns whose facts were in the passages and whose answer
states them all ("selection recall").

Every figure is measured LEAVE-ONE-FILE-OUT: fitted and tuned on all files but one, replayed
on the one left out. The table compares the hand blend with the fitted ones per file. With
`--write searched` (or `logistic`, or `hand`: the hand blend with its word budget fitted)
the selection fitted on every file is written to chains/data/selection_weights.json with
the sha256 of the recorded and the dev files.

`--against-shipped` measures, leave-one-file-out, a pairwise correction of the shipped blend
(`pairwise`: fitted on the differences between a fact's sentence and the sentences without a
fact that compete with it on the same turn) against the shipped blend itself; `--write
pairwise` writes it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import PrivateAttr
from sklearn.linear_model import LogisticRegression

from chains.extractive import ExtractiveAnswerer
from chains.selection import FEATURES, HAND, WEIGHTS_FILE, Selection, load_selection
from evals.selection_data import CACHE, DATASETS, file_sha
from evals.suites.conversations import missing_facts, normalised

# The floors and budgets tried with a fitted blend (its scores are probabilities).
FLOORS = (0.05, 0.15)
COMPANION_RATIOS = (0.3, 0.6)
SECTION_RATIOS = (0.2, 0.4)
BODY_WORDS = (100, 115)
# The coordinate search from the hand blend: steps tried on each weight, thresholds tried.
WEIGHT_STEPS = (0.05, -0.05, 0.15, -0.15, 0.3, -0.3)
THRESHOLDS = {
    "floor": (0.3, 0.4),
    "companion_ratio": (0.7, 0.9),
    "section_ratio": (0.55, 0.75),
    "body_words": (100, 115),
    "redundancy": (0.85, 0.9, 0.95),
    "max_sentences": (5, 7, 8),
    "lead_sentences": (2, 3, 5),
}
SEARCH_ROUNDS = 3
# The logistic regression's settings (chosen leave-one-file-out like the rest).
LOGISTIC = {"C": 1.0, "max_iter": 2000}


class _CachedEmbeddings(Embeddings):
    """The eval's embeddings with the questions remembered: replays ask them again."""

    def __init__(self, embeddings) -> None:
        self._inner = embeddings
        self._queries: dict[str, list[float]] = {}

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self._queries[text] = self._inner.embed_query(text)
        return self._queries[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)


class ReplayAnswerer(ExtractiveAnswerer):
    """The answerer with each turn's sentence features kept from its first reading, so a
    replay with another selection only re-weighs and re-chooses."""

    _features: dict = PrivateAttr(default_factory=dict)
    _texts: dict = PrivateAttr(default_factory=dict)
    _vectors: dict = PrivateAttr(default_factory=dict)
    _choices: dict = PrivateAttr(default_factory=dict)  # turn -> (candidates, verdicts)
    _turn: str = PrivateAttr(default="")

    def _score(self, question, candidates, rank_of, **kwargs) -> None:
        if self._turn not in self._features:
            super()._score(question, candidates, rank_of, **kwargs)
            if candidates[0].features is None:
                raise RuntimeError("the replay needs sentence embeddings")
            self._features[self._turn] = np.stack([c.features for c in candidates])
            self._texts[self._turn] = [c.text for c in candidates]
            self._vectors[self._turn] = [c.vector for c in candidates]
        rows = self._features[self._turn]
        for candidate, row, gate, score, vector in zip(
            candidates,
            rows,
            HAND.scores(rows),
            self.selection.scores(rows),
            self._vectors[self._turn],
            strict=True,
        ):
            candidate.features, candidate.gate, candidate.score = row, float(gate), float(score)
            # The diversity and near-duplicate checks read the sentence vectors.
            candidate.vector = vector

    def _choose(self, candidates, verdicts, passed_over=None):
        self._choices.setdefault(self._turn, (list(candidates), set(verdicts)))
        return super()._choose(candidates, verdicts, passed_over)

    def replay(self, turn: str, messages, selection: Selection) -> str:
        self._turn = turn
        self.selection = selection
        return self.compose(messages)[0]

    def chosen_text(self, turn: str, selection: Selection) -> str:
        """The sentences `selection` would choose on a turn already read, without writing
        the answer around them: fast enough for a search to replay thousands of times."""
        candidates, verdicts = self._choices[turn]
        rows = self._features[turn]
        for candidate, gate, score in zip(
            candidates, HAND.scores(rows), selection.scores(rows), strict=True
        ):
            candidate.gate, candidate.score = float(gate), float(score)
        self.selection = selection
        return " ".join(c.text for c in super()._choose(candidates, verdicts))


@dataclass
class Turn:
    file: str
    id: str
    groups: list[list[str]]
    given: bool  # every fact group was in the passages
    messages: list
    features: np.ndarray | None = None
    labels: np.ndarray | None = None
    answers: dict = field(default_factory=dict)


_TYPES = {"system": SystemMessage, "human": HumanMessage, "ai": AIMessage}


def load_turns(cache: Path) -> list[Turn]:
    turns = []
    for path in sorted(cache.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["messages"]:
                continue  # answered without the answerer (a fixed reply)
            turns.append(
                Turn(
                    file=row["file"],
                    id=f"{row['file']}:{row['id']}",
                    groups=row["groups"],
                    given=row["facts_in_passages"],
                    messages=[_TYPES[m["type"]](m["content"]) for m in row["messages"]],
                )
            )
    return turns


def read_features(answerer: ReplayAnswerer, turns: list[Turn]) -> None:
    """Each turn's candidate features (its first replay, with the hand blend) and labels."""
    for turn in turns:
        answerer.replay(turn.id, turn.messages, HAND)
        features = answerer._features.get(turn.id)
        if features is None:
            continue  # no candidate sentence at all
        turn.features = features
        texts = answerer._texts[turn.id]
        alternatives = [normalised(alt) for group in turn.groups for alt in group]
        turn.labels = np.asarray(
            [any(alt in normalised(text) for alt in alternatives) for text in texts], dtype=int
        )


def passes(answerer: ReplayAnswerer, turn: Turn, selection: Selection) -> bool:
    key = selection
    if key not in turn.answers:
        answer = answerer.replay(turn.id, turn.messages, selection)
        turn.answers[key] = (not missing_facts(answer, turn.groups), len(answer.split()))
    return turn.answers[key][0]


def selection_recall(answerer, turns: list[Turn], selection: Selection) -> tuple[int, int]:
    given = [t for t in turns if t.given]
    return sum(passes(answerer, t, selection) for t in given), len(given)


def quick_recall(answerer: ReplayAnswerer, turns: list[Turn], selection: Selection) -> int:
    """Selection recall on the chosen sentences alone (the search's objective)."""
    return sum(
        not missing_facts(answerer.chosen_text(t.id, selection), t.groups)
        for t in turns
        if t.given and t.id in answerer._choices
    )


def fit(turns: list[Turn]) -> tuple[tuple[float, ...], float]:
    usable = [t for t in turns if t.features is not None and t.given]
    x = np.concatenate([t.features for t in usable])
    y = np.concatenate([t.labels for t in usable])
    model = LogisticRegression(**LOGISTIC)
    model.fit(x, y)
    return tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0])


def tuned(answerer, turns: list[Turn], fitted_on: dict | None = None) -> Selection:
    """The fitted blend with the floors and budget that do best on `turns`."""
    weights, intercept = fit(turns)
    best, best_key = None, None
    for floor, companion, section, body in itertools.product(
        FLOORS, COMPANION_RATIOS, SECTION_RATIOS, BODY_WORDS
    ):
        candidate = Selection(
            weights=weights,
            intercept=intercept,
            probability=True,
            floor=floor,
            companion_ratio=companion,
            section_ratio=section,
            body_words=body,
            fitted_on=fitted_on or {},
        )
        hits = quick_recall(answerer, turns, candidate)
        key = (hits, -body, floor, companion, section)
        if best_key is None or key > best_key:
            best, best_key = candidate, key
    return best


def searched(answerer, turns: list[Turn], fitted_on: dict | None = None) -> Selection:
    """The hand blend, moved one weight or threshold at a time while the training turns'
    selection recall strictly improves (a tie keeps the hand value)."""
    current = replace(HAND, body_words=max(BODY_WORDS), fitted_on=fitted_on or {})
    best = quick_recall(answerer, turns, current)
    for _ in range(SEARCH_ROUNDS):
        improved = False
        for index, delta in itertools.product(range(len(FEATURES)), WEIGHT_STEPS):
            weights = list(current.weights)
            weights[index] += delta
            candidate = replace(current, weights=tuple(weights))
            hits = quick_recall(answerer, turns, candidate)
            if hits > best:
                current, best, improved = candidate, hits, True
        for name, values in THRESHOLDS.items():
            for value in values:
                candidate = replace(current, **{name: value})
                hits = quick_recall(answerer, turns, candidate)
                if hits > best:
                    current, best, improved = candidate, hits, True
        if not improved:
            break
    return current


# How far the pairwise correction moves the shipped blend: tried on the training turns.
PAIRWISE_STEPS = (0.0, 0.005, 0.01, 0.02, 0.05)
PAIRWISE_C = 0.1
# A fact's sentence is set against this many of the turn's best sentences without a fact:
# the ones that compete with it for the answer's budget.
COMPETITORS = 8


def pairs(answerer, turns: list[Turn], base: Selection) -> tuple[np.ndarray, np.ndarray]:
    """Per turn, each sentence that states an asked fact against each of the COMPETITORS
    best sentences (by `base`) without one: the differences of their features, each turn
    weighing as much as any other (what loses a fact is the order within a turn, not the
    probability of a sentence)."""
    differences, weights = [], []
    for turn in turns:
        if not turn.given or turn.features is None or not turn.labels.any():
            continue
        order = np.argsort(-base.scores(turn.features), kind="stable")
        others = [j for j in order if turn.labels[j] == 0][:COMPETITORS]
        facts = np.flatnonzero(turn.labels == 1)
        found = [turn.features[i] - turn.features[j] for i in facts for j in others]
        if found:
            differences.extend(found)
            weights.extend([1.0 / len(found)] * len(found))
    return np.asarray(differences), np.asarray(weights)


def pairwise(
    answerer, turns: list[Turn], fitted_on: dict | None = None, base: Selection | None = None
) -> Selection:
    """The shipped blend moved towards ranking a fact's sentence above the sentences without
    one that compete with it on the same turn: a logistic regression on their feature
    differences (both orders, no intercept), added to the blend as far as the training
    turns' selection recall says (PAIRWISE_STEPS; a tie keeps the smaller step)."""
    base = base or load_selection()
    found, weights = pairs(answerer, turns, base)
    if not len(found):
        return replace(base, fitted_on=fitted_on or {})
    x = np.concatenate([found, -found])
    y = np.concatenate([np.ones(len(found)), np.zeros(len(found))])
    model = LogisticRegression(C=PAIRWISE_C, fit_intercept=False, max_iter=2000)
    model.fit(x, y, sample_weight=np.concatenate([weights, weights]))
    direction = model.coef_[0]
    options = [
        replace(
            base,
            weights=tuple(float(w) for w in np.asarray(base.weights) + step * direction),
            fitted_on=fitted_on or {},
        )
        for step in PAIRWISE_STEPS
    ]
    hits = [quick_recall(answerer, turns, option) for option in options]
    return options[max(range(len(options)), key=lambda i: (hits[i], -i))]


def budgeted(answerer, turns: list[Turn], fitted_on: dict | None = None) -> Selection:
    """The hand blend with the word budget that does best on `turns` (a tie: the smaller)."""
    options = [replace(HAND, body_words=b, fitted_on=fitted_on or {}) for b in BODY_WORDS]
    return max(options, key=lambda s: (quick_recall(answerer, turns, s), -s.body_words))


def lofo(answerer, turns: list[Turn]) -> tuple[list[dict], dict]:
    files = sorted({t.file for t in turns})
    rows = []
    for left_out in files:
        train = [t for t in turns if t.file != left_out]
        test = [t for t in turns if t.file == left_out]
        start = time.perf_counter()
        learned = tuned(answerer, train)
        search = searched(answerer, train)
        hand_budget = budgeted(answerer, train)
        row = {"file": left_out, "fact_turns": len(test), "seconds": 0.0}
        for name, selection in _methods(hand_budget, learned, search):
            hits, given = selection_recall(answerer, test, selection)
            row[name] = (hits, given)
            row[f"{name}_fact"] = sum(passes(answerer, t, selection) for t in test)
            row[f"{name}_words"] = _mean_words(test, selection)
        row["chosen"] = {
            "floor": learned.floor,
            "companion_ratio": learned.companion_ratio,
            "section_ratio": learned.section_ratio,
            "body_words": learned.body_words,
        }
        row["moved"] = _moved(search)
        row["seconds"] = round(time.perf_counter() - start, 1)
        rows.append(row)
        print(_row_text(row), flush=True)
    return rows, _totals(rows)


def lofo_shipped(answerer, turns: list[Turn], fitting=None) -> tuple[list[dict], dict]:
    """Leave-one-file-out against the shipped blend: `fitting` (the pairwise correction by
    default) fitted on all files but one, replayed on the one left out. Cheap enough to run
    after every change of a feature, where the full search (`lofo`) takes hours."""
    fitting = fitting or pairwise
    shipped = load_selection()
    rows = []
    for left_out in sorted({t.file for t in turns}):
        train = [t for t in turns if t.file != left_out]
        test = [t for t in turns if t.file == left_out]
        fitted = fitting(answerer, train)
        row = {"file": left_out, "fact_turns": len(test)}
        for name, selection in (("shipped", shipped), ("fitted", fitted)):
            row[name] = selection_recall(answerer, test, selection)
            row[f"{name}_fact"] = sum(passes(answerer, t, selection) for t in test)
            row[f"{name}_words"] = _mean_words(test, selection)
        rows.append(row)
        print(
            f"{left_out:30} facts {row['shipped_fact']:>3} -> {row['fitted_fact']:>3} of "
            f"{len(test):<3}  selection {row['shipped'][0]:>3} -> {row['fitted'][0]:>3} of "
            f"{row['shipped'][1]:<3}  words {row['shipped_words']} -> {row['fitted_words']}",
            flush=True,
        )
    totals = {
        name: {
            "facts": sum(r[f"{name}_fact"] for r in rows),
            "selection": sum(r[name][0] for r in rows),
            "given": sum(r[name][1] for r in rows),
        }
        for name in ("shipped", "fitted")
    }
    totals["files_up"] = sum(r["fitted_fact"] > r["shipped_fact"] for r in rows)
    totals["files_down"] = sum(r["fitted_fact"] < r["shipped_fact"] for r in rows)
    totals["fact_turns"] = sum(r["fact_turns"] for r in rows)
    return rows, totals


NAMES = ("hand", "hand_budget", "logistic", "searched")


def _methods(hand_budget: Selection, learned: Selection, search: Selection):
    return zip(NAMES, (HAND, hand_budget, learned, search), strict=True)


def _moved(selection: Selection) -> dict:
    """What the search changed from the hand blend."""
    moved = {
        name: round(w - h, 3)
        for name, w, h in zip(FEATURES, selection.weights, HAND.weights, strict=True)
        if abs(w - h) > 1e-9
    }
    for name in THRESHOLDS:
        if getattr(selection, name) != getattr(HAND, name):
            moved[name] = getattr(selection, name)
    return moved


def _mean_words(turns: list[Turn], selection: Selection) -> float:
    counts = [t.answers[selection][1] for t in turns if selection in t.answers]
    return round(sum(counts) / len(counts), 1) if counts else 0.0


def _row_text(row: dict) -> str:
    parts = [f"{row['file']:30}"]
    for name in NAMES:
        hits, given = row[name]
        share = hits / given if given else float("nan")
        parts.append(f"{name} {hits:>3}/{given:<3} {share:.3f} ({row[f'{name}_words']}w)")
    return "  ".join(parts) + f"\n    searched moved {row['moved']}"


def _totals(rows: list[dict]) -> dict:
    totals = {}
    for name in NAMES:
        hits = sum(r[name][0] for r in rows)
        given = sum(r[name][1] for r in rows)
        totals[name] = {"hits": hits, "given": given, "recall": round(hits / given, 4)}
    for name in ("logistic", "searched"):
        totals[f"files_{name}_wins"] = sum(r[name][0] > r["hand"][0] for r in rows)
        totals[f"files_{name}_loses"] = sum(r[name][0] < r["hand"][0] for r in rows)
    return totals


def main(cache: Path, write: str | None, measure: bool = True, against: bool = False) -> None:
    from evals.strategies import EvalContext

    ctx = EvalContext()
    answerer = ReplayAnswerer(embeddings=_CachedEmbeddings(ctx.embeddings))
    turns = load_turns(cache)
    read_features(answerer, turns)
    print(
        f"{len(turns)} fact turns, {sum(t.given for t in turns)} with their facts in the "
        f"passages; {sum(len(t.labels) for t in turns if t.labels is not None)} sentences"
    )
    if measure and against:
        rows, totals = lofo_shipped(answerer, turns)
        print(json.dumps(totals))
        (cache / "lofo_shipped.json").write_text(
            json.dumps({"rows": rows, "totals": totals}, indent=1, default=str)
        )
    elif measure:
        rows, totals = lofo(answerer, turns)
        print(json.dumps(totals))
        report = cache / "lofo.json"
        report.write_text(json.dumps({"rows": rows, "totals": totals}, indent=1, default=str))
    if write:
        recorded = {p.name: file_sha(p) for p in sorted(cache.glob("*.jsonl"))}
        sources = {name: file_sha(DATASETS / name) for name in sorted({t.file for t in turns})}
        fitted_on = {"datasets": sources, "recorded_turns": recorded, "method": write}
        fitting = {
            "searched": searched,
            "logistic": tuned,
            "hand": budgeted,
            "pairwise": pairwise,
        }[write]
        final = fitting(answerer, turns, fitted_on)
        WEIGHTS_FILE.parent.mkdir(exist_ok=True)
        WEIGHTS_FILE.write_text(json.dumps(final.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE.name}: {dict(zip(FEATURES, final.weights, strict=True))}")


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument(
        "--write",
        choices=("searched", "logistic", "hand", "pairwise"),
        help="write the selection fitted on every file (hand: the hand blend, its budget fitted)",
    )
    parser.add_argument(
        "--no-lofo", action="store_true", help="only write the weights (with --write)"
    )
    parser.add_argument(
        "--against-shipped",
        action="store_true",
        help="measure the pairwise correction of the shipped blend leave-one-file-out",
    )
    args = parser.parse_args(argv)
    main(args.cache, args.write, measure=not args.no_lofo, against=args.against_shipped)


if __name__ == "__main__":
    cli()
