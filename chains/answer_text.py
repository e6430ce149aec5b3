"""The chosen sentences written out as an answer: a pronoun subject named, a sub-section's
name said once, a lead-in not repeated, every sentence ended."""

from __future__ import annotations

import re

from chains.sentence_scores import Candidate
from chains.sentences import VERB

_ANAPHORA = re.compile(r"^(it|this|this site|the site|this dive|here|there)\b", re.IGNORECASE)


def without_repeated_lead(candidate: Candidate, before: Candidate | None) -> str:
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


def anchored(sentence: str, title: str) -> str:
    """ "It suits beginners." quoted alone loses its subject; name it, in the sentence
    itself where it reads so ("Komodo National Park is a UNESCO World Heritage Site",
    "At Cape Kri, there are …"), else before it."""
    if not _ANAPHORA.match(sentence):
        return sentence
    subject = subject_of(title)
    name = subject.split(",")[0].strip()
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and VERB.match(sentence[pronoun.end() :]):
        return f"{name} {sentence[pronoun.end() :]}"
    if _PLACE_ADVERB.match(sentence):
        return f"At {name}, {sentence[0].lower()}{sentence[1:]}"
    return f"{subject}: {sentence}"


def named_after_section(sentence: str, section: str, first: bool) -> str:
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


def subject_of(title: str) -> str:
    """ "Tioman Island, Malaysia: Diving Destination Guide" -> "Tioman Island, Malaysia"."""
    return re.split(r"\s[—–(]|:\s", title, maxsplit=1)[0].strip()


def terminate(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence[-1:] in ".!?" else f"{sentence}."


# "(Iruvai)", "(holding your breath between breaths)"; not "(USD)" or "(HKT)", which say
# what the number or name beside them is.
_PARENTHESIS = re.compile(r"\s*\((?![A-Z]{2,5}\))[^()]*\)")
# A clause that comments on what the sentence already said: ", which distinguishes it from
# …", ", especially after flying".
_TRAILING_ASIDE = re.compile(
    r",\s+(which|where|especially|particularly|though|although|even if|as well as|"
    r"including)\b[^;]*$",
    re.IGNORECASE,
)
_SECOND_CLAUSE = re.compile(r";\s+[^;]*$")
_SHORTEST = 4


def shortened(sentence: str) -> list[str]:
    """Shorter readings of a sentence that still say its main clause, the least cut first:
    without its parentheses, then without a trailing aside, then without the clause after
    its last semicolon. For an answer whose word budget a whole sentence would overrun."""
    readings = []
    text = sentence.rstrip(".")
    for cut in (_PARENTHESIS, _TRAILING_ASIDE, _SECOND_CLAUSE):
        shorter = cut.sub("", text).strip().rstrip(",;:")
        if shorter != text and len(shorter.split()) >= _SHORTEST:
            readings.append(f"{shorter}.")
            text = shorter
    return readings
