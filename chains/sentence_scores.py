"""What the offline answerer knows of a candidate sentence when it weighs it: the hand
bonuses for the answer's shape, a number the diver gave and a section written for the
diver, and the row of features the fitted selection (chains/selection.py) reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from chains.questions import TOPIC_BY_NAME, Topic, asks_the_same, topics_of
from chains.sentences import LABEL


@dataclass
class Candidate:
    passage: int
    position: int
    text: str
    heading: str = ""
    section_heading: str = ""  # "Decompression sickness — Signs and symptoms to recognise"
    label: str = ""  # the list item's label: "Marine park fee", "Time"
    document: str = ""  # the title of the document it comes from
    score: float = 0.0  # the fitted selection's score: which sentences answer best
    gate: float = 0.0  # the hand blend's score: whether anything answers at all
    features: np.ndarray | None = None  # its row of chains.selection.FEATURES
    vector: np.ndarray | None = None  # its unit embedding, read under its heading


def shape_bonus(topics: list[Topic], sentence: str, heading: str) -> float:
    """Small embedding models miss that "when is the best time" is answered by "March to
    October": a sentence shaped like the answer, or under a heading that answers the
    question, gets a bonus; one that is both gets the most."""
    bonus = 0.0
    for topic in topics:
        shaped = bool(topic.looks and re.search(topic.looks, sentence, re.IGNORECASE))
        under = bool(re.search(topic.heading, heading, re.IGNORECASE))
        bonus = max(bonus, 0.15 * shaped + 0.12 * under)
    return bonus


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_RANGE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[–-]|to)\s*(\d+(?:\.\d+)?)(?![\d.])")


# A number the diver gives in one of these units is only matched by a sentence that
# speaks of the same unit: "14 months since my last dive" is not an age of "12–14".
# Years are left out: "a 12 year old" is answered by "age 10–14".
_COUNTED = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(month|week|day|hour|minute|dive|bar|kg)s?\b", re.IGNORECASE
)


_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate("one two three four five six seven eight nine ten".split(), start=1)
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
# "two dives a day", "3 days of diving": more than one, which a row for "multiple dives per
# day or multiple days" answers and a row for "a single dive" does not.
_SEVERAL = re.compile(
    r"\b(multiple|several|repetitive|more than one)\s+([\w-]+\s+)?(dive|day)s?\b", re.I
)
_ONE = re.compile(r"\b(a single|one)\s+([\w-]+\s+)?(dive|day)\b", re.IGNORECASE)


def number_bonus(asked: str, sentence: str) -> float:
    """ "28 degree water" is answered by the "26–30 °C" row and "a 12 year old" by
    "10–14": a sentence whose number or range holds a number the diver gave; "two dives a
    day" by the row for multiple dives."""
    asked = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], asked)
    lowered = sentence.lower()
    several = any(
        float(n) >= 2 for n, unit in _COUNTED.findall(asked) if unit.lower() in ("dive", "day")
    )
    if several and _SEVERAL.search(sentence):
        return 0.12
    if several and _ONE.search(sentence):
        return -0.06
    counted = {float(n) for n, unit in _COUNTED.findall(asked) if unit.lower() not in lowered}
    given = {float(n) for n in _NUMBER.findall(asked)} - counted
    if not given:
        return 0.0
    for low, high in _RANGE.findall(sentence):
        if any(float(low) <= n <= float(high) for n in given):
            return 0.12
    if given & {float(n) for n in _NUMBER.findall(sentence)}:
        return 0.06
    return 0.0


_DIVE_COUNT = re.compile(
    r"(?P<low>\d+)\s*(?:(?:[–-]|to)\s*(?P<high>\d+)|(?P<plus>\+))\s*(?:logged\s+)?dives\b",
    re.IGNORECASE,
)
_LEVEL_WORDS = {
    "open_water": r"\bopen water\b",
    "advanced_open_water": r"\badvanced\b",
    "rescue": r"\brescue\b",
    "divemaster": r"\bdivemaster\b",
}
_ANY_LEVEL = re.compile("|".join(_LEVEL_WORDS.values()), re.IGNORECASE)


def profile_bonus(profile: dict, heading: str) -> float:
    """ "Newly certified Open Water diver (0–10 logged dives)" is written for a diver with
    8 dives and an Open Water card: a section headed for the diver's experience answers
    them before the sections for everyone else."""
    dives = profile.get("logged_dives")
    if not isinstance(dives, int):
        return 0.0
    for match in _DIVE_COUNT.finditer(heading):
        low = int(match["low"])
        high = float("inf") if match["plus"] else int(match["high"])
        if low <= dives <= high:
            level = _LEVEL_WORDS.get(profile.get("certification_level") or "")
            # A heading for another level ("Advanced diver with 20–50 dives") is not theirs.
            if _ANY_LEVEL.search(heading) and not (
                level and re.search(level, heading, re.IGNORECASE)
            ):
                return 0.0
            return 0.25
    return 0.0


DIVER_TOPICS = frozenset({"next_step", "suitability"})


def asked_topics(asked: str, focus: dict) -> list[Topic]:
    """What kind of fact answers the diver: read from their own words, or, for a bare
    follow-up ("what about the Red Sea instead?"), the topic the conversation is on."""
    topics = topics_of(asked)
    # Only a turn that asks "the same, about something else" inherits the topic: "is there
    # a swim test?" after a question on duration asks something new.
    if not topics and asks_the_same(asked) and focus.get("topic") in TOPIC_BY_NAME:
        topics = [TOPIC_BY_NAME[focus["topic"]]]
    return topics


# A sentence written for the young names them near its start ("Junior Advanced Open Water
# Divers aged 12–14: 21 m", "12–14: junior Open Water …"), or sits under a heading for them
# ("Programmes for ages 8–9"); "Minimum age 15" and "Minimum age is 12, with junior
# conditions …" are for everyone.
_YOUNG = re.compile(
    r"\b(junior|child(ren)?|kids?|teens?|teenagers?|bubblemaker|seal team|scuba rangers)\b|"
    r"\b(aged|ages|from age)\s+(8|9|1[0-5])\b|^(8|9|1[0-5])\s*[–-]\s*(9|1[0-7])\b",
    re.IGNORECASE,
)
_OPENING_WORDS = 6


def for_the_young(candidate: Candidate) -> bool:
    opening = " ".join(candidate.text.split()[:_OPENING_WORDS])
    return bool(
        _YOUNG.search(opening) or _YOUNG.search(candidate.label) or _YOUNG.search(candidate.heading)
    )


_DIGIT = re.compile(r"\d")


def heading_of(candidate: Candidate) -> str:
    return f"{candidate.heading} {candidate.label}"


def sentence_features(
    candidates: list[Candidate],
    semantic: list[float],
    section: list[float],
    lexical: list[float],
    rank_of: dict[int, int],
    topics: list[Topic],
    asked: str,
    profile: dict | None,
    semantic_own: list[float],
) -> np.ndarray:
    """One row of chains.selection.FEATURES per candidate sentence."""
    rows = []
    best_semantic, best_section, best_lexical = max(semantic), max(section), max(lexical)
    passage_semantic: dict[int, float] = {}
    passage_lexical: dict[int, float] = {}
    for i, candidate in enumerate(candidates):
        key = candidate.passage
        passage_semantic[key] = max(passage_semantic.get(key, -1.0), semantic[i])
        passage_lexical[key] = max(passage_lexical.get(key, -1.0), lexical[i])
    for i, candidate in enumerate(candidates):
        heading = heading_of(candidate)
        rank = rank_of.get(candidate.passage, 0)
        shaped = any(t.looks and re.search(t.looks, candidate.text, re.IGNORECASE) for t in topics)
        under = any(re.search(t.heading, heading, re.IGNORECASE) for t in topics)
        rows.append(
            (
                semantic[i],
                section[i],
                lexical[i],
                1.0 / (1.0 + 0.5 * rank),
                shape_bonus(topics, candidate.text, heading),
                number_bonus(asked, candidate.text),
                profile_bonus(profile, candidate.heading) if profile is not None else 0.0,
                float(shaped),
                float(under),
                semantic[i] - best_semantic,
                section[i] - best_section,
                lexical[i] - best_lexical,
                float(candidate.position == 0),
                1.0 / (1.0 + candidate.position),
                min(len(candidate.text.split()) / 25, 2.0),
                float(bool(candidate.label)),
                float(rank == 0),
                passage_semantic[candidate.passage] - best_semantic,
                passage_lexical[candidate.passage] - best_lexical,
                float(bool(_DIGIT.search(candidate.text))),
                float(bool(LABEL.match(candidate.text))),
                semantic_own[i],
            )
        )
    return np.asarray(rows, dtype=np.float64)


def in_context(candidate: Candidate) -> str:
    """A sentence as it is read for scoring: under its document's subject and section
    heading ("Cape Kri, Raja Ampat — Overview": "It is famous as the site where …" is
    about Cape Kri), and its item's label."""
    heading = candidate.section_heading or candidate.heading
    label = candidate.label
    if label and label.lower() not in candidate.text.lower():
        return f"{heading}: {label}: {candidate.text}"
    return f"{heading}: {candidate.text}"


def cosines(vectors: np.ndarray, query: np.ndarray) -> list[float]:
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
    return (vectors @ query / np.where(norms == 0, 1.0, norms)).tolist()
