"""Small text helpers shared by the rule-based parts of routing."""

from __future__ import annotations

import difflib
import functools
import re


def any_of(*patterns: str) -> re.Pattern:
    """One case-insensitive pattern that matches when any of `patterns` does."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# A word as written in lower case: "Thistlegorm" is a name and yields nothing.
WORD = re.compile(r"\b[a-z][a-z']+\b")
# Shorter words are too often right and too close to others ("dive", "drive") to correct.
MIN_TYPO_LENGTH = 5
# How alike (difflib's ratio) a typo and the word it stands for must be.
TYPO_CUTOFF = 0.85
# Unknown words remembered with what they were taken to mean (or None).
MEANT_CACHE_SIZE = 4096


@functools.cache
def english_words() -> frozenset[str]:
    """pyspellchecker's English word list (about 160,000 words), loaded once per process."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker().word_frequency.dictionary)


class Spelling:
    """Corrects the casual typos of a turn ("dive compter for a begginer") towards the
    words of a domain vocabulary, so that cues and the embedding read the word meant.

    Only a lower-case word of five letters or more that is neither an English word nor in
    the vocabulary is touched ("dying" is never made "drying"), and only towards a
    vocabulary word with the same first letter and nearly the same length; names
    (capitalised) are left as written.
    """

    def __init__(self, vocabulary: set[str], english: set[str] | frozenset[str] = frozenset()):
        self.known = {word for word in vocabulary if word} | set(english)
        self.by_start: dict[tuple[str, int], list[str]] = {}
        for word in vocabulary:
            if len(word) >= MIN_TYPO_LENGTH - 1:
                self.by_start.setdefault((word[0], len(word)), []).append(word)
        # A turn is corrected twice (by the router node, then by the router it calls): a word
        # looked up once is not compared with the vocabulary again.
        self._meant = functools.lru_cache(maxsize=MEANT_CACHE_SIZE)(self._meant)

    @classmethod
    def from_texts(cls, texts: list[str]) -> Spelling:
        """The vocabulary of `texts`, with pyspellchecker's English word list as known words."""
        return cls({word for text in texts for word in WORD.findall(text.lower())}, english_words())

    def _meant(self, word: str) -> str | None:
        candidates = [
            known
            for size in range(len(word) - 1, len(word) + 2)
            for known in self.by_start.get((word[0], size), ())
        ]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else None

    def correct(self, text: str) -> str:
        def fix(match: re.Match) -> str:
            word = match.group(0)
            if len(word) < MIN_TYPO_LENGTH or word in self.known:
                return word
            return self._meant(word) or word

        return WORD.sub(fix, text)
