"""Words as the offline answerer compares them: lower-cased, without function words, cut
to a crude stem ("diving", "dives", "dived" all meet)."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at for from by with about into over under is are
    was were be been being am do does did doing have has had having i me my we our you
    your he she it its they them their this that these those what which who whom when
    where why how can could should would will shall may might must not no yes so than
    then there here as up down out off just also very too any some all each both more
    most other such only own same few get got tell know want like please much many
    """.split()
)


def content_words(text: str) -> list[str]:
    """The words of `text` that carry its meaning, lower-cased, in order."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


def stem(word: str) -> str:
    # Crude but adequate: "diving", "dives", "dived" all meet at "div".
    for suffix in ("ing", "ers", "ies", "es", "ed", "er", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """The stems of the content words of `text`."""
    return {stem(w) for w in content_words(text)}


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
