"""The offline answerer: a chat model that only repeats what its passages say.

When no model API is configured, DovvyBuddy still answers: this model reads the passages
the agent put in its prompt, picks the sentences that answer the diver's question (a
season for "when", a duration for "how long", a depth, a price, a requirement and
verdict for "can I"), preferring the section that best matches it, composes them into a
short answer of whole sentences (about 120 words) and reports which passages they came
from in the message's `response_metadata["citations"]`. List items become readable
sentences (short items under one lead-in are read as one sentence, an item that opens on
a name keeps it); references to other documents ("See …") are dropped. The section that
answers best leads, and the best sentence of the next section follows its first few.
Sentences written for children and juniors are left out unless someone young is in the
conversation. It never writes a fact of its own; when no sentence is relevant enough it
says so plainly and asks one clarifying question.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr

from chains.passages import (
    VERDICT_SECTION,
    parse_closing,
    parse_conversation,
    parse_follow_up,
    parse_next_steps,
    parse_passages,
    parse_profile,
)
from chains.questions import (
    MONTHS,
    TOPIC_BY_NAME,
    Topic,
    asks_the_same,
    someone_young_in,
    spelled_out,
    topics_of,
)
from chains.selection import HAND, RELEVANCE_FLOOR, Selection, load_selection

SENTENCE_CACHE_SIZE = 20_000  # float32 vectors: about 30 MB when full
# Below this many words an answer is thin: companions from other sections need less.
THIN_ANSWER_WORDS = 30
NOTHING_RELEVANT = "I don't have reliable information on that in my knowledge base yet."
CLARIFY = "Could you tell me a little more about what you'd like to know?"

_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at for from by with about into over under is are
    was were be been being am do does did doing have has had having i me my we our you
    your he she it its they them their this that these those what which who whom when
    where why how can could should would will shall may might must not no yes so than
    then there here as up down out off just also very too any some all each both more
    most other such only own same few get got tell know want like please much many
    """.split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_MARKDOWN_NOISE = re.compile(r"(\*\*|__|`|\[(?P<label>[^\]]+)\]\([^)]+\))")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS]


def _stem(word: str) -> str:
    # Crude but adequate: "diving", "dives", "dived" all meet at "div".
    for suffix in ("ing", "ers", "ies", "es", "ed", "er", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _shared(asked: set[str], stems: set[str]) -> set[str]:
    """The asked stems the sentence has, also as a longer or shorter form of one word
    ("photography" asked, "photographers" written: both start "photograph")."""
    found = asked & stems
    for word in asked - found:
        if len(word) >= 6 and any(
            len(other) >= 6 and (other.startswith(word) or word.startswith(other))
            for other in stems
        ):
            found.add(word)
    return found


def _clean_line(line: str) -> str:
    line = _LIST_MARK.sub("", line)
    line = _MARKDOWN_NOISE.sub(lambda m: m.group("label") or "", line)
    return line.strip()


_LABEL = re.compile(r"^(?P<label>[A-Z][^:.;!?]{0,45}):\s+(?P<rest>\S.*)$")
_DETERMINER = re.compile(
    r"^(the|a|an|it|this|these|those|most|many|some|you|your|there|all|every|each|no|one)\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(pinch|blow|close|push|swallow|wiggle|start|equalise|equalize|descend|ascend|look|never|"
    r"exhale|use|keep|take|try|fly|drive|book|bring|carry|check|follow|ask|choose|wear|stop|"
    r"avoid|do|don't|go|remove|call|give|agree|plan|set|read|treat|get|limit|drink|stay|dive|"
    r"hold|signal|swim|make|buy|download|search|pay|visit|tell|let|leave|wait|watch|clip|"
    r"secure|rinse|store|clear|share|practise|practice|return|note|record|mark|pack|rent|"
    r"inflate|deploy|breathe|relax|slow|move|kick|point|face|aim)\b",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(is|are|was|were|has|have|had|can|could|may|might|will|would|should|must|brings?|"
    r"takes?|runs?|gives?|makes?|stays?|drops?|suits?|needs?|lets|allows?|covers?|includes?|"
    r"shows?|uses?|means|helps?|works?|starts?|leaves?|departs?|offers?|lies|sits|happens?|"
    r"causes?|requires?|becomes?|remains?|appl(y|ies)|costs?|var(y|ies)|peaks?|falls?|rises?|"
    r"disappears?|appears?|fades?|lasts?|depends?|matters?|reduces?|increases?|improves?|"
    r"contains?|tracks?|gets?|goes|comes?|turns?|looks?|feels?|seems?|tends?|differs?|"
    r"ranges?|reaches?|extends?|holds?|keeps?|adds?|lets?|stops?|opens?|closes?)\b",
    re.IGNORECASE,
)
# A label that is itself a fact ("Northeast monsoon: November to February brings …") stays.
_FACTUAL_LABEL = re.compile(rf"\d|\b{MONTHS}\b|\bmonsoons?\b", re.IGNORECASE)
# References to other documents: "See dive computers and planning.", "(see the table below)".
_BACK_REFERENCE = re.compile(r"\b(they|them|it|its|that|those|these)\b", re.IGNORECASE)
_SEE_CLAUSE = re.compile(r"\s*(\(see [^)]*\)|[;,:]\s*see\b[^.]*)", re.IGNORECASE)
_DOCUMENT_TALK = re.compile(
    r"^(see|read|for more)\b|\bthis (page|guide|document|article|section|table)\b|"
    r"\b(the )?(table|list) below\b|\bbelow\b[.:]?$",
    re.IGNORECASE,
)


def _lower_first(text: str) -> str:
    """ "Typical duration" -> "typical duration", but "PADI" stays "PADI"."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def readable(sentence: str) -> str:
    """A list item as a sentence: "Water temperature: about 27–30 °C." becomes "Water
    temperature is about 27–30 °C."; "Valsalva: pinch your nose …" becomes "For Valsalva,
    pinch your nose …"; a label before a whole sentence is dropped when it adds nothing."""
    match = _LABEL.match(sentence)
    if not match:
        return sentence
    label, rest = match["label"].strip(), match["rest"].strip()
    # Only the clause right after the label decides how it joins: in "Main season:
    # roughly March to October. Calmest seas are usually April to August." the verb of
    # the second sentence must not leave the first one a dangling label.
    head_clause, tail = _first_clause(rest)
    if tail:
        return f"{readable(f'{label}: {head_clause}')}{tail}"
    factual_label = bool(_FACTUAL_LABEL.search(label))
    if _IMPERATIVE.match(label) and not rest[0].isupper():
        return sentence  # "Start at the surface: a gentle equalisation …" reads as it is
    # "the IDC typically lasts 10–14 days" is a sentence whether or not its verb is listed.
    sentence_like = _DETERMINER.match(rest) and (len(rest.split()) >= 5 or _VERB.search(rest))
    if rest[0].isupper() or sentence_like:
        if factual_label:
            return sentence
        return rest[0].upper() + rest[1:]
    if _IMPERATIVE.match(label):
        return sentence  # "Start at the surface: a gentle equalisation …" reads as it is
    if _IMPERATIVE.match(rest):
        return f"For {label}, {rest}"
    if _VERB.search(rest):
        return sentence
    head = re.sub(r"\s*\(.*?\)", "", label).split()[-1]
    if any(ch.isdigit() for ch in head):
        # "Divers aged 12–14: 21 m." has no noun to agree with: "… aged 12–14 is 21 m" reads
        # worse than the item as it was written.
        return sentence
    verb = "are" if head.lower().endswith("s") and not head.lower().endswith("ss") else "is"
    return f"{label} {verb} {rest}"


_CLAUSE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|;\s+")


def _first_clause(text: str) -> tuple[str, str]:
    """ "around 27–30 °C; a 3 mm suit is plenty." -> ("around 27–30 °C", "; a 3 mm …")."""
    match = _CLAUSE_END.search(text)
    if not match:
        return text, ""
    end = match.start()
    return text[:end], text[end:]


def _without_references(sentence: str) -> str | None:
    kept = _SEE_CLAUSE.sub("", sentence).strip()
    if not kept or _DOCUMENT_TALK.search(kept):
        return None
    # "For level comparisons, see agency equivalency." is all reference: what is left
    # ("For level comparisons") says nothing on its own.
    if kept != sentence.strip() and _LEAD_IN_ONLY.match(kept) and not _VERB.search(kept):
        return None
    return kept


_LEAD_IN_ONLY = re.compile(r"^(for|on|about|regarding|with|to compare)\b", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Sentences of a markdown passage: list items and table rows count as one each."""
    return [sentence for sentence, _ in split_labelled(text)]


def split_labelled(text: str) -> list[tuple[str, str]]:
    """Sentences of a markdown passage with the label of the list item each came from.

    A list item under a lead-in that ends with a colon ("Don't dive if you:") is read with
    it, so a quoted item never loses the condition that gave it its meaning. A label the
    readable sentence dropped ("Marine park fee:" before "A conservation charge is …")
    still says what the sentence is about, so it travels with it.
    """
    sentences: list[str] = []
    labels: dict[int, str] = {}
    paragraph: list[str] = []
    header: list[str] = []
    lead = ""
    # Each lead-in with the sentences of each item under it: short items are read as one.
    lists: list[tuple[str, list[list[int]]]] = []

    def flush() -> None:
        nonlocal lead
        if paragraph:
            joined = " ".join(paragraph)
            parts = [s.strip() for s in _SENTENCE_END.split(joined) if s.strip()]
            if parts and parts[-1].endswith(":"):
                lead = parts.pop()
                lists.append((lead, []))
            else:
                lead = ""
            sentences.extend(parts)
            paragraph.clear()

    lines = [raw.strip() for raw in text.splitlines()]
    for number, line in enumerate(lines):
        if not line or line.startswith("#") or set(line) <= set("|-: "):
            if line.startswith("#"):
                lead, header = "", []
            flush()
            continue
        if line.startswith("|"):
            flush()
            cells = [_clean_line(c) for c in line.strip("|").split("|")]
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if not header and following.startswith("|") and set(following) <= set("|-: "):
                # The column names (the row above the |---| line) give later cells their
                # meaning; a table cut across chunks starts with a plain row instead.
                header = cells
            elif cells and cells[0]:
                # "| Open Water Diver | 3–4 days |" under "| Course | Typical duration |"
                # reads "Open Water Diver: typical duration 3–4 days."
                names = header[1:] if header else [""] * (len(cells) - 1)
                described = [
                    f"{_lower_first(name)} {cell}" if name else cell
                    for name, cell in zip(names, cells[1:], strict=False)
                    if cell and cell not in "—-"
                ]
                sentences.append(f"{cells[0]}: {', '.join(described)}" if described else cells[0])
            continue
        header = []
        if _LIST_MARK.match(line):
            flush() if paragraph else None
            item = _clean_line(line)
            labelled = _LABEL.match(item)
            titled = _named_item(item)
            cleaned = titled or readable(item)
            if lead and cleaned:
                cleaned = f"{lead} {_continued(cleaned)}"
            first = len(sentences)
            sentences.extend(s.strip() for s in _SENTENCE_END.split(cleaned) if s.strip())
            label = labelled["label"].strip() if labelled else lead.rstrip(":")
            for index in range(first, len(sentences)):
                labels[index] = label
            if lead:
                lists[-1][1].append(list(range(first, len(sentences))))
            continue
        lead = "" if not paragraph else lead
        paragraph.append(_clean_line(line))
    flush()
    sentences, labels = _short_items_joined(sentences, labels, lists)
    # A fragment of one or two words ("Easy.") carries no usable fact on its own, and a
    # question quoted from a document is not an answer (it would add a second question).
    kept = ((_without_references(s), labels.get(i, "")) for i, s in enumerate(sentences))
    return [(s, label) for s, label in kept if s and len(s.split()) >= 3 and "?" not in s]


@lru_cache(maxsize=2048)
def _labelled(text: str) -> tuple[tuple[str, str], ...]:
    """split_labelled, remembered: the same passages come back turn after turn."""
    return tuple(split_labelled(text))


_TITLED_ITEM = re.compile(r"^(?P<title>[^.!?:;]{3,60})\.\s+(?P<rest>[A-Z].*)$")
TITLE_WORDS = 8


def _named_item(item: str) -> str | None:
    """ "Controlled emergency swimming ascent (CESA). If your buddy is too far away, …":
    an item that opens on the name of what it describes, a title with no verb, keeps the
    name on its first sentence ("… (CESA): if your buddy …"); alone, the name is a
    fragment and the sentence after it says what it is without saying its name."""
    match = _TITLED_ITEM.match(item)
    if not match:
        return None
    title, rest = match["title"].strip(), match["rest"]
    if len(title.split()) > TITLE_WORDS or _VERB.search(title) or _IMPERATIVE.match(title):
        return None
    return f"{title}: {_lower_first(rest)}"


# Items this short, under one lead-in, are one fact each of one list: "Factors commonly
# considered include: recent attacks; normal lung function tests (spirometry); …" is read
# whole, so the answer does not quote two factors and drop the rest for its word budget.
ITEM_WORDS = 14
LIST_WORDS = 50


def _short_items_joined(
    sentences: list[str], labels: dict[int, str], lists: list[tuple[str, list[list[int]]]]
) -> tuple[list[str], dict[int, str]]:
    joined: dict[int, str] = {}  # first sentence of a list -> the list as one sentence
    dropped: set[int] = set()
    for lead, items in lists:
        if len(items) < 2 or any(len(item) != 1 for item in items):
            continue
        parts = [sentences[item[0]][len(lead) :].strip().rstrip(".") for item in items]
        if any(len(part.split()) > ITEM_WORDS for part in parts):
            continue
        text = f"{lead} {'; '.join(parts)}."
        if len(text.split()) > LIST_WORDS:
            continue
        joined[items[0][0]] = text
        dropped.update(item[0] for item in items[1:])
    if not joined:
        return sentences, labels
    kept_sentences, kept_labels = [], {}
    for index, sentence in enumerate(sentences):
        if index in dropped:
            continue
        kept_labels[len(kept_sentences)] = labels.get(index, "")
        kept_sentences.append(joined.get(index, sentence))
    return kept_sentences, kept_labels


def _continued(item: str) -> str:
    """An item read after its lead-in: "Stable treatment" -> "stable treatment", but
    "Hurghada" and "PADI" keep their capitals (only a function word is lowered)."""
    first = item.split(maxsplit=1)[0] if item.split() else ""
    return _lower_first(item) if first.lower() in _STOPWORDS else item


def _shape_bonus(topics: list[Topic], sentence: str, heading: str) -> float:
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


def _number_bonus(asked: str, sentence: str) -> float:
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


def _profile_bonus(profile: dict, heading: str) -> float:
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


def _for_the_young(candidate: _Candidate) -> bool:
    opening = " ".join(candidate.text.split()[:_OPENING_WORDS])
    return bool(
        _YOUNG.search(opening) or _YOUNG.search(candidate.label) or _YOUNG.search(candidate.heading)
    )


_DIGIT = re.compile(r"\d")


def _heading_of(candidate: _Candidate) -> str:
    return f"{candidate.heading} {candidate.label}"


def sentence_features(
    candidates: list[_Candidate],
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
        heading = _heading_of(candidate)
        rank = rank_of.get(candidate.passage, 0)
        shaped = any(t.looks and re.search(t.looks, candidate.text, re.IGNORECASE) for t in topics)
        under = any(re.search(t.heading, heading, re.IGNORECASE) for t in topics)
        rows.append(
            (
                semantic[i],
                section[i],
                lexical[i],
                1.0 / (1.0 + 0.5 * rank),
                _shape_bonus(topics, candidate.text, heading),
                _number_bonus(asked, candidate.text),
                _profile_bonus(profile, candidate.heading) if profile is not None else 0.0,
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
                float(bool(_LABEL.match(candidate.text))),
                semantic_own[i],
            )
        )
    return np.asarray(rows, dtype=np.float64)


@dataclass
class _Candidate:
    passage: int
    position: int
    text: str
    heading: str = ""
    section_heading: str = ""  # "Decompression sickness — Signs and symptoms to recognise"
    label: str = ""  # the list item's label: "Marine park fee", "Time"
    score: float = 0.0  # the fitted selection's score: which sentences answer best
    gate: float = 0.0  # the hand blend's score: whether anything answers at all
    features: np.ndarray | None = None  # its row of chains.selection.FEATURES
    vector: np.ndarray | None = None  # its unit embedding, read under its heading


class ExtractiveAnswerer(BaseChatModel):
    """Answers by quoting the most relevant sentences of the passages in its prompt."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    embeddings: Embeddings | None = None
    _cache: OrderedDict = PrivateAttr(default_factory=OrderedDict)
    # Below this hand-blended score a sentence is not an answer to the question.
    relevance_floor: float = RELEVANCE_FLOOR
    # The fitted blend, floors and word budget that pick the answer's sentences.
    selection: Selection = Field(default_factory=load_selection)
    model_name: str = "offline/extractive"

    @property
    def _llm_type(self) -> str:
        return "dovvybuddy-extractive"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "max_sentences": self.selection.max_sentences}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any):
        # Traces and /metrics name the provider as the settings do: "offline".
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"], params["ls_model_name"] = "offline", "extractive"
        return params

    # --- composing ----------------------------------------------------------------------
    def _question(self, messages: list[BaseMessage]) -> str:
        humans = [m for m in messages if isinstance(m, HumanMessage)]
        if not humans:
            return ""
        question = str(humans[-1].content)
        # An elliptic follow-up ("and in March?", "how soon do they show up?") borrows the
        # previous question's words; what it asks for is still read from its own words.
        leans_back = len(question.split()) <= 10 and _BACK_REFERENCE.search(question)
        if (len(_words(question)) < 3 or leans_back) and len(humans) > 1:
            question = f"{humans[-2].content} {question}"
        # The guides write "decompression sickness" where the diver writes "DCS"; the
        # embedding model knows the long form only.
        return " ".join([question, *spelled_out(question)])

    def _score(
        self,
        question: str,
        candidates: list[_Candidate],
        rank_of: dict[int, int],
        topics: list[Topic] | None = None,
        asked: str = "",
        profile: dict | None = None,
    ) -> None:
        """Blend meaning, rare shared words, passage rank, how well the sentence's section
        heading matches the question, and answer shape (`topics`: what the diver asks for)."""
        topics = topics_of(question) if topics is None else topics
        # A section written for the diver's experience answers "what next?" or "is it for
        # me?", not "what do I need for Rescue?": there the asked kind of fact decides.
        about_the_diver = not topics or any(t.name in DIVER_TOPICS for t in topics)
        question_stems = {_stem(w) for w in _words(question)}
        semantic: list[float] | None = None
        if self.embeddings is not None:
            # A sentence is read with its section heading: "April to August" answers a
            # question about seasons only because it sits under "Seasons and weather".
            vectors = self._sentence_vectors([_in_context(c) for c in candidates])
            units = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            for candidate, unit in zip(candidates, units, strict=True):
                candidate.vector = unit
            query = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
            semantic = _cosines(vectors, query)
            # The section whose heading answers the question ("Signs and symptoms to
            # recognise" for "what are the signs …") is preferred over a section that
            # only shares the subject's name, however well its sentences echo it.
            # Read with the document's subject, so that the subject alone (the untitled
            # opening section is headed by the title) does not decide.
            headings = self._sentence_vectors([c.section_heading or c.heading for c in candidates])
            section = _cosines(headings, query)
            own_topics = bool(topics_of(asked))
            semantic_own = semantic
            if asked and asked != question:
                # A follow-up that names a new subject ("and with diabetes?") is answered
                # by the section named after it, not by the one the earlier turn wanted.
                own = np.asarray(self.embeddings.embed_query(asked), dtype=np.float32)
                section = [max(a, b) for a, b in zip(section, _cosines(headings, own), strict=True)]
                semantic_own = _cosines(vectors, own)
                # The borrowed words give the subject, the turn's own words what is asked
                # when they ask something: "how close can we get?" after "when is the best
                # time to see them?" wants a distance, not the months again ("and the
                # Maldives?" asks nothing of its own).
                if own_topics:
                    semantic = [(a + b) / 2 for a, b in zip(semantic, semantic_own, strict=True)]
        stems_of = [{_stem(w) for w in _words(_in_context(c))} for c in candidates]
        # A word every passage shares ("Tioman" in a Tioman answer) tells sentences apart
        # no better than a stopword; weigh question words by how rare they are here.
        # The turn's own words count double against the ones borrowed from the last
        # question: "and the safety stop?" is about the stop, not about "how fast".
        own_stems = {_stem(w) for w in _words(asked)} if asked and asked != question else set()
        weight = {
            w: (2.0 if w in own_stems else 1.0)
            * math.log(1 + len(candidates) / (1 + sum(w in stems for stems in stems_of)))
            for w in question_stems
        }
        total = sum(weight.values()) or 1.0
        lexical = [
            sum(weight[w] for w in _shared(question_stems, stems)) / total for stems in stems_of
        ]
        if semantic is None:
            # Without a sentence embedding model only words and the hand bonuses can tell.
            for i, candidate in enumerate(candidates):
                prior = 1.0 / (1.0 + 0.5 * rank_of.get(candidate.passage, 0))
                candidate.gate = candidate.score = (
                    0.85 * lexical[i]
                    + 0.15 * prior
                    + _shape_bonus(topics, candidate.text, _heading_of(candidate))
                    + _number_bonus(asked, candidate.text)
                    + (_profile_bonus(profile or {}, candidate.heading) if about_the_diver else 0)
                )
            return
        features = sentence_features(
            candidates,
            semantic,
            section,
            lexical,
            rank_of,
            topics,
            asked,
            profile if about_the_diver else None,
            semantic_own,
        )
        # Whether anything answers at all is the hand blend's call; which sentences answer
        # best is the fitted selection's.
        gates = HAND.scores(features)
        scores = self.selection.scores(features)
        for candidate, row, gate, score in zip(candidates, features, gates, scores, strict=True):
            candidate.features, candidate.gate, candidate.score = row, float(gate), float(score)

    def compose(self, messages: list[BaseMessage]) -> tuple[str, list[int]]:
        """Return the answer text and the 1-based indexes of the passages it quotes."""
        prompt = "\n".join(str(m.content) for m in messages if not isinstance(m, HumanMessage))
        passages = parse_passages(prompt)
        follow_up = parse_follow_up(prompt)
        closing = parse_closing(prompt)
        next_steps = parse_next_steps(prompt)
        ending = f" {closing}" if closing else ""
        before_question = f" {next_steps}" if next_steps else ""
        question = self._question(messages)
        candidates = [
            _Candidate(
                passage=p.index,
                position=pos,
                text=sentence,
                heading=p.section or p.title,
                section_heading=f"{_subject(p.title)} — {p.section}" if p.section else p.title,
                label=label,
            )
            for p in passages
            for pos, (sentence, label) in enumerate(_labelled(p.text))
        ]
        nothing = f"{NOTHING_RELEVANT}{before_question} {follow_up or CLARIFY}{ending}", []
        if not candidates or not question.strip():
            return nothing
        humans = [m for m in messages if isinstance(m, HumanMessage)]
        asked = str(humans[-1].content) if humans else question
        if not someone_young_in([str(m.content) for m in humans]):
            candidates = [c for c in candidates if not _for_the_young(c)] or candidates
        self._score(
            question,
            candidates,
            rank_of={p.index: n for n, p in enumerate(passages)},
            topics=asked_topics(asked, parse_conversation(prompt)),
            asked=asked,
            profile=parse_profile(prompt),
        )
        verdicts = {p.index for p in passages if p.section == VERDICT_SECTION}
        chosen = self._choose(candidates, verdicts)
        if not chosen:
            return nothing
        order = {p.index: n for n, p in enumerate(passages)}
        # A verdict first, then the section that answers best (the first one chosen), then
        # the others as they ranked.
        lead = next((c.passage for c in chosen if c.passage not in verdicts), None)
        chosen.sort(
            key=lambda c: (
                c.passage not in verdicts,
                c.passage != lead,
                order[c.passage],
                c.position,
            )
        )
        titles = {p.index: p.title for p in passages}
        sections = {p.index: p.section for p in passages}
        body = " ".join(
            _terminate(
                _named(
                    _anchored(_without_repeated_lead(c, before), titles[c.passage]),
                    sections[c.passage],
                    first=before is None or before.passage != c.passage,
                )
            )
            for before, c in zip([None, *chosen], chosen, strict=False)
        )
        if not follow_up:
            top = next(p for p in passages if p.index == chosen[0].passage)
            follow_up = f"Would you like to know more about {_subject(top.title)}?"
        cited = sorted({c.passage for c in chosen}, key=order.get)
        return f"{body}{before_question} {follow_up}{ending}", cited

    def _choose(self, candidates: list[_Candidate], verdicts: set[int]) -> list[_Candidate]:
        """The sentences of the answer: a verdict on the diver's level first when there is
        one, then the best sentences, within a word budget."""
        chosen = [c for c in candidates if c.passage in verdicts][:2]
        words = sum(len(c.text.split()) for c in chosen)
        ranked = sorted(
            (c for c in candidates if c.passage not in verdicts),
            key=lambda c: c.score,
            reverse=True,
        )
        if not ranked or max(c.gate for c in ranked) < self.relevance_floor:
            return chosen
        selection = self.selection
        # The section that answers best is the one whose two best sentences do, not the
        # one holding a single sentence that echoes the question: the answer starts there.
        by_passage: dict[int, list[float]] = {}
        for candidate in ranked:
            by_passage.setdefault(candidate.passage, []).append(candidate.score)
        # A section of one sentence ("NAUI divers usually continue with …") is not worse
        # for being short: its lone sentence counts as having a companion just good enough.
        best_passage = max(
            by_passage,
            key=lambda p: (
                by_passage[p][0]
                + (
                    by_passage[p][1:2]
                    or [max(selection.floor, by_passage[p][0] * selection.companion_ratio)]
                )[0]
            ),
        )
        ranked.sort(key=lambda c: c.passage != best_passage)  # stable: still by score within
        # Companions must be nearly as relevant as the best sentence: a tangent that merely
        # shares a word makes the answer worse, not longer. The best sentence's own section
        # is the exception: its neighbours (the other months, the next list item, the
        # explanation) usually finish the answer, so they need less.
        best = ranked[0]
        top_score = max(c.score for c in ranked)
        floor = max(selection.floor, top_score * selection.companion_ratio)
        section_floor = max(selection.floor, best.score * selection.section_ratio)
        seen = {c.text.lower() for c in chosen}
        # The best section leads with its best few sentences; past them, a sentence of
        # another section that scores higher comes first: "what can I do?" about ears is
        # answered by the habits and by the techniques, not by six habits.
        lead = [c for c in ranked if c.passage == best.passage][: selection.lead_sentences]
        led = {id(c) for c in lead}
        rest = sorted((c for c in ranked if id(c) not in led), key=lambda c: c.score, reverse=True)
        # Past the lead, the best sentence of the next best section has its turn before the
        # lead's section gives more: "what can I do?" about ears is answered by habits and
        # by a technique, not by six habits that crowd the techniques out of the budget.
        runner_up = next((c for c in rest if c.passage != best.passage), None)
        if runner_up is not None:
            rest.remove(runner_up)
            rest.insert(0, runner_up)
        for candidate in [*lead, *rest]:
            if len(chosen) >= selection.max_sentences:
                break
            # A lone sentence far ahead of the rest is a thin answer ("Check depth limits."
            # for "will they accept my card, and how deep can I go?"): until the answer has
            # some substance, the other sections need only what the lead's own section does.
            thin = words < THIN_ANSWER_WORDS
            needed = section_floor if candidate.passage == best.passage or thin else floor
            if candidate.score < needed:
                continue
            length = _words_said(candidate, chosen)
            if chosen and words + length > selection.body_words:
                continue
            # A sentence that says nearly what a chosen one says spends the budget another
            # part of the question needed ("how much and how long?" wants both).
            if _repeats(candidate, chosen, selection.redundancy):
                continue
            if candidate.text.lower() not in seen:
                chosen.append(candidate)
                seen.add(candidate.text.lower())
                words += length
        return chosen

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Embeddings of passage sentences; the same passages come back turn after turn."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
            while len(self._cache) > SENTENCE_CACHE_SIZE:
                self._cache.popitem(last=False)
        for text in texts:
            self._cache.move_to_end(text)
        return np.stack([self._cache[text] for text in texts])

    # --- BaseChatModel ------------------------------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text, cited = self.compose(messages)
        message = AIMessage(
            content=text,
            response_metadata={"citations": cited, "model_name": self.model_name},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text, cited = self.compose(messages)
        pieces = re.findall(r"\S+\s*", text)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            chunk = ChatGenerationChunk(
                message=AIMessageChunk(
                    content=piece,
                    response_metadata=(
                        {"citations": cited, "model_name": self.model_name} if last else {}
                    ),
                    chunk_position="last" if last else None,
                )
            )
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


_ANAPHORA = re.compile(r"^(it|this|this site|the site|this dive|here|there)\b", re.IGNORECASE)


def _in_context(candidate: _Candidate) -> str:
    """A sentence as it is read for scoring: under its document's subject and section
    heading ("Cape Kri, Raja Ampat — Overview": "It is famous as the site where …" is
    about Cape Kri), and its item's label."""
    heading = candidate.section_heading or candidate.heading
    label = candidate.label
    if label and label.lower() not in candidate.text.lower():
        return f"{heading}: {label}: {candidate.text}"
    return f"{heading}: {candidate.text}"


def _cosines(vectors: np.ndarray, query: np.ndarray) -> list[float]:
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
    return (vectors @ query / np.where(norms == 0, 1.0, norms)).tolist()


def _repeats(candidate: _Candidate, chosen: list[_Candidate], threshold: float) -> bool:
    if threshold >= 1.0 or candidate.vector is None:
        return False
    return any(
        c.vector is not None and float(c.vector @ candidate.vector) > threshold for c in chosen
    )


def _words_said(candidate: _Candidate, chosen: list[_Candidate]) -> int:
    """The words a sentence adds to the answer: a lead-in said by a sentence of the same
    section already chosen ("Prerequisites: …") is not said again (_without_repeated_lead)."""
    lead, colon, rest = candidate.text.partition(": ")
    said_before = colon and any(
        c.passage == candidate.passage and c.text.startswith(f"{lead}: ") for c in chosen
    )
    return len((rest if said_before else candidate.text).split())


def _without_repeated_lead(candidate: _Candidate, before: _Candidate | None) -> str:
    """ "Prerequisites for the IDC: 60 logged dives." right after "Prerequisites for the
    IDC: six months certified." is said once: the second reads "60 logged dives." """
    text = candidate.text
    if before is None or before.passage != candidate.passage:
        return text
    lead, colon, rest = text.partition(": ")
    if colon and rest and before.text.startswith(f"{lead}: "):
        return rest[0].upper() + rest[1:]
    return text


_PRONOUN_SUBJECT = re.compile(r"^(this site|the site|this dive|it|this)\s+(?=\w)", re.IGNORECASE)
_PLACE_ADVERB = re.compile(r"^(here|there)\b", re.IGNORECASE)


def _anchored(sentence: str, title: str) -> str:
    """ "It suits beginners." quoted alone loses its subject; name it, in the sentence
    itself where it reads so ("Komodo National Park is a UNESCO World Heritage Site",
    "At Cape Kri, there are …"), else before it."""
    if not _ANAPHORA.match(sentence):
        return sentence
    subject = _subject(title)
    name = subject.split(",")[0].strip()
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and _VERB.match(sentence[pronoun.end() :]):
        return f"{name} {sentence[pronoun.end() :]}"
    if _PLACE_ADVERB.match(sentence):
        return f"At {name}, {sentence[0].lower()}{sentence[1:]}"
    return f"{subject}: {sentence}"


def _named(sentence: str, section: str, first: bool) -> str:
    """ "Pros are better trim …" quoted from "BCD styles > Back-inflate BCD" says which
    style it is about: the first sentence from a sub-section that does not name its
    subject is led by the sub-section's name."""
    subject = section.rpartition(" > ")[2] if " > " in section else ""
    if (
        not first
        or not subject
        or ":" in subject
        or len(subject.split()) > 4
        or subject.lower() in sentence.lower()
    ):
        return sentence
    return f"{subject}: {sentence}"


def _subject(title: str) -> str:
    """ "Tioman Island, Malaysia: Diving Destination Guide" -> "Tioman Island, Malaysia"."""
    return re.split(r"\s[—–(]|:\s", title, maxsplit=1)[0].strip()


def _terminate(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence[-1:] in ".!?" else f"{sentence}."
