"""How the emergency rules read a message's words: folded to one spelling before any match.

Contractions, texting ("ur", "wat", "2 do"), typed-fast "were", Malay and Indonesian words
(graph/routing/malay.py) and misspellings of the rules' key words one edit away ("colapsed",
"unconcious") are folded, and a framing the writer takes back ("not a quiz anymore") is read
as "this is real". Every rule of graph/routing/emergency*.py matches the folded text.
"""

from __future__ import annotations

import re

from graph.routing.malay import to_english
from graph.routing.text import any_of

# Spelling variants seen in real messages are folded before matching.
_FOLD = [
    (r"\bcan'?t\b|\bcannot\b|\bcan not\b", "cant"),
    (r"\bisn'?t\b", "isnt"),
    (r"\bhasn'?t\b|\bhaven'?t\b|\bhas not\b|\bhave not\b", "hasnt"),
    (r"\bdidn'?t\b|\bdid not\b", "didnt"),
    (r"\bwon'?t\b", "wont"),
    (r"\bdoesn'?t\b|\bdoes not\b", "doesnt"),
    (r"\bi'?m\b", "i am"),
    (r"\bhe'?s\b", "he is"),
    (r"\bshe'?s\b", "she is"),
    (r"\bthey'?re\b", "they are"),
    (r"\bwe're\b", "we are"),
    # "were" is "we're" typed fast only where no subject comes before it ("were drifting!"),
    # and not in an inverted condition ("were I to get bitten") nor after one ("we were left").
    (
        r"(^|[.!?,;:]\s*)were\b(?! (i|you|he|she|it|we|they|there|the|my|your|his|her|our|their|a|an)\b)",
        r"\1we are",
    ),
    (r"\bu\b", "you"),
    # Texting: "wat 2 do if ur buddy faints" reads as "what to do if your buddy faints".
    (r"\bur\b", "your"),
    (r"\b(wat|wht|wut)\b", "what"),
    (r"\b2 (do|be|get|go|call|say|know)\b", r"to \1"),
    (r"\bpls\b|\bplz\b", "please"),
    (r"[’`]", "'"),
]


# A framing the writer negates or takes back: "not a quiz anymore", "this isn't the exam
# question", "no joke", "not hypothetical any more", "not asking for a course". Read as
# "this is real", a cue of now (NOW_PATTERNS), so the framing word cannot frame the report.
RETRACTED = any_of(
    r"\b(not|isnt|no|no longer|aint|wasnt|never)( just| even)?( asking (for|about))?"
    r"( a| an| the| my| our| some| this| for a| for the)? (\w+ )?(quiz|drill|exam|test|scenario|exercise|"
    r"practice|simulation|joke|hypothetical|story|training|role ?play|game|dream|course|class)\b"
    r"( question| scenario)?( anymore| any more)?",
    r"\b(not|no longer|stop|stopped) (joking|kidding|pretending|practi[cs]ing|playing)\b( anymore| any more)?",
    # Set against the framing as what really happened: "I know we practise this in the course,
    # but my buddy actually passed out".
    r"\bbut (?=(\w+ ){0,3}(actually|for real|in real life)\b)",
    # Likened to fiction and said to be real: "it's like in that movie, but real".
    r"\b(like|as) (in )?(a|the|that|this|some) (movie|film|drill|scenario|story|nightmare|dream),? "
    r"(but|except) (this is |its |it is )?(real|for real|real life|happening)\b",
    r"\b(forget|never ?mind|scrap|drop)( about)?( the| my| that| this| our)? (\w+ )?(quiz|drill|exam|test|"
    r"scenario|exercise|practice|hypothetical|course|class|question)s?\b( stuff| thing| question)?",
)


# Words whose misspellings must still be recognised ("colapsed", "unconcious", "diveing").
KEY_WORDS = (
    "collapsed",
    "collapse",
    "unconscious",
    "unresponsive",
    "breathing",
    "breathe",
    "breath",
    "tingling",
    "tingle",
    "numbness",
    "dizzy",
    "dizziness",
    "vomiting",
    "vomit",
    "confused",
    "slurring",
    "seizure",
    "drowning",
    "drowned",
    "surfaced",
    "surfacing",
    "missing",
    "diving",
    "dive",
    "after",
    "paralysed",
    "paralyzed",
    "headache",
    "bleeding",
    "fainted",
    "weakness",
    "shoulder",
    "elbow",
    "chest",
    "vision",
    "hearing",
    "friend",
    "buddy",
)


def _close(word: str, target: str) -> bool:
    """Within one edit (insert, delete, substitute or swap) of `target`."""
    if abs(len(word) - len(target)) > 1 or word == target:
        return word == target
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# Real words one edit away from a key word ("single" is not a misspelt "tingle").
NOT_MISSPELLINGS = frozenset(
    {
        *("single", "mingle", "jingle", "tinkle", "shoulders", "missions", "hearings"),
        *("giving", "living", "driving", "drive", "hiving", "jiving"),
        *("heading", "healing", "bearing", "fearing", "gearing", "nearing", "rearing"),
        *("searing", "tearing", "wearing", "hissing", "kissing", "pissing"),
        *("fried", "fiend", "painted", "tainted", "chess", "cheat", "alter"),
        *("muddy", "ruddy", "fizzy", "tizzy", "breeding", "bleeping", "confuses"),
    }
)


def _correct(word: str) -> str:
    if len(word) < 5 or word in KEY_WORDS or word in NOT_MISSPELLINGS:
        return word
    for target in KEY_WORDS:
        # "diver" is not a misspelt "dive", nor "breathe" of "breath": inflections stay.
        if word.startswith(target) or target.startswith(word):
            continue
        if _close(word, target):
            return target
    return word


def fold(text: str) -> str:
    folded = to_english(text.lower())
    for pattern, replacement in _FOLD:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"[a-z]+", lambda m: _correct(m.group(0)), folded)
    # A framing said not to hold ("not a quiz anymore") frames nothing: it says this is real.
    folded = RETRACTED.sub(" this is real ", folded)
    return re.sub(r"\s+", " ", folded)
