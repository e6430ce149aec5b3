"""What the diver has told us about themselves, read from their messages (no model call).

Agency, certification level, logged dives, goals and concerns. Only first-person
statements set agency and level ("I'm PADI Advanced", "just got my Open Water", "I'm a DM
now"), so "my daughter is Open Water certified" does not change the diver's own level, and
a course the diver wants ("I want to do my Advanced") is a goal, not a level held. The
destination of interest is the conversation focus's (graph/focus.py), copied here.
"""

from __future__ import annotations

import re

from graph.focus import names_a_person
from graph.state import DiverProfile

AGENCIES = {"padi": "PADI", "ssi": "SSI", "naui": "NAUI", "cmas": "CMAS", "bsac": "BSAC"}
# Most advanced first: "advanced open water" must not be read as "open water".
LEVELS = [
    ("instructor", r"\b(instructor|idc)\b"),
    ("divemaster", r"\b(divemaster|dive master|dive guide|dm)\b"),
    ("rescue", r"\brescue( diver)?\b"),
    ("advanced_open_water", r"\b(advanced( open water)?|aow|advanced adventurer|adv ow)\b"),
    ("open_water", r"\b(open water|ow|scuba diver|ocean diver|one star|1 star)\b"),
    (
        "none",
        r"\b(never (dived|been diving|dove|tried diving)|non-?diver|not certified|"
        r"no certification|complete beginner|first time diving|never done (it|scuba))\b",
    ),
]
FIRST_PERSON = re.compile(
    r"\b(i|i'm|im|i am|i've|ive|my (cert|certification|card|level)|me)\b|"
    # "Just got my Open Water", "hey! finished my AOW last week": the "I" left out, at the
    # start of the message or of one of its sentences or clauses.
    r"(^|[.!?,;:])\W*(just )?(got|finished|completed|passed|did|done|earned) (my|the)\b|"
    # "hi, haven't dived in 8 years (PADI OW from 2016)", "been diving 10 years, rescue
    # diver": the diver's own diving told without the "I".
    r"(^|[.!?,;:(])\W*((haven'?t|have not|hadn'?t|not) (dived|dove|been diving|been underwater)|"
    r"been diving|(just |newly |recently )?got certified|last (dived|dove)|started diving|"
    r"learn[et] to dive)\b",
    re.IGNORECASE,
)
OTHER_PERSON = re.compile(
    r"\b(my (son|daughter|wife|husband|kid|kids|child|friend|buddy|partner|girlfriend|"
    r"boyfriend|dad|mum|mom|father|mother|brother|sister))\b",
    re.IGNORECASE,
)
LOGGED = re.compile(
    r"\b(?P<count>\d{1,4})\s*(logged )?(dives|dive)\b(?! (a|per) (day|week))|"
    r"\blogged (?P<after>\d{1,4})\b|\b(?P<before>\d{1,4}) logged\b",
    re.IGNORECASE,
)
# A sentence that only says who the diver is, with no "I": "OW diver here", "SSI AOW, 35
# logged", "Newly certified Open Water, 8 dives.", "hey, Rescue diver with 60 dives". It
# needs a word that marks a person rather than a course asked about ("diver", "here",
# "certified" or a dive count): "Open Water. How long does it take?" names a course.
SELF_DESCRIPTION = re.compile(
    r"^\W*((hi|hey|hello|hiya)\W+)?((just|newly|recently|freshly)\s+)?(certified\s+)?"
    rf"(({'|'.join(AGENCIES)})\s+)?(?P<level>[a-z' ]{{2,30}}?)\s*"
    r"(?P<marks>(\s*(\bdiver\b|\bcertified\b|\bcert\b|\bhere\b|[,&+/]|\band\b|\bwith\b|"
    r"\b\d{1,4}\s*(logged\s*)?(dives?|logged)\b|\blogged\s+\d{1,4}\b))+)\W*$",
    re.IGNORECASE,
)
SELF_MARK = re.compile(r"\b(diver|certified|cert|here|\d{1,4})\b", re.IGNORECASE)
# A level named right after these words is one the diver wants, not one they hold.
GOAL_BEFORE = re.compile(
    r"\b(want|wanna|plan|planning|thinking|hoping|going to|like to|interested in|sign up|"
    r"book|enrol\w*|take|taking|do|doing|start|next|about the|become|"
    # "for 3 years (AOW, 50 dives)" is how long, not what for.
    r"for(?!\s+(\d+|a few|a couple of|several|many)\s+(years?|yrs?|months?|weeks?|days?)\b)|"
    r"becoming|towards?|upgrade to|course|"
    # "and for Rescue Diver later?", "what comes after Advanced?": a level asked about.
    r"after|than|vs|versus)\b[^.?!,]{0,20}$",
    re.IGNORECASE,
)
# A level named right after these words is asked about or planned, not held: "will I need
# AOW for that?", "do I have to get Advanced first?", "if I do AOW, can I …".
ASKED_BEFORE = re.compile(
    r"\b(need|needs|needed|require[sd]?|requirement|without|if|get|getting|will|would|should|"
    r"shall|must|could|have to|has to|worth|enough)\b[^.?!,]{0,20}$",
    re.IGNORECASE,
)
# … or right before these: "is AOW needed?", "AOW required for Barracuda Point?".
ASKED_AFTER = re.compile(
    r"^(\s+(diver|certification|card|course))?\s+(is\s+|be\s+)?"
    r"(needed|required|necessary|enough|mandatory)\b",
    re.IGNORECASE,
)
HELD_BEFORE = re.compile(
    r"\b(i'?m|i am|im|got|have|hold|holding|earned|finished|completed|passed|certified|"
    r"now|already|just)\b(?:(?!\s[-–—]\s)[^.?!,]){0,25}$",
    re.IGNORECASE,
)
CONCERNS = {
    "equalising": r"\b(equali[sz]\w*|ears?|sinus\w*)\b",
    "anxiety": r"\b(anxious|anxiety|nervous|scared|afraid|panic\w*|fear)\b",
    "asthma": r"\basthma\w*\b",
    "diabetes": r"\bdiabet\w*\b",
    "heart": r"\b(heart|blood pressure|hypertension)\b",
    "pregnancy": r"\bpregnan\w*\b",
    "medication": r"\b(medication|meds|pills|antidepressants?|ssris?)\b",
    "seasickness": r"\b(seasick\w*|sea sick\w*|motion sickness)\b",
    "cold": r"\b(get cold|feel cold|cold water|freezing)\b",
    "sharks": r"\bsharks?\b.*\b(scared|afraid|fear|dangerous)\b",
}


def _level_mentions(text: str) -> list[tuple[int, int, str]]:
    """Each level named in the text (start, end, level), most advanced pattern first,
    without overlaps."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for level, pattern in LEVELS:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if names_a_person(text, match.start(), match.end()):
                continue  # "my old instructor" is a person, not a level held
            if not any(a <= match.start() < b for a, b in taken):
                taken.append((match.start(), match.end()))
                found.append((match.start(), match.end(), level))
    return sorted(found)


def held_and_wanted(text: str) -> tuple[str | None, list[str]]:
    """(the level the diver says they hold, levels they want) in a first-person message."""
    held, wanted = None, []
    order = [level for level, _ in LEVELS]
    for start, end, level in _level_mentions(text):
        before = text[max(0, start - 40) : start]
        asked_after = bool(ASKED_AFTER.search(text[end:]))  # "is AOW needed?"
        if level == "none" or (
            HELD_BEFORE.search(before)
            and not _after_held(GOAL_BEFORE, before)
            and not _after_held(ASKED_BEFORE, before)
            and not asked_after
        ):
            if held is None or order.index(level) < order.index(held):
                held = level
        elif GOAL_BEFORE.search(before):
            wanted.append(level)
        elif asked_after or ASKED_BEFORE.search(before) or _asked_in_its_clause(text, start, end):
            continue  # a question or a plan about a level says nothing of the card held
        elif held is None or order.index(level) < order.index(held):
            held = level  # "PADI Open Water, 12 dives": a plain statement of the card held
    return held, wanted


# What asks rather than tells, at the start of a clause: "what's the difference between
# Advanced Adventurer and AOW?", "is the Advanced worth it?".
QUESTION_OPENING = re.compile(
    # Not "did" or "do": "did my OW last year" tells, with its "I" left out.
    r"^\W*(what|what's|whats|which|how|why|when|where|who|is|are|was|can|could|"
    r"should|would|will|shall|any)\b",
    re.IGNORECASE,
)


def _asked_in_its_clause(text: str, start: int, end: int) -> bool:
    """A level named, with no word saying it is held, in a clause that asks: "I'm SSI Open
    Water, 20 dives. What's the difference between Advanced Adventurer and AOW?" holds Open
    Water only."""
    opening = max(text.rfind(mark, 0, start) for mark in ".!?,;:\n") + 1
    # " - " ends a clause too: "OW diver here with 8 dives - what next?"
    closing = re.search(r"[.!?,;:\n]|\s[-–—]\s", text[end:])
    return bool(
        QUESTION_OPENING.search(text[opening:start])
        or (closing and closing.group() == "?")
        or (not closing and text.rstrip().endswith("?"))
    )


def _after_held(cue: re.Pattern, before: str) -> bool:
    """ "I'm planning to do my Advanced", "I'm OW, so do I need AOW": a goal or question
    word after the held cue wins."""
    return _last_cue(cue, before) >= _last_cue(HELD_BEFORE, before) >= 0


def _last_cue(cue: re.Pattern, before: str) -> int:
    """Where the last of a cue's words that reaches the end of `before` starts (-1: none)."""
    last = re.match(r"(?s).*" + cue.pattern, before, cue.flags)
    return last.start(1) if last else -1


def update_profile(profile: DiverProfile | None, text: str) -> DiverProfile:
    """The profile after reading one user message; unchanged keys are kept."""
    updated: DiverProfile = dict(profile or {})  # type: ignore[assignment]
    about_self = bool(FIRST_PERSON.search(text) or describes_the_diver(text)) and not (
        OTHER_PERSON.search(text)
    )
    if about_self:
        for key, name in AGENCIES.items():
            if re.search(rf"\b{key}\b", text, re.IGNORECASE):
                updated["agency"] = name
        held, wanted = held_and_wanted(text)
        if held:
            updated["certification_level"] = held
        if wanted:
            goals = [g for g in updated.get("goals", []) if g not in wanted]
            updated["goals"] = goals + wanted
        logged = LOGGED.search(text)
        if logged:
            updated["logged_dives"] = int(
                logged.group("count") or logged.group("after") or logged.group("before")
            )
    concerns = list(updated.get("concerns", []))
    for concern, pattern in CONCERNS.items():
        if concern not in concerns and re.search(pattern, text, re.IGNORECASE):
            concerns.append(concern)
    if concerns:
        updated["concerns"] = concerns
    return updated


def describes_the_diver(text: str) -> bool:
    """Whether one sentence of the message is a self-description without an "I"."""
    for sentence in re.split(r"[.!?\n]+|\s[-–—]\s", text):
        described = SELF_DESCRIPTION.match(sentence.strip())
        if (
            described
            and SELF_MARK.search(described.group("marks"))
            and _level_mentions(described.group("level"))
        ):
            return True
    return False


def site_certification(level: str | None) -> str | None:
    """The dive_sites.min_certification a diver of `level` may dive."""
    return {
        "none": "discover",
        "open_water": "open_water",
        "advanced_open_water": "advanced_open_water",
        "rescue": "advanced_open_water",
        "divemaster": "deep",
        "instructor": "deep",
    }.get(level or "")


def depth_limit(level: str | None) -> int | None:
    return {
        "none": 12,
        "open_water": 18,
        "advanced_open_water": 30,
        "rescue": 30,
        "divemaster": 40,
        "instructor": 40,
    }.get(level or "")
