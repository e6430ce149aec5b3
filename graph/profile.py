"""What the diver has told us about themselves, read from their messages (no model call).

Agency, certification level, logged dives, destination of interest and concerns. Only
first-person statements set agency and level ("I'm PADI Advanced"), so "my daughter is
Open Water certified" does not change the diver's own level; a newly named destination
replaces the previous one.
"""

from __future__ import annotations

import re

from graph.places import Gazetteer
from graph.state import DiverProfile

AGENCIES = {"padi": "PADI", "ssi": "SSI", "naui": "NAUI", "cmas": "CMAS", "bsac": "BSAC"}
# Most advanced first: "advanced open water" must not be read as "open water".
LEVELS = [
    ("instructor", r"\b(instructor|idc)\b"),
    ("divemaster", r"\b(divemaster|dive master|dive guide)\b"),
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
    r"\b(i|i'm|im|i am|i've|ive|my (cert|certification|card|level)|me)\b", re.IGNORECASE
)
OTHER_PERSON = re.compile(
    r"\b(my (son|daughter|wife|husband|kid|kids|child|friend|buddy|partner|girlfriend|"
    r"boyfriend|dad|mum|mom|father|mother|brother|sister))\b",
    re.IGNORECASE,
)
LOGGED = re.compile(
    r"\b(\d{1,4})\s*(logged )?(dives|dive)\b(?! (a|per) (day|week))|\blogged (\d{1,4})\b",
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


def _level(text: str) -> str | None:
    for level, pattern in LEVELS:
        if re.search(pattern, text, re.IGNORECASE):
            return level
    return None


def update_profile(profile: DiverProfile | None, text: str, gazetteer: Gazetteer) -> DiverProfile:
    """The profile after reading one user message; unchanged keys are kept."""
    updated: DiverProfile = dict(profile or {})  # type: ignore[assignment]
    about_self = bool(FIRST_PERSON.search(text)) and not OTHER_PERSON.search(text)
    if about_self:
        for key, name in AGENCIES.items():
            if re.search(rf"\b{key}\b", text, re.IGNORECASE):
                updated["agency"] = name
        level = _level(text)
        # "I want to do my Advanced" names a goal, not a level held.
        wants = re.search(
            r"\b(want|wanna|planning|plan|thinking|hoping|going) to\b|\bnext\b", text, re.IGNORECASE
        )
        if level and not wants:
            updated["certification_level"] = level
        logged = LOGGED.search(text)
        if logged:
            updated["logged_dives"] = int(logged.group(1) or logged.group(4))
    destination = gazetteer.find(text)
    if destination:
        updated["destination"] = destination
    concerns = list(updated.get("concerns", []))
    for concern, pattern in CONCERNS.items():
        if concern not in concerns and re.search(pattern, text, re.IGNORECASE):
            concerns.append(concern)
    if concerns:
        updated["concerns"] = concerns
    return updated


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
