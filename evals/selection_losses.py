"""Why the answer left out a fact its passages held: a tally over the recorded dev turns.

    python -m evals.selection_losses [--cache DIR] [--files NAME ...] [--show]

Replays the shipped selection on the turns `python -m evals.selection_data` recorded and,
for every turn whose facts were all in the passages but not all in the answer (a fact
"lost at selection"), counts why the missed fact's best sentence was left out (the budget
was spent, it scored below a floor, it would bring another document, the sentence cap,
nothing was relevant), how long it was, and what the answer spent its words on: sentences
that state a fact the turn asks for, sentences shaped like the asked kind of fact (a month
for "when", a depth for "how deep", chains/questions.py), and the rest. It also says what
kind of fact was lost (a number, a month, a name, a term), how many specific things
(quantities with units, months, names) the missed sentence states against the chosen
sentences that outscored it, and, feature by feature, what those chosen sentences have
that the missed one lacks. `--show` prints each loss (for dev files only: frozen files are
never recorded).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from pathlib import Path

from chains.extractive import ExtractiveAnswerer
from chains.questions import MONTHS, topics_of
from chains.selection import FEATURES, HAND, load_selection
from evals.selection_data import CACHE
from evals.selection_fit import ReplayAnswerer, Turn, _CachedEmbeddings, load_turns, read_features
from evals.suites.conversations import missing_facts, normalised

SHAPED = FEATURES.index("shaped")
# "how much is it and how long does it take?": a second question word after "and" or a
# second question mark asks a second thing.
_SECOND_PART = re.compile(
    r"\?.*\w.*\?|\b(and|also|plus)\s+(what|how|when|where|which|who|is|are|do|does|can|should)\b",
    re.IGNORECASE | re.DOTALL,
)


def asks_two_things(asked: str) -> bool:
    return len(topics_of(asked)) >= 2 or bool(_SECOND_PART.search(asked))


def _words(text: str) -> int:
    return len(text.split())


def losses(answerer: ReplayAnswerer, turns: list[Turn], selection) -> list[dict]:
    """One row per fact group missed on a turn whose facts were all in the passages."""
    rows = []
    for turn in turns:
        if not turn.given or turn.features is None:
            continue
        answer = answerer.replay(turn.id, turn.messages, selection)
        missed = missing_facts(answer, turn.groups)
        if not missed:
            continue
        candidates, verdicts = answerer._choices[turn.id]
        for candidate, gate, score in zip(
            candidates, HAND.scores(turn.features), selection.scores(turn.features), strict=True
        ):
            candidate.gate, candidate.score = float(gate), float(score)
        why: dict[int, str] = {}
        chosen = ExtractiveAnswerer._choose(answerer, candidates, verdicts, why)
        asked = str(turn.messages[-1].content)
        alternatives = [normalised(a) for g in turn.groups for a in g]
        spent = {"fact": 0, "shaped": 0, "other": 0}
        for c in chosen:
            text = normalised(c.text)
            kind = (
                "fact"
                if any(a in text for a in alternatives)
                else "shaped"
                if c.features is not None and c.features[SHAPED]
                else "other"
            )
            spent[kind] += _words(c.text)
        ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
        for group in missed:
            options = [
                c for c in candidates if any(normalised(a) in normalised(c.text) for a in group)
            ]
            if not options:
                continue  # the fact spans two sentences or sits in a heading
            best = max(options, key=lambda c: c.score)
            reason = why.get(id(best)) or ("nothing relevant" if not chosen else "not queued")
            # What the chosen sentences that scored above it have that it lacks.
            above = [c for c in chosen if c.score > best.score and c.features is not None]
            gaps = (
                (sum(c.features for c in above) / len(above) - best.features).round(3).tolist()
                if above and best.features is not None
                else None
            )
            rows.append(
                {
                    "turn": turn.id,
                    "file": turn.file,
                    "asked": asked,
                    "two_things": asks_two_things(asked),
                    "reason": reason,
                    "missed_words": _words(best.text),
                    "missed_rank": ranked.index(best) + 1,
                    "missed_ratio": round(best.score / ranked[0].score, 3)
                    if ranked[0].score
                    else 0,
                    "missed_shaped": bool(best.features is not None and best.features[SHAPED]),
                    "missed_text": best.text,
                    "chosen_words": sum(_words(c.text) for c in chosen),
                    "chosen": len(chosen),
                    "spent": spent,
                    "same_document": best.document in {c.document for c in chosen},
                    "same_passage": best.passage in {c.passage for c in chosen},
                    "chosen_texts": [c.text for c in chosen],
                    "kind": fact_kind(group),
                    "missed_specifics": specifics(best.text),
                    "above_specifics": (
                        round(sum(specifics(c.text) for c in above) / len(above), 2)
                        if above
                        else None
                    ),
                    "gaps": gaps,
                }
            )
    return rows


_DIGIT = re.compile(r"\d")
_CAPITAL = re.compile(r"\b[A-Z][A-Za-z]+")
_MONTH = re.compile(rf"\b{MONTHS}\b", re.IGNORECASE)


# What makes a sentence state a fact rather than talk about one: a quantity with its unit
# ("18 m", "USD 45", "3–4 days"), a month, a name past the sentence's first word.
_QUANTITY = re.compile(
    r"(?:(?:usd|myr|rm|idr|thb|egp|php|eur|aud|us\$|au\$|\$|€|£)\s?\d[\d,.]*)|"
    r"(?:(?<![\w.])\d+(?:[.,]\d+)?(?:\s*(?:[–-]|to)\s*\d+(?:[.,]\d+)?)?\s*"
    r"(?:m|metres?|meters?|ft|feet|km|°\s?[cf]|degrees|mm|kg|bar|%|knots?|usd|myr|thb|"
    r"minutes?|hours?|days?|nights?|weeks?|months?|years?|dives?)\b)",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[\w,;)] )(?:[A-Z][a-z]+|[A-Z]{2,}[a-z]?)\b")


def specifics(text: str) -> int:
    """How many specific things a sentence states: quantities with units, months, names."""
    rest, quantities = _QUANTITY.subn(" 0 ", text)
    rest, months = _MONTH.subn(" 0 ", rest)
    return quantities + months + len(_NAME.findall(rest))


def fact_kind(alternatives: list[str]) -> str:
    """What kind of fact a group asks for, read from its alternatives: a number (a depth,
    a price, an age), a month or season, a name (a site, a species, a course), a term."""
    joined = " ".join(alternatives)
    if _DIGIT.search(joined):
        return "number"
    if _MONTH.search(joined) or re.search(r"season|monsoon|year-round", joined, re.I):
        return "month"
    if _CAPITAL.search(joined):
        return "name"
    return "term"


def summary(rows: list[dict]) -> dict:
    def median(values):
        return statistics.median(values) if values else None

    budget = [r for r in rows if r["reason"] == "budget spent"]
    spent = Counter()
    for r in budget:
        spent.update(r["spent"])
    return {
        "losses": len(rows),
        "turns": len({r["turn"] for r in rows}),
        "by_reason": dict(Counter(r["reason"] for r in rows).most_common()),
        "two_things": sum(r["two_things"] for r in rows),
        "missed_words_median": median([r["missed_words"] for r in rows]),
        "budget": {
            "losses": len(budget),
            "words_spent_median": median([r["chosen_words"] for r in budget]),
            "missed_words_median": median([r["missed_words"] for r in budget]),
            "missed_over_25_words": sum(r["missed_words"] > 25 for r in budget),
            "spent_on": dict(spent),
            "missed_shaped": sum(r["missed_shaped"] for r in budget),
            "missed_in_a_chosen_passage": sum(r["same_passage"] for r in budget),
            "two_things": sum(r["two_things"] for r in budget),
        },
        "by_file": dict(Counter(r["file"] for r in rows)),
        "by_kind": dict(Counter(r["kind"] for r in rows).most_common()),
        "by_kind_and_reason": dict(
            Counter(f"{r['kind']} / {r['reason']}" for r in rows).most_common()
        ),
        # Specific things stated (quantities, months, names): the missed sentence against
        # the mean of the chosen sentences that scored above it.
        "specifics": _specifics(rows),
        # Each feature, the chosen sentences above the missed one less the missed one (mean
        # over losses): what the ranking rewards that the fact's sentence lacks.
        "chosen_above_less_missed": _mean_gaps(rows),
    }


def _specifics(rows: list[dict]) -> dict:
    compared = [r for r in rows if r["above_specifics"] is not None]
    if not compared:
        return {}
    return {
        "losses": len(compared),
        "missed_mean": round(statistics.mean(r["missed_specifics"] for r in compared), 2),
        "chosen_above_mean": round(statistics.mean(r["above_specifics"] for r in compared), 2),
        "missed_states_none": sum(r["missed_specifics"] == 0 for r in compared),
        "missed_states_more": sum(r["missed_specifics"] > r["above_specifics"] for r in compared),
    }


def _mean_gaps(rows: list[dict]) -> dict:
    gaps = [r["gaps"] for r in rows if r["gaps"] is not None]
    if not gaps:
        return {}
    means = [sum(column) / len(gaps) for column in zip(*gaps, strict=True)]
    return {"losses": len(gaps), **{n: round(m, 3) for n, m in zip(FEATURES, means, strict=True)}}


def main(cache: Path, files: list[str], show: bool) -> None:
    from evals.strategies import EvalContext

    ctx = EvalContext()
    answerer = ReplayAnswerer(embeddings=_CachedEmbeddings(ctx.embeddings))
    turns = [t for t in load_turns(cache) if not files or t.file in files]
    read_features(answerer, turns)
    rows = losses(answerer, turns, load_selection())
    if show:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    print(json.dumps(summary(rows), indent=1))


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--show", action="store_true", help="print every loss")
    args = parser.parse_args(argv)
    main(args.cache, args.files, args.show)


if __name__ == "__main__":
    cli()
