"""Small text helpers shared by the rule-based parts of routing."""

from __future__ import annotations

import re


def any_of(*patterns: str) -> re.Pattern:
    """One case-insensitive pattern that matches when any of `patterns` does."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
