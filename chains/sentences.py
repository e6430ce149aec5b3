"""Passages as sentences: markdown paragraphs, list items and table rows read as sentences.

List items become readable sentences (short items under one lead-in are read as one
sentence, an item that opens on a name keeps it, a list item keeps the lead-in that gives
it its meaning); references to other documents ("See …") are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chains.questions import MONTHS
from chains.words import STOPWORDS

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_MARKDOWN_NOISE = re.compile(r"(\*\*|__|`|\[(?P<label>[^\]]+)\]\([^)]+\))")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _clean_line(line: str) -> str:
    line = _LIST_MARK.sub("", line)
    line = _MARKDOWN_NOISE.sub(lambda m: m.group("label") or "", line)
    return line.strip()


LABEL = re.compile(r"^(?P<label>[A-Z][^:.;!?]{0,45}):\s+(?P<rest>\S.*)$")
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
VERB = re.compile(
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
    match = LABEL.match(sentence)
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
    sentence_like = _DETERMINER.match(rest) and (len(rest.split()) >= 5 or VERB.search(rest))
    if rest[0].isupper() or sentence_like:
        if factual_label:
            return sentence
        return rest[0].upper() + rest[1:]
    if _IMPERATIVE.match(label):
        return sentence  # "Start at the surface: a gentle equalisation …" reads as it is
    if _IMPERATIVE.match(rest) and not _noun_phrase(rest):
        # "For Valsalva, pinch your nose …"; but "For Curious but unsure, take a try dive"
        # and "For Rule, get close" are no sentences: such an item reads as it is written.
        return f"For {label}, {rest}" if _names_a_thing(label) else sentence
    if VERB.search(rest) or not _joins_with_is(label, rest):
        return sentence
    head = re.sub(r"\s*\(.*?\)", "", label).split()[-1]
    if any(ch.isdigit() for ch in head):
        # "Divers aged 12–14: 21 m." has no noun to agree with: "… aged 12–14 is 21 m" reads
        # worse than the item as it was written.
        return sentence
    plural = (head.lower().endswith("s") and not head.lower().endswith("ss")) or bool(
        re.search(r"\w and \w", label)  # "Pufferfish and boxfish are slow swimmers"
    )
    verb = "are" if plural else "is"
    return f"{label} {verb} {rest}"


# "Mask: place it on your face" and "Fees vary widely: roughly USD 700–2,500" read well as
# written; "Mask is place it on your face" and "Fees vary widely is roughly …" do not.
_ORDER_ON_A_THING = re.compile(
    r"^(?!(often|also|still|always|even|almost|perhaps)\b)[a-z]+(?<!ing)(?<!ly)\s+(it|them|your|their|the|a|an|this|that|these|those|his|her|our)\b"
)
_SAYS_SOMETHING = re.compile(
    r"\b(is|are|was|were|can|could|(?-i:may)|might|will|would|should|must|var(y|ies)|"
    r"ha(s|ve))\b",
    re.IGNORECASE,
)
_ENDS_IN_A_PREPOSITION = re.compile(r"\b(for|to|with|of|in|on|at|from|by)$", re.IGNORECASE)


def _joins_with_is(label: str, rest: str) -> bool:
    """Whether "Label: rest" reads as "Label is rest": not when the label says something
    itself or ends in a preposition ("Best for:"), nor when the rest gives an order."""
    return not (
        _SAYS_SOMETHING.search(label)
        or _ENDS_IN_A_PREPOSITION.search(label)
        or _ORDER_ON_A_THING.match(rest)
    )


# A label that describes a diver ("Curious but unsure", "Be patient"), says something
# ("Your computer will show required stops") or only announces the item ("Rule:", "Tip:")
# is no name to read "For …," before.
_NOT_A_NAME = re.compile(
    r"^(be|being|your|my|our|if|when|once|while)\b|"
    r"\w(ous|ful|ive|ible|able|ent|ant|less|ish|sure|ready)$|"
    r"^(golden )?(rules?|tips?|hints?|notes?|reminders?|advice|key points?|bottom line)$",
    re.IGNORECASE,
)
# Words that open an order ("dive as much as you like", "slow down") but as often a noun
# phrase ("dive planning, buddy procedures …", "slow swimmers"): before a word that is
# neither a function word nor a number, with no verb to follow, they name things.
_VERB_OR_NOUN = frozenset(
    "dive slow set face point record mark pack rent return note plan practice practise store "
    "clear share visit book watch signal kick move check call stop limit pay search drive "
    "close start look use treat give breathe relax aim swim read buy download secure leave "
    "wait hold".split()
)


def _names_a_thing(label: str) -> bool:
    return not (VERB.search(label) or _NOT_A_NAME.search(label))


def _noun_phrase(rest: str) -> bool:
    """ "dive planning, buddy procedures and equipment checks" opens like an order."""
    words = rest.split()
    if len(words) < 2 or words[0].lower() not in _VERB_OR_NOUN:
        return False
    following = re.sub(r"\W+$", "", words[1]).lower()
    if following in STOPWORDS or following[:1].isdigit():
        return False
    return not VERB.search(rest)


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
    if kept != sentence.strip() and _LEAD_IN_ONLY.match(kept) and not VERB.search(kept):
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
            labelled = LABEL.match(item)
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
def sentences_of(text: str) -> tuple[tuple[str, str], ...]:
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
    if len(title.split()) > TITLE_WORDS or VERB.search(title) or _IMPERATIVE.match(title):
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
    return _lower_first(item) if first.lower() in STOPWORDS else item
