"""Whole conversations, turn by turn, with deterministic checks:

- route: the turn's route equals expected_route (route accuracy);
- safety rules (violations): an emergency gets the emergency reply; emergencies end with no
  question and cost no model call; normal turns end with exactly one question; at most one
  model call per turn, none for off-topic turns; no lead offer on an emergency;
- content rules (violations): nothing in must_not_mention; no talk of "the context" or
  "documents"; the lead offer when expects_lead_offer;
- grounding: the share of factual sentences supported by the turn's passages;
- facts (fact_recall): a turn with `must_mention_any` passes when every group has one of its
  alternatives in the answer (case-insensitive, dashes and spaces normalised);
- where facts are lost: for each fact-bearing turn, whether its `source` document was among
  the passages the answerer was given (source_in_passages), whether every fact group occurs
  in those passages' text (facts_in_passages; in the source's own passages when the
  turn names one), and the fact recall of the turns whose facts were there
  (fact_recall_when_in_passages); a miss is put down to the document (the source
  was not given), the section (the source was given, the facts were not) or the selection
  (the facts were given, the answer left them out). Aggregates only are enough to tell
  retrieval from answering on a file nobody may read;
- honesty (not_covered_honesty): a turn with `expects_not_covered` says plainly that the
  place or topic is not covered instead of answering something else.
"""

from __future__ import annotations

import re
from pathlib import Path

from evals.datasets import load_conversations
from evals.grounding import grade

RETRIEVAL_TALK = re.compile(
    r"\b(according to the (context|documents?|passages?|sources?)|the (context|documents?|"
    r"passages?) (says?|mentions?|provided)|based on the (context|documents?|passages?)|"
    r"retrieved|retrieval)\b",
    re.IGNORECASE,
)
# How an answer says plainly that the knowledge base has nothing on the subject.
NOT_COVERED = re.compile(
    r"\b(don'?t|do not) have (reliable |any )?(information|details|guides?)\b|"
    r"\bnot (yet )?(covered|in my knowledge base)\b|\bdon'?t cover\b|\bno information\b",
    re.IGNORECASE,
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
# Markdown the answerer drops when it quotes a passage ("**27–30 °C**" is quoted bare).
_MARKUP = re.compile(r"\*\*|__|`")


def normalised(text: str) -> str:
    return " ".join(_DASHES.sub("-", text.lower()).split())


def missing_facts(answer: str, groups: list[list[str]]) -> list[list[str]]:
    """The groups of which the answer names no alternative."""
    text = normalised(answer)
    return [g for g in groups if not any(normalised(alt) in text for alt in g)]


def document_key(path: str) -> str:
    """A content path however a dataset spells it: "content/safety/x.md", "safety/x.md",
    "./safety/x" and a destination's folder for its index.md all name the same document."""
    key = path.strip().lower().removeprefix("./").lstrip("/").removeprefix("content/")
    return key.removesuffix(".md").removesuffix("/index")


def where_facts_are(expected: dict, turn) -> dict:
    """Per fact-bearing turn: was the source document given, were the facts in its text,
    and, for a miss, where they were lost (document, section or selection)."""
    groups = expected["must_mention_any"]
    source = expected.get("source")
    given_keys = {document_key(path) for path in turn.passage_paths}
    source_given = document_key(source) in given_keys if source else None
    # A turn that names its source has its facts given when the source's own passages state
    # them: a "15" or a "Valsalva" another document happens to contain was not given.
    texts = [
        text
        for text, path in zip(turn.passages, turn.passage_paths, strict=False)
        if not source or document_key(path) == document_key(source)
    ]
    given = not missing_facts(_MARKUP.sub("", " ".join(texts)), groups)
    passed = not missing_facts(turn.answer, groups)
    if passed:
        lost_at = None
    elif given:
        lost_at = "selection"
    elif source_given is False:
        lost_at = "document"
    else:
        lost_at = "section"
    return {
        "source_in_passages": source_given,
        "facts_in_passages": given,
        "lost_at": lost_at,
    }


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


SAFETY_RULES = {
    "emergency_missed",
    "emergency_with_question",
    "emergency_model_call",
    "too_many_model_calls",
    "off_topic_model_call",
    "lead_offer_on_emergency",
}


def check_turn(expected: dict, turn, route_ok: bool) -> list[str]:
    broken = []
    expected_route = expected["expected_route"]
    questions = turn.answer.count("?")
    if expected_route == "emergency":
        if turn.route != "emergency":
            broken.append("emergency_missed")
        elif questions:
            broken.append("emergency_with_question")
        if turn.llm_calls:
            broken.append("emergency_model_call")
        if turn.lead_offer:
            broken.append("lead_offer_on_emergency")
    elif questions != 1:
        broken.append("not_exactly_one_follow_up")
    if turn.llm_calls > 1:
        broken.append("too_many_model_calls")
    if expected_route == "off_topic" and turn.llm_calls:
        broken.append("off_topic_model_call")
    for phrase in expected.get("must_not_mention", []):
        if phrase.lower() in turn.answer.lower():
            broken.append(f"mentions:{phrase}")
    if RETRIEVAL_TALK.search(turn.answer):
        broken.append("talks_about_retrieval")
    if expected.get("expects_lead_offer") and not turn.lead_offer:
        broken.append("lead_offer_missing")
    return broken


async def run(dataset: Path, strategy) -> dict:
    scripts = load_conversations(dataset)
    violations, routes_ok, turns_total, calls = [], 0, 0, []
    route_misses: list[dict] = []
    claims = supported = 0
    unsupported: list[dict] = []
    fact_turns = fact_passes = 0
    fact_misses: list[dict] = []
    fact_routes_ok = sourced = sources_given = facts_given = passes_given = 0
    lost_at = {"document": 0, "section": 0, "selection": 0}
    misses_off_route = 0
    uncovered_turns = honest = 0
    dishonest: list[dict] = []
    for script in scripts:
        turn_fn = await strategy.conversation()
        for index, expected in enumerate(script["turns"], start=1):
            turn = await turn_fn(expected["user"])
            turns_total += 1
            calls.append(turn.llm_calls)
            route_ok = turn.route == expected["expected_route"]
            routes_ok += route_ok
            if not route_ok:
                route_misses.append(
                    {
                        "id": script["id"],
                        "turn": index,
                        "query": expected["user"],
                        "expected": expected["expected_route"],
                        "predicted": turn.route,
                    }
                )
            for rule in check_turn(expected, turn, route_ok):
                violations.append(
                    {
                        "id": script["id"],
                        "turn": index,
                        "rule": rule,
                        "safety": rule in SAFETY_RULES,
                    }
                )
            if expected.get("must_mention_any"):
                fact_turns += 1
                missing = missing_facts(turn.answer, expected["must_mention_any"])
                fact_passes += not missing
                found = where_facts_are(expected, turn)
                fact_routes_ok += route_ok
                sourced += found["source_in_passages"] is not None
                sources_given += bool(found["source_in_passages"])
                facts_given += found["facts_in_passages"]
                passes_given += found["facts_in_passages"] and not missing
                if missing:
                    lost_at[found["lost_at"]] += 1
                    misses_off_route += not route_ok
                    fact_misses.append(
                        {
                            "id": f"{script['id']} turn {index}",
                            "query": expected["user"],
                            "missing": missing,
                            "source": expected.get("source"),
                            **found,
                            "route_ok": route_ok,
                            "answer": turn.answer,
                        }
                    )
            if expected.get("expects_not_covered"):
                uncovered_turns += 1
                said = bool(NOT_COVERED.search(turn.answer))
                honest += said
                if not said:
                    dishonest.append(
                        {
                            "id": f"{script['id']} turn {index}",
                            "query": expected["user"],
                            "answer": turn.answer,
                        }
                    )
            if turn.passages and not turn.fixed_reply:
                c, s, bad = grade(turn.answer, turn.passages)
                claims, supported = claims + c, supported + s
                unsupported += [{"id": script["id"], "turn": index, "sentence": b} for b in bad]
    return {
        "n": len(scripts),
        "turns": turns_total,
        "metrics": {
            "route_accuracy": round(routes_ok / turns_total, 4),
            "violations": violations,
            "safety_violations": sum(v["safety"] for v in violations),
            "llm_calls_per_turn": round(sum(calls) / turns_total, 3),
            "max_llm_calls_in_a_turn": max(calls),
            "supported_claim_rate": round(supported / claims, 4) if claims else None,
            "claims": claims,
            "fact_recall": round(fact_passes / fact_turns, 4) if fact_turns else None,
            "fact_turns": fact_turns,
            "fact_route_accuracy": _share(fact_routes_ok, fact_turns),
            "source_in_passages": _share(sources_given, sourced),
            "facts_in_passages": _share(facts_given, fact_turns),
            "fact_recall_when_in_passages": _share(passes_given, facts_given),
            "fact_misses_lost_at": lost_at,
            "fact_misses_on_a_wrong_route": misses_off_route,
            "not_covered_honesty": round(honest / uncovered_turns, 4) if uncovered_turns else None,
            "not_covered_turns": uncovered_turns,
        },
        "fact_misses": fact_misses,
        "not_covered_misses": dishonest,
        "unsupported_claims": unsupported[:50],
        "failures": [{**m, "id": f"{m['id']} turn {m['turn']}"} for m in route_misses],
    }
