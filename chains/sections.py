"""Which sections of the documents a turn already holds its question asks for.

Chunks are ranked one by one on the words they share with the question, so the guide that
answers is often among the passages while the section that holds the answer is not: "how
long does the nitrox course take?" brings the nitrox guide's course structure and myths,
not its "Duration and cost"; "what's the difference between Advanced Adventurer and
Advanced Open Water?" brings the first one's section and not the second's. The section
asked for is found by its heading: one headed for the kind of fact the diver asks (a
duration, a season, a price, …) or one whose heading the diver names.
"""

from __future__ import annotations

import re

from chains.passages import Passage
from chains.questions import heading_answers, topics_of
from chains.words import stems

# Documents read for an asked section: the closest few of those the passages come from.
DOCUMENTS_READ = 3
# Sections added at most: the answerer quotes few sentences, and every passage competes.
SECTIONS_ADDED = 2
# Below this similarity to the query a section is not brought in, however it is headed.
SECTION_FLOOR = 0.2


def heading_named(question: str, section: str) -> bool:
    """Whether the diver names the section's own heading: "how do I use less air?" names
    "Tips for using less air"; "Advanced Open Water Diver (the recognition rating)" is
    named by "advanced open water diver". Most of the heading's words must be said (all
    of a short one), a bracketed aside aside."""
    heading = re.sub(r"\s*\([^)]*\)", "", section.rpartition(" > ")[2])
    wanted = stems(heading, shortest=3)
    if not wanted:
        return False
    said = len(wanted & stems(question, shortest=3))
    return said == len(wanted) or (said >= 3 and said >= 0.7 * len(wanted))


def documents_held(passages: list[Passage], count: int = DOCUMENTS_READ) -> list[str]:
    """The paths of the `count` documents whose best passage is closest in meaning."""
    best: dict[str, float] = {}
    for passage in passages:
        best[passage["path"]] = max(best.get(passage["path"], -1.0), passage["similarity"])
    return sorted(best, key=lambda path: -best[path])[:count]


def sections_asked(
    question: str,
    focus_topic: str | None,
    passages: list[Passage],
    sections: list[Passage],
    limit: int = SECTIONS_ADDED,
) -> list[Passage]:
    """The chunks of `sections` (the held documents read whole) not among `passages` whose
    heading the question names, then those of the closest document headed for a kind of
    fact it asks; the documents' order (closest first) decides between two alike.

    A kind of fact is asked of the subject the closest guide is about: "how much are
    fills?" after nitrox's benefits is not answered by the nitrox course's "Duration and
    cost", a second guide's section headed for prices."""
    topics = [t.name for t in topics_of(question)]
    if focus_topic and focus_topic not in topics:
        topics.append(focus_topic)
    held = {(p["path"], p["content"]) for p in passages}
    order = {path: n for n, path in enumerate(documents_held(passages))}
    found: list[tuple[int, int, float, Passage]] = []
    for section in sections:
        heading = section["section"] or ""
        if (
            not heading
            or (section["path"], section["content"]) in held
            or section["similarity"] < SECTION_FLOOR
        ):
            continue
        if heading_named(question, heading):
            kind = 0
        elif order.get(section["path"]) == 0 and any(
            heading_answers(topic, heading) for topic in topics
        ):
            kind = 1
        else:
            continue
        found.append(
            (kind, order.get(section["path"], len(order)), -section["similarity"], section)
        )
    found.sort(key=lambda item: item[:3])
    return [section for *_, section in found[:limit]]


def with_sections(passages: list[Passage], asked: list[Passage]) -> list[Passage]:
    """`passages` with each asked section right after the first passage of its document:
    the answerer weighs a passage by its rank, and a section the diver asked for is not
    the least of the passages (placed last, it gained 1 fact turn over dev5–dev8, after
    its document's first passage 4)."""
    out = list(passages)
    for section in asked:
        at = next((n for n, p in enumerate(out) if p["path"] == section["path"]), len(out) - 1)
        out.insert(at + 1, section)
    return out
