"""Offline grounding check: is each factual sentence of an answer supported by a passage?

A sentence makes a factual claim when it holds a number, a month, or a proper name (a
capitalised word that does not open the sentence). It is supported when every such token
appears in the text of the passages the turn retrieved. Questions are not claims, and
neither are the fixed sentences the product itself writes (emergency reply, dive-medicine
note, off-topic and small-talk replies). Deterministic and strict: a paraphrased number
("eighteen" for "18") counts as unsupported.
"""

from __future__ import annotations

import re

from chains import prompts

MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_SENTENCES = re.compile(r"(?<=[.!])\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MONTH = re.compile(rf"\b{MONTHS}\b", re.IGNORECASE)
_NAME = re.compile(r"(?<=\s)([A-Z][a-zA-Z'’-]+)")
_COMMON = {"I", "I'm", "I'd", "DAN", "PADI", "SSI", "NAUI", "Open", "Water", "Advanced"}
FIXED = (prompts.MEDICAL_NOTE,)


def claim_tokens(sentence: str) -> set[str]:
    tokens = {m.group(0) for m in _NUMBER.finditer(sentence)}
    tokens |= {m.group(0).lower()[:3] for m in _MONTH.finditer(sentence)}
    tokens |= {m.group(1) for m in _NAME.finditer(sentence) if m.group(1) not in _COMMON}
    return tokens


def _supported(token: str, source: str, source_lower: str) -> bool:
    if token.isdigit() or _NUMBER.fullmatch(token):
        return re.search(rf"(?<![\d.]){re.escape(token)}(?![\d])", source) is not None
    if len(token) == 3 and token.isalpha() and token.islower():  # a month
        return re.search(rf"\b{token}", source_lower) is not None
    return token.lower() in source_lower


def grade(answer: str, passages: list[str]) -> tuple[int, int, list[str]]:
    """(claims, supported claims, unsupported sentences) for one answer."""
    source = "\n".join(passages)
    source_lower = source.lower()
    claims = supported = 0
    unsupported: list[str] = []
    for sentence in _SENTENCES.split(answer):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?") or any(f in sentence for f in FIXED):
            continue
        tokens = claim_tokens(sentence)
        if not tokens:
            continue
        claims += 1
        if all(_supported(t, source, source_lower) for t in tokens):
            supported += 1
        else:
            unsupported.append(sentence)
    return claims, supported, unsupported
