"""What a course's or an agency's name means in a turn: a course asked about, a level the
diver (or someone they speak of) holds, the course before the one asked for, or a person
("my instructor"). The focus (graph/focus.py), the router (graph/routing/router.py) and the
route settling (graph/nodes/routing.py) all read course names through this module, so a
name means the same to each.
"""

from __future__ import annotations

import re

COURSES = [
    # "My instructor says I'm overweighted", "my old dive instructor": a person, not the
    # course (see names_a_person).
    (
        "instructor",
        r"\binstructor\b|\b(idc|itc)\b",
        "instructor course IDC",
    ),
    # SSI's first professional step before its Divemaster: one guide, a section each.
    ("dive_guide", r"\bdive guide\b", "Dive Guide course"),
    ("divemaster", r"\b(divemaster|dive master|dm)\b", "Divemaster course"),
    ("rescue", r"\b(rescue|stress (and|&) rescue)\b", "Rescue Diver course"),
    (
        "advanced_open_water",
        r"\b(advanced( open water)?|aow|advanced adventurer)\b",
        "Advanced Open Water course",
    ),
    ("nitrox", r"\b(nitrox|enriched air|eanx?\d*)\b", "Enriched Air Nitrox specialty"),
    ("refresher", r"\b(refresher|reactivate|scuba review|skills update)\b", "refresher course"),
    (
        "discover",
        # The router's words for a first try (graph/routing/router.py), so the focus holds
        # the course the router saw: "is there some kind of trial dive?".
        r"\b(discover scuba|dsd|try[- ]?dives?|try scuba|trial dives?|intro(ductory)? dives?|"
        r"taster (dive|session)s?)\b",
        "Discover Scuba Diving try dive",
    ),
    ("deep", r"\bdeep (diver|specialty)\b", "Deep Diver specialty"),
    ("wreck", r"\bwreck (diver|specialty|course)\b", "Wreck Diver specialty"),
    ("night", r"\bnight (diver|specialty|course)\b", "Night Diver specialty"),
    (
        "buoyancy",
        # A course named by what it teaches: "is there a course for buoyancy?".
        r"\b(peak performance buoyancy|ppb|perfect buoyancy|buoyancy (course|specialty|class)|"
        r"(course|specialty|class) (for|on|in) buoyancy)\b",
        "Peak Performance Buoyancy specialty",
    ),
    ("open_water", r"\b(open water|ow)\b", "Open Water Diver course"),
    # European grades: one guide covers the CMAS stars, the French levels and BSAC's grades.
    (
        "cmas_bsac",
        r"\b(ocean diver|sports diver|dive leader|[1-3][- ]star( diver)?|niveau [1-3]|"
        r"star system|bsac (diver )?grades?)\b",
        "CMAS star system and BSAC diver grades",
    ),
    # NAUI's full entry card and PADI's and SSI's supervised level share this name, and so
    # do their junior cards ("Junior Scuba Diver"); the agency in focus picks the guide.
    (
        "scuba_diver",
        r"(?<!advanced )(?<!rescue )(?<!master )\b(junior )?scuba diver\b",
        "Scuba Diver course",
    ),
]
# Courses named after a role: "my instructor", "our old dive instructor", "the instructor
# said" speak of someone the diver knows, unless the words after make it the course ("the
# instructor course"). "The divemaster" is more often the course ("what do I need for the
# divemaster?"): it is a person only when it does something ("our divemaster said").
ROLE_WORDS = re.compile(r"\b(instructor|divemaster|dive master|dm|dive guide)\b", re.I)
PERSON_BEFORE = re.compile(r"\b(my|our|your|the|his|her|their)\s+([\w'-]+\s+){0,2}$", re.IGNORECASE)
PERSON_ACTS = re.compile(
    r"^\s+(says?|said|told|tells|thinks?|thought|reckons?|recommended|suggested|showed|"
    r"taught|wants?|wanted|asked|was|is always|keeps?|made|makes|let|lets)\b",
    re.IGNORECASE,
)
ROLE_COURSE_AFTER = re.compile(
    r"^\W*(course|training|exam|level|rating|programme|program|development|certification|"
    r"internship|candidate|card|cert)\b",
    re.IGNORECASE,
)
COURSE_WORDS = {key: words for key, _, words in COURSES}
# A course's or an agency's name, whether it is the course asked about or the level held
# ("can I do Turtle Cavern as an open water diver?"): it tells that a turn is on a course or
# a card, not what it asks of it (graph/routing/router.py's SUBJECT_WORDS).
COURSE_OR_AGENCY_NAME = re.compile(
    r"\b(padi|ssi|naui|cmas|bsac|open water (diver|course)|advanced open water|aow|"
    r"rescue diver|divemaster|instructor|specialt\w*)\b",
    re.IGNORECASE,
)
HELD_COURSE = re.compile(
    r"\b(i'?m|i am|im|i have|i've|got|hold|certified|earned|finished|completed|passed|"
    r"just did|now an?|we'?re|we are|are (both|all)|"
    # Someone the diver speaks of: "my gf is only open water", "bro only has OW".
    r"she'?s|he'?s|(she|he) (is|has|holds?)|they'?re|they are|"
    r"(only|just|already) (has|have|holds?)|(is|are) (only|just|already))\b[^.?!]{0,25}$",
    re.IGNORECASE,
)
# A level named as what someone dives with, right before its name: "can I do Turtle Cavern
# as an open water diver?", "is it ok with just OW?", "with my AOW".
DIVES_WITH = re.compile(
    r"\b(as (an? |just |only )?|with (just |only |my |her |his |their |our ))"
    r"((padi|ssi|naui|bsac|cmas) )?$",
    re.IGNORECASE,
)
# "The same as Open Water", "work as a divemaster", "such as rescue": an "as" that equates a
# card or names a job, not the level someone dives as.
NOT_DIVING_AS = re.compile(
    r"\b(same( \w+)?|such|known|counts?|counted|seen|regarded|treated|recogni[sz]ed|"
    r"equivalent|equal|work|working|job|jobs|hired|employed|start|starting|career|pro|"
    r"become|becoming|qualif\w*)\s+as\b[^.?!]{0,12}$",
    re.IGNORECASE,
)
# "SSI AOW, 40 dives", "Rescue diver with 45 dives here": a card stated with a dive count.
HELD_BY_DIVE_COUNT = re.compile(
    r"^(\s*(diver|certified|cert|card))?\s*(,|with|and|\+)?\s*(about |around |~)?\d+\s*"
    r"(logged )?dives\b",
    re.IGNORECASE,
)
# "The course after OW", "what comes after my Rescue?": the course named is the one before.
AFTER_COURSE = re.compile(
    r"\b(after|beyond|past|following|above) (my |the |an? |your |our )?$", re.IGNORECASE
)


def courses_asked_about(text: str) -> list[str]:
    """Courses the turn asks about; a level the diver says they hold is not one of them."""
    return _courses(text, held=False)


def courses_held(text: str) -> list[str]:
    """Courses the diver says they hold ("I'm a BSAC Ocean Diver")."""
    return _courses(text, held=True)


# What a turn asks for before naming the course it comes after ("the course after OW");
# "after the Open Water course, can I …" is a time, not a course asked for.
ASKS_FOR_A_COURSE = re.compile(
    r"\b(course|courses|comes?|next|step|level|certification|do|take)\b", re.IGNORECASE
)


def courses_after(text: str) -> list[str]:
    """Courses named as the one before the course asked for ("the course after OW")."""
    return [
        key
        for key, pattern, _ in COURSES
        for match in re.finditer(pattern, text, re.IGNORECASE)
        if _named_as_the_one_before(text, match.start())
    ]


def _named_as_the_one_before(text: str, start: int) -> bool:
    after = AFTER_COURSE.search(text[:start])
    return bool(after and ASKS_FOR_A_COURSE.search(text[: after.start()]))


def _courses(text: str, held: bool) -> list[str]:
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for key, pattern, _ in COURSES:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if any(a <= match.start() < b for a, b in taken):
                continue  # "advanced open water" is not "open water" as well
            if names_a_person(text, match.start(), match.end()):
                continue
            taken.append((match.start(), match.end()))
            before = text[: match.start()]
            is_held = bool(
                HELD_COURSE.search(before)
                or (DIVES_WITH.search(before) and not NOT_DIVING_AS.search(before))
                or HELD_BY_DIVE_COUNT.match(text[match.end() :])
                or _named_as_the_one_before(text, match.start())
            )
            if is_held == held:
                found.append((match.start(), key))
    return [key for _, key in sorted(found)]


def names_a_person(text: str, start: int, end: int) -> bool:
    """Whether the role named at text[start:end] ("instructor") is someone the diver speaks
    of ("my old instructor") rather than a course or a level."""
    role = text[start:end]
    if not ROLE_WORDS.fullmatch(role) or not PERSON_BEFORE.search(text[:start]):
        return False
    if role.lower() == "instructor":
        return not ROLE_COURSE_AFTER.search(text[end:])
    return bool(PERSON_ACTS.search(text[end:]))
