"""How the offline answerer weighs a sentence: a linear blend of its features, read from data.

The blend used to be set by hand (half meaning, a fifth heading, a fifth rare words, …).
It is now fitted on the dev conversation files by `python -m evals.selection_fit`, which
writes `chains/data/selection_weights.json` with the sha256 of every file it was fitted on.
When that file is absent the hand blend is used, as before.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).parent / "data" / "selection_weights.json"

# What is known of a candidate sentence when it is weighed. The first seven are the hand
# blend's terms; the rest describe where the sentence sits and what it looks like.
FEATURES = (
    "semantic",  # cosine of the sentence (read under its heading) and the question
    "section",  # cosine of its section heading and the question
    "lexical",  # share of the question's rare words it has
    "prior",  # 1 / (1 + rank of its passage / 2)
    "shape",  # the hand bonus for the answer's shape (a month for "when", …)
    "number",  # the hand bonus for holding a number the diver gave
    "profile",  # the hand bonus for a section written for the diver's experience
    "shaped",  # it is shaped like the asked kind of fact
    "under",  # its heading names the asked kind of fact
    "semantic_gap",  # semantic minus the best semantic of the turn
    "section_gap",  # section minus the best section of the turn
    "lexical_gap",  # lexical minus the best lexical of the turn
    "first_in_section",  # it opens its passage
    "position",  # 1 / (1 + its place in its passage)
    "length",  # its words / 25, at most 2
    "list_item",  # it came from a list item or a table row with a label
    "top_passage",  # its passage ranked first
    "passage_semantic_gap",  # the best semantic of its passage minus the turn's best
    "passage_lexical_gap",  # the best lexical of its passage minus the turn's best
    "has_number",  # it states a number (a depth, a price, a duration, …)
    "labelled",  # it reads "Label: …" (a list item or a table row kept as written)
    "semantic_own",  # cosine with the turn's own words alone (a follow-up borrows others)
)

HAND_WEIGHTS = {
    "semantic": 0.5,
    "section": 0.2,
    "lexical": 0.2,
    "prior": 0.15,
    "shape": 1.0,
    "number": 1.0,
    "profile": 1.0,
}


@dataclass(frozen=True)
class Selection:
    """The blend and the thresholds that choose an answer's sentences.

    With `probability` the blend is a logistic model's log-odds and the score is its
    probability; the floors are then probabilities too. Whether anything is relevant at
    all is still decided by the hand blend (`relevance_floor` below), so the answer to a
    question the passages do not cover stays "I don't have reliable information".
    """

    weights: tuple[float, ...]
    intercept: float = 0.0
    probability: bool = False
    floor: float = 0.35  # the least score a sentence of the answer may have
    companion_ratio: float = 0.8
    section_ratio: float = 0.65
    body_words: int = 100
    # A sentence this similar (cosine) to one already chosen is left out; 1 keeps all.
    redundancy: float = 1.0
    max_sentences: int = 6
    # How many sentences the best section gives before the other sections have their turn.
    lead_sentences: int = 4
    # Past the lead, a sentence's turn comes by its score less this much times its cosine
    # with the closest sentence already chosen.
    diversity: float = 0.0
    # Past the lead and the runner-up, a sentence that would bring another document into
    # the answer needs at least this share of the lead sentence's score (0: no such floor).
    new_document_ratio: float = 0.0
    # The room left in the budget goes to the main clauses of sentences it had no room for.
    shorten_to_fit: bool = False
    # Room the budget still holds at the very end goes to sentences of the lead's own
    # document that missed their floor but reach this share of the best sentence's score
    # (0: the room stays empty).
    room_ratio: float = 0.0
    fitted_on: dict = field(default_factory=dict, compare=False)

    def scores(self, features: np.ndarray) -> np.ndarray:
        raw = features @ np.asarray(self.weights, dtype=np.float64) + self.intercept
        return 1.0 / (1.0 + np.exp(-raw)) if self.probability else raw

    def to_json(self) -> dict:
        settings = {name: getattr(self, name) for name in _SETTINGS}
        settings["intercept"] = round(self.intercept, 6)
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            **settings,
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_json(cls, data: dict) -> Selection:
        # Weights are matched by name: a file written before a feature was added gives it 0.
        named = dict(zip(data["features"], data["weights"], strict=True))
        unknown = set(named) - set(FEATURES)
        if unknown:
            raise ValueError(f"selection weights name unknown features: {sorted(unknown)}")
        # A setting the file leaves out keeps the dataclass's own default.
        settings = {
            name: kind(data[name]) for name, kind in _SETTINGS.items() if data.get(name) is not None
        }
        return cls(
            weights=tuple(float(named.get(name, 0.0)) for name in FEATURES),
            fitted_on=data.get("fitted_on", {}),
            **settings,
        )


# The settings a weights file may carry, with the type each is read as.
_SETTINGS = {
    "intercept": float,
    "probability": bool,
    "floor": float,
    "companion_ratio": float,
    "section_ratio": float,
    "body_words": int,
    "redundancy": float,
    "max_sentences": int,
    "lead_sentences": int,
    "diversity": float,
    "new_document_ratio": float,
    "shorten_to_fit": bool,
    "room_ratio": float,
}


HAND = Selection(weights=tuple(HAND_WEIGHTS.get(name, 0.0) for name in FEATURES))
# The hand blend's score below which no sentence answers the question.
RELEVANCE_FLOOR = 0.35


@lru_cache(maxsize=4)
def load_selection(path: Path = WEIGHTS_FILE) -> Selection:
    """The fitted selection, or the hand blend when no weights file was written."""
    if not path.is_file():
        return HAND
    selection = Selection.from_json(json.loads(path.read_text(encoding="utf-8")))
    if not all(math.isfinite(w) for w in selection.weights):
        raise ValueError(f"{path.name}: weights must be finite numbers")
    return selection
