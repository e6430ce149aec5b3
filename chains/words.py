"""Words as the offline answerer and the section finder compare them: lower-cased, without
function words, cut to a crude stem, so that "diving", "dives", "diver" and "dive" meet."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at for from by with about into over under is are
    was were be been being am do does did doing have has had having i me my we our you
    your he she it its they them their this that these those what which who whom when
    where why how can could should would will shall may might must not no yes so than
    then there here as up down out off just also very too any some all each both more
    most other such only own same few get got tell know want like please much many vs
    versus
    """.split()
)
_SUFFIXES = ("ing", "ers", "ies", "es", "ed", "er", "s")


def content_words(text: str) -> list[str]:
    """The words of `text` that carry its meaning, lower-cased, in order."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


def stem(word: str) -> str:
    """Crude but adequate: one suffix off, then a final "e", so "using" and "use", "prices"
    and "price", "divers" and "dive" meet."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 1 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) >= 3 and word.endswith("e") else word


def stems(text: str, shortest: int = 1) -> set[str]:
    """The stems of the content words of `text` at least `shortest` letters long."""
    return {stem(w) for w in content_words(text) if len(w) >= shortest}


def shared_stems(asked: set[str], said: set[str]) -> set[str]:
    """The asked stems the sentence has, also as a longer or shorter form of one word
    ("photography" asked, "photographers" written: both start "photograph")."""
    found = asked & said
    for word in asked - found:
        if len(word) >= 6 and any(
            len(other) >= 6 and (other.startswith(word) or word.startswith(other)) for other in said
        ):
            found.add(word)
    return found
